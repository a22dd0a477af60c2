/**
 * A vblank clock from the X11 Present extension. A worker thread (vblank-worker.ts) runs the
 * pure-JS `x11` client, asks for a CompleteNotify at every vblank and publishes the newest
 * UST/MSC through a SharedArrayBuffer; the render thread reads it with `latest()`, which never
 * waits and allocates nothing. On Xvfb the CRTC is emulated at 60 Hz; on a real display these
 * are the real vblanks of the CRTC showing `window` (default: the root window's).
 *
 * Memory: the source owns a 48-byte SharedArrayBuffer and one `VblankSample`, rewritten by each
 * `latest()` (valid until the next call). The worker lives from `start()` to `stop()`; it is
 * unref'd, so a forgotten source does not keep the process alive.
 */
import { Worker } from 'node:worker_threads'
import { EnvironmentError, ErrorCode } from '../errors.js'
import { ustToMs } from '../clock.js'
import { checkDesc, descKeys } from '../check.js'

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
   * Starts the worker; resolves at the first vblank. Rejects with VBLANK_UNAVAILABLE when the
   * display cannot be reached, has no Present extension, or sends no vblank within `timeoutMs`.
   */
  start(): Promise<void>
  /** Ends the worker (idempotent). Resolves when the thread has exited. */
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
  let worker: Worker | null = null
  let running = false

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
    running = false
    const w = worker
    worker = null
    if (w === null) return
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
    w.postMessage({ type: 'stop' })
    const t = setTimeout(() => void w.terminate(), 500)
    await exited
    clearTimeout(t)
  }

  const start = (): Promise<void> => {
    if (worker !== null) return Promise.resolve()
    Atomics.store(i32, L.STATE, L.STATE_STARTING)
    const w = new Worker(new URL('./vblank-worker.js', import.meta.url), {
      workerData: { display, window: desc.window ?? 0, sab },
    })
    worker = w
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const settle = (err: Error | null): void => {
        if (settled) return
        settled = true
        clearInterval(check)
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
        if (m.type === 'error') settle(unavailable(`vblank source on ${display}: ${m.message}; ` +
          'pace without it (omit TickerDesc.vblank) or use an X server with the Present extension', { display }))
      })
      w.on('error', (err) => settle(unavailable(`vblank worker failed: ${err.message}`, { display })))
      w.on('exit', () => {
        running = false
        settle(unavailable(`vblank worker exited before the first vblank on ${display}`, { display }))
      })
      // The first vblank is seen through shared memory, like every later one.
      const check = setInterval(() => {
        if (Atomics.load(i32, L.STATE) === L.STATE_RUNNING) settle(null)
      }, 2)
      const timer = setTimeout(() => settle(unavailable(`no vblank from ${display} within ${timeoutMs} ms; ` +
        'check that the X server runs and has the Present extension, or pace without a vblank source', { display })), timeoutMs)
    })
  }

  return {
    display,
    latest,
    get running() {
      return running
    },
    start,
    stop,
  }
}
