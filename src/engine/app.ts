/**
 * The command-line contract every framelatch example and app shares, so tests, benchmarks and
 * the latency probe can drive any of them the same way:
 *
 *   --headless            render offscreen (Xvfb is started when DISPLAY is unset)
 *   --frames N            render N paced frames, then exit
 *   --screenshot FILE     write the last frame as a PNG
 *   --json                print a JSON summary (frames, trace spans, ticker, queue and device stats)
 *   --latency-probe       draw a probe square (top-left) that flips black/white on every key
 *                         press, coloured by a shader from the input block (ring → late latch
 *                         → input uniform block → shader; see latency-probe.ts)
 *   --width W --height H  drawing size (default: the app's)
 *   --mode M              pacing: paced | low-latency | on-demand
 *   --hot                 hot reload: the render module, logic workers, shaders, textures and fonts
 *                         reload on save (engine.hot; see src/hot/hot-session.ts). Off by default.
 *
 * `runApp` parses these, creates the engine, calls the app's `setup`, runs, and cleans up.
 */
import { Fs } from '../node-builtins.js'
import Path from 'node:path'
import { ErrorCode, FramelatchError, ValidationError } from '../errors.js'
import type { TickerMode } from '../sync/ticker/ticker.js'
import { createEngine, type Engine } from './engine.js'
import type { EngineDesc } from './engine-desc.js'
import { checkDesc, descKeys } from '../check.js'
import { installLatencyProbe } from './latency-probe.js'
import { startHot, type HotStart } from './hot-hooks.js'

export { LATENCY_PROBE_SIZE } from './latency-probe.js'

export interface AppArgs {
  headless: boolean
  frames: number | null
  screenshot: string | null
  json: boolean
  latencyProbe: boolean
  width: number | null
  height: number | null
  mode: TickerMode | null
  hot: boolean
}

const MODES: readonly TickerMode[] = ['paced', 'low-latency', 'on-demand']

function usage(message: string): ValidationError {
  return new ValidationError(ErrorCode.CLI_USAGE, `${message}; flags: --headless --frames N --screenshot FILE --json --latency-probe --width W --height H --mode paced|low-latency|on-demand --hot`)
}

/** Parses the shared app flags. Unknown flags are an error (CLI_USAGE) unless `allowUnknown`. */
export function parseAppArgs(argv: readonly string[] = process.argv.slice(2), allowUnknown = false): AppArgs {
  const args: AppArgs = { headless: false, frames: null, screenshot: null, json: false, latencyProbe: false, width: null, height: null, mode: null, hot: false }
  const int = (flag: string, v: string | undefined): number => {
    const n = Number(v)
    if (v === undefined || !Number.isInteger(n) || n <= 0) throw usage(`${flag} needs a positive integer, got ${v ?? 'nothing'}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    switch (a) {
      case '--headless': args.headless = true; break
      case '--json': args.json = true; break
      case '--latency-probe': args.latencyProbe = true; break
      case '--hot': args.hot = true; break
      case '--frames': args.frames = int(a, argv[++i]); break
      case '--width': args.width = int(a, argv[++i]); break
      case '--height': args.height = int(a, argv[++i]); break
      case '--screenshot': {
        const f = argv[++i]
        if (!f) throw usage('--screenshot needs a file name')
        args.screenshot = f
        break
      }
      case '--mode': {
        const m = argv[++i] as TickerMode
        if (!MODES.includes(m)) throw usage(`--mode must be one of ${MODES.join(', ')}, got ${m}`)
        args.mode = m
        break
      }
      default:
        if (!allowUnknown) throw usage(`unknown flag ${a}`)
    }
  }
  return args
}

export interface AppDesc {
  /** Window title. Default 'framelatch'. */
  title?: string
  /** Default size in pixels. Default 800x600. */
  width?: number
  height?: number
  /** Extra engine options (mode, hz, state, debug…). */
  engine?: Omit<EngineDesc, 'headless' | 'window' | 'width' | 'height'>
  /** Called once with the engine before the first frame: create batchers, register onFrame, start logic workers. Optional with `module`. */
  setup?(engine: Engine, args: AppArgs): void | Promise<void>
  /**
   * The render module (path or file: URL; `export function setup(app)`, see src/hot/render-host.ts),
   * set up after `setup`. With `--hot` it reloads on save, keeping `app.data` (`engine.hot.data`).
   * Default none.
   */
  module?: string | URL
}

export interface AppSummary {
  frames: number
  width: number
  height: number
  headless: boolean
  ticker: { period: number; calibrated: boolean; missed: number; dropped: number; vblank: boolean }
  trace: unknown
  queue: unknown
  device: unknown
  probeFlips: number
  screenshot: string | null
}

const APP_KEYS = descKeys<AppDesc>({ title: true, width: true, height: true, engine: true, setup: true, module: true })

/** Runs an app with the shared flags; resolves with its summary once it has stopped. */
export async function runApp(desc: AppDesc, argv: readonly string[] = process.argv.slice(2)): Promise<AppSummary> {
  checkDesc('runApp', desc, APP_KEYS, desc.engine?.debug ?? false)
  if (typeof desc.setup !== 'function' && desc.module === undefined) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'runApp: give setup(engine, args), a render module (module: path of a file exporting setup(app)), or both')
  }
  const args = parseAppArgs(argv)
  // Checked before any frame is rendered, so a typo does not cost the run.
  if (args.screenshot !== null) checkScreenshotPath(args.screenshot)
  const width = args.width ?? desc.width ?? 800
  const height = args.height ?? desc.height ?? 600
  const base: EngineDesc = { ...(desc.engine ?? {}), ...(args.mode ? { mode: args.mode } : {}) }
  const engine = await createEngine(args.headless
    ? { ...base, headless: true, width, height }
    : { ...base, window: { title: desc.title ?? 'framelatch', width, height } })
  // Nothing of hot reload is loaded, registered or watched unless --hot or a render module asks.
  let hot: HotStart | null = null
  try {
    if (args.hot || desc.module !== undefined) {
      hot = await startHot(engine, { hot: args.hot })
      engine.hot = hot.hot
    }
    await desc.setup?.(engine, args)
    if (desc.module !== undefined) await hot!.loadModule(desc.module)
    const probe = args.latencyProbe ? installLatencyProbe(engine) : null
    const onSigint = (): void => void engine.stop()
    process.once('SIGINT', onSigint)
    await engine.run(args.frames !== null ? { frames: args.frames } : {})
    process.removeListener('SIGINT', onSigint)
    const frames = engine.frameCount
    if (args.screenshot && !engine.destroyed) writeScreenshot(args.screenshot, await engine.screenshot())
    const summary: AppSummary = {
      frames, width: engine.width, height: engine.height, headless: engine.headless,
      ticker: {
        period: engine.ticker.period, calibrated: engine.ticker.calibrated,
        missed: engine.ticker.missed, dropped: engine.ticker.dropped, vblank: engine.vblank !== null,
      },
      trace: engine.trace.summary(),
      queue: { ...engine.queue.stats },
      device: { ...engine.device.stats },
      probeFlips: probe?.flips ?? 0,
      screenshot: args.screenshot,
    }
    if (args.json) process.stdout.write(JSON.stringify(summary) + '\n')
    return summary
  } finally {
    hot?.close()
    engine.hot = null
    await engine.stop()
    engine.destroy()
  }
}

function checkScreenshotPath(file: string): void {
  const dir = Path.dirname(Path.resolve(file))
  let isDir = false
  try {
    isDir = Fs.statSync(dir).isDirectory()
  } catch {
    // missing: reported below
  }
  if (!isDir) throw usage(`--screenshot ${file}: the folder ${dir} does not exist; create it first or give a path in an existing folder`)
}

function writeScreenshot(file: string, png: Buffer): void {
  try {
    Fs.writeFileSync(file, png)
  } catch (e) {
    const err = new FramelatchError(ErrorCode.FILE_WRITE,
      `--screenshot ${file}: the PNG could not be written (${(e as Error).message}); check the folder exists and is writable`, { file })
    err.cause = e
    throw err
  }
}
