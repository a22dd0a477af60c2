// Input-to-photon latency, measured from outside with the probe, all rows in one run: the floor
// app (bare SDL + GL polling in a setImmediate loop, rendering on change), the keyDown-render app,
// the naive setInterval loop, framelatch paced / low-latency / on-demand on the empty scene and on
// examples/hello-dashboard.mjs, the same dashboard in a naive setInterval loop
// (apps/naive-dashboard.mjs), the trading terminal in low-latency mode (issue 10), and the
// probe's own error against an X11 app that flips exactly 10 ms after each key. The rows and the table come from src/cli/latency-suite.ts, which
// `framelatch bench` runs too; the goal checks and the notes on what was found and changed come
// from latency-notes.mjs.
//
//   node benchmarks/run.mjs latency            (writes nothing; prints the table)
//   node benchmarks/probe/latency.bench.mjs [--quick]
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runLatencySuite, latencySuiteMarkdown } from '../../dist/cli/latency-suite.js'
import { latencyNotesMarkdown } from './latency-notes.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

export async function run({ quick = false } = {}) {
  const samples = quick ? 30 : 200
  const result = await runLatencySuite({
    samples,
    scenes: [
      {
        name: 'hello-dashboard', script: Path.join(root, 'examples', 'hello-dashboard.mjs'),
        naive: Path.join(root, 'benchmarks', 'probe', 'apps', 'naive-dashboard.mjs'),
      },
      // Issue 10's goal: the terminal's input-to-photon p99 within one refresh, low-latency mode.
      { name: 'trading terminal', script: Path.join(root, 'examples', 'trading-terminal', 'main.mjs'), modes: ['low-latency'] },
    ],
    probeCheck: { script: Path.join(root, 'benchmarks', 'probe', 'apps', 'x11-delay.mjs'), delayMs: 10 },
    onProgress: (row, i, rows, done, total) => {
      if (done === 0) process.stderr.write(`latency: [${i + 1}/${rows}] ${row}\n`)
    },
  })
  const rows = result.rows.map(({ report, ...row }) => ({ ...row, samples: report.samples.map((s) => s.latencyMs) }))
  const markdown = `${latencySuiteMarkdown(result, samples)}\n${latencyNotesMarkdown(result)}`
  return { title: 'Input-to-photon latency (probe)', markdown, rows, probeErrorP50: result.probeErrorP50 }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ensureDisplay } = await import('../../dist/platform/xvfb.js')
  const xvfb = await ensureDisplay()
  const r = await run({ quick: process.argv.includes('--quick') })
  console.log(r.markdown)
  xvfb?.stop()
}
