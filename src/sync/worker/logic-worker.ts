/**
 * Logic workers: run a user ES module (the contract is logic-module.ts) in a `worker_threads`
 * thread at its own rate, writing a `SharedState` through the schema; framelatch publishes a
 * snapshot after every step, so the render thread reads the newest complete state without ever
 * waiting for logic.
 *
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
import { workerThreads } from '../../node-builtins.js'
import type { Worker, ResourceLimits } from 'node:worker_threads'
import { ErrorCode, WorkerError } from '../../errors.js'
import { log } from '../../log.js'
import type { StateSpec } from '../state/state-schema.js'
import {
  CrashLoopDetector, StepWatchdog, WCtl, WPhase, exitError, threadError,
  DEFAULT_MAX_OLD_GENERATION_MB,
} from './worker-supervision.js'
import { checkLogicWorkerDesc, type LogicWorkerDesc } from './logic-worker-desc.js'
import type { LogicWorkerData, WorkerMessage } from './worker-messages.js'
import { WorkerReloads, type WorkerReloadDesc, type WorkerReloadResult } from './worker-reload.js'
import { WorkerImports, type TrackImportsDesc } from './worker-imports.js'

export { WCtl } from './worker-supervision.js'
export type { WorkerReloadDesc, WorkerReloadResult } from './worker-reload.js'
export type { TrackImportsDesc } from './worker-imports.js'
export type { CrashLoopDesc } from './worker-supervision.js'
export type { LogicContext, LogicHot, LogicModule } from './logic-module.js'
export type { LogicWorkerDesc, RestartPolicy, BackoffDesc } from './logic-worker-desc.js'

export type LogicWorkerStatus = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed'

const ENTRY = new URL('./logic-worker-main.js', import.meta.url)

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
   * host calls this; the function it returns stops the reports to this listener.
   */
  trackImports(desc: TrackImportsDesc): () => void {
    return this.imports.track(desc, this._status === 'running' ? this.worker : null)
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
    const w = new (workerThreads().Worker)(ENTRY, badArgv
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

/**
 * @internal validates `desc` and creates the worker without starting it, so an owner (the
 * engine) can hold it, and stop it, while `init` runs. Start it with `worker.start()`.
 */
export function prepareLogicWorker<S extends StateSpec>(desc: LogicWorkerDesc<S>): LogicWorker {
  const { href, file } = checkLogicWorkerDesc(desc as unknown as LogicWorkerDesc)
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