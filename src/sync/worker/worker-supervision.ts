/**
 * How a logic worker is watched from the main thread: the control words it shares with its
 * thread, the step watchdog, crash-loop detection, and the errors that say what really happened
 * when a thread ends on its own (an exit, an out-of-memory stop, an init promise nobody settles).
 *
 * Everything here reads the shared control block, never the worker's event loop: a thread that
 * spins in a step cannot answer messages, but its words still tell the watchdog where it is.
 */
import type { ResourceLimits } from 'node:worker_threads'
import { ErrorCode, ValidationError, WorkerError } from '../../errors.js'

/**
 * @internal control words shared with the worker thread (Int32Array over `INTS` ints).
 * STOP: set by the main thread. STEPS: steps completed (across restarts). PHASE: a `WPhase`.
 * IN_STEP: 1 while `step` (and its promise) runs. EXIT_CALLED/EXIT_CODE: the module called
 * process.exit(code).
 */
export const WCtl = { STOP: 0, STEPS: 1, PHASE: 2, IN_STEP: 3, EXIT_CALLED: 4, EXIT_CODE: 5, INTS: 8 } as const

/** @internal what the thread is doing, in `WCtl.PHASE`. */
export const WPhase = { LOADING: 0, INIT: 1, RUNNING: 2, DISPOSE: 3 } as const

/** Node's own default would follow the main heap; a fixed default makes a runaway worker end early and alone. */
export const DEFAULT_MAX_OLD_GENERATION_MB = 512

export interface CrashLoopDesc {
  /** Faults that make a crash loop. Default 5. */
  crashes?: number
  /** Window they must fall in, ms. Default 30000. */
  windowMs?: number
}

function phaseName(ctl: Int32Array): string {
  switch (Atomics.load(ctl, WCtl.PHASE)) {
    case WPhase.LOADING: return 'while loading the module'
    case WPhase.INIT: return 'in init()'
    case WPhase.DISPOSE: return 'in dispose()'
    default: return `in step ${Atomics.load(ctl, WCtl.STEPS)}`
  }
}

/** @internal rejects out-of-range supervision options with FL_INVALID_DESC. */
export function checkSupervisionDesc(desc: {
  initTimeoutMs?: number; stepTimeoutMs?: number; crashLoop?: CrashLoopDesc; resourceLimits?: ResourceLimits
}): void {
  const nonNegative = (name: string, v: unknown, positive: boolean): void => {
    if (v === undefined) return
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.${name} must be a ${positive ? 'positive' : 'non-negative'} finite number of ms, got ${String(v)}`)
    }
  }
  nonNegative('initTimeoutMs', desc.initTimeoutMs, true)
  nonNegative('stepTimeoutMs', desc.stepTimeoutMs, false)
  nonNegative('crashLoop.windowMs', desc.crashLoop?.windowMs, true)
  const c = desc.crashLoop?.crashes
  if (c !== undefined && (!Number.isInteger(c) || c < 1)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.crashLoop.crashes must be a positive integer, got ${String(c)}`)
  }
  const mb = desc.resourceLimits?.maxOldGenerationSizeMb
  if (mb !== undefined && (typeof mb !== 'number' || !(mb >= 4))) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `LogicWorkerDesc.resourceLimits.maxOldGenerationSizeMb must be at least 4, got ${String(mb)}`)
  }
}

/** Counts faults in a sliding window; the one that fills it turns into FL_WORKER_CRASH_LOOP. */
export class CrashLoopDetector {
  private readonly crashes: number
  private readonly windowMs: number
  private readonly times: number[] = []

  constructor(desc: CrashLoopDesc) {
    this.crashes = desc.crashes ?? 5
    this.windowMs = desc.windowMs ?? 30_000
  }

  /** Records a fault now; returns the crash-loop error when this fault completes a loop, else null. */
  record(fault: WorkerError, file: string): WorkerError | null {
    const now = performance.now()
    this.times.push(now)
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift()
    if (this.times.length < this.crashes) return null
    const err = new WorkerError(ErrorCode.WORKER_CRASH_LOOP,
      `logic worker module "${file}" failed ${this.times.length} times within ${this.windowMs} ms ` +
      `(last: ${fault.code}: ${fault.message.replace(/^framelatch: /, '')}); restarts stopped, the last good snapshot stays visible; ` +
      'fix the module and start a new worker (crashLoop sets the limit)',
      fault.workerStack, { file, crashes: this.times.length, windowMs: this.windowMs, lastCode: fault.code })
    err.cause = fault
    return err
  }
}

/**
 * Watches `WCtl.IN_STEP` and `WCtl.STEPS` on a timer: a step that has been in progress for
 * `timeoutMs` (the same step number seen in-step across samples) is a stall. Time counts from
 * the first sample that saw the step, which is after it began, so a main thread that was itself
 * blocked between samples can delay a report but never cause a false one. The timer is
 * unref'd, so a watched worker never keeps the process alive by itself.
 */
export class StepWatchdog {
  private timer: NodeJS.Timeout | null = null
  private seenStep = -1
  private seenAt = 0
  private stalledMs = 0

  constructor(private readonly ctl: Int32Array, private readonly timeoutMs: number) {}

  start(onStall: () => void): void {
    this.stop()
    if (this.timeoutMs <= 0) return
    this.seenStep = -1
    const period = Math.max(5, Math.min(250, this.timeoutMs / 4))
    this.timer = setInterval(() => {
      const now = performance.now()
      const inStep = Atomics.load(this.ctl, WCtl.IN_STEP) === 1 && Atomics.load(this.ctl, WCtl.PHASE) === WPhase.RUNNING
      const step = Atomics.load(this.ctl, WCtl.STEPS)
      if (!inStep || step !== this.seenStep) {
        this.seenStep = inStep ? step : -1
        this.seenAt = now
        return
      }
      if (now - this.seenAt >= this.timeoutMs) {
        this.stalledMs = now - this.seenAt
        this.stop()
        onStall()
      }
    }, period)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  error(file: string): WorkerError {
    const step = Atomics.load(this.ctl, WCtl.STEPS)
    return new WorkerError(ErrorCode.WORKER_STALLED,
      `logic worker module "${file}" stalled: step ${step} ran for more than stepTimeoutMs (${this.timeoutMs} ms; seen for ${Math.round(this.stalledMs)} ms) ` +
      'without returning (an endless loop, or a promise that never settles); the thread was terminated and the last good snapshot stays visible; ' +
      'make the step return sooner or raise stepTimeoutMs',
      '', { file, step, stepTimeoutMs: this.timeoutMs })
  }
}

/** The error for a thread that ended by itself (no message posted before its exit). */
export function exitError(code: number, file: string, ready: boolean, ctl: Int32Array): WorkerError {
  const where = phaseName(ctl)
  const kind = ready ? ErrorCode.WORKER_CRASHED : ErrorCode.WORKER_LOAD
  const info = { file, exitCode: code }
  if (Atomics.load(ctl, WCtl.EXIT_CALLED) === 1) {
    return new WorkerError(kind, `logic worker module "${file}" called process.exit(${Atomics.load(ctl, WCtl.EXIT_CODE)}) ${where}, which ends its thread; ` +
      'return from step (or throw to report an error) instead of calling process.exit', '', info)
  }
  if (code === 0 && !ready) {
    const what = Atomics.load(ctl, WCtl.PHASE) === WPhase.LOADING ? "the module's top-level await" : "init()'s promise"
    return new WorkerError(kind, `logic worker module "${file}": ${what} never settled — the thread ran out of pending work ` +
      '(no timer, I/O or message could still settle it) and ended; resolve or reject that promise', '', info)
  }
  return new WorkerError(kind, `logic worker module "${file}" ended unexpectedly with exit code ${code} ${where}; see the log above for a native error`, '', info)
}

/** The error for a thread's 'error' event: an uncaught exception, or the heap limit. */
export function threadError(e: Error, file: string, ready: boolean, limits: ResourceLimits, ctl: Int32Array): WorkerError {
  const where = phaseName(ctl)
  if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const mb = limits.maxOldGenerationSizeMb
    const err = new WorkerError(ErrorCode.WORKER_OUT_OF_MEMORY,
      `logic worker module "${file}" ran out of memory ${where}: its heap reached resourceLimits.maxOldGenerationSizeMb = ${mb} MB; ` +
      'the thread was stopped (the process goes on) and the last good snapshot stays visible; free memory in the module or raise resourceLimits',
      e.stack ?? String(e), { file, maxOldGenerationSizeMb: mb })
    err.cause = e
    return err
  }
  return new WorkerError(ready ? ErrorCode.WORKER_CRASHED : ErrorCode.WORKER_LOAD,
    `logic worker module "${file}" crashed ${where}: ${e.message}; see workerStack`, e.stack ?? String(e), { file })
}
