/**
 * The ticker's sources of time: the scheduler it reads the clock from and waits on (injectable,
 * so tests run on a virtual clock and no real time passes), and the vblank feed it reads at each
 * frame start.
 */
import { nowMs } from '../../clock.js'
import { PreciseWaiter, type PreciseWaitOptions } from '../precise-wait.js'

/** Time source and waiting, injectable for tests. */
export interface TickerScheduler {
  now(): number
  /**
   * Calls `done(true)` when woken early (input, `wake()`), `done(false)` at `targetMs`; exactly
   * once, possibly before returning. One wait at a time.
   */
  waitUntil(targetMs: number, opts: PreciseWaitOptions, done: (woken: boolean) => void): void
  /** Ends the pending wait early. */
  wake(): void
}

/** A vblank feed (see `createVblankSource`): the newest vblank, read without waiting. */
export interface VblankFeed {
  /** Preallocated; `seq` grows by one per vblank published, 0 before the first. */
  latest(): { readonly seq: number; readonly tMs: number; readonly msc: number }
}

/** The default scheduler: the framelatch clock and a private `PreciseWaiter`. */
export function createSystemScheduler(): TickerScheduler {
  const waiter = new PreciseWaiter()
  return {
    now: nowMs,
    waitUntil: (t, o, done) => waiter.waitUntilThen(t, o, done),
    wake: () => waiter.wake(),
  }
}
