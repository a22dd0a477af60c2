// Mouse path planning (pure math): endpoints, timing, easing and the Bézier bend.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { planPath, easeInOut } from '../../dist/probe/mouse-path.js'

const desc = (curve, durationMs = 200) => ({ durationMs, rateHz: 100, curve, seed: 3 })

test('every curve ends exactly on the last point, at the duration, with increasing times', () => {
  for (const curve of ['linear', 'ease', 'bezier']) {
    const p = planPath([{ x: 0, y: 0 }, { x: 100, y: 50 }], desc(curve))
    assert.is(p.length, 20, curve)
    assert.equal(p.at(-1), { x: 100, y: 50, atMs: 200 }, curve)
    for (let i = 1; i < p.length; i++) assert.ok(p[i].atMs > p[i - 1].atMs, curve)
  }
})

test('linear steps are even; eased steps are short at both ends and long in the middle', () => {
  const lin = planPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], desc('linear'))
  assert.ok(Math.abs(lin[0].x - 5) < 1e-9)
  const ease = planPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], desc('ease'))
  const step = (i) => ease[i].x - (i === 0 ? 0 : ease[i - 1].x)
  assert.ok(step(0) < 1 && step(19) < 1, 'slow start and stop')
  assert.ok(step(10) > 7, 'fast middle')
  assert.is(easeInOut(0), 0)
  assert.is(easeInOut(1), 1)
  assert.is(easeInOut(0.5), 0.5)
})

test('bezier bends off the straight line, the same way for the same seed', () => {
  const a = planPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], desc('bezier'))
  const b = planPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], desc('bezier'))
  assert.equal(a, b)
  assert.ok(Math.max(...a.map((p) => Math.abs(p.y))) > 1, 'leaves the line')
  const lin = planPath([{ x: 0, y: 0 }, { x: 100, y: 0 }], desc('ease'))
  assert.ok(lin.every((p) => p.y === 0))
})

test('a polyline shares the duration by segment length; duration 0 jumps', () => {
  const p = planPath([{ x: 0, y: 0 }, { x: 30, y: 0 }, { x: 30, y: 10 }], desc('linear'))
  const corner = p.find((q) => q.x === 30 && q.y === 0)
  assert.ok(Math.abs(corner.atMs - 150) < 1e-9)
  assert.equal(planPath([{ x: 0, y: 0 }, { x: 5, y: 5 }], desc('bezier', 0)), [{ x: 5, y: 5, atMs: 0 }])
})

test.run()
