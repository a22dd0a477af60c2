/**
 * What the main thread and a logic worker's thread say to each other: the `workerData` a thread
 * starts with, and the messages it posts back (lifecycle, errors, hot-reload replies and the
 * files its imports reported). Requests the other way are `ReloadRequest` (hot-swap.ts) and
 * `TrackRequest` (import-scan.ts); stop and step counts go through the shared control words
 * (worker-supervision.ts), never through messages.
 */
import type { KeptHot, ReloadReply } from './hot-swap.js'
import type { ImportedMessage } from './import-scan.js'

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
