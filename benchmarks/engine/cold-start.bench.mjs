// Cold start: each app is started as a fresh process with an 800x600 window, timed from spawn to
// its first frame on screen (the app prints `@@first-frame` after the swap of its first frame:
// framelatch engines do it by themselves when FRAMELATCH_STARTUP_MARK=1, see engine.ts), and its
// RSS read from /proc after `holdS` seconds of running. Rows, in one run, rounds interleaved:
//   bare @kmamal   the floor: @kmamal/sdl + @kmamal/gl, clear and swap, then 60 Hz clear+swap;
//   empty engine   import 'framelatch' (resolved as in a user's project: the package's exports,
//                  the bundle in dist/bundle/), createEngine({ window }) + engine.run() with
//                  nothing drawn (goal: floor + 50 ms);
//   unbundled      the same app importing tsc's dist/index.js, ~115 ES modules (the alternative
//                  the bundle replaced, in the same run);
//   eager vblank   the empty engine waiting for the vblank clock before the first frame, as
//                  createEngine did before it deferred the clock (the alternative, in the same run);
//   more apps      `run({ apps, rounds, holdS })`, or the trading terminal when examples/trading-terminal/main.mjs
//                  exists (goal: floor + 100 ms and floor + 40 MB), or any framelatch script
//                  named by FRAMELATCH_COLD_START_APPS (comma-separated paths).
// Run directly: `node benchmarks/engine/cold-start.bench.mjs [--quick]` (needs DISPLAY or
// starts Xvfb).
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ensureDisplay } from '../../dist/platform/xvfb.js'
import { fmtMs, median } from '../support/gl.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

const BARE = `
import { createRequire } from 'node:module'
const require = createRequire(${JSON.stringify(Path.join(root, 'package.json'))})
const sdl = require('@kmamal/sdl')
const createGL = require('@kmamal/gl')
const win = sdl.video.createWindow({ title: 'cold start: bare', width: 800, height: 600, opengl: true })
const gl = createGL(win.pixelWidth, win.pixelHeight, { window: win.native })
const frame = () => { gl.clearColor(0, 0, 0, 1); gl.clear(gl.COLOR_BUFFER_BIT); gl.swap() }
frame()
const cpu = process.cpuUsage()
process.stdout.write('@@first-frame ' + performance.now().toFixed(1) + ' ' + ((cpu.user + cpu.system) / 1000).toFixed(1) + '\\n')
setInterval(frame, 1000 / 60)
`

// The app imports `framelatch` by name; it runs from a temporary folder whose node_modules/framelatch
// links to this checkout, as an installed package would be found.
const emptyApp = (specifier) => `
const { createEngine } = await import(${JSON.stringify(specifier)})
process.stdout.write('@@phase imported ' + performance.now().toFixed(1) + '\\n')
const engine = await createEngine({ window: { title: 'cold start: empty engine', width: 800, height: 600 } })
process.stdout.write('@@phase created ' + performance.now().toFixed(1) + '\\n')
engine.vblankReady.then((v) => process.stdout.write('@@phase vblank ' + performance.now().toFixed(1) + ' ' + (v !== null) + '\\n'))
await engine.run()
`
const EMPTY = emptyApp('framelatch')
const UNBUNDLED = emptyApp(pathToFileURL(Path.join(root, 'dist/index.js')).href)

// The start-up before the vblank clock was deferred: createEngine waited for its first vblank.
const EAGER_VBLANK = EMPTY.replace("process.stdout.write('@@phase created '", "await engine.vblank?.start()\nprocess.stdout.write('@@phase created '")

/** The default rows: the floor, the empty engine, and the terminal or FRAMELATCH_COLD_START_APPS when present. */
function defaultApps(tmp) {
  const write = (name, src) => {
    const file = Path.join(tmp, name)
    Fs.writeFileSync(file, src)
    return file
  }
  Fs.mkdirSync(Path.join(tmp, 'node_modules'))
  Fs.symlinkSync(root, Path.join(tmp, 'node_modules', 'framelatch'), 'dir')
  const apps = [
    { name: 'bare @kmamal clear-and-swap (floor)', script: write('bare.mjs', BARE), floor: true },
    { name: 'empty-scene engine', script: write('empty.mjs', EMPTY), goalMs: 50 },
    { name: 'empty-scene engine, unbundled dist/index.js (before the bundle)', script: write('unbundled.mjs', UNBUNDLED), goalMs: 50 },
    { name: 'empty-scene engine, vblank clock awaited before the first frame (as before)', script: write('eager.mjs', EAGER_VBLANK) },
  ]
  const terminal = Path.join(root, 'examples/trading-terminal/main.mjs')
  if (Fs.existsSync(terminal)) apps.push({ name: 'trading terminal', script: terminal, goalMs: 100, goalMB: 40 })
  for (const s of (process.env.FRAMELATCH_COLD_START_APPS ?? '').split(',').filter(Boolean)) {
    apps.push({ name: Path.relative(root, Path.resolve(s)), script: Path.resolve(s) })
  }
  return apps
}

function rssMB(pid) {
  const status = Fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m ? Number(m[1]) / 1024 : NaN
}

/** Starts `app`, returns { firstMs (spawn to mark), markMs (the app's own clock), phases, rss }. */
function startOnce(app, holdS) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [app.script, ...(app.args ?? [])], {
      cwd: root, env: { ...process.env, FRAMELATCH_STARTUP_MARK: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out = { firstMs: NaN, markMs: NaN, cpuMs: NaN, phases: {}, rss: NaN }
    let buf = ''
    let stderr = ''
    let timer = null
    child.stderr.on('data', (d) => { stderr += d })
    child.stdout.on('data', (d) => {
      buf += d
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        const m = /^@@first-frame ([\d.]+) ([\d.]+)/.exec(line)
        if (m && Number.isNaN(out.firstMs)) {
          out.firstMs = performance.now() - t0
          out.markMs = Number(m[1])
          out.cpuMs = Number(m[2])
          timer = setTimeout(() => {
            try {
              out.rss = rssMB(child.pid)
            } finally {
              child.kill('SIGKILL')
            }
          }, holdS * 1000)
        }
        const p = /^@@phase (\w+) ([\d.]+)/.exec(line)
        if (p) out.phases[p[1]] = Number(p[2])
      }
    })
    const limit = setTimeout(() => child.kill('SIGKILL'), (holdS + 30) * 1000)
    child.on('exit', (code, signal) => {
      clearTimeout(limit)
      if (timer) clearTimeout(timer)
      if (Number.isNaN(out.firstMs) || Number.isNaN(out.rss)) {
        reject(new Error(`cold start: ${app.name} exited (${code ?? signal}) before its first frame and the RSS reading\n${stderr}`))
      } else resolve(out)
    })
  })
}

export async function run({ quick = false, apps = null, rounds: roundsOpt = null, holdS: holdOpt = null } = {}) {
  const xvfb = await ensureDisplay()
  const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-cold-'))
  try {
    const list = apps ?? defaultApps(tmp)
    const rounds = roundsOpt ?? (quick ? 3 : 7)
    const holdS = holdOpt ?? (quick ? 3 : 10)
    const samples = list.map(() => [])
    // One app at a time (never in parallel), rounds interleaved so load hits every row alike.
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < list.length; i++) samples[i].push(await startOnce(list[i], holdS))
    }
    const med = (i, f) => median(samples[i].map(f).sort((a, b) => a - b))
    const floor = list.findIndex((a) => a.floor)
    const floorMs = med(floor, (s) => s.firstMs)
    const floorMB = med(floor, (s) => s.rss)
    const floorCpu = med(floor, (s) => s.cpuMs)
    const signed = (v, f) => (v >= 0 ? '+' : '−') + f(Math.abs(v))
    const mbFmt = (v) => v.toFixed(1)
    const rows = list.map((a, i) => {
      const ms = med(i, (s) => s.firstMs)
      const cpu = med(i, (s) => s.cpuMs)
      const mb = med(i, (s) => s.rss)
      const range = `${fmtMs(Math.min(...samples[i].map((s) => s.firstMs)))}–${fmtMs(Math.max(...samples[i].map((s) => s.firstMs)))}`
      const goal = a.floor ? '' : [a.goalMs !== undefined ? `≤ +${a.goalMs} ms: ${ms - floorMs <= a.goalMs ? 'met' : 'not met'} (wall), ${cpu - floorCpu <= a.goalMs ? 'met' : 'not met'} (CPU)` : '',
        a.goalMB !== undefined ? `≤ +${a.goalMB} MB: ${mb - floorMB <= a.goalMB ? 'met' : 'not met'}` : ''].filter(Boolean).join('; ')
      return `| ${a.name} | ${fmtMs(ms)} | ${range} | ${a.floor ? '' : signed(ms - floorMs, fmtMs)} | ${fmtMs(cpu)} | ${a.floor ? '' : signed(cpu - floorCpu, fmtMs)} | ` +
        `${mbFmt(mb)} | ${a.floor ? '' : signed(mb - floorMB, mbFmt)} | ${goal} |`
    })
    // Where the empty engine's time goes, from its own marks (ms since its process started).
    const empty = list.findIndex((a) => a.name === 'empty-scene engine')
    let phases = ''
    if (empty >= 0) {
      const ph = (k) => med(empty, (s) => s.phases[k] ?? NaN)
      const fl = med(floor, (s) => s.markMs)
      const imported = ph('imported')
      const created = ph('created')
      const first = med(empty, (s) => s.markMs)
      phases = `\n\nThe empty engine by its own clock (ms since its process started, medians): framelatch imported at ${fmtMs(imported)}, ` +
        `createEngine returned at ${fmtMs(created)} (${fmtMs(created - imported)} in createEngine: SDL and GL load, window, context, device, engine), ` +
        `first frame on screen at ${fmtMs(first)}; vblank clock running at ${fmtMs(ph('vblank'))} (started in the background). ` +
        `The bare app's first frame by the same clock: ${fmtMs(fl)}.`
      const unbundled = list.findIndex((a) => a.name.startsWith('empty-scene engine, unbundled'))
      if (unbundled >= 0) {
        phases += ` Importing tsc's unbundled dist/index.js instead took until ${fmtMs(med(unbundled, (s) => s.phases.imported ?? NaN))}.`
      }
    }
    // Where the terminal's time goes, from its own marks (examples/trading-terminal/main.mjs).
    const term = list.findIndex((a) => a.name === 'trading terminal')
    if (term >= 0 && samples[term].every((x) => x.phases.setup !== undefined)) {
      const ph = (k) => med(term, (x) => x.phases[k] ?? NaN)
      phases += `\n\nThe terminal by its own clock (medians): setup began at ${fmtMs(ph('setup'))} (the engine created), ` +
        `its 1M-trade history (made on a worker since the start) was posted at ${fmtMs(ph('historyPosted'))} and taken at ${fmtMs(ph('history'))}, ` +
        `the panels were ready at ${fmtMs(ph('ready'))}, first frame on screen at ${fmtMs(med(term, (x) => x.markMs))}; ` +
        'the live feed\'s worker starts after it.'
    }
    const markdown = [
      `Spawn to the first frame on screen (an 800x600 window, the app printing a mark after its first swap) and RSS after ${holdS} s ` +
      `of running; medians of ${rounds} interleaved rounds (range: min–max). CPU: the app's CPU time (all threads) when it printed the mark, ` +
      'which other processes on the machine disturb far less than wall time. The machine is shared with other work: compare within this table.',
      '',
      '| app | first frame (ms) | range | vs floor | CPU to first frame (ms) | vs floor | RSS (MB) | vs floor | goal |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n') + phases
    return { title: 'Cold start: first frame and RSS against the bare @kmamal app', markdown }
  } finally {
    Fs.rmSync(tmp, { recursive: true, force: true })
    xvfb?.stop()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
  process.exit(0)
}
