/**
 * One worker thread for the X services of the render side: the vblank clock (vblank-source.ts)
 * and the input doorbell (input-doorbell.ts). Each worker thread is a V8 isolate of its own
 * (several MB of RSS and tens of ms of CPU to start), so both services share one thread
 * (x-worker-main.ts), each with its own X connection in it; the thread starts with the first
 * service and ends with the last.
 *
 * `startXService` holds the start-up protocol both services used to duplicate: resolve when the
 * service reports ready, reject with the service's own error (its `fail` function gives the code
 * and the advice) when it reports an error, the thread fails or exits, or `timeoutMs` passes.
 *
 * Lifetime: the thread is ref'd only while a service is starting, so a started service never
 * keeps the process alive. A service's shared memory is the caller's; it stays valid after stop.
 */
import { workerThreads } from '../node-builtins.js'
import type { Worker } from 'node:worker_threads'

/** Why a service could not start (the caller turns it into its own error). */
export type XServiceFailure =
  /** The service reported an error (no display, no extension, refused request): `detail` says which. */
  | 'error'
  /** The worker thread threw: `detail` is its message. */
  | 'crashed'
  /** The thread ended, or the service was stopped, before it was ready. */
  | 'exited'
  /** Not ready within `timeoutMs`. */
  | 'timeout'

export interface XServiceDesc {
  /** Which service the worker runs (x-worker-main.ts). */
  kind: 'vblank' | 'doorbell'
  /** X display the service connects to. */
  display: string
  /** Shared memory the service writes (its layout is the service's). */
  sab: SharedArrayBuffer
  /** Service-specific parameter (vblank: the window whose CRTC is followed; 0 the root). */
  window: number
  /** How long the start may take, ms. */
  timeoutMs: number
  /** The error `ready` rejects with. */
  fail: (why: XServiceFailure, detail: string) => Error
}

export interface XService {
  /** Resolves when the service runs; rejects with `desc.fail(...)` (after the service is stopped). */
  readonly ready: Promise<void>
  /** True from ready until stop() or the thread's end. */
  readonly running: boolean
  /** Stops the service (idempotent); resolves once it has closed its X connection, or the thread has ended. */
  stop(): Promise<void>
}

/** Messages of the worker thread, each for one service (`id`). */
export interface XWorkerReply {
  type: 'ready' | 'error' | 'stopped'
  id: number
  message?: string
}

interface Entry {
  /** Called with the thread's reply or end; returns nothing. */
  onReply(reply: XWorkerReply): void
  onThreadEnd(why: 'crashed' | 'exited', detail: string): void
}

/** The shared thread and the services in it; null when no service is alive. */
interface XThread {
  worker: Worker
  entries: Map<number, Entry>
  /** Services still starting: the thread is ref'd while this is above 0. */
  starting: number
  exited: Promise<void>
}

let thread: XThread | null = null
let nextId = 1

function openThread(): XThread {
  // A small young generation: the services allocate little (an event object per vblank or input
  // event), and the default semi-spaces cost the process about 4 MB of RSS more.
  const worker = new (workerThreads().Worker)(new URL('./x-worker-main.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 1 } })
  const t: XThread = {
    worker, entries: new Map(), starting: 0,
    exited: new Promise<void>((resolve) => worker.once('exit', () => resolve())),
  }
  worker.on('message', (m: XWorkerReply) => t.entries.get(m.id)?.onReply(m))
  const end = (why: 'crashed' | 'exited', detail: string): void => {
    if (thread === t) thread = null
    const all = [...t.entries.values()]
    t.entries.clear()
    for (const e of all) e.onThreadEnd(why, detail)
  }
  worker.on('error', (err) => end('crashed', err.message))
  worker.on('exit', (code) => end('exited', `the X worker thread exited (code ${code})`))
  return t
}

function setStarting(t: XThread, delta: number): void {
  t.starting += delta
  if (t.starting > 0) t.worker.ref()
  else t.worker.unref()
}

/** Starts a service on the shared X worker thread (started now when none runs). */
export function startXService(desc: XServiceDesc): XService {
  const t = thread ?? (thread = openThread())
  const id = nextId++
  let running = false
  let settled = false
  let stopped: Promise<void> | null = null
  let resolveStopped: () => void = () => {}
  let resolveReady!: () => void
  let rejectReady!: (e: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  const timer = setTimeout(() => settle(desc.fail('timeout', `not ready within ${desc.timeoutMs} ms`)), desc.timeoutMs)

  function settle(err: Error | null): void {
    if (settled) return
    settled = true
    clearTimeout(timer)
    setStarting(t, -1)
    if (err === null) {
      running = true
      resolveReady()
    } else {
      void stop().then(() => rejectReady(err))
    }
  }

  function stop(): Promise<void> {
    running = false
    if (stopped !== null) return stopped
    stopped = new Promise<void>((resolve) => {
      resolveStopped = resolve
    })
    if (!settled) settle(desc.fail('exited', 'stopped before it was ready'))
    if (!t.entries.has(id)) {
      resolveStopped() // the thread already ended
    } else if (t.entries.size === 1) {
      // The last service: the thread ends with it (its exit resolves the stop).
      t.entries.delete(id)
      if (thread === t) thread = null
      t.worker.postMessage({ type: 'exit' })
      const kill = setTimeout(() => void t.worker.terminate(), 500)
      void t.exited.then(() => {
        clearTimeout(kill)
        resolveStopped()
      })
    } else {
      t.worker.postMessage({ type: 'stop', id })
    }
    return stopped
  }

  t.entries.set(id, {
    onReply(m) {
      if (m.type === 'ready') settle(null)
      else if (m.type === 'error') {
        running = false
        settle(desc.fail('error', m.message ?? 'failed'))
      } else if (m.type === 'stopped') {
        t.entries.delete(id)
        resolveStopped()
      }
    },
    onThreadEnd(why, detail) {
      running = false
      settle(desc.fail(why, detail))
      resolveStopped()
    },
  })
  setStarting(t, 1)
  t.worker.postMessage({ type: 'start', id, kind: desc.kind, display: desc.display, window: desc.window, sab: desc.sab })

  return {
    ready,
    get running() {
      return running
    },
    stop,
  }
}

/** The shared thread's id and the number of services on it, or null when no thread runs (tests, diagnostics). */
export function xWorkerStatus(): { threadId: number; services: number } | null {
  return thread === null ? null : { threadId: thread.worker.threadId, services: thread.entries.size }
}
