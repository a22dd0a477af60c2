/**
 * The ticker's `maxHz` limit as a token bucket holding `MAX_HZ_BURST` frames and refilled at
 * `maxHz`: sustained, frames never come faster than `maxHz` (a flood of pointer motion cannot
 * spin the loop), yet an input that arrives shortly after a paced frame starts its frame at once
 * instead of waiting out 1 / maxHz behind it (measured from outside: that wait delayed about a
 * quarter of key presses by up to 4 ms at the default 240).
 *
 * Times are ms on the ticker's scheduler clock. Results go to a field, not a return value, so no
 * double is boxed when a call is not inlined.
 */

/** Frames the maxHz bucket holds: one for a paced frame, one for an input frame right after it. */
export const MAX_HZ_BURST = 2

export class MaxHzBucket {
  /** Set by `plan`: the earliest time a frame may start (-Infinity before the first `plan`). */
  earliestStart = -Infinity
  // Frames available, as of `creditAt`.
  private credit = MAX_HZ_BURST
  private creditAt = NaN

  constructor(readonly maxHz: number) {}

  /** Refills up to `now` and sets `earliestStart`: now when a frame is available, else when one will be. */
  plan(now: number): void {
    this.refill(now)
    this.earliestStart = this.credit >= 1 ? now : now + ((1 - this.credit) * 1000) / this.maxHz
  }

  /** A frame started at `now`: refill, then spend one frame. */
  take(now: number): void {
    this.refill(now)
    this.credit = this.credit > 1 ? this.credit - 1 : 0
  }

  private refill(now: number): void {
    if (!Number.isNaN(this.creditAt)) {
      const c = this.credit + ((now - this.creditAt) * this.maxHz) / 1000
      this.credit = c < MAX_HZ_BURST ? c : MAX_HZ_BURST
    }
    this.creditAt = now
  }
}
