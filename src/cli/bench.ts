/**
 * `framelatch bench [--quick] [--json] [--out DIR] [--samples N]`: the benchmark suite users run
 * on their own machine (with or without a GPU). It ships in dist, so it works from an npm install:
 *   - the machine: CPU, memory, OS, Node, GL renderer and version, display and its refresh rate
 *     (from the X Present vblank clock);
 *   - draw throughput: frame cost of rect, sprite, line and text scenes (src/cli/bench-draw.ts);
 *   - input-to-photon latency with the probe: the floor, keyDown and naive reference apps and
 *     the framelatch empty scene in every mode, as ratios to the floor (src/cli/latency-suite.ts);
 *     in a framelatch checkout (examples/ present), the dashboard example too (full run only).
 * Writes bench.json, bench.md, latency.png and draw.png (plots drawn by framelatch) into DIR
 * (default ./framelatch-bench). `--quick` takes under a minute. The developer suite behind
 * BENCHMARKS.md (`npm run bench`, benchmarks/) needs the repository and its dev dependencies.
 */
import { Fs } from '../node-builtins.js'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDisplay } from '../platform/xvfb.js'
import { createVblankSource } from '../platform/vblank-source.js'
import { createContext } from '../gl/context.js'
import { queryCapabilities } from '../gl/capabilities.js'
import { ErrorCode, FramelatchError, ValidationError } from '../errors.js'
import { runDrawSuite, type DrawRow } from './bench-draw.js'
import { runLatencySuite, latencySuiteMarkdown, type LatencyRow } from './latency-suite.js'
import { renderPlotPng } from './plot.js'
import { f2 } from './latency-report.js'

export const BENCH_USAGE = `usage: framelatch bench [--quick] [--json] [--out DIR] [--samples N]

Runs framelatch's benchmark suite on this machine: draw throughput and input-to-photon latency
(the probe against reference apps and framelatch in every pacing mode), and records the machine.
Writes bench.json, bench.md, latency.png and draw.png into DIR (default ./framelatch-bench).

options:
  --quick       fewer frames and samples (under a minute)
  --json        print the JSON report on stdout (progress goes to stderr)
  --out DIR     where to write the files
  --samples N   latency samples per row (default 200, quick 20)`

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
  /**
   * `renderer`, `vendor`, `version`: what WebGL reports (@kmamal/gl masks them as ANGLE / stack-gl);
   * `driver`: the native GL driver the process loaded, read from /proc/self/maps (e.g. Mesa's
   * swrast_dri.so with LLVM = llvmpipe, or libGLX_nvidia), or 'unknown'.
   */
  gl: { renderer: string; vendor: string; version: string; driver: string } | null
  display: { name: string; xvfb: boolean; refreshHz: number | null }
}

export interface BenchReport {
  framelatch: string
  date: string
  quick: boolean
  durationS: number
  machine: MachineInfo
  draw: DrawRow[]
  latency: { samples: number; rows: (Omit<LatencyRow, 'report'> & { samples: (number | null)[] })[] }
  files: { json: string; markdown: string; latencyPng: string; drawPng: string }
}

const here = Path.dirname(fileURLToPath(import.meta.url))
const packageRoot = Path.resolve(here, '..', '..')

function packageVersion(): string {
  try {
    return (JSON.parse(Fs.readFileSync(Path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

async function refreshHz(): Promise<number | null> {
  const source = createVblankSource({ timeoutMs: 2000 })
  try {
    await source.start()
    const a = { ...source.latest() }
    await new Promise((r) => setTimeout(r, 300))
    const b = source.latest()
    // msc counts every vblank, including any the worker was too late to publish.
    return b.msc > a.msc ? 1000 / ((b.tMs - a.tMs) / (b.msc - a.msc)) : null
  } catch {
    return null
  } finally {
    await source.stop()
  }
}

/** The native GL driver this process has loaded (call after creating a context). */
export function loadedGLDriver(maps?: string): string {
  let text = maps
  try {
    text ??= Fs.readFileSync('/proc/self/maps', 'utf8')
  } catch {
    return 'unknown'
  }
  const libs = new Set(text.split('\n').map((l) => l.trim().split(/\s+/)[5] ?? '').filter((p) => p !== ''))
  const names = [...libs].map((p) => Path.basename(p))
  const dri = names.map((n) => /^(.+)_dri\.so/.exec(n)?.[1]).filter((n): n is string => !!n)
  const glx = names.map((n) => /^libGLX_([a-z]+)\.so/.exec(n)?.[1]).filter((n): n is string => !!n && n !== 'indirect')
  const llvm = names.map((n) => /^libLLVM-?(\d+(?:\.\d+)*)?/.exec(n)).find((m) => m)
  const parts: string[] = []
  if (glx.length) parts.push(`GLX ${glx.join('+')}`)
  if (dri.length) parts.push(`DRI ${dri.join('+')}`)
  if (llvm && dri.some((d) => d === 'swrast' || d === 'kms_swrast')) parts.push(`llvmpipe (software, LLVM ${llvm[1] ?? '?'})`)
  return parts.length ? parts.join(', ') : 'unknown'
}

async function machineInfo(xvfb: boolean): Promise<MachineInfo> {
  const cpus = Os.cpus()
  let gl: MachineInfo['gl'] = null
  try {
    const ctx = createContext({ width: 4, height: 4 })
    const caps = queryCapabilities(ctx.gl)
    gl = { renderer: caps.renderer, vendor: caps.vendor, version: caps.version, driver: loadedGLDriver() }
    ctx.destroy()
  } catch {
    // reported as null: the draw and latency parts will say why
  }
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(Os.totalmem() / 2 ** 30),
    os: `${Os.type()} ${Os.release()} ${process.arch}`, node: process.version, gl,
    display: { name: process.env['DISPLAY'] ?? '', xvfb, refreshHz: await refreshHz() },
  }
}

function markdown(r: BenchReport, latencyMd: string): string {
  const m = r.machine
  return [
    '# framelatch bench',
    '',
    `- date: ${r.date}; framelatch ${r.framelatch}; ${r.quick ? 'quick' : 'full'} run, ${r.durationS.toFixed(0)} s`,
    `- CPU: ${m.cpu} x ${m.cores}, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}`,
    `- GL: ${m.gl ? `${m.gl.renderer} (${m.gl.version}) on ${m.gl.driver}` : 'no context'}`,
    `- display: ${m.display.name}${m.display.xvfb ? ' (Xvfb started by the bench)' : ''}, refresh ${m.display.refreshHz ? `${m.display.refreshHz.toFixed(2)} Hz` : 'unknown'}`,
    '',
    '## Draw throughput (headless 1280x720, renderFrame + gl.finish)',
    '',
    '| scene | frames | p50 ms | p99 ms | items / ms |',
    '|---|---:|---:|---:|---:|',
    ...r.draw.map((d) => `| ${d.name} | ${d.frames} | ${f2(d.p50)} | ${f2(d.p99)} | ${d.itemsPerMs.toFixed(0)} |`),
    '',
    '## Input-to-photon latency',
    '',
    latencyMd,
    '',
  ].join('\n')
}

/** `framelatch bench …`: returns the exit code. */
export async function benchCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(BENCH_USAGE + '\n')
    return 0
  }
  try {
    let quick = false
    let json = false
    let out = Path.resolve('framelatch-bench')
    let samples: number | null = null
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!
      if (a === '--quick') quick = true
      else if (a === '--json') json = true
      else if (a === '--out') {
        const v = argv[++i]
        if (!v) throw new ValidationError(ErrorCode.CLI_USAGE, 'bench: --out needs a directory')
        out = Path.resolve(v)
      } else if (a === '--samples') {
        const n = Number(argv[++i])
        if (!Number.isInteger(n) || n < 1) throw new ValidationError(ErrorCode.CLI_USAGE, 'bench: --samples needs a positive integer')
        samples = n
      } else throw new ValidationError(ErrorCode.CLI_USAGE, `bench: unknown option ${a}; see framelatch bench --help`)
    }
    const started = Date.now()
    const err = process.stderr
    const say = (s: string): void => void err.write(s + '\n')
    const xvfb = await ensureDisplay()
    try {
      say(`framelatch bench (${quick ? 'quick' : 'full'})${xvfb ? `: started Xvfb on ${xvfb.display}` : ''}`)
      say('[1/3] machine')
      const machine = await machineInfo(xvfb !== null)
      say(`      ${machine.cpu} x ${machine.cores}; GL ${machine.gl ? `${machine.gl.renderer} on ${machine.gl.driver}` : 'none'}; refresh ${machine.display.refreshHz ? machine.display.refreshHz.toFixed(1) + ' Hz' : 'unknown'}`)
      say('[2/3] draw throughput')
      const draw = await runDrawSuite(quick ? 20 : 120, (name, i, n) => say(`      (${i + 1}/${n}) ${name}`))
      say('[3/3] input-to-photon latency')
      const perRow = samples ?? (quick ? 20 : 200)
      const dashboard = Path.join(packageRoot, 'examples', 'hello-dashboard.mjs')
      const tty = err.isTTY === true
      const latency = await runLatencySuite({
        samples: perRow,
        scenes: !quick && Fs.existsSync(dashboard) ? [{ name: 'hello-dashboard', script: dashboard }] : [],
        ...(quick ? { pauseMs: [20, 60] as const, warmupMs: 500 } : {}),
        onProgress: (row, i, rows, done, total) => {
          if (done === 0) say(`      (${i + 1}/${rows}) ${row}`)
          else if (tty) err.write(`\r      sample ${done}/${total}\x1b[K${done === total ? '\r\x1b[K' : ''}`)
        },
      })
      const files = {
        json: Path.join(out, 'bench.json'), markdown: Path.join(out, 'bench.md'),
        latencyPng: Path.join(out, 'latency.png'), drawPng: Path.join(out, 'draw.png'),
      }
      const report: BenchReport = {
        framelatch: packageVersion(), date: new Date().toISOString(), quick, durationS: (Date.now() - started) / 1000,
        machine, draw,
        latency: { samples: perRow, rows: latency.rows.map(({ report: r, ...row }) => ({ ...row, samples: r.samples.map((s) => s.latencyMs) })) },
        files,
      }
      Fs.mkdirSync(out, { recursive: true })
      Fs.writeFileSync(files.json, JSON.stringify(report, null, 2) + '\n')
      Fs.writeFileSync(files.markdown, markdown(report, latencySuiteMarkdown(latency, perRow)))
      const series = latency.rows.map((r) => ({ label: r.short, values: r.report.samples.map((s) => s.latencyMs ?? NaN) }))
      Fs.writeFileSync(files.latencyPng, await renderPlotPng([
        { kind: 'bars', title: 'latency p50 (ms)', unit: 'ms', bars: latency.rows.map((r) => ({ label: r.short, value: r.stats.p50 })) },
        { kind: 'bars', title: 'latency p99 (ms)', unit: 'ms', bars: latency.rows.map((r) => ({ label: r.short, value: r.stats.p99 })) },
        { kind: 'cdf', title: 'latency CDF', unit: 'ms', series },
      ], { panelHeight: 360 }))
      Fs.writeFileSync(files.drawPng, await renderPlotPng([
        { kind: 'bars', title: 'frame cost p50 (ms)', unit: 'ms', bars: draw.map((d) => ({ label: d.short, value: d.p50 })) },
        { kind: 'bars', title: 'frame cost p99 (ms)', unit: 'ms', bars: draw.map((d) => ({ label: d.short, value: d.p99 })) },
      ]))
      report.durationS = (Date.now() - started) / 1000
      say(`wrote ${files.json}, ${files.markdown}, ${files.latencyPng}, ${files.drawPng} (${report.durationS.toFixed(1)} s)`)
      if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
      else process.stdout.write(Fs.readFileSync(files.markdown, 'utf8'))
      return 0
    } finally {
      xvfb?.stop()
    }
  } catch (e) {
    if (e instanceof FramelatchError) {
      process.stderr.write(`${e.message.split('\n')[0]} [${e.code}]\n`)
      return e.code === ErrorCode.CLI_USAGE ? 2 : 1
    }
    throw e
  }
}
