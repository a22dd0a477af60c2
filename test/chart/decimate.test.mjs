// M4 decimation: per pixel column, the decimated points keep the first, min, max and last point of
// the raw series, so the drawn envelope is the same. Checked against a brute-force reference over
// random series, zooms and pans, with NaN gaps, appends, growth and clear().
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSeries } from '../../dist/chart/decimate.js'
import { mulberry32Float as mulberry32 } from '../support/prng.mjs'
import { errorCode } from '../support/errors.mjs'

/**
 * Brute force, one pass per column over every point: the M4 indices (first, argmin, argmax, last;
 * first index on ties; NaN points never chosen) of each column, the column bounds computed with the
 * same arithmetic as the series, plus the nearest point outside each end of the range (so a line
 * crosses a plot even when no point falls inside it).
 */
function referenceIndices(xs, ys, x0, x1, columns) {
  const w = (x1 - x0) / columns
  const endX = x1 + (x1 - x0) * 1e-12
  const picked = new Set()
  const firstIn = xs.findIndex((x) => x >= x0)
  const start = firstIn < 0 ? xs.length : firstIn
  const lastIn = xs.findLastIndex((x) => x < endX)
  const end = lastIn + 1
  if (start > 0) picked.add(start - 1)
  for (let c = 0; c < columns; c++) {
    const lo = c === 0 ? x0 : x0 + w * c
    const hi = c === columns - 1 ? endX : x0 + w * (c + 1)
    let first = -1, last = -1, iMin = -1, iMax = -1
    for (let i = start; i < end; i++) {
      if (!(xs[i] >= lo && xs[i] < hi)) continue
      if (first < 0) first = i
      last = i
      if (!Number.isNaN(ys[i])) {
        if (iMin < 0 || ys[i] < ys[iMin]) iMin = i
        if (iMax < 0 || ys[i] > ys[iMax]) iMax = i
      }
    }
    for (const i of [first, iMin, iMax, last]) if (i >= 0) picked.add(i)
  }
  if (end < xs.length) picked.add(end)
  return [...picked].filter((i) => !Number.isNaN(ys[i])).sort((p, q) => p - q)
}

function checkAgainstReference(series, xs, ys, x0, x1, columns, label) {
  const out = new Float32Array(2 * (4 * columns + 2))
  const n = series.decimate(x0, x1, columns, out)
  assert.ok(n <= 4 * columns + 2, `${label}: at most 4 points a column plus the two edge points (${n})`)
  const got = []
  for (let i = 0; i < n; i++) got.push([out[2 * i], out[2 * i + 1]])
  const want = referenceIndices(xs, ys, x0, x1, columns).map((i) => [Math.fround(xs[i] - x0), Math.fround(ys[i])])
  assert.equal(got, want, `${label}: the decimated points are the brute-force M4 points, in x order`)
}

test('matches brute-force M4 over random series, zooms and pans', () => {
  const rand = mulberry32(7)
  for (const count of [1, 7, 8, 9, 100, 1000, 5003]) {
    const series = createSeries({ capacity: 16 })
    const xs = []
    const ys = []
    let x = 1_700_000_000_000 // epoch ms: x precision must survive the Float32 output
    let y = 100
    for (let i = 0; i < count; i++) {
      x += 1 + Math.floor(rand() * 3) * (rand() < 0.1 ? 0 : 1) // repeated x values too
      y += rand() - 0.5
      const v = rand() < 0.02 ? NaN : y
      xs.push(x)
      ys.push(v)
      series.push(x, v)
    }
    assert.is(series.length, count)
    for (let trial = 0; trial < 12; trial++) {
      const span = xs[count - 1] - xs[0] + 1
      const a = xs[0] + (rand() - 0.2) * span
      const b = a + (0.01 + rand()) * span
      const columns = 1 + Math.floor(rand() * 200)
      checkAgainstReference(series, xs, ys, a, b, columns, `n=${count} trial ${trial}`)
    }
  }
})

test('a million points decimate to at most 4 points a column', () => {
  const series = createSeries({ capacity: 1 << 20 })
  const rand = mulberry32(3)
  for (let i = 0; i < 1_000_000; i++) series.push(i, Math.sin(i / 1000) + rand())
  const out = new Float32Array(2 * (4 * 1280 + 2))
  const n = series.decimate(0, 999_999, 1280, out)
  assert.ok(n > 1280 && n <= 4 * 1280 + 2, `${n} points`)
  // Spot-check a few columns against brute force (the full reference is O(n × columns)).
  const xs = []
  const ys = []
  for (let i = 0; i <= 20_000; i++) { xs.push(series.x(i)); ys.push(series.y(i)) } // and the point after the range
  checkAgainstReference(series, xs, ys, 0, 19_999, 25, 'first 20k')
})

test('appends after a query, growth and clear() keep the pyramid right', () => {
  const rand = mulberry32(11)
  const series = createSeries({ capacity: 4 })
  const xs = []
  const ys = []
  const add = (k) => {
    for (let i = 0; i < k; i++) {
      const x = xs.length
      const y = rand() * 10
      xs.push(x); ys.push(y); series.push(x, y)
    }
  }
  add(50)
  checkAgainstReference(series, xs, ys, 0, 49, 5, 'before append')
  add(333)
  checkAgainstReference(series, xs, ys, 0, 382, 17, 'after append')
  series.clear()
  xs.length = 0
  ys.length = 0
  add(64)
  checkAgainstReference(series, xs, ys, 0, 63, 3, 'after clear')
})

test('bad input is coded', () => {
  const s = createSeries()
  s.push(10, 1)
  assert.is(errorCode(() => s.push(9, 1)), 'FL_INVALID_DRAW')
  assert.is(errorCode(() => s.decimate(0, 10, 100, new Float32Array(10))), 'FL_OUT_OF_RANGE')
  assert.is(errorCode(() => s.pushMany([1, 2], [1])), 'FL_DATA_SIZE_MISMATCH')
  assert.is(errorCode(() => createSeries({ capasity: 4 })), 'FL_INVALID_DESC')
  assert.is(s.decimate(5, 5, 10, new Float32Array(100)), 0, 'an empty range draws nothing')
})

test.run()
