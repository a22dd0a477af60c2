// Axis ticks: round steps, aligned multiples, at most the ticks asked for, labels that read as a
// person writes them.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTickSet, formatTick, formatTimeTick, niceTicks, timeTicks } from '../../dist/chart/ticks.js'
import { mulberry32Float } from '../support/prng.mjs'

const labels = (set, fmt) => Array.from(set.values.subarray(0, set.count), (v) => fmt(v, set))

test('value ticks: known cases', () => {
  const set = createTickSet()
  assert.equal(labels(niceTicks(0, 100, 6, set), formatTick), ['0', '20', '40', '60', '80', '100'])
  assert.equal(labels(niceTicks(99.87, 101.32, 8, set), formatTick), ['100.0', '100.2', '100.4', '100.6', '100.8', '101.0', '101.2'])
  assert.equal(labels(niceTicks(-1, 1, 9, set), formatTick), ['-1.00', '-0.75', '-0.50', '-0.25', '0.00', '0.25', '0.50', '0.75', '1.00'])
  assert.equal(labels(niceTicks(-0.3, 0.3, 3, set), formatTick), ['-0.2', '0', '0.2'].map((s) => s === '0' ? '0.0' : s))
  assert.equal(labels(niceTicks(1234, 98765, 5, set), formatTick), ['20000', '40000', '60000', '80000'])
  assert.is(niceTicks(5, 5, 5, set).count, 0, 'an empty range has no ticks')
  assert.is(niceTicks(0, NaN, 5, set).count, 0)
})

test('value ticks: random ranges give round, aligned, in-range steps and at most maxTicks', () => {
  const rand = mulberry32Float(4)
  const set = createTickSet(64)
  for (let i = 0; i < 2000; i++) {
    const min = (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 4)
    const max = min + rand() * 10 ** Math.floor(rand() * 12 - 4) + 1e-9
    const maxTicks = 2 + Math.floor(rand() * 15)
    niceTicks(min, max, maxTicks, set)
    assert.ok(set.count <= maxTicks, `${set.count} ≤ ${maxTicks}`)
    const exp = Math.floor(Math.log10(set.step) + 1e-9)
    const m = set.step / 10 ** exp
    assert.ok([1, 2, 2.5, 5].some((r) => Math.abs(m - r) < 1e-6), `round step ${set.step}`)
    for (let k = 0; k < set.count; k++) {
      const v = set.values[k]
      assert.ok(v >= min - set.step * 1e-9 && v <= max + set.step * 1e-9, 'in range')
      const q = v / set.step
      assert.ok(Math.abs(q - Math.round(q)) < 1e-6 * Math.max(1, Math.abs(q)), 'a multiple of the step')
      if (k > 0) assert.ok(formatTick(v, set) !== formatTick(set.values[k - 1], set), 'neighbouring labels differ')
    }
  }
})

test('time ticks: round clock steps aligned to UTC, labels as precise as the step', () => {
  const set = createTickSet()
  const t0 = Date.UTC(2026, 10, 29, 14, 3, 17, 250)
  timeTicks(t0, t0 + 10 * 60_000, 6, set)
  assert.is(set.step, 2 * 60_000)
  assert.equal(labels(set, formatTimeTick), ['14:04', '14:06', '14:08', '14:10', '14:12'])
  timeTicks(t0, t0 + 45_000, 4, set)
  assert.is(set.step, 15_000)
  assert.equal(labels(set, formatTimeTick), ['14:03:30', '14:03:45', '14:04:00'])
  timeTicks(t0, t0 + 1_000, 6, set)
  assert.is(set.step, 200)
  assert.equal(labels(set, formatTimeTick), ['14:03:17.4', '14:03:17.6', '14:03:17.8', '14:03:18.0', '14:03:18.2'])
  timeTicks(t0, t0 + 5 * 86_400_000, 4, set)
  assert.is(set.step, 2 * 86_400_000)
  assert.equal(labels(set, formatTimeTick), ['2026-12-01', '2026-12-03'])
  timeTicks(t0, t0 + 400 * 86_400_000, 5, set)
  assert.ok(set.count <= 5 && set.step % (7 * 86_400_000) === 0, 'long ranges step in whole weeks')
})

test.run()
