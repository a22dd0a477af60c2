/**
 * Logic workers: run a user ES module in a `worker_threads` thread at its own rate, writing a
 * `SharedState` through the schema; framelatch publishes a snapshot after every step, so the
 * render thread reads the newest complete state without ever waiting for logic.
 *
 * The user module:
 * ```js
 * export function init(ctx) { ctx.views.pos.fill(0) }        // optional, may be async
 * export function step(ctx) { ctx.views.pos[0] += 0.1 * ctx.dt }  // required
 * export function dispose(ctx) {}                             // optional, on stop()
 * ```
 * Failures: a module that is missing, fails to import, lacks `step`, throws in `init`, or whose
 * `init` promise never settles rejects `createLogicWorker` with a `WorkerError` (`FL_WORKER_LOAD`,
 * or `FL_WORKER_INIT_TIMEOUT` after `initTimeoutMs`) naming the file. After start, every fault is
 * reported to `onError` as a `WorkerError` and the restart policy applies; the reader keeps the
 * last good snapshot (a half-written back copy is never published):
 * - a step (or the thread) throws: `FL_WORKER_CRASHED`, with the worker's stack;
 * - a step runs longer than `stepTimeoutMs` (an endless loop, a promise that never settles):
 *   `FL_WORKER_STALLED`; the thread is terminated (watchdog, worker-supervision.ts);
 * - the heap reaches `resourceLimits`: `FL_WORKER_OUT_OF_MEMORY` naming the limit; only the thread
 *   dies, never the process;
 * - `crashLoop.crashes` faults within `crashLoop.windowMs`: `FL_WORKER_CRASH_LOOP`, restarts stop,
 *   status 'failed' (the fault that tripped it is the error's `cause`).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Path from 'node:path'
import { Worker, type ResourceLimits } from 'node:worker_threads'
import { ErrorCode, ValidationError, WorkerError } from '../../errors.js'
import { log } from '../../log.js'
import type { SharedState } from '../state/shared-state.js'
import type { StateSpec, StateViews } from '../state/state-schema.js'
import type { InputEvent, InputReader, InputRing } from '../input/input-ring.js'
import { checkDesc, descKeys } from '../../check.js'
import {
  CrashLoopDetector, StepWatchdog, WCtl, WPhase, exitError, threadError, checkSupervisionDesc,
  DEFAULT_MAX_OLD_GENERATION_MB, type CrashLoopDesc,
} from './worker-supervision.js'

import { WorkerReloads, type WorkerReloadDesc, type WorkerReloadResult } from './worker-reload.js'
import type { KeptHot, ReloadReply } from './hot-swap.js'
import type { ImportedMessage } from './import-scan.js'
import { WorkerImports, type TrackImportsDesc } from './worker-imports.js'

export { WCtl } from './worker-supervision.js'
export type { WorkerReloadDesc, WorkerReloadResult } from './worker-reload.js'
export type { TrackImportsDesc } from './worker-imports.js'
export type { CrashLoopDesc } from './worker-supervision.js'

/** What `init`, `step` and `dispose` receive. One object per worker thread, updated in place. */
export interface LogicContext<S extends StateSpec = StateSpec> {
  /** Views of the copy to write this step (with `carry`, it holds the last published state). Valid only during the call. */
  views: StateViews<S>
  /** Step length in ms: 1000/hz for fixed steps, the measured time since the last step when free-running. */
  dt: number
  /** Logic time this step describes (ms, the main thread's `performance.now()` basis); the snapshot carries it. */
  time: number
  /** Step index, monotonic across restarts. */
  step: number
  /** This worker's own cursor on the input ring, or null when no ring was given. */
  input: InputReader | null
  /** A preallocated event record for `input.next(ctx.event)`. */
  event: InputEvent
  /** `LogicWorkerDesc.data`, structured-cloned into the worker. */
  data: unknown
  /** How many times this worker has been restarted (0 on the first start). */
  restarts: number
  /** True once `stop()` was requested (for long-running steps that want to end early). */
  stopping(): boolean
  /** Hot reload (see `LogicWorker.reload`): `data` is what the last `dispose` left for `init`. */
  hot: LogicHot
}

/**
 * `ctx.hot`: one object for the life of the thread. A thread restarted after a crash starts with
 * a structured clone of what the newest reload's `dispose` left (see `data`).
 */
export interface LogicHot {
  /**
   * Left by the old version's `dispose(ctx)` for the new version's `init(ctx)` (Vite's `hot.data`).
   * Within the thread it may hold anything; to reach the `init` of a crash restart it must be
   * structured-cloneable (cloned once per reload, right after `dispose`), else a restart gets `{}`.
   */
  data: Record<string, unknown>
  /** Reloads swapped in so far (0 on the first `init`; a crash restart goes on from the last dispose's). */
  generation: number
}

export interface LogicModule {
  init?(ctx: LogicContext): unknown
  step(ctx: LogicContext): unknown
  dispose?(ctx: LogicContext): unknown
}

export type RestartPolicy = 'off' | 'immediate' | 'backoff'

export interface BackoffDesc {
  /** Delay before the first restart, ms. Default 100. */
  initialMs?: number
  /** Each consecutive crash multiplies the delay by this. Default 2. */
  factor?: number
  /** Delay cap, ms. Default 5000. */
  maxMs?: number
  /** A worker that ran this long before crashing resets the delay to `initialMs`. Default 5000. */
  resetAfterMs?: number
}

export interface LogicWorkerDesc<S extends StateSpec = StateSpec> {
  /** The user module: a file path (relative paths resolve against `process.cwd()`) or a `file:` URL. Required. */
  module: string | URL
  /** The shared state the worker writes. The worker holds its writer role until `stop()`. Required. */
  state: SharedState<S>
  /** Fixed steps per second. Default 0: free-running (steps back to back, yielding every ~8 ms). */
  hz?: number
  /** Default 'backoff': restart after initialMs, doubling per consecutive crash up to maxMs (see BackoffDesc). */
  restart?: RestartPolicy
  backoff?: BackoffDesc
  /** Give up after this many restarts (status becomes 'failed'). Default Infinity. */
  maxRestarts?: number
  /**
   * Crash-loop detection: this many faults within `windowMs` stop the restarts with
   * `FL_WORKER_CRASH_LOOP` (status 'failed', state kept). Default { crashes: 5, windowMs: 30000 }.
   */
  crashLoop?: CrashLoopDesc
  /** Longest time `init` (module load included) may take before `FL_WORKER_INIT_TIMEOUT`, ms. Default 10000. */
  initTimeoutMs?: number
  /**
   * Longest time one `step` (its promise included) may run before the watchdog reports
   * `FL_WORKER_STALLED` and terminates the thread, ms; 0 turns the watchdog off. Default 5000.
   */
  stepTimeoutMs?: number
  /**
   * V8 heap limits of the thread (Node's `ResourceLimits`). Reaching them ends only the thread, as
   * `FL_WORKER_OUT_OF_MEMORY` naming the limit. Default { maxOldGenerationSizeMb: 512 }.
   */
  resourceLimits?: ResourceLimits
  /** Input ring the worker may read with its own cursor. Default none. */
  input?: InputRing
  /** Structured-cloneable data passed to the module as `ctx.data`. Default undefined. */
  data?: unknown
  /** See `StateWriterDesc.carry`. Default true. */
  carry?: boolean
  /**
   * Called for every fault (and for load failures during restarts) with the delay before the
   * restart in ms, or null when the worker will stay down. Default: logs the error with its stack.
   */
  onError?: (error: WorkerError, restartInMs: number | null) => void
  /** How long `stop()` lets the worker finish its step and `dispose` before terminating it, ms. Default 1000. */
  stopTimeoutMs?: number
}

export type LogicWorkerStatus = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed'

/** @internal */
export interface LogicWorkerData {
  moduleHref: string
  spec: unknown
  stateBuffer: SharedArrayBuffer
  writerToken: number
  inputBuffer: SharedArrayBuffer | null
  control: SharedArrayBuffer
  hz: number
  carry: boolean
  data: unknown
  restarts: number
  mainTimeOrigin: number
  /** `ctx.hot` for a crash restart (what the newest reload's dispose left), or null. */
  hot: KeptHot | null
}

/** @internal */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'stopped' }
  | { type: 'load-error'; message: string; stack: string; phase?: string }
  | { type: 'step-error'; message: string; stack: string; step: number; phase?: string }
  | ReloadReply
  | ImportedMessage

const ENTRY = new URL('./logic-worker-main.js', import.meta.url)

function resolveModule(m: string | URL): { href: string; file: string } {
  if (m instanceof URL || /^[a-z][a-z0-9+.-]*:\/\//i.test(String(m))) {
    const url = m instanceof URL ? m : new URL(m)
    if (url.protocol !== 'file:') {
      throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.module must be a file path or file: URL, got ${url.href}`)
    }
    return { href: url.href, file: fileURLToPath(url) }
  }
  if (typeof m !== 'string' || m.length === 0) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'LogicWorkerDesc.module is required: pass the path of an ES module that exports step(ctx)')
  }
  const file = Path.resolve(m)
  return { href: pathToFileURL(file).href, file }
}

export class LogicWorker {
  private worker: Worker | null = null
  private readonly control = new SharedArrayBuffer(WCtl.INTS * 4)
  private readonly ctl = new Int32Array(this.control)
  private _status: LogicWorkerStatus = 'starting'
  private _restarts = 0
  private consecutive = 0
  private startedAt = 0
  private timer: NodeJS.Timeout | null = null
  private stopping: Promise<void> | null = null
  private exitWaiter: (() => void) | null = null
  private readonly crashLoop: CrashLoopDetector
  private readonly watchdog: StepWatchdog
  /** The writer role of the state, held from creation until `stop()` (across restarts). */
  private readonly writerToken: number
  private readonly reloads: WorkerReloads
  private readonly imports = new WorkerImports()
  /** The last error reported (crash or restart load failure), or null. */
  lastError: WorkerError | null = null
  /** Delay chosen for the most recent scheduled restart, ms (NaN before the first). */
  lastRestartDelayMs = NaN

  /** @internal use `createLogicWorker` (or `prepareLogicWorker`). */
  constructor(private readonly desc: LogicWorkerDesc, private readonly file: string, private readonly href: string) {
    this.crashLoop = new CrashLoopDetector(desc.crashLoop ?? {})
    this.watchdog = new StepWatchdog(this.ctl, desc.stepTimeoutMs ?? 5000)
    this.writerToken = desc.state.claimWriter()
    this.reloads = new WorkerReloads(file, desc.initTimeoutMs ?? 10_000)
  }

  /** The module file, absolute. */
  get moduleFile(): string {
    return this.file
  }

  /**
   * Hot reload: imports the module afresh in the running thread, while the old version keeps
   * stepping, then between two steps runs the old `dispose(ctx)` and the new `init(ctx)` (with
   * `ctx.hot.data` carrying data between them) and steps the new one. The shared state, `ctx.step`
   * and `ctx.time` go on. A version that fails to load, lacks `step` or throws in `init` leaves
   * the old one running (its `init` runs again); the result says what failed. Never rejects.
   */
  reload(desc: WorkerReloadDesc = {}): Promise<WorkerReloadResult> {
    return this.reloads.request(this._status === 'running' ? this.worker : null, desc)
  }

  /**
   * @internal hot reload: reports every file the module imports from `desc.roots` (its static graph now,
   * through an import scan that runs none of it, then each reload's imports, and again after a
   * crash restart) to `desc.onFile`, so a save of any of them can reload it. src/hot's worker
   * host calls this; `null` stops the reports.
   */
  trackImports(desc: TrackImportsDesc | null): void {
    if (desc === null) this.imports.untrack()
    else this.imports.track(desc, this._status === 'running' ? this.worker : null)
  }

  get status(): LogicWorkerStatus {
    return this._status
  }
  get restarts(): number {
    return this._restarts
  }
  /** Steps completed so far (all restarts included). */
  get steps(): number {
    return Atomics.load(this.ctl, WCtl.STEPS)
  }

  /**
   * @internal starts one thread; resolves when `init` returned, rejects with FL_WORKER_LOAD or
   * FL_WORKER_INIT_TIMEOUT (or when `stop()` ends it first).
   */
  start(): Promise<void> {
    const d = this.desc
    const wd: LogicWorkerData = {
      moduleHref: this.href,
      spec: d.state.schema.spec,
      stateBuffer: d.state.buffer,
      writerToken: this.writerToken,
      inputBuffer: d.input ? d.input.buffer : null,
      control: this.control,
      hz: d.hz ?? 0,
      carry: d.carry ?? true,
      data: d.data,
      restarts: this._restarts,
      mainTimeOrigin: performance.timeOrigin,
      hot: this.reloads.kept,
    }
    for (const i of [WCtl.PHASE, WCtl.IN_STEP, WCtl.EXIT_CALLED, WCtl.EXIT_CODE]) Atomics.store(this.ctl, i, 0)
    const limits: ResourceLimits = { maxOldGenerationSizeMb: DEFAULT_MAX_OLD_GENERATION_MB, ...(d.resourceLimits ?? {}) }
    // Workers inherit execArgv; --input-type (from `node -e`) makes a file entry point fail to load.
    // (Passing execArgv at all makes Node reject per-process flags, so only override when needed.)
    const badArgv = process.execArgv.some((a) => a.startsWith('--input-type'))
    const w = new Worker(ENTRY, badArgv
      ? { workerData: wd, execArgv: [], resourceLimits: limits }
      : { workerData: wd, resourceLimits: limits })
    this.worker = w
    this.startedAt = performance.now()
    const initTimeoutMs = d.initTimeoutMs ?? 10_000
    return new Promise<void>((resolve, reject) => {
      let ready = false
      let reported = false
      const fail = (err: WorkerError): void => {
        if (reported) return
        reported = true
        clearTimeout(initTimer)
        this.watchdog.stop()
        if (!ready) {
          void w.terminate()
          reject(err)
        } else this.crashed(err)
      }
      const initTimer = setTimeout(() => {
        const phase = Atomics.load(this.ctl, WCtl.PHASE) === WPhase.LOADING ? 'loading the module' : 'init()'
        fail(new WorkerError(ErrorCode.WORKER_INIT_TIMEOUT, `logic worker module "${this.file}" did not finish ${phase} within ` +
          `initTimeoutMs (${initTimeoutMs} ms); the thread was terminated; make init return (or its promise settle) sooner, or raise initTimeoutMs`,
        '', { file: this.file, initTimeoutMs }))
      }, initTimeoutMs)
      initTimer.unref()
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          ready = true
          clearTimeout(initTimer)
          if (this.stopping === null) this._status = 'running'
          this.watchdog.start(() => fail(this.watchdog.error(this.file)))
          this.imports.started(w)
          resolve()
        } else if (m.type === 'load-error') {
          const what = m.phase === 'init' ? 'threw in init()' : 'failed to load'
          fail(new WorkerError(ErrorCode.WORKER_LOAD, `logic worker module "${this.file}" ${what}: ${m.message}; fix the module and start the worker again`, m.stack, { file: this.file }))
        } else if (m.type === 'reloaded') {
          this.reloads.reply(m)
        } else if (m.type === 'imported') {
          this.imports.imported(m)
        } else if (m.type === 'step-error') {
          const where = m.phase === 'dispose' ? 'dispose()' : `step ${m.step}`
          fail(new WorkerError(ErrorCode.WORKER_CRASHED, `logic worker module "${this.file}" threw in ${where}: ${m.message}; the last good snapshot stays visible; see workerStack`, m.stack, { file: this.file, step: m.step }))
        }
      })
      w.on('error', (e: Error) => fail(threadError(e, this.file, ready, limits, this.ctl)))
      w.on('exit', (code) => {
        clearTimeout(initTimer)
        this.watchdog.stop()
        if (this.worker === w) this.worker = null
        this.reloads.threadEnded()
        const waiter = this.exitWaiter
        this.exitWaiter = null
        waiter?.()
        if (reported) return
        if (this.stopping !== null) {
          if (!ready) fail(new WorkerError(ErrorCode.WORKER_LOAD, `logic worker module "${this.file}" was stopped before init() finished`, '', { file: this.file }))
          return
        }
        fail(exitError(code, this.file, ready, this.ctl))
      })
    })
  }

  private crashed(err: WorkerError): void {
    this.lastError = err
    const w = this.worker
    if (w) void w.terminate()
    if (this.stopping !== null) return
    // Decide the policy first, so onError is told what happens next.
    const policy = this.desc.restart ?? 'backoff'
    const b = this.desc.backoff ?? {}
    const ranMs = performance.now() - this.startedAt
    if (ranMs > (b.resetAfterMs ?? 5000)) this.consecutive = 0
    this.consecutive++
    let delay: number | null = null
    let report = err
    if (policy === 'off' || this._restarts >= (this.desc.maxRestarts ?? Infinity)) {
      this._status = 'failed'
    } else {
      const loop = this.crashLoop.record(err, this.file)
      if (loop !== null) {
        this._status = 'failed'
        report = loop
        this.lastError = loop
      } else {
        delay = policy === 'immediate' ? 0 : Math.min(b.maxMs ?? 5000, (b.initialMs ?? 100) * Math.pow(b.factor ?? 2, this.consecutive - 1))
        this._status = 'restarting'
        this.lastRestartDelayMs = delay
      }
    }
    try {
      if (this.desc.onError) this.desc.onError(report, delay)
      else log('error', report.code, `${report.message}\n${report.workerStack}${delay === null ? '\n(not restarting)' : `\n(restarting in ${delay} ms)`}`)
    } catch (e) {
      log('error', report.code, `onError threw: ${String(e)}`)
    }
    if (delay === null || this.stopping !== null) return
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.stopping !== null) return
      this._restarts++
      this.start().then(
        () => {
          if (this.stopping === null) this._status = 'running'
        },
        (e: WorkerError) => this.crashed(e),
      )
    }, delay)
  }

  /**
   * Stops the worker: sets the stop flag (the current step finishes, `dispose` runs), waits up to
   * `stopTimeoutMs`, then terminates the thread. Cancels a pending restart, ends a thread still in
   * `init`, and gives the state's writer role back. Resolves once the thread has exited; safe to
   * call more than once.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping
    this.stopping = (async () => {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.watchdog.stop()
      Atomics.store(this.ctl, WCtl.STOP, 1)
      Atomics.notify(this.ctl, WCtl.STOP)
      const w = this.worker
      if (w) {
        const exited = new Promise<void>((resolve) => (this.exitWaiter = resolve))
        const t = setTimeout(() => void w.terminate(), this.desc.stopTimeoutMs ?? 1000)
        // The worker posts 'stopped' and its event loop may still hold user handles: terminate
        // once it has finished, so no handle outlives stop().
        w.once('message', (m: WorkerMessage) => {
          if (m.type === 'stopped') void w.terminate()
        })
        await exited
        clearTimeout(t)
      }
      this.desc.state.releaseWriter(this.writerToken)
      this._status = 'stopped'
    })()
    return this.stopping
  }
}

const LOGIC_WORKER_KEYS = descKeys<LogicWorkerDesc>({
  module: true, state: true, hz: true, restart: true, backoff: true, maxRestarts: true, input: true, data: true, carry: true, onError: true, stopTimeoutMs: true,
  crashLoop: true, initTimeoutMs: true, stepTimeoutMs: true, resourceLimits: true,
})
const CRASH_LOOP_KEYS = descKeys<CrashLoopDesc>({ crashes: true, windowMs: true })
const BACKOFF_KEYS = descKeys<BackoffDesc>({ initialMs: true, factor: true, maxMs: true, resetAfterMs: true })

/**
 * @internal validates `desc` and creates the worker without starting it, so an owner (the
 * engine) can hold it, and stop it, while `init` runs. Start it with `worker.start()`.
 */
export function prepareLogicWorker<S extends StateSpec>(desc: LogicWorkerDesc<S>): LogicWorker {
  checkDesc('createLogicWorker', desc, LOGIC_WORKER_KEYS, false)
  checkDesc('createLogicWorker: backoff', desc?.backoff, BACKOFF_KEYS, false)
  checkDesc('createLogicWorker: crashLoop', desc?.crashLoop, CRASH_LOOP_KEYS, false)
  if (desc === null || typeof desc !== 'object' || !desc.state || !(desc.state.buffer instanceof SharedArrayBuffer)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'createLogicWorker: pass { module, state } where state comes from createSharedState')
  }
  const hz = desc.hz ?? 0
  if (typeof hz !== 'number' || !Number.isFinite(hz) || hz < 0 || hz > 100000) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.hz must be 0 (free-running) or a rate up to 100000, got ${String(hz)}`)
  }
  const restart = desc.restart ?? 'backoff'
  if (restart !== 'off' && restart !== 'immediate' && restart !== 'backoff') {
    throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.restart must be 'off', 'immediate' or 'backoff', got ${String(restart)}`)
  }
  checkSupervisionDesc(desc)
  const { href, file } = resolveModule(desc.module)
  if (!existsSync(file)) {
    throw new WorkerError(ErrorCode.WORKER_LOAD, `logic worker module "${file}" does not exist; check the path (relative paths resolve against the current directory, ${process.cwd()})`, '', { file })
  }
  return new LogicWorker(desc as unknown as LogicWorkerDesc, file, href)
}

/**
 * Starts a logic worker and resolves once its module loaded and `init` returned (the first
 * snapshot is then published). Rejects with `FL_WORKER_LOAD` naming the file when the module is
 * missing, fails to import, lacks `step`, throws in `init` or its `init` promise can never settle,
 * with `FL_WORKER_INIT_TIMEOUT` when `init` outlasts `initTimeoutMs`, and with `FL_STATE_ROLE`
 * when the state already has a writer.
 */
export async function createLogicWorker<S extends StateSpec>(desc: LogicWorkerDesc<S>): Promise<LogicWorker> {
  const lw = prepareLogicWorker(desc)
  try {
    await lw.start()
  } catch (e) {
    await lw.stop()
    throw e
  }
  return lw
}
