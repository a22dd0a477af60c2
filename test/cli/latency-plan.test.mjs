// The rows the latency suite measures (src/cli/latency-suite.ts, `latencySuitePlan`): a scene
// with a naive-loop script gets a 'naive' row of its own (the same scene in a setInterval loop),
// a scene's own `modes` override the suite's, and `baselines: false` drops every naive row.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { latencySuitePlan, latencySuiteMarkdown } from '../../dist/cli/latency-suite.js'

const scenes = [
  { name: 'hello-dashboard', script: '/x/dash.mjs', naive: '/x/naive-dash.mjs' },
  { name: 'trading terminal', script: '/x/term.mjs', modes: ['low-latency'] },
]

test('a scene naive script becomes its naive row; a scene modes list replaces the suite modes', () => {
  const plan = latencySuitePlan({ samples: 10, scenes })
  const names = plan.map((r) => r.name)
  assert.equal(names, [
    'floor: bare SDL+GL, setImmediate poll, render on change',
    'bare app rendering in its keyDown handler',
    'naive setInterval(render, 1000/60) loop',
    'framelatch empty scene, paced', 'framelatch empty scene, low-latency', 'framelatch empty scene, on-demand',
    'naive setInterval(render, 1000/60) loop, hello-dashboard',
    'framelatch hello-dashboard, paced', 'framelatch hello-dashboard, low-latency', 'framelatch hello-dashboard, on-demand',
    'framelatch trading terminal, low-latency',
  ])
  const naiveDash = plan.find((r) => r.scene === 'hello-dashboard' && r.kind === 'naive')
  assert.equal(naiveDash.command.slice(1), ['/x/naive-dash.mjs'])
  assert.is(plan.find((r) => r.kind === 'naive' && r.scene === null).short, 'naive 60 Hz loop')
  assert.equal(plan.at(-1).command.slice(1), ['/x/term.mjs', '--latency-probe', '--mode', 'low-latency'])
})

test('baselines: false drops the naive rows, scenes included; suite modes apply to scenes without their own', () => {
  const plan = latencySuitePlan({ samples: 10, scenes, baselines: false, modes: ['on-demand'] })
  assert.equal(plan.filter((r) => r.kind === 'naive'), [])
  assert.equal(plan.map((r) => `${r.scene}/${r.mode}`), ['null/null', 'empty scene/on-demand', 'hello-dashboard/on-demand', 'trading terminal/low-latency'])
})

test('the suite table gives each row its stall-overlapping samples and the p99 of the rest', () => {
  const stats = { n: 200, timeouts: 0, min: 1, p50: 2, p90: 3, p99: 9, max: 20, mean: 2.5, stddev: 1 }
  const row = (name, kind, stalls) => ({ name, short: name, kind, mode: null, scene: null, stats, ratioP50: 1, ratioP99: 1, frameCost: null, reflexP50: null, report: { stalls } })
  const md = latencySuiteMarkdown({
    rows: [
      row('floor', 'floor', { thresholdMs: 4, count: 5, longestMs: 12, overlapping: [3, 7, 9], statsWithout: { ...stats, p99: 6.5 } }),
      row('old report', 'naive', null),
    ],
    probeErrorP50: null, probeCheckDelayMs: null, probeCheckSplit: null,
  }, 200)
  const lines = md.split('\n')
  assert.ok(lines.some((l) => l.startsWith('| floor |') && l.endsWith('| 3 / 6.50 |')), md)
  assert.ok(lines.some((l) => l.startsWith('| old report |') && l.endsWith('|  |')), 'a row measured without the watch leaves it empty')
  assert.match(md, /stalls: samples \/ p99 of the rest/)
})

test.run()
