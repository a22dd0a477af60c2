/**
 * The fitting maths behind `PeriodEstimator` (see its file comment for the method): the sliding
 * window of (vblank index, time) samples with its least-squares line (`SampleWindow`), and the
 * start-up robust fit that finds the period from the first timestamps when there is no vblank
 * counter (`BootstrapFit`). Pure: no timers, no clock reads.
 *
 * Memory: each object owns fixed-size Float64Arrays allocated in its constructor; nothing
 * allocates afterwards. Results read every vblank go to the estimator's state array (the `S_*`
 * slots), not to object fields: V8 boxes some double object fields on write.
 */

/** Slots of the estimator's state array, which `SampleWindow.fit` writes. */
export const S_PERIOD = 0
export const S_PHASE = 1
export const S_PHASE_INDEX = 2
export const S_NOISE = 3
export const S_PERIOD_ERROR = 4
/** Length of the state array. */
export const S_LENGTH = 5

/** Timestamps the bootstrap collects before it looks for the period. */
export const BOOT = 12

/**
 * Ring of the last `size` (index, time) samples and the line through them. Write a sample at
 * `idx[head]` / `t[head]` and call `commit()`; `fit` then refits.
 */
export class SampleWindow {
  readonly size: number
  readonly minPeriod: number
  readonly maxPeriod: number
  // Ring of (index, time) samples, and each one's residual from the latest fit.
  readonly idx: Float64Array
  readonly t: Float64Array
  private readonly resid: Float64Array
  /** Slot the next sample goes to. */
  head = 0
  /** Samples in the ring, at most `size`. */
  count = 0

  constructor(size: number, minPeriod: number, maxPeriod: number) {
    this.size = size
    this.minPeriod = minPeriod
    this.maxPeriod = maxPeriod
    this.idx = new Float64Array(size)
    this.t = new Float64Array(size)
    this.resid = new Float64Array(size)
  }

  /** Slot of the newest sample (meaningful when `count > 0`). */
  get newest(): number {
    return (this.head + this.size - 1) % this.size
  }

  /** Forgets all samples. */
  clear(): void {
    this.head = 0
    this.count = 0
  }

  /** Accepts the sample written at `idx[head]` / `t[head]`. */
  commit(): void {
    this.head = (this.head + 1) % this.size
    if (this.count < this.size) this.count++
  }

  /**
   * Least-squares line time = phase + (index − phaseIndex) · period over the window, relative to
   * the newest sample for precision; then once more without samples beyond 3σ of the first fit.
   * Writes period (when plausible), phase, phaseIndex, noise and periodError into `st`.
   */
  fit(st: Float64Array): void {
    const n = this.count
    const w = this.size
    const newest = (this.head + w - 1) % w
    const i0 = this.idx[newest] as number
    const t0 = this.t[newest] as number
    if (n === 1) {
      st[S_PHASE] = t0
      st[S_PHASE_INDEX] = i0
      return
    }
    let slope = 0
    let icpt = 0
    let limit = Infinity
    for (let pass = 0; pass < 2; pass++) {
      let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0
      for (let k = 0; k < n; k++) {
        const j = (this.head + w - 1 - k) % w
        if (pass === 1 && Math.abs(this.resid[j] as number) > limit) continue
        const x = (this.idx[j] as number) - i0
        const y = (this.t[j] as number) - t0
        sx += x
        sy += y
        sxx += x * x
        sxy += x * y
        m++
      }
      const den = m * sxx - sx * sx
      if (m < 2 || den <= 0) break
      slope = (m * sxy - sx * sy) / den
      icpt = (sy - slope * sx) / m
      let ss = 0
      for (let k = 0; k < n; k++) {
        const j = (this.head + w - 1 - k) % w
        const included = pass === 0 || Math.abs(this.resid[j] as number) <= limit
        const r = (this.t[j] as number) - t0 - (icpt + slope * ((this.idx[j] as number) - i0))
        this.resid[j] = r
        if (included) ss += r * r
      }
      const sigma = Math.sqrt(ss / (m > 2 ? m - 2 : 1))
      st[S_NOISE] = sigma
      st[S_PERIOD_ERROR] = m > 2 ? sigma * Math.sqrt(m / den) : Infinity
      limit = 3 * sigma
      if (sigma === 0) break
    }
    if (slope >= this.minPeriod * 0.9 && slope <= this.maxPeriod * 1.1) st[S_PERIOD] = slope
    st[S_PHASE] = t0 + icpt
    st[S_PHASE_INDEX] = i0
  }
}

/**
 * Without MSC the first samples have no index. Collect BOOT of them; for candidate periods
 * median interval / m (m = 1, 2, …: intervals are multiples of the period when vblanks were
 * missed or frames took longer), index the samples interval by interval, fit a robust
 * (Theil–Sen) line and count the samples near it (an outlier spoils only itself). The longest
 * period that leaves at most 3 of 12 samples unexplained wins; only samples near its line are
 * kept. (Outliers that happen to sit on a sub-multiple of the period could still fool this;
 * with an MSC there is no such ambiguity.)
 *
 * The caller appends timestamps to `t` (strictly increasing, `count` of them) and calls `solve()`
 * once there are BOOT.
 */
export class BootstrapFit {
  readonly minPeriod: number
  readonly maxPeriod: number
  /** Collected timestamps (ms), oldest first; the first `count` are valid. */
  readonly t = new Float64Array(BOOT)
  count = 0
  /** After `solve()` succeeded: each sample's vblank index, and the line's slope (the period) and intercept. */
  readonly idx = new Float64Array(BOOT)
  slope = 0
  icpt = 0

  private readonly scratch = new Float64Array(BOOT)
  private readonly pairs = new Float64Array((BOOT * (BOOT - 1)) / 2)
  private candSlope = 0
  private candIcpt = 0
  private readonly candIdx = new Float64Array(BOOT)

  constructor(minPeriod: number, maxPeriod: number) {
    this.minPeriod = minPeriod
    this.maxPeriod = maxPeriod
  }

  /**
   * Looks for the period in the BOOT collected samples. True: `idx`, `slope` and `icpt` hold
   * the fit, `t` still holds the samples and `count` is 0. False: no consistent period yet; the
   * newest half is kept and collecting continues.
   */
  solve(): boolean {
    const boot = this.t
    const sorted = this.scratch
    for (let i = 1; i < BOOT; i++) sorted[i - 1] = (boot[i] as number) - (boot[i - 1] as number)
    sorted.subarray(0, BOOT - 1).sort()
    const median = sorted[(BOOT - 1) >> 1] as number
    // A shorter period (larger m) explains more samples by chance, so the longest period that
    // leaves at most 3 outliers wins; with none, wait for more samples rather than guess.
    let bestM = 0
    for (let m = 1; m <= 8; m++) {
      const p = median / m
      if (p < this.minPeriod * 0.9) break
      if (p > this.maxPeriod * 1.1) continue
      if (this.fit(p) >= BOOT - 3) {
        bestM = m
        break
      }
    }
    if (bestM > 0) {
      this.fit(median / bestM)
      this.count = 0
      return true
    }
    // No consistent period: keep the newest half and try again with more samples.
    boot.copyWithin(0, BOOT / 2, BOOT)
    this.count = BOOT / 2
    return false
  }

  /** True when sample `i` lies on the solved line (within 15% of a period): keep it. */
  onLine(i: number): boolean {
    const slope = this.slope
    const r = (this.t[i] as number) - (this.icpt + slope * (this.idx[i] as number))
    return Math.abs(r) <= 0.15 * slope
  }

  /**
   * Indexes the boot samples for period `p` and fits a Theil–Sen line; returns how many samples
   * lie near it. Indices are chained from the last sample that sat close to a whole number of
   * periods after its reference, so one outlier does not shift every later index; the chain is
   * tried from each of the first three samples (the first may itself be an outlier).
   */
  private fit(p: number): number {
    let best = -1
    for (let a = 0; a < 3; a++) {
      const near = this.fitFrom(p, a)
      if (near > best) {
        best = near
        this.slope = this.candSlope
        this.icpt = this.candIcpt
        this.idx.set(this.candIdx)
      }
    }
    return best
  }

  private fitFrom(p: number, a: number): number {
    const boot = this.t
    const idx = this.candIdx
    const ta = boot[a] as number
    idx[a] = 0
    for (let i = 0; i < a; i++) idx[i] = -Math.round((ta - (boot[i] as number)) / p)
    let ref = a
    for (let i = a + 1; i < BOOT; i++) {
      const n = ((boot[i] as number) - (boot[ref] as number)) / p
      const k = Math.max(1, Math.round(n))
      idx[i] = (idx[ref] as number) + k
      if (Math.abs(n - k) <= 0.25) ref = i
    }
    let k = 0
    const pairs = this.pairs
    for (let i = 0; i < BOOT; i++) {
      for (let j = i + 1; j < BOOT; j++) {
        const di = (idx[j] as number) - (idx[i] as number)
        if (di > 0) pairs[k++] = ((boot[j] as number) - (boot[i] as number)) / di
      }
    }
    if (k === 0) return 0
    pairs.subarray(0, k).sort()
    const slope = pairs[k >> 1] as number
    const sorted = this.scratch
    for (let i = 0; i < BOOT; i++) sorted[i] = (boot[i] as number) - slope * (idx[i] as number)
    sorted.subarray(0, BOOT).sort()
    const icpt = sorted[BOOT >> 1] as number
    let near = 0
    let ss = 0
    for (let i = 0; i < BOOT; i++) {
      const r = (boot[i] as number) - (icpt + slope * (idx[i] as number))
      if (Math.abs(r) <= 0.15 * p) {
        near++
        ss += r * r
      }
    }
    this.candSlope = slope
    this.candIcpt = icpt
    // Points scattered at random over a grid of spacing p have an RMS residual near 0.29 p; a
    // true period leaves only the jitter. A too-long candidate explains its "near" samples badly.
    if (near > 0 && Math.sqrt(ss / near) > 0.07 * p) return 0
    return near
  }
}
