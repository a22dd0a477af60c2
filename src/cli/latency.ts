/**
 * `framelatch latency [options] -- <command...>` and `framelatch latency --window TITLE`:
 * input-to-photon latency of a real window, measured from outside (src/probe/latency.ts says
 * how). Starts the command (with FRAMELATCH_TRACE set, so a framelatch app exports its frame
 * stages), waits for its window, takes the samples, stops the command, and reports.
 *
 * `measureCommandLatency` is the same run as a function (the latency benchmark uses it).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { Fs } from '../node-builtins.js'
import Os from 'node:os'
import Path from 'node:path'
import { createDriver, type Driver, type ProbeWindow } from '../probe/driver.js'
import { ensureDisplay, type XvfbServer } from '../platform/xvfb.js'
import { measureLatency, type LatencyExpect, type LatencyInput, type LatencySample, type LatencyStats } from '../probe/latency.js'
import { breakDown, parseTrace, type Breakdown } from '../probe/breakdown.js'
import { StallWatch, stallReport, type StallRecord, type StallReport } from '../probe/stall-watch.js'
import { formatLatencyReport, progressLine, f2 } from './latency-report.js'
import { LATENCY_PROBE_SIZE } from '../engine/app.js'
import { TRACE_ENV } from '../engine/trace-export.js'
import { EnvironmentError, ErrorCode, FramelatchError, ValidationError } from '../errors.js'

export const LATENCY_USAGE = `usage: framelatch latency [options] -- <command...>
       framelatch latency [options] --window TITLE

Injects input into the command's window (XTEST) and times how long the screen takes to show it
(GetImage polling). Starts its own Xvfb when DISPLAY is unset.

options:
  --samples N          samples to take (default 200)
  --input key|click|move   what to inject (default key)
  --key NAME           key to press (X keysym name, default space)
  --region x,y,w,h     watched region in window pixels (default: the centre of the
                       framelatch --latency-probe square, ${LATENCY_PROBE_SIZE}x${LATENCY_PROBE_SIZE} at the top-left)
  --expect change|COLOUR   response: any change (default), or a colour: white, black, #rrggbb, r,g,b
  --pause MIN,MAX      random pause between samples, ms (default 40,120)
  --timeout MS         a sample with no response after MS counts as a timeout (default 1000)
  --poll-gap MS        sleep between screen polls, so the target keeps the CPU (default 0.2)
  --wait MS            how long to wait for the window (default 15000)
  --warmup MS          time between the window appearing and the first sample (default 1000)
  --window TITLE       attach to a running window whose title contains TITLE (no command)
  --trace FILE         with --window: the app's FRAMELATCH_TRACE file, for the stage breakdown
  --json               print the report as JSON (the progress line still goes to stderr)
  --png FILE           draw a histogram and a CDF of the samples (with framelatch) into FILE
  --per-sample         also print every sample's stage breakdown
  --stalls             watch for scheduling stalls (a thread sleeping 1 ms waking over 4 ms
                       late: the machine, not the app, stopped) and report the samples that
                       overlap one, and the statistics without them
  --quiet              no progress line`

export interface LatencyRunOptions {
  /** Program and arguments to start; null with `windowTitle`. */
  command: readonly string[] | null
  /** Attach to a window whose title contains this (no command). */
  windowTitle?: string | null
  samples?: number
  input?: LatencyInput
  key?: string
  /** Default: the centre 8x8 of the framelatch probe square. */
  region?: { x: number; y: number; width: number; height: number } | null
  expect?: LatencyExpect
  pauseMs?: readonly [number, number]
  timeoutMs?: number
  pollGapMs?: number
  windowTimeoutMs?: number
  warmupMs?: number
  /** With `windowTitle`: the app's trace file. */
  traceFile?: string | null
  /** Working directory and extra environment of the command. */
  cwd?: string
  env?: Record<string, string>
  /** Called after each sample. */
  onProgress?: (done: number, total: number, last: LatencySample, stats: LatencyStats | null) => void
  /** An open driver to reuse (the benchmark measures many apps on one display). Default: a new one. */
  driver?: Driver
  /** Watch for scheduling stalls during the samples (src/probe/stall-watch.ts). Default false. */
  stalls?: boolean
}

/** The report `--json` prints. Every field is documented in the README ("framelatch latency"). */
export interface LatencyReport {
  command: readonly string[] | null
  display: string
  window: { title: string | null; pid: number | null; width: number; height: number }
  input: LatencyInput
  region: { x: number; y: number; width: number; height: number }
  expect: LatencyExpect
  stats: LatencyStats
  pollRoundTripMs: number
  samples: LatencySample[]
  /** Stage breakdown from the app's frame trace, or null when the target exported none. */
  breakdown: Breakdown | null
  /** With `--stalls`: the stalls seen and the samples they overlap; otherwise null. */
  stalls: StallReport | null
}

const DEFAULT_REGION = { x: (LATENCY_PROBE_SIZE >> 1) - 4, y: (LATENCY_PROBE_SIZE >> 1) - 4, width: 8, height: 8 }

function usage(message: string): ValidationError {
  return new ValidationError(ErrorCode.CLI_USAGE, `latency: ${message}; see framelatch latency --help`)
}

const NAMED_COLOURS: Record<string, [number, number, number]> = {
  white: [255, 255, 255], black: [0, 0, 0], red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255],
}

/** Parses `change`, a colour name, `#rrggbb` or `r,g,b`. */
export function parseExpect(v: string): LatencyExpect {
  if (v === 'change') return 'change'
  if (NAMED_COLOURS[v]) return NAMED_COLOURS[v]!
  const hex = /^#?([0-9a-f]{6})$/i.exec(v)
  if (hex) {
    const n = parseInt(hex[1]!, 16)
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  }
  const parts = v.split(',').map(Number)
  if (parts.length === 3 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)) return [parts[0]!, parts[1]!, parts[2]!]
  throw usage(`--expect must be change, white, black, #rrggbb or r,g,b, got ${v}`)
}

export interface LatencyCliArgs extends LatencyRunOptions {
  json: boolean
  png: string | null
  perSample: boolean
  quiet: boolean
}

/** Parses `framelatch latency` arguments (after the word `latency`). */
export function parseLatencyArgs(argv: readonly string[]): LatencyCliArgs {
  const dash = argv.indexOf('--')
  const own = dash >= 0 ? argv.slice(0, dash) : argv
  const command = dash >= 0 ? argv.slice(dash + 1) : null
  const out: LatencyCliArgs = { command, json: false, png: null, perSample: false, quiet: false }
  const num = (flag: string, v: string | undefined, min = 1): number => {
    const n = Number(v)
    if (v === undefined || !Number.isFinite(n) || n < min) throw usage(`${flag} needs a number >= ${min}, got ${v ?? 'nothing'}`)
    return n
  }
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!
    const next = (): string => {
      const v = own[++i]
      if (v === undefined) throw usage(`${a} needs a value`)
      return v
    }
    switch (a) {
      case '--samples': out.samples = Math.round(num(a, own[++i])); break
      case '--input': {
        const v = next()
        if (v !== 'key' && v !== 'click' && v !== 'move') throw usage(`--input must be key, click or move, got ${v}`)
        out.input = v
        break
      }
      case '--key': out.key = next(); break
      case '--region': {
        const p = next().split(',').map(Number)
        if (p.length !== 4 || !p.every((x) => Number.isInteger(x) && x >= 0) || p[2]! < 1 || p[3]! < 1) throw usage('--region needs x,y,w,h (whole pixels, w and h at least 1)')
        out.region = { x: p[0]!, y: p[1]!, width: p[2]!, height: p[3]! }
        break
      }
      case '--expect': out.expect = parseExpect(next()); break
      case '--pause': {
        const p = next().split(',').map(Number)
        if (p.length !== 2 || !p.every((x) => x >= 0) || p[0]! > p[1]!) throw usage('--pause needs MIN,MAX in ms, MIN <= MAX')
        out.pauseMs = [p[0]!, p[1]!]
        break
      }
      case '--timeout': out.timeoutMs = num(a, own[++i]); break
      case '--poll-gap': out.pollGapMs = num(a, own[++i], 0); break
      case '--wait': out.windowTimeoutMs = num(a, own[++i]); break
      case '--warmup': out.warmupMs = num(a, own[++i], 0); break
      case '--window': out.windowTitle = next(); break
      case '--trace': out.traceFile = next(); break
      case '--json': out.json = true; break
      case '--png': out.png = next(); break
      case '--per-sample': out.perSample = true; break
      case '--stalls': out.stalls = true; break
      case '--quiet': out.quiet = true; break
      default: throw usage(`unknown option ${a}`)
    }
  }
  if ((command === null || command.length === 0) === !out.windowTitle) {
    throw usage('give a command after -- or --window TITLE (one of the two)')
  }
  if (out.traceFile && !out.windowTitle) throw usage('--trace goes with --window (a started command exports its trace itself)')
  return out
}

/** Descendants of `pid` (itself included), read from /proc: a command may be a shell or npm wrapper. */
function processTree(pid: number): number[] {
  const out = [pid]
  try {
    const parents = new Map<number, number[]>()
    for (const name of Fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = Fs.readFileSync(`/proc/${name}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        const list = parents.get(ppid) ?? []
        list.push(Number(name))
        parents.set(ppid, list)
      } catch {
        // exited while we looked
      }
    }
    for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []))
  } catch {
    // no /proc: the pid alone
  }
  return out
}

interface Target {
  child: ChildProcess
  exited: { code: number | null; signal: NodeJS.Signals | null } | null
  stderrTail: string[]
}

function startTarget(command: readonly string[], env: NodeJS.ProcessEnv, cwd: string | undefined): Target {
  const child = spawn(command[0]!, command.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const target: Target = { child, exited: null, stderrTail: [] }
  const keep = (d: Buffer): void => {
    target.stderrTail.push(...d.toString().split('\n').filter((l) => l.trim() !== ''))
    target.stderrTail.splice(0, Math.max(0, target.stderrTail.length - 5))
  }
  child.stdout?.on('data', () => {}) // drained, not shown: our stdout carries the report
  child.stderr?.on('data', keep)
  child.on('exit', (code, signal) => {
    target.exited = { code, signal }
  })
  child.on('error', (err) => {
    target.exited = { code: null, signal: null }
    target.stderrTail.push(String(err))
  })
  return target
}

function exitedError(command: readonly string[], t: Target): EnvironmentError {
  const how = t.exited?.signal ? `signal ${t.exited.signal}` : `code ${t.exited?.code ?? 'unknown'}`
  const tail = t.stderrTail.length ? `: ${t.stderrTail[t.stderrTail.length - 1]!.trim()}` : ''
  return new EnvironmentError(ErrorCode.PROBE_TARGET_EXITED, `the measured command (${command.join(' ')}) exited with ${how} before the measurement ended${tail}; ` +
    'run it alone to see why, and keep it running until framelatch latency stops it', { exit: t.exited, stderr: t.stderrTail })
}

async function stopTarget(t: Target): Promise<void> {
  if (t.exited) return
  const gone = new Promise<void>((resolve) => t.child.once('exit', () => resolve()))
  const waitFor = (ms: number): Promise<boolean> => Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])
  // SIGINT first: runApp stops its engine cleanly on it (and flushes its trace).
  t.child.kill('SIGINT')
  if (await waitFor(3000)) return
  t.child.kill('SIGTERM')
  if (await waitFor(2000)) return
  t.child.kill('SIGKILL')
  await waitFor(2000)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Runs one measurement: start (or attach), sample, stop, break down. */
export async function measureCommandLatency(opts: LatencyRunOptions): Promise<LatencyReport> {
  const driver = opts.driver ?? await createDriver()
  const traceFile = opts.command ? Path.join(Os.tmpdir(), `framelatch-trace-${process.pid}-${Date.now()}.jsonl`) : (opts.traceFile ?? null)
  let target: Target | null = null
  try {
    if (opts.command) {
      const env = { ...process.env, ...(opts.env ?? {}), DISPLAY: driver.display, [TRACE_ENV]: traceFile! }
      target = startTarget(opts.command, env, opts.cwd)
    }
    const t = target
    const abort = (): Error | null => (t && t.exited ? exitedError(opts.command!, t) : null)
    let window: ProbeWindow
    try {
      window = t
        ? await driver.findWindow({ pid: () => processTree(t.child.pid ?? -1) }, { timeoutMs: opts.windowTimeoutMs ?? 15_000, abort })
        : await driver.findWindow({ title: opts.windowTitle! }, { timeoutMs: opts.windowTimeoutMs ?? 15_000 })
    } catch (err) {
      throw abort() ?? err
    }
    // Focus first, so the toolkit's focus delay (SDL: 200 ms) passes during the warm-up.
    if ((opts.input ?? 'key') === 'key') await driver.focus(window)
    const warmupEnd = Date.now() + (opts.warmupMs ?? 1000)
    while (Date.now() < warmupEnd) {
      const a = abort()
      if (a) throw a
      await sleep(50)
    }
    const region = opts.region ?? DEFAULT_REGION
    const expect = opts.expect ?? 'change'
    const input = opts.input ?? 'key'
    let result
    const watch = opts.stalls === true ? new StallWatch() : null
    let stallRecord: StallRecord | null = null
    try {
      await watch?.start()
      const live: LatencySample[] = []
      result = await measureLatency(driver, {
        window, region, input, expect,
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.samples ? { samples: opts.samples } : {}),
        ...(opts.pauseMs ? { pauseMs: opts.pauseMs } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.pollGapMs !== undefined ? { pollGapMs: opts.pollGapMs } : {}),
        abort,
        onSample: (s, done, total) => {
          live.push(s)
          opts.onProgress?.(done, total, s, null)
        },
      })
    } catch (err) {
      // A target that died mid-run shows up as a failed GetImage on its vanished window.
      throw abort() ?? err
    } finally {
      if (watch !== null) stallRecord = await watch.stop()
    }
    const stalls = stallRecord !== null ? stallReport(result.samples, stallRecord) : null
    if (t) await stopTarget(t)
    let breakdown: Breakdown | null = null
    if (traceFile && Fs.existsSync(traceFile)) {
      const frames = parseTrace(Fs.readFileSync(traceFile, 'utf8'))
      if (frames.length > 0) breakdown = breakDown(result.samples, frames)
    }
    return {
      command: opts.command, display: driver.display,
      window: { title: window.title, pid: window.pid, width: window.width, height: window.height },
      input, region, expect, stats: result.stats, pollRoundTripMs: result.pollRoundTripMs, samples: result.samples, breakdown, stalls,
    }
  } finally {
    if (target) await stopTarget(target)
    if (opts.command && traceFile) Fs.rmSync(traceFile, { force: true })
    if (!opts.driver) driver.close()
  }
}

/** `framelatch latency …`: returns the exit code. */
export async function latencyCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(LATENCY_USAGE + '\n')
    return 0
  }
  let xvfb: XvfbServer | null = null
  let driver: Driver | null = null
  try {
    const args = parseLatencyArgs(argv)
    const progress = args.quiet ? null : progressLine(process.stderr, 'latency: sample ')
    // The display (and any Xvfb started for it) lives for the whole command: the PNG's headless
    // engine needs it after the measurement.
    xvfb = await ensureDisplay()
    driver = await createDriver({ display: process.env['DISPLAY']! })
    const report = await measureCommandLatency({ ...args, driver, ...(progress ? { onProgress: progress } : {}) })
    if (args.png) {
      const { renderPlotPng } = await import('./plot.js')
      const values = report.samples.map((s) => s.latencyMs).filter((v): v is number => v !== null)
      const label = `p50 ${f2(report.stats.p50)}  p99 ${f2(report.stats.p99)} ms`
      Fs.writeFileSync(args.png, await renderPlotPng([
        { kind: 'histogram', title: `input-to-photon latency (n ${report.stats.n}, timeouts ${report.stats.timeouts})`, unit: 'ms', series: [{ label, values }] },
        { kind: 'cdf', title: 'cumulative distribution', unit: 'ms', series: [{ label, values }] },
      ]))
    }
    process.stdout.write((args.json ? JSON.stringify(report, null, 2) : formatLatencyReport(report, args.perSample)) + '\n')
    return report.stats.timeouts === report.stats.n ? 1 : 0
  } catch (err) {
    if (err instanceof FramelatchError) {
      process.stderr.write(`${err.message.split('\n')[0]} [${err.code}]\n`)
      return err.code === ErrorCode.CLI_USAGE ? 2 : 1
    }
    throw err
  } finally {
    driver?.close()
    xvfb?.stop()
  }
}
