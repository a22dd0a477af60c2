/**
 * The input doorbell: a counter in shared memory that a worker thread bumps (and `Atomics.notify`s)
 * the moment the X server reports input, so the render thread's `Atomics.wait` slices end at
 * once and it pumps SDL then, not at the end of the slice.
 *
 * Why a second X connection: @kmamal/sdl cannot block waiting for events (no SDL_WaitEvent, no
 * access to its X connection's fd), so without a doorbell the ticker's wait polls SDL in 0.5 ms
 * slices and a key press waits a quarter of a millisecond on average. The worker (input-doorbell-worker.ts) asks for
 * XInput2 raw events (RawKeyPress/Release, RawButtonPress/Release, RawMotion) on the root window:
 * raw events go to every client that selects them, whatever window has the focus and whatever
 * SDL selected on its own window (core ButtonPress can be selected by one client only). The X
 * server writes the raw event and SDL's KeyPress in the same dispatch, so by the time the render
 * thread wakes, SDL's pump finds the event. A ring is a hint: input for another window rings it
 * too, and the woken wait then finds nothing and sleeps again.
 *
 * Layout of `cell` (Int32Array over a SharedArrayBuffer of DOORBELL_LAYOUT.BYTES):
 *   [RINGS] input events seen (wraps), notified on each bump; [STATE] starting/running/failed/stopped.
 *
 * Lifetime: `start()` resolves once the selection is in place; `stop()` ends the worker. The
 * cell stays valid (it simply stops ringing) after `stop()`.
 */
import { Worker } from 'node:worker_threads'
import { EnvironmentError, ErrorCode } from '../errors.js'

export const DOORBELL_LAYOUT = {
  INTS: 2,
  BYTES: 8,
  RINGS: 0,
  STATE: 1,
  STATE_STARTING: 0,
  STATE_RUNNING: 1,
  STATE_FAILED: 2,
  STATE_STOPPED: 3,
} as const
const L = DOORBELL_LAYOUT

export interface InputDoorbell {
  /** The counter a wait blocks on (`Atomics.wait(cell, 0, lastSeen)`); index 0 counts rings. */
  readonly cell: Int32Array
  readonly running: boolean
  /** Starts the worker; rejects with FL_INPUT_DOORBELL_UNAVAILABLE without XInput2 or a display. */
  start(): Promise<void>
  /** Ends the worker (idempotent). */
  stop(): Promise<void>
}

function unavailable(message: string): EnvironmentError {
  return new EnvironmentError(ErrorCode.INPUT_DOORBELL_UNAVAILABLE, `${message}; input is then found by polling SDL in short slices (about 0.25 ms later on average)`)
}

/** A doorbell on `display` (default `DISPLAY`). Call `start()`. */
export function createInputDoorbell(display: string = process.env['DISPLAY'] ?? '', timeoutMs = 3000): InputDoorbell {
  const cell = new Int32Array(new SharedArrayBuffer(L.BYTES))
  let worker: Worker | null = null
  let running = false

  const stop = async (): Promise<void> => {
    running = false
    const w = worker
    worker = null
    if (w === null) return
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
    w.postMessage({ type: 'stop' })
    const t = setTimeout(() => void w.terminate(), 500)
    await exited
    clearTimeout(t)
    Atomics.store(cell, L.STATE, L.STATE_STOPPED)
  }

  const start = (): Promise<void> => {
    if (worker !== null) return Promise.resolve()
    if (!display) return Promise.reject(unavailable('no X display for the input doorbell'))
    const w = new Worker(new URL('./input-doorbell-worker.js', import.meta.url), { workerData: { display, sab: cell.buffer } })
    worker = w
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const settle = (err: Error | null): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (err) {
          void stop().then(() => reject(err))
        } else {
          running = true
          w.unref()
          resolve()
        }
      }
      w.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'ready') settle(null)
        else if (m.type === 'error') settle(unavailable(`input doorbell on ${display}: ${m.message ?? 'failed'}`))
      })
      w.on('error', (err) => settle(unavailable(`input doorbell worker failed: ${err.message}`)))
      w.on('exit', () => {
        running = false
        settle(unavailable(`input doorbell worker exited before it was ready on ${display}`))
      })
      const timer = setTimeout(() => settle(unavailable(`input doorbell on ${display} not ready within ${timeoutMs} ms`)), timeoutMs)
    })
  }

  return {
    cell,
    get running() {
      return running
    },
    start,
    stop,
  }
}
