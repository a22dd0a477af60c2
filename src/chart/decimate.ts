/**
 * Dense-series decimation for line charts: M4 (first, min, max, last per pixel column), so a series
 * of any length draws as at most 4 points per column of the plot and its drawn envelope is the
 * same as drawing every point (Jugel et al., "M4: a visualization-oriented time series data
 * aggregation", VLDB 2014).
 *
 * Why a pyramid: a column of a zoomed-out chart can cover hundreds of thousands of points, and a
 * linear scan of the visible range costs ~1 ns a point every frame of a pan. The series keeps the
 * min and max of aligned blocks of 8, 16, 32, ... points (with their indices), so the min and max of
 * any range come from O(log n) blocks, and a frame costs O(columns × log n) whatever the zoom.
 * Appending a point updates its O(log n) blocks, so a live series stays queryable.
 *
 * Memory: the series owns its x and y storage and the pyramid (about 1.5 × 16 bytes a point at
 * capacity, grown by doubling); `decimate` writes into the caller's `Float32Array` and allocates
 * nothing. x must not decrease (time series); y may be anything finite (NaN points are skipped).
 */
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, ValidationError } from '../errors.js'

/** log2 of the smallest pyramid block: ranges shorter than 2 blocks are scanned point by point. */
const BASE_SHIFT = 3

export interface SeriesDesc {
  /** Points the series holds before it grows (doubling). Default 1024. */
  capacity?: number
}

const SERIES_KEYS = descKeys<SeriesDesc>({ capacity: true })

export class DenseSeries {
  private xs: Float64Array
  private ys: Float64Array
  /** Level k (k ≥ 1) holds blocks of 2^(BASE_SHIFT + k - 1) points: min/max values and their indices. */
  private minV: Float64Array[] = []
  private maxV: Float64Array[] = []
  private minI: Int32Array[] = []
  private maxI: Int32Array[] = []
  private n = 0

  constructor(desc: SeriesDesc = {}) {
    checkDesc('createSeries', desc, SERIES_KEYS, true)
    const capacity = desc.capacity ?? 1024
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `createSeries: capacity must be a positive integer, got ${String(capacity)}`)
    }
    this.xs = new Float64Array(capacity)
    this.ys = new Float64Array(capacity)
    this.allocatePyramid(capacity)
  }

  /** Points in the series. */
  get length(): number {
    return this.n
  }
  /** x of the first and last point (NaN when empty). */
  get firstX(): number {
    return this.n > 0 ? this.xs[0]! : NaN
  }
  get lastX(): number {
    return this.n > 0 ? this.xs[this.n - 1]! : NaN
  }
  x(i: number): number {
    return this.xs[i]!
  }
  y(i: number): number {
    return this.ys[i]!
  }

  /** Appends one point. x must be ≥ the last x. Allocation-free until the capacity doubles. */
  push(x: number, y: number): void {
    if (!(x >= (this.n > 0 ? this.xs[this.n - 1]! : -Infinity))) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `series.push: x must not decrease (got ${x} after ${this.lastX}); sort the points by x first`)
    }
    if (this.n === this.xs.length) this.grow(this.n * 2)
    const i = this.n++
    this.xs[i] = x
    this.ys[i] = y
    this.updateBlocks(i)
  }

  /** Appends many points (x and y the same length, x not decreasing). */
  pushMany(x: ArrayLike<number>, y: ArrayLike<number>): void {
    if (x.length !== y.length) {
      throw new ValidationError(ErrorCode.DATA_SIZE_MISMATCH, `series.pushMany: x has ${x.length} values and y ${y.length}; give one y per x`)
    }
    if (this.n + x.length > this.xs.length) this.grow(Math.max(this.n + x.length, this.xs.length * 2))
    for (let i = 0; i < x.length; i++) this.push(x[i]!, y[i]!)
  }

  /** Removes every point (keeps the storage). */
  clear(): void {
    this.n = 0
  }

  /** Index of the first point with x ≥ `x` (n when none). */
  lowerBound(x: number): number {
    let lo = 0
    let hi = this.n
    const xs = this.xs
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (xs[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * Writes the M4 points of the x range [x0, x1] divided into `columns` equal columns into `out`
   * as (x − x0, y) pairs in x order (x relative to the range start, so epoch-millisecond times keep
   * their precision in 32-bit floats: draw them through a transform whose origin is x0), and returns how many points it wrote (at most 4 × columns, plus
   * the nearest point outside each end so the line reaches the plot's edges). `out` must hold
   * 2 × (4 × columns + 2) floats.
   */
  decimate(x0: number, x1: number, columns: number, out: Float32Array): number {
    if (!(columns >= 1) || !(x1 > x0)) return 0
    if (out.length < 2 * (4 * columns + 2)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `series.decimate: out holds ${out.length} floats; give at least ${2 * (4 * columns + 2)} (2 × (4 × columns + 2))`)
    }
    const xs = this.xs
    const ys = this.ys
    let count = 0
    let start = this.lowerBound(x0)
    const end = this.lowerBound(x1 + (x1 - x0) * 1e-12) // points with x ≤ x1
    // The point before the range, so the line enters the plot from its edge.
    if (start > 0) {
      count = emit(out, 0, xs, ys, start - 1, x0)
    }
    const width = (x1 - x0) / columns
    for (let c = 0; c < columns && start < end; c++) {
      const colEnd = c === columns - 1 ? end : Math.min(end, this.lowerBound(x0 + width * (c + 1)))
      if (colEnd <= start) continue
      const last = colEnd - 1
      // min and max of [start, last] with their indices
      this.rangeMinMax(start, last)
      const iMin = this.qMinI
      const iMax = this.qMaxI
      // first, min, max, last in index order, each once
      count = emit(out, count, xs, ys, start, x0)
      if (iMin < iMax) {
        if (iMin !== start) count = emit(out, count, xs, ys, iMin, x0)
        if (iMax !== start && iMax !== last) count = emit(out, count, xs, ys, iMax, x0)
      } else {
        if (iMax !== start && iMax !== last) count = emit(out, count, xs, ys, iMax, x0)
        if (iMin !== start && iMin !== last && iMin !== iMax) count = emit(out, count, xs, ys, iMin, x0)
      }
      if (last !== start) count = emit(out, count, xs, ys, last, x0)
      start = colEnd
    }
    // The point after the range, so the line leaves through the plot's edge.
    if (end < this.n) count = emit(out, count, xs, ys, end, x0)
    return count
  }

  // Results of rangeMinMax, in fields so the query returns no object.
  private qMinI = 0
  private qMaxI = 0

  /** Sets qMinI/qMaxI to the indices of the min and max y in [a, b] (first one on ties; NaN skipped). */
  private rangeMinMax(a: number, b: number): void {
    const ys = this.ys
    let minV = Infinity
    let maxV = -Infinity
    let minI = a
    let maxI = a
    let i = a
    while (i <= b) {
      // The largest pyramid block that starts at i and ends within b.
      let level = 0
      if ((i & ((1 << BASE_SHIFT) - 1)) === 0) {
        const levels = this.minV.length
        while (level < levels) {
          const size = 1 << (BASE_SHIFT + level)
          if ((i & (size - 1)) !== 0 || i + size - 1 > b) break
          level++
        }
      }
      if (level === 0) {
        const v = ys[i]!
        if (v < minV) {
          minV = v
          minI = i
        }
        if (v > maxV) {
          maxV = v
          maxI = i
        }
        i++
      } else {
        const k = level - 1
        const block = i >> (BASE_SHIFT + k)
        const bMin = this.minV[k]![block]!
        const bMax = this.maxV[k]![block]!
        if (bMin < minV) {
          minV = bMin
          minI = this.minI[k]![block]!
        }
        if (bMax > maxV) {
          maxV = bMax
          maxI = this.maxI[k]![block]!
        }
        i += 1 << (BASE_SHIFT + k)
      }
    }
    this.qMinI = minI
    this.qMaxI = maxI
  }

  /** Folds point i into every block that contains it (blocks fill as points arrive). */
  private updateBlocks(i: number): void {
    const v = this.ys[i]!
    for (let k = 0; k < this.minV.length; k++) {
      const block = i >> (BASE_SHIFT + k)
      const minV = this.minV[k]!
      const maxV = this.maxV[k]!
      if ((block << (BASE_SHIFT + k)) === i) {
        // The block's first point: forget what an earlier fill (before clear()) left.
        minV[block] = Infinity
        maxV[block] = -Infinity
      }
      if (v !== v) continue // NaN never becomes a min or max
      if (v < minV[block]!) {
        minV[block] = v
        this.minI[k]![block] = i
      }
      if (v > maxV[block]!) {
        maxV[block] = v
        this.maxI[k]![block] = i
      }
    }
  }

  private allocatePyramid(capacity: number): void {
    this.minV = []
    this.maxV = []
    this.minI = []
    this.maxI = []
    for (let k = 0; (1 << (BASE_SHIFT + k)) <= capacity; k++) {
      const blocks = Math.ceil(capacity / (1 << (BASE_SHIFT + k)))
      // A block's first point initialises it; until then it reads as empty (never chosen).
      this.minV.push(new Float64Array(blocks).fill(Infinity))
      this.maxV.push(new Float64Array(blocks).fill(-Infinity))
      this.minI.push(new Int32Array(blocks))
      this.maxI.push(new Int32Array(blocks))
    }
  }

  private grow(capacity: number): void {
    const xs = new Float64Array(capacity)
    const ys = new Float64Array(capacity)
    xs.set(this.xs.subarray(0, this.n))
    ys.set(this.ys.subarray(0, this.n))
    this.xs = xs
    this.ys = ys
    this.allocatePyramid(capacity)
    for (let i = 0; i < this.n; i++) this.updateBlocks(i)
  }
}

function emit(out: Float32Array, count: number, xs: Float64Array, ys: Float64Array, i: number, x0: number): number {
  const y = ys[i]!
  if (y !== y) return count // NaN: a gap in the data, not a point
  out[2 * count] = xs[i]! - x0
  out[2 * count + 1] = y
  return count + 1
}

/** A growable time series with M4 decimation (see DenseSeries). */
export function createSeries(desc: SeriesDesc = {}): DenseSeries {
  return new DenseSeries(desc)
}
