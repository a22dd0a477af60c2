/**
 * framelatch's one clock: monotonic milliseconds as a float, on the `performance.now()` basis
 * (zero at this thread's time origin, sub-microsecond resolution, never jumps with wall time).
 * Every `*Ms` timestamp in `src/sync` is on this clock unless its name says otherwise.
 *
 * Worker threads have their own `performance.timeOrigin`, so timestamps cross threads as raw
 * `process.hrtime` microseconds (or X11 Present UST, which is the same thing) and are converted
 * here, on the thread that reads them.
 *
 * X11 Present UST: the X server stamps each vblank with `GetTimeInMicros()`, which is
 * `clock_gettime(CLOCK_MONOTONIC)` in µs, the clock libuv's `uv_hrtime` (and so
 * `process.hrtime` and `performance.now`) reads. Verified on Xvfb: a CompleteNotify's UST is
 * 0.3–0.6 ms before `process.hrtime` at the moment the event is parsed (test/sync/clock.test.mjs).
 */

/** Now, in ms on the framelatch clock. Allocation-free. */
export const nowMs: () => number = performance.now.bind(performance)

/** `process.hrtime` in µs as a float (exact below 2^53 µs, i.e. ~285 years of uptime). */
export function hrtimeUs(): number {
  const t = process.hrtime()
  return t[0] * 1e6 + t[1] / 1e3
}

/**
 * The offset `hrtime ms − performance.now()`, measured once per thread by bracketing one
 * hrtime read with two clock reads and keeping the tightest bracket of a few tries.
 * Both clocks read CLOCK_MONOTONIC, so the offset is constant for the life of the thread.
 */
function measureOffset(tries: number): { offsetMs: number; uncertaintyMs: number } {
  let best = Infinity
  let offset = 0
  for (let i = 0; i < tries; i++) {
    const a = performance.now()
    const h = hrtimeUs() / 1000
    const b = performance.now()
    if (b - a < best) {
      best = b - a
      offset = h - (a + b) / 2
    }
  }
  return { offsetMs: offset, uncertaintyMs: best / 2 }
}

const measured = measureOffset(16)

/** `hrtime ms − nowMs()` on this thread (constant). */
export const HRTIME_OFFSET_MS: number = measured.offsetMs
/** Half the tightest bracket seen while measuring the offset: the conversion's error bound. */
export const HRTIME_OFFSET_UNCERTAINTY_MS: number = measured.uncertaintyMs

/** Converts X11 Present UST (or `process.hrtime`) microseconds to ms on the framelatch clock. */
export function ustToMs(ustUs: number): number {
  return ustUs / 1000 - HRTIME_OFFSET_MS
}

/** Converts ms on the framelatch clock to UST / `process.hrtime` microseconds. */
export function msToUst(ms: number): number {
  return (ms + HRTIME_OFFSET_MS) * 1000
}

/**
 * A clock the ticker and the precise wait can be driven by. The real one is `systemClock`;
 * tests inject a virtual one and advance it by hand.
 */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: nowMs }
