/**
 * Predicts the next frame's CPU cost as a high percentile (default p95) of the last `window`
 * frame costs (Chromium uses an adaptive percentile of draw times the same way). A percentile,
 * not a mean: scheduling on the mean misses the deadline on every frame slower than average.
 * Costs older than `maxAgeMs` are forgotten once `minSamples` newer ones exist: an app's first
 * frames (shader compiles on first use, atlas rasterising: 100-200 ms on llvmpipe) would
 * otherwise be the p95 of a sparse window, and a frame every 16 vblanks keeps them there for
 * 120 frames, half a minute (seen on the trading terminal under load: paced frames 262 ms apart).
 *
 * Memory: three preallocated Float64Arrays of `window` entries, owned by this object. `add` and
 * `predict` allocate nothing (the percentile is a quickselect on a scratch copy).
 */
import { ErrorCode, ValidationError } from '../../errors.js'

export interface FrameCostDesc {
  /** Frame costs remembered. Default 120 (2 s at 60 Hz). */
  window?: number
  /** Percentile predicted, in (0, 1]. Default 0.95. */
  percentile?: number
  /** Predicted cost (ms) before `minSamples` costs were seen. Default 2. */
  initialMs?: number
  /** Costs needed before the percentile replaces `initialMs`. Default 8. */
  minSamples?: number
  /** A cost older than this (ms) is forgotten once `minSamples` newer ones exist. Default 2000. */
  maxAgeMs?: number
}

export class FrameCostPredictor {
  readonly window: number
  readonly percentile: number
  readonly initialMs: number
  readonly minSamples: number
  readonly maxAgeMs: number
  private readonly ring: Float64Array
  private readonly at: Float64Array
  private readonly scratch: Float64Array
  private head = 0
  private count = 0
  private cached = -1
  /** Costs the cached prediction was taken over (the window shrinks as costs age out). */
  private cachedOver = 0

  constructor(desc: FrameCostDesc = {}) {
    const window = desc.window ?? 120
    const percentile = desc.percentile ?? 0.95
    const initialMs = desc.initialMs ?? 2
    const minSamples = desc.minSamples ?? 8
    const maxAgeMs = desc.maxAgeMs ?? 2000
    const bad = (field: string, what: string, value: unknown): never => {
      throw new ValidationError(ErrorCode.TICKER_CONFIG, `FrameCostDesc.${field} is ${String(value)}; it must be ${what}`, {
        field, value,
      })
    }
    if (!Number.isInteger(window) || window < 1 || window > 65536) bad('window', 'an integer from 1 to 65536', window)
    if (!(percentile > 0 && percentile <= 1)) bad('percentile', 'a number in (0, 1]', percentile)
    if (!(initialMs >= 0 && Number.isFinite(initialMs))) bad('initialMs', 'a finite number ≥ 0', initialMs)
    if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > window) bad('minSamples', 'an integer from 1 to window', minSamples)
    if (!(maxAgeMs > 0)) bad('maxAgeMs', 'a number of ms > 0 (Infinity: never forget)', maxAgeMs)
    this.window = window
    this.percentile = percentile
    this.initialMs = initialMs
    this.minSamples = minSamples
    this.maxAgeMs = maxAgeMs
    this.ring = new Float64Array(window)
    this.at = new Float64Array(window)
    this.scratch = new Float64Array(window)
  }

  /** Costs currently remembered. */
  get samples(): number {
    return this.count
  }

  /**
   * Records one frame's cost in ms (negative and non-finite values are ignored), ended at `atMs`
   * on the caller's clock (default: never ages out).
   */
  add(costMs: number, atMs = Infinity): void {
    if (!(costMs >= 0) || costMs === Infinity) return
    this.ring[this.head] = costMs
    this.at[this.head] = atMs
    this.head = (this.head + 1) % this.window
    if (this.count < this.window) this.count++
    this.cached = -1
  }

  /** The predicted cost of the next frame, ms, at `nowMs` on the clock `add` was given (ages costs out). */
  predict(nowMs = -Infinity): number {
    if (this.count < this.minSamples) {
      let max = this.initialMs
      for (let i = 0; i < this.count; i++) if ((this.ring[i] as number) > max) max = this.ring[i] as number
      return max
    }
    // Newest first: the newest minSamples always count, older ones while younger than maxAgeMs.
    const oldest = nowMs - this.maxAgeMs
    let n = this.minSamples
    while (n < this.count && (this.at[(this.head - 1 - n + 2 * this.window) % this.window] as number) >= oldest) n++
    if (this.cached >= 0 && n === this.cachedOver) return this.cached
    const a = this.scratch
    for (let j = 0; j < n; j++) a[j] = this.ring[(this.head - 1 - j + 2 * this.window) % this.window] as number
    const k = Math.min(n - 1, Math.ceil(this.percentile * n) - 1)
    this.cached = select(a, n, k)
    this.cachedOver = n
    return this.cached
  }

  reset(): void {
    this.head = 0
    this.count = 0
    this.cached = -1
  }
}

/** k-th smallest of a[0..n) (Hoare quickselect, in place, no allocation). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0
  let hi = n - 1
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const tmp = a[i] as number
        a[i] = a[j] as number
        a[j] = tmp
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else break
  }
  return a[k] as number
}
