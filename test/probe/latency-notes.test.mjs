// The latency benchmark's goal checks (benchmarks/probe/latency-notes.mjs) on made-up rows:
// each goal is marked met or missed from the rows of the run, against that run's floor.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { latencyGoalLines, latencyNotesMarkdown } from '../../benchmarks/probe/latency-notes.mjs'

const spread = (from) => Array.from({ length: 100 }, (_, i) => from + i / 20) // from … from + 4.95
function row(kind, scene, mode, stats, from, cost = null) {
  const samples = spread(from)
  return {
    kind, scene, mode, stats,
    report: {
      samples: samples.map((latencyMs) => ({ latencyMs })),
      breakdown: cost === null ? null : { perSample: samples.map(() => ({ stages: { record: 0, flush: cost / 2, swap: cost / 2 } })) },
    },
  }
}
const floor = row('floor', null, null, { p50: 2, p99: 6, mean: 2.3 }, 1.5)
const naive = row('naive', null, null, { p50: 10, p99: 18, mean: 10 }, 9)

test('goals met and missed are told apart, each against the floor of the run', () => {
  const lines = latencyGoalLines([
    floor, naive,
    row('framelatch', 'empty scene', 'low-latency', { p50: 2.9, p99: 8.9, mean: 3 }, 2.5, 2),
    row('framelatch', 'empty scene', 'on-demand', { p50: 3.1, p99: 9.1, mean: 3 }, 2.5, 2),
    row('framelatch', 'empty scene', 'paced', { p50: 11, p99: 20, mean: 11.4 }, 10, 2),
    row('framelatch', 'hello-dashboard', 'low-latency', { p50: 6, p99: 10.9, mean: 7 }, 5, 5),
  ]).join('\n')
  assert.match(lines, 'empty scene, low-latency: p50 2.90 ≤ floor p50 + 1 = 3.00: met; p99 8.90 ≤ 1.5 × floor p99 = 9.00: met')
  assert.match(lines, 'empty scene, on-demand: p50 3.10 ≤ floor p50 + 1 = 3.00: **missed**; p99 9.10 ≤ 1.5 × floor p99 = 9.00: **missed**')
  assert.match(lines, 'empty scene, paced: mean 11.40 ≤ half a period (8.33) + mean frame cost (2.00) + 1 = 11.33: **missed**')
  assert.match(lines, 'hello-dashboard, low-latency: p99 10.90 ≤ floor p99 + the scene\'s frame cost p99 (5.00) = 11.00: met')
  // dashboard samples 5…9.95 against the naive loop's 9…13.95: faster at every percentile
  assert.match(lines, 'at every percentile 1…99: met')
})

test('losing to the naive loop at some percentiles is reported with them', () => {
  // a wider spread: faster than the naive loop's 9…13.95 at the low percentiles, slower at the high
  const dash = row('framelatch', 'hello-dashboard', 'low-latency', { p50: 12.9, p99: 17.8, mean: 13 }, 8, 5)
  dash.report.samples = Array.from({ length: 100 }, (_, i) => ({ latencyMs: 8 + i / 10 }))
  const lines = latencyGoalLines([floor, naive, dash]).join('\n')
  const m = /naive loop \(empty scene\) at every percentile 1…99: \*\*missed\*\* at (\d+) \(p(\d+),/.exec(lines)
  assert.ok(m, lines)
  assert.ok(Number(m[1]) < 99 && Number(m[2]) > 1, `missed only above the low percentiles (${m[0]})`)
})

test('the dashboard is checked against both naive loops, each reported on its own line', () => {
  const naiveDash = row('naive', 'hello-dashboard', null, { p50: 13, p99: 22, mean: 13 }, 4)
  const dash = row('framelatch', 'hello-dashboard', 'low-latency', { p50: 7, p99: 10, mean: 7 }, 5, 5)
  const lines = latencyGoalLines([floor, naive, naiveDash, dash])
  const empty = lines.find((l) => l.includes('against the naive loop (empty scene)'))
  const same = lines.find((l) => l.includes('against the naive loop drawing hello-dashboard'))
  // 5…9.95 beats the empty loop's 9…13.95 everywhere, but not the dashboard loop's 4…8.95 anywhere
  assert.match(empty, 'at every percentile 1…99: met (faster at all 99; p1 5.00 vs 9.00')
  assert.match(same, '**missed** at 99 (p1, p2')
  assert.match(same, 'p1 5.00 vs 4.00, p5 5.20 vs 4.20, p50 7.45 vs 6.45')
})

test('the trading terminal row is checked against one refresh (issue 10)', () => {
  const term = (p99) => ({ ...row('framelatch', 'trading terminal', 'low-latency', { p50: 9, p99, mean: 9 }, 8, 9), frameCost: { p50: 8.5, p99: 11 } })
  assert.match(latencyGoalLines([floor, term(16.5)]).join('\n'), 'trading terminal, low-latency (issue 10): p99 16.50 ≤ one refresh (16.67): met (p50 9.00; its frame cost p50 / p99 8.50 / 11.00)')
  assert.match(latencyGoalLines([floor, term(24.5)]).join('\n'), 'p99 24.50 ≤ one refresh (16.67): **missed**')
})

test('the notes carry the findings after the goals; no floor row, no goals', () => {
  const md = latencyNotesMarkdown({ rows: [floor] })
  assert.match(md, 'Where the time went, and what changed')
  assert.equal(latencyGoalLines([naive]), [])
})

test.run()
