// Hit-testing: the topmost region under a point, half-open edges, growth, rows under a scroll.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHitRegions, rowAt } from '../../dist/chart/hit-test.js'
import { errorCode } from '../support/errors.mjs'

test('the last region added wins where regions overlap; edges are half-open', () => {
  const hits = createHitRegions(2)
  hits.add(1, 0, 0, 100, 100) // a panel
  hits.add(2, 10, 10, 20, 20) // a button on it
  hits.add(3, 500, 500, 10, 10)
  assert.is(hits.length, 3, 'grew past its capacity')
  assert.is(hits.at(15, 15), 2)
  assert.is(hits.at(50, 50), 1)
  assert.is(hits.at(30, 15), 1, 'x + w is outside the button')
  assert.is(hits.at(10, 10), 2, 'x, y is inside')
  assert.is(hits.at(100, 50), -1)
  assert.is(hits.at(505, 505), 3)
  hits.clear()
  assert.is(hits.at(15, 15), -1, 'clear() forgets every region')
  assert.is(errorCode(() => createHitRegions(0)), 'FL_INVALID_DESC')
})

test('rowAt maps y to a row under a scroll offset, −1 outside the list', () => {
  assert.is(rowAt(100, 100, 20, 10), 0)
  assert.is(rowAt(139.9, 100, 20, 10), 1)
  assert.is(rowAt(99, 100, 20, 10), -1, 'above the list')
  assert.is(rowAt(300, 100, 20, 10), -1, 'below the last row')
  assert.is(rowAt(100, 100, 20, 100_000, 2_000_000 - 20), 99_999, 'scrolled to the end of 100k rows')
  assert.is(rowAt(105, 100, 20, 10, 15), 1, 'a partly scrolled first row')
  assert.is(rowAt(105, 100, 0, 10), -1)
})

test.run()
