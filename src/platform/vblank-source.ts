/**
 * A vblank clock from the X11 Present extension. A service on the shared X worker thread
 * (x-worker.ts; the service is vblank-worker.ts) runs the pure-JS `x11` client, asks for a
 * CompleteNotify at every vblank and publishes the newest
 * UST/MSC through a SharedArrayBuffer; the render thread reads it with `latest()`, which never
 * waits and allocates nothing. On Xvfb the CRTC is emulated at 60 Hz; on a real display these
 * are the real vblanks of the CRTC showing `window` (default: the root window's).
 *
 * Memory: the source owns a 48-byte SharedArrayBuffer and one `VblankSample`, rewritten by each
 * `latest()` (valid until the next call). The service lives from `start()` to `stop()`; once
 * started it does not keep the process alive.
 */
import { EnvironmentError, ErrorCode } from '../errors.js'
import { ustToMs } from '../clock.js'
import { checkDesc, descKeys } from '../check.js'
import { startXService, type XService } from './x-worker.js'

/** Shared-memory layout, shared with the worker. SEQ is a seqlock (odd while writing). */
export const VBLANK_LAYOUT = {
  INTS: 4,
  SEQ: 0,
  STATE: 1,
  FLOAT_OFFSET: 16,
  FLOATS: 4,
  UST: 0,
  MSC: 1,
  COUNT: 2,
  BYTES: 48,
  STATE_STARTING: 0,
  STATE_RUNNING: 1,
  STATE_FAILED: 2,
  STATE_STOPPED: 3,
} as const
const L = VBLANK_LAYOUT

export interface VblankSourceDesc {
  /** X display to connect to. Default `process.env.DISPLAY`. */
  display?: string
  /** X window whose CRTC is followed (e.g. the SDL window's XID). Default 0: the root window. */
  window?: number
  /** How long `start()` waits for the first vblank, ms. Default 3000. */
  timeoutMs?: number
}

/** The newest vblank. `seq` grows by one per vblank published (0: none yet). */
export interface VblankSample {
  seq: number
  /** UST, µs on CLOCK_MONOTONIC (same as `process.hrtime`). */
  ustUs: number
  /** UST converted to the framelatch clock, ms. */
  tMs: number
  /** Present's vblank counter. */
  msc: number
}

export interface VblankSource {
  readonly display: string
  /** The newest vblank (seqlock read, never waits). The object is reused by the next call. */
  latest(): VblankSample
  /** True between a successful `start()` and `stop()`. */
  readonly running: boolean
  /**
   * Starts the service; resolves at the first vblank. Rejects with VBLANK_UNAVAILABLE when the
   * display cannot be reached, has no Present extension, or sends no vblank within `timeoutMs`.
   */
  start(): Promise<void>
  /** Ends the service (idempotent). Resolves when its X connection is closed (the thread has exited when it was the last X service). */
  stop(): Promise<void>
}

function unavailable(message: string, details?: Record<string, unknown>): EnvironmentError {
  return new EnvironmentError(ErrorCode.VBLANK_UNAVAILABLE, message, details)
}

const VBLANK_SOURCE_KEYS = descKeys<VblankSourceDesc>({ display: true, window: true, timeoutMs: true })

/**
 * Creates a vblank source (not started). Throws VBLANK_UNAVAILABLE when no display is named and
 * DISPLAY is unset; pace from swap returns or a configured rate instead (the ticker does that
 * when it has no `vblank`).
 */
export function createVblankSource(desc: VblankSourceDesc = {}): VblankSource {
  checkDesc('createVblankSource', desc, VBLANK_SOURCE_KEYS, false)
  const display = desc.display ?? process.env['DISPLAY'] ?? ''
  if (!display) {
    throw unavailable('no X display for the vblank source: set DISPLAY or pass { display }, ' +
      'or run the ticker without a vblank source (it then paces from swap returns or TickerDesc.hz)')
  }
  const timeoutMs = desc.timeoutMs ?? 3000
  const sab = new SharedArrayBuffer(L.BYTES)
  const i32 = new Int32Array(sab, 0, L.INTS)
  const f64 = new Float64Array(sab, L.FLOAT_OFFSET, L.FLOATS)
  const sample: VblankSample = { seq: 0, ustUs: 0, tMs: 0, msc: 0 }
  let service: XService | null = null

  const latest = (): VblankSample => {
    for (let tries = 0; tries < 1000; tries++) {
      const s1 = Atomics.load(i32, L.SEQ)
      if (s1 & 1) continue
      const ust = f64[L.UST] as number
      const msc = f64[L.MSC] as number
      if (Atomics.load(i32, L.SEQ) !== s1) continue
      if (s1 !== sample.seq * 2) {
        sample.seq = s1 / 2
        sample.ustUs = ust
        sample.tMs = ustToMs(ust)
        sample.msc = msc
      }
      break
    }
    return sample
  }

  const stop = async (): Promise<void> => {
    const s = service
    service = null
    if (s !== null) await s.stop()
  }

  const start = (): Promise<void> => {
    if (service !== null) return service.ready
    Atomics.store(i32, L.STATE, L.STATE_STARTING)
    service = startXService({
      kind: 'vblank', display, sab, window: desc.window ?? 0, timeoutMs,
      fail: (why, detail) => unavailable(why === 'error'
        ? `vblank source on ${display}: ${detail}; pace without it (omit TickerDesc.vblank) or use an X server with the Present extension`
        : why === 'timeout'
          ? `no vblank from ${display} within ${timeoutMs} ms; check that the X server runs and has the Present extension, or pace without a vblank source`
          : why === 'crashed' ? `vblank worker failed: ${detail}` : `vblank worker ended before the first vblank on ${display} (${detail})`, { display }),
    })
    const s = service
    // A failed start leaves the source stopped, so start() may be called again.
    s.ready.catch(() => {
      if (service === s) service = null
    })
    return s.ready
  }

  return {
    display,
    latest,
    get running() {
      return service?.running ?? false
    },
    start,
    stop,
  }
}
