/**
 * The input doorbell: a counter in shared memory that a worker thread bumps (and `Atomics.notify`s)
 * the moment the X server reports input, so the render thread's `Atomics.wait` slices end at
 * once and it pumps SDL then, not at the end of the slice.
 *
 * Why a second X connection: @kmamal/sdl cannot block waiting for events (no SDL_WaitEvent, no
 * access to its X connection's fd), so without a doorbell the ticker's wait polls SDL in 0.5 ms
 * slices and a key press waits a quarter of a millisecond on average. The service
 * (input-doorbell-worker.ts, on the shared X worker thread of x-worker.ts) asks for
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
 * Lifetime: `start()` resolves once the selection is in place; `stop()` ends the service. The
 * cell stays valid (it simply stops ringing) after `stop()`.
 */
import { EnvironmentError, ErrorCode } from '../errors.js'
import { startXService, type XService } from './x-worker.js'

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
  /** Starts the service; rejects with FL_INPUT_DOORBELL_UNAVAILABLE without XInput2 or a display. */
  start(): Promise<void>
  /** Ends the service (idempotent). */
  stop(): Promise<void>
}

function unavailable(message: string): EnvironmentError {
  return new EnvironmentError(ErrorCode.INPUT_DOORBELL_UNAVAILABLE, `${message}; input is then found by polling SDL in short slices (about 0.25 ms later on average)`)
}

/** A doorbell on `display` (default `DISPLAY`). Call `start()`. */
export function createInputDoorbell(display: string = process.env['DISPLAY'] ?? '', timeoutMs = 3000): InputDoorbell {
  const cell = new Int32Array(new SharedArrayBuffer(L.BYTES))
  let service: XService | null = null

  const stop = async (): Promise<void> => {
    const s = service
    service = null
    if (s === null) return
    await s.stop()
    Atomics.store(cell, L.STATE, L.STATE_STOPPED)
  }

  const start = (): Promise<void> => {
    if (service !== null) return service.ready
    if (!display) return Promise.reject(unavailable('no X display for the input doorbell'))
    const s = startXService({
      kind: 'doorbell', display, sab: cell.buffer as SharedArrayBuffer, window: 0, timeoutMs,
      fail: (why, detail) => unavailable(why === 'error'
        ? `input doorbell on ${display}: ${detail}`
        : why === 'timeout'
          ? `input doorbell on ${display} not ready within ${timeoutMs} ms`
          : why === 'crashed' ? `input doorbell worker failed: ${detail}` : `input doorbell ended before it was ready on ${display} (${detail})`),
    })
    service = s
    // A failed start leaves the doorbell stopped, so start() may be called again.
    s.ready.catch(() => {
      if (service === s) service = null
    })
    return s.ready
  }

  return {
    cell,
    get running() {
      return service?.running ?? false
    },
    start,
    stop,
  }
}
