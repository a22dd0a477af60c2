// A/B of the trading terminal's frame cost between this tree and another build of framelatch
// (issue 10): `--baseline <dir>` names a tree with its own dist/ and examples/ (e.g. main
// exported to /tmp and built there: git archive main | tar -x -C /tmp/base, symlink
// node_modules, npx tsc -p tsconfig.json). The two cannot share a process (each example imports
// its own dist), so they take turns: ROUNDS child processes each, alternating A B A B..., each
// child a 1280x720 window of the terminal with the feed at 2,000 updates/s measuring `--frames`
// frames after a warm-up, as terminal.bench.mjs does. The machine's load falls on both sides
// alike; the table gives p50 / p99 of the pooled frames and the B / A ratios, and the load.
// Not a suite benchmark (no .bench in the name): a tool to check a change before it is merged.
//
// Run: node benchmarks/examples/terminal-ab.mjs --baseline /tmp/base [--rounds 6] [--frames 300] [--damage]
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { recordFrameCosts } from '../support/frame-costs.mjs'

const WARMUP = 60

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? dflt : process.argv[i + 1]
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** Child: measures `frames` frames of the terminal of the tree at `root`; prints one JSON line. */
async function child(root, frames, damage) {
  const url = (p) => pathToFileURL(Path.join(root, p)).href
  const { ensureDisplay } = await import(url('dist/platform/xvfb.js'))
  await ensureDisplay()
  // The tree's package entries as its examples resolve 'framelatch' (the bundle where the tree
  // has one): importing dist/index.js beside them would load a second copy of the package.
  const entry = Fs.existsSync(Path.join(root, 'dist/bundle/index.js')) ? 'dist/bundle' : 'dist'
  const { runApp } = await import(url(`${entry}/index.js`))
  const { Stage } = await import(url(`${entry}/low-level.js`))
  const { terminalApp } = await import(url('examples/trading-terminal/main.mjs'))
  const app = terminalApp({ seed: 1, replay: null, syncFeed: false, history: 1_000_000, rate: 2000, damage })
  const out = { cost: [], record: [], flush: [], swap: [] }
  const setup = app.setup
  await runApp({
    ...app,
    async setup(engine, args) {
      await setup(engine, args)
      recordFrameCosts(engine, Stage, WARMUP, out)
    },
  }, ['--frames', String(frames + WARMUP), '--width', '1280', '--height', '720'])
  process.stdout.write(`AB-RESULT ${JSON.stringify(out)}\n`)
  process.exit(0)
}

async function parent() {
  const baseline = arg('--baseline', null)
  if (!baseline) {
    console.error('terminal-ab: --baseline <dir> is required (a built framelatch tree: dist/ and examples/)')
    process.exit(2)
  }
  const here = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
  const sides = { A: here, B: Path.resolve(baseline) }
  const rounds = Number(arg('--rounds', '6'))
  const frames = Number(arg('--frames', '300'))
  const damage = process.argv.includes('--damage')
  const pooled = { A: { cost: [], record: [], flush: [], swap: [] }, B: { cost: [], record: [], flush: [], swap: [] } }
  const loads = [Os.loadavg()[0]]
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', sides[side], '--frames', String(frames), ...(damage ? ['--damage'] : [])],
        { encoding: 'utf8', maxBuffer: 64 << 20 })
      const line = res.stdout.split('\n').find((l) => l.startsWith('AB-RESULT '))
      if (!line) throw new Error(`terminal-ab: ${side} (${sides[side]}) printed no result:\n${res.stderr}`)
      const out = JSON.parse(line.slice('AB-RESULT '.length))
      for (const k of Object.keys(out)) pooled[side][k].push(...out[k].filter(Number.isFinite))
      loads.push(Os.loadavg()[0])
    }
  }
  const s = (a) => [...a].sort((x, y) => x - y)
  const cell = (a) => { const x = s(a); return `${pct(x, 50).toFixed(2)} / ${pct(x, 99).toFixed(2)}` }
  const ratio = (k, p) => (pct(s(pooled.B[k]), p) / pct(s(pooled.A[k]), p)).toFixed(2)
  console.log(`| side | frames | cost p50 / p99 | record | flush | swap |\n|---|---:|---:|---:|---:|---:|`)
  for (const side of ['A', 'B']) {
    const p = pooled[side]
    console.log(`| ${side} ${side === 'A' ? '(this tree)' : `(${sides.B})`} | ${p.cost.length} | ${cell(p.cost)} | ${cell(p.record)} | ${cell(p.flush)} | ${cell(p.swap)} |`)
  }
  console.log(`| B / A | | ${ratio('cost', 50)} / ${ratio('cost', 99)} | ${ratio('record', 50)} / ${ratio('record', 99)} | ` +
    `${ratio('flush', 50)} / ${ratio('flush', 99)} | ${ratio('swap', 50)} / ${ratio('swap', 99)} |`)
  console.log(`${rounds} rounds of ${frames} frames a side${damage ? ', --damage' : ''}; load average (1 min) ${Math.min(...loads).toFixed(1)}..${Math.max(...loads).toFixed(1)} on ${Os.cpus().length} cores`)
}

if (process.argv.includes('--child')) await child(arg('--child', '.'), Number(arg('--frames', '300')), process.argv.includes('--damage'))
else await parent()
