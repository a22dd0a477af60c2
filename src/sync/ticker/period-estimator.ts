/**
 * Refresh period and phase from vblank timestamps (X11 Present UST + MSC) or, where there is no
 * vblank clock, from swap-return timestamps. Pure: no timers, no clock reads; feed it timestamps
 * (framelatch clock, ms) and read the estimate. Allocation-free after construction.
 *
 * How (and why not Swappy's filter as is): Swappy nudges its period by delta/25 per vsync. With
 * 0.2 ms of timestamp jitter that leaves ~40 µs of noise on the period, 1% at 240 Hz. Here each
 * sample is locked to a vblank *index* (the MSC when known, else the nearest whole number of
 * periods since the previous sample, the way Swappy uses MSC deltas and ignores unexplained gaps),
 * and period and phase are the least-squares line through the last `window` (index, time)
 * pairs: the phase-locked loop's fixed point, solved directly. Missed vblanks cost nothing (the
 * index jumps); a sample whose residual is far off the line, or that falls between two vblanks,
 * is an outlier and is dropped; `resetAfterOutliers` outliers in a row mean the display changed
 * and the filter restarts.
 *
 * Swap-return timestamps are vblank timestamps only when the swap blocks for vsync. The first
 * `swapProbe` swaps are checked: when most of them block for less than `nonBlockingMs`, swaps
 * do not wait for the display (Xvfb, vsync off) and the estimator free-runs at `hz`.
 *
 * The fitting maths (the window's least-squares line, the start-up robust fit) are in
 * period-fit.ts; this class decides which samples reach them.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import { BOOT, BootstrapFit, SampleWindow, S_LENGTH, S_NOISE, S_PERIOD, S_PERIOD_ERROR, S_PHASE, S_PHASE_INDEX } from './period-fit.js'

export interface PeriodEstimatorDesc {
  /** Nominal refresh rate, used before calibration and when swaps do not block. Default 60. */
  hz?: number
  /** Slowest plausible display. Default 20. */
  minHz?: number
  /** Fastest plausible display. Default 500. */
  maxHz?: number
  /** Samples in the sliding fit. Default 128. */
  window?: number
  /** Samples needed before `calibrated` may become true. Default 16. */
  calibrateSamples?: number
  /** Outliers in a row that restart the filter. Default 8. */
  resetAfterOutliers?: number
  /** Swaps checked for blocking before deciding. Default 16. */
  swapProbe?: number
  /** A swap that blocked less than this (ms) did not wait for a vblank. Default 0.5. */
  nonBlockingMs?: number
}

const IO_T = 0
const IO_MSC = 1
const IO_INDEX = 2

export class PeriodEstimator {
  readonly hz: number
  readonly minPeriod: number
  readonly maxPeriod: number
  readonly window: number
  readonly calibrateSamples: number
  readonly resetAfterOutliers: number
  readonly swapProbe: number
  readonly nonBlockingMs: number

  // period, phase, phaseIndex, noise, periodError live in a Float64Array: V8 boxes some double
  // object fields on write, and these change every vblank.
  private readonly st = new Float64Array(S_LENGTH)
  /** Estimated refresh period, ms (nominal `1000 / hz` until there is data). */
  get period(): number {
    return this.st[S_PERIOD] as number
  }
  /** Fitted time (ms) of the newest vblank seen: the phase anchor. NaN before any sample. */
  get phase(): number {
    return this.st[S_PHASE] as number
  }
  /** Vblank index of `phase` (MSC when known). */
  get phaseIndex(): number {
    return this.st[S_PHASE_INDEX] as number
  }
  /** RMS residual of the fit, ms: the timestamp jitter. */
  get noise(): number {
    return this.st[S_NOISE] as number
  }
  /** Standard error of `period`, ms. */
  get periodError(): number {
    return this.st[S_PERIOD_ERROR] as number
  }
  /** Samples accepted / rejected as outliers since the last reset. */
  accepted = 0
  outliers = 0
  /** Times the filter restarted because the timestamps no longer fit. */
  resets = 0
  /** True once swaps were found not to block for vsync; the estimator then free-runs at `hz`. */
  nonBlocking = false
  /** True once the swap probe has decided (blocking or not). */
  swapProbeDone = false

  private readonly io = new Float64Array(3)
  // Ring of (index, time) samples and the least-squares fit through them.
  private readonly ring: SampleWindow
  private usesMsc = -1 // -1 unknown, 0 synthetic indices, 1 MSC
  private consecutiveOutliers = 0
  // Bootstrap buffer for synthetic indices (no MSC): the period is not known yet.
  private readonly boot: BootstrapFit
  private haveVblank = false
  private readonly swapBlocked: Float64Array
  private swapCount = 0

  constructor(desc: PeriodEstimatorDesc = {}) {
    const hz = desc.hz ?? 60
    const minHz = desc.minHz ?? 20
    const maxHz = desc.maxHz ?? 500
    const window = desc.window ?? 128
    const calibrateSamples = desc.calibrateSamples ?? 16
    const check = (ok: boolean, field: string, what: string, value: unknown): void => {
      if (!ok) {
        throw new ValidationError(ErrorCode.TICKER_CONFIG, `PeriodEstimatorDesc.${field} is ${String(value)}; it must be ${what}`, {
          field, value,
        })
      }
    }
    check(Number.isFinite(minHz) && minHz > 0, 'minHz', 'a positive number', minHz)
    check(Number.isFinite(maxHz) && maxHz > minHz, 'maxHz', 'a number above minHz', maxHz)
    check(Number.isFinite(hz) && hz >= minHz && hz <= maxHz, 'hz', `a number from minHz (${minHz}) to maxHz (${maxHz})`, hz)
    check(Number.isInteger(window) && window >= 8 && window <= 4096, 'window', 'an integer from 8 to 4096', window)
    check(Number.isInteger(calibrateSamples) && calibrateSamples >= 2 && calibrateSamples <= window, 'calibrateSamples',
      'an integer from 2 to window', calibrateSamples)
    this.hz = hz
    this.minPeriod = 1000 / maxHz
    this.maxPeriod = 1000 / minHz
    this.window = window
    this.calibrateSamples = calibrateSamples
    this.resetAfterOutliers = desc.resetAfterOutliers ?? 8
    this.swapProbe = desc.swapProbe ?? 16
    this.nonBlockingMs = desc.nonBlockingMs ?? 0.5
    this.st[S_PERIOD] = 1000 / hz
    this.st[S_PHASE] = NaN
    this.st[S_PERIOD_ERROR] = Infinity
    this.ring = new SampleWindow(window, this.minPeriod, this.maxPeriod)
    this.boot = new BootstrapFit(this.minPeriod, this.maxPeriod)
    this.swapBlocked = new Float64Array(this.swapProbe)
  }

  /** Enough samples, and the period known to 0.1% (or free-running on non-blocking swaps). */
  get calibrated(): boolean {
    if (this.nonBlocking) return true
    return this.ring.count >= this.calibrateSamples && this.periodError < this.period * 1e-3
  }

  /**
   * 0..1: how far to trust the estimate. The product of the window's fill and how small the
   * timestamp jitter is against the period: exp(−jitter / (10% of a period)), so 1 at zero
   * jitter, 0.37 at 10% (Xvfb's timer-driven vblanks sit near 2%, about 0.8).
   * Free-running (non-blocking swaps) reports 0.5: the rate is assumed, not measured.
   */
  get confidence(): number {
    if (this.nonBlocking) return 0.5
    if (this.ring.count < 2) return 0
    const fill = Math.min(1, this.ring.count / this.window)
    return fill * Math.exp(-this.noise / (0.1 * this.period))
  }

  /** Samples in the current fit. */
  get samples(): number {
    return this.ring.count
  }

  /** Forgets all samples (keeps the swap-probe verdict). */
  reset(): void {
    this.ring.clear()
    this.usesMsc = -1
    this.boot.count = 0
    this.consecutiveOutliers = 0
    this.st[S_PHASE] = NaN
    this.st[S_NOISE] = 0
    this.st[S_PERIOD_ERROR] = Infinity
    this.st[S_PERIOD] = 1000 / this.hz
    this.accepted = 0
    this.outliers = 0
  }

  /**
   * Adds one vblank timestamp (ms). `msc` is the vblank counter when the source has one
   * (X11 Present), else -1. Returns false when the sample was rejected as an outlier.
   */
  addVblank(tMs: number, msc = -1): boolean {
    this.haveVblank = true
    // Arguments travel through `io`, not parameters: a double passed to a call V8 does not
    // inline is boxed (a heap allocation per frame).
    this.io[IO_T] = tMs
    this.io[IO_MSC] = msc
    return this.add()
  }

  /**
   * Adds a swap return: `tMs` when the swap call returned, `blockedMs` how long it blocked.
   * Ignored when a vblank source feeds `addVblank`. Returns false when not used as a vblank.
   */
  addSwap(tMs: number, blockedMs: number): boolean {
    if (this.haveVblank) return false
    if (!this.swapProbeDone) {
      this.swapBlocked[this.swapCount++] = blockedMs
      if (this.swapCount >= this.swapProbe) {
        this.swapProbeDone = true
        const b = this.swapBlocked
        b.sort()
        const median = b[b.length >> 1] as number
        if (median < this.nonBlockingMs) {
          this.nonBlocking = true
          this.st[S_PERIOD] = 1000 / this.hz
          this.st[S_PERIOD_ERROR] = 0
          if (Number.isNaN(this.phase)) {
            this.st[S_PHASE] = tMs
            this.st[S_PHASE_INDEX] = 0
          }
          return false
        }
      }
    }
    if (this.nonBlocking) return false
    this.io[IO_T] = tMs
    this.io[IO_MSC] = -1
    return this.add()
  }

  /** Anchors the free-running phase (used when swaps do not block and there is no vblank clock). */
  anchor(tMs: number): void {
    if (this.ring.count === 0) {
      this.st[S_PHASE] = tMs
      this.st[S_PHASE_INDEX] = 0
    }
  }

  /** Predicted time of the first vblank strictly after `tMs` (ms). */
  nextVblankAfter(tMs: number): number {
    return this.phase + this.period * (Math.floor((tMs - this.phase) / this.period) + 1)
  }

  /** Vblank index (MSC when known) of the predicted vblank nearest `tMs`. */
  indexAt(tMs: number): number {
    return this.phaseIndex + Math.round((tMs - this.phase) / this.period)
  }

  /** Predicted time of vblank `index`. */
  timeOf(index: number): number {
    return this.phase + (index - this.phaseIndex) * this.period
  }

  // ------------------------------------------------------------------ internals

  private add(): boolean {
    const tMs = this.io[IO_T] as number
    const msc = this.io[IO_MSC] as number
    const mode = msc >= 0 ? 1 : 0
    if (this.usesMsc !== mode) {
      if (this.usesMsc !== -1) this.reset()
      this.usesMsc = mode
    }
    const ring = this.ring
    if (ring.count === 0 && mode === 0) return this.bootstrap()
    let index: number
    if (ring.count > 0) {
      const newest = ring.newest
      const lastIdx = ring.idx[newest] as number
      const lastT = ring.t[newest] as number
      if (mode === 1) {
        index = msc
        if (index === lastIdx) return false // duplicate read of the same vblank
        if (index < lastIdx) {
          this.resets++
          this.reset()
          this.usesMsc = 1
          this.io[IO_INDEX] = index
    this.pushIo()
          return true
        }
      } else {
        const n = (tMs - lastT) / this.period
        const k = Math.round(n)
        if (k < 1 || Math.abs(n - k) > 0.25) return this.reject()
        index = lastIdx + k
      }
      if (ring.count >= 4) {
        const pred = this.phase + (index - this.phaseIndex) * this.period
        const r = tMs - pred
        let limit = 6 * this.noise
        if (limit < 0.5) limit = 0.5
        if (limit > 0.3 * this.period) limit = 0.3 * this.period
        if (r > limit || r < -limit) return this.reject()
      } else if (mode === 1) {
        const per = (tMs - lastT) / (index - lastIdx)
        if (per < this.minPeriod * 0.9 || per > this.maxPeriod * 1.1) return this.reject()
      }
    } else {
      index = msc
    }
    this.consecutiveOutliers = 0
    this.io[IO_INDEX] = index
    this.pushIo()
    return true
  }

  private reject(): boolean {
    const msc = this.io[IO_MSC] as number
    this.outliers++
    if (++this.consecutiveOutliers >= this.resetAfterOutliers) {
      // The display changed (mode switch, new monitor): start over from this sample.
      this.resets++
      this.reset()
      if (msc >= 0) {
        this.usesMsc = 1
        this.io[IO_INDEX] = msc
        this.pushIo()
      } else {
        this.usesMsc = 0
        this.bootstrap()
      }
    }
    return false
  }

  /**
   * Without MSC the first samples have no index: collect BOOT of them, then keep those on the
   * line `BootstrapFit` finds (see there for how).
   */
  private bootstrap(): boolean {
    const tMs = this.io[IO_T] as number
    const boot = this.boot
    if (boot.count > 0 && tMs <= (boot.t[boot.count - 1] as number)) return false
    boot.t[boot.count++] = tMs
    if (boot.count < BOOT) return true
    if (!boot.solve()) return false
    this.st[S_PERIOD] = boot.slope
    for (let i = 0; i < BOOT; i++) {
      if (boot.onLine(i)) {
        this.io[IO_T] = boot.t[i] as number
        this.io[IO_INDEX] = boot.idx[i] as number
        this.pushIo()
      }
      else this.outliers++
    }
    return true
  }

  /** Appends (io[IO_INDEX], io[IO_T]) to the window and refits. */
  private pushIo(): void {
    const ring = this.ring
    ring.idx[ring.head] = this.io[IO_INDEX] as number
    ring.t[ring.head] = this.io[IO_T] as number
    ring.commit()
    this.accepted++
    ring.fit(this.st)
  }
}
