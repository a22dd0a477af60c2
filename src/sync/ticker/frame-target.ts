/**
 * Where a paced frame aims: the vblank it should be shown at, when it must start to make it
 * (predicted vblank − predicted frame cost − margin, Swappy's `base + period − workDuration`),
 * how many vblanks it drops, and how many vblanks apart frames go when the predicted cost
 * exceeds a period (`frameInterval`).
 *
 * Drops: a frame that cannot make its vblank targets the next reachable one; at most one frame
 * per vblank, so there are never catch-up bursts.
 *
 * Memory: `plan` writes into the ticker's one `FrameTiming` object and allocates nothing.
 */
import type { FrameCostPredictor } from './frame-cost.js'
import type { FrameTiming } from './frame-timing.js'
import type { PeriodEstimator } from './period-estimator.js'

export class FrameTarget {
  /**
   * Vblanks per frame in the paced modes: 1 while the predicted frame cost fits in a period,
   * more when it does not (then `dtMs` is a steady multiple of the period, not alternating).
   */
  frameInterval = 1
  /** Predicted present time (ms) of the last frame that started; NaN before the first. */
  lastPresent = NaN

  constructor(
    private readonly estimator: PeriodEstimator,
    private readonly cost: FrameCostPredictor,
    private readonly marginMs: number,
    private readonly timing: FrameTiming,
  ) {}

  /**
   * Sets timing.targetStartMs / predictedPresentMs / dropped / predictedCostMs for a frame that
   * may start at `now` at the earliest. `oneFramePerVblank`: never target the vblank the
   * previous frame targeted (paced), so late frames skip instead of bursting.
   */
  plan(now: number, oneFramePerVblank: boolean): void {
    const t = this.timing
    const est = this.estimator
    const cost = this.cost.predict(now)
    const lead = cost + this.marginMs
    // No vblank or swap seen yet: there is no vblank to aim for, so the first frame starts now,
    // and the phase is anchored where it will present. (Anchored at `now`, it waited most of a
    // period for a vblank nobody had seen: 17 ms of every engine's start-up.)
    if (Number.isNaN(est.phase)) est.anchor(now + lead)
    const period = est.period
    // Frames run one at a time, so one a vblank is sustainable only while the predicted cost
    // fits in a period. Otherwise present every `interval` vblanks (Swappy's swap interval):
    // a steady 30 Hz beats alternating 16.7/33.3 ms frames. Hysteresis: step down only when the
    // cost fits 90% of the shorter interval.
    if (oneFramePerVblank) {
      const need = cost / period
      let iv = this.frameInterval
      if (need > iv) iv = Math.ceil(need)
      else while (iv > 1 && need < (iv - 1) * 0.9) iv--
      this.frameInterval = iv
    }
    let present = est.nextVblankAfter(now + lead - 1e-6)
    const minGap = (oneFramePerVblank ? this.frameInterval - 0.5 : 0.5) * period
    if (oneFramePerVblank && !Number.isNaN(this.lastPresent) && present < this.lastPresent + minGap) {
      present = est.nextVblankAfter(this.lastPresent + minGap)
    }
    let dropped = 0
    if (!Number.isNaN(this.lastPresent)) {
      const gap = Math.round((present - this.lastPresent) / period) - this.frameInterval
      if (gap > 0) dropped = gap
    }
    t.predictedCostMs = cost
    t.predictedPresentMs = present
    t.targetStartMs = present - lead
    t.dropped = oneFramePerVblank ? dropped : 0
  }
}
