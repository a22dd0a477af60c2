/**
 * What a logic worker is created from: `LogicWorkerDesc` (with its restart policy and backoff),
 * its key tables, and the checks `createLogicWorker` runs on it before any thread starts, which
 * also resolve the module to an absolute file and URL.
 */
import { Fs } from '../../node-builtins.js'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Path from 'node:path'
import type { ResourceLimits } from 'node:worker_threads'
import { checkDesc, descKeys } from '../../check.js'
import { ErrorCode, ValidationError, WorkerError } from '../../errors.js'
import type { SharedState } from '../state/shared-state.js'
import type { StateSpec } from '../state/state-schema.js'
import type { InputRing } from '../input/input-ring.js'
import { checkSupervisionDesc, type CrashLoopDesc } from './worker-supervision.js'

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

const LOGIC_WORKER_KEYS = descKeys<LogicWorkerDesc>({
  module: true, state: true, hz: true, restart: true, backoff: true, maxRestarts: true, input: true, data: true, carry: true, onError: true, stopTimeoutMs: true,
  crashLoop: true, initTimeoutMs: true, stepTimeoutMs: true, resourceLimits: true,
})
const CRASH_LOOP_KEYS = descKeys<CrashLoopDesc>({ crashes: true, windowMs: true })
const BACKOFF_KEYS = descKeys<BackoffDesc>({ initialMs: true, factor: true, maxMs: true, resetAfterMs: true })

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

/**
 * Checks `desc` (unknown keys warn, bad values throw FL_INVALID_DESC) and that the module file
 * exists (FL_WORKER_LOAD naming it); returns the module as an absolute file and its URL.
 */
export function checkLogicWorkerDesc(desc: LogicWorkerDesc): { href: string; file: string } {
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
  if (!Fs.existsSync(file)) {
    throw new WorkerError(ErrorCode.WORKER_LOAD, `logic worker module "${file}" does not exist; check the path (relative paths resolve against the current directory, ${process.cwd()})`, '', { file })
  }
  return { href, file }
}
