/**
 * The 2D transform the series batchers draw through, the convention of src/core/view-transform.ts:
 * a gl-matrix `mat3` (9 numbers, column-major)
 * mapping user coordinates (time, price) to pixels of the pass target, origin top-left, x right,
 * y down: pixel = (m0·x + m3·y + m6, m1·x + m4·y + m7). Unlike the other batchers, a series
 * takes the transform per draw and sends it in the draw's instance (with the series' x origin
 * folded in, in doubles), so it does not read the queue's `view_transform`; `null` uses the
 * series' own `transform` (desc or property), and identity when that is null too.
 *
 * Precision: the series subtract their `originX` from x before storing it in float32 and fold
 * m0·originX into the translation on the CPU in doubles. A Float32Array mat3 (gl-matrix's
 * default) holding a translation of about −m0·x for epoch-millisecond x has already lost that
 * precision: build such transforms in a Float64Array or a plain array (`createChartView` does).
 */

import { ViewTransform } from '../core/view-transform.js'

/**
 * A mat3 as gl-matrix makes it (Float32Array), any array-like of 9 numbers (a Float64Array keeps
 * epoch-millisecond x exact: `createChartView().matrix`), or a `ViewTransform` (its `matrix`).
 */
export type Transform2D = ArrayLike<number> | ViewTransform

/** The matrix of `t`; null gives `fallback`'s, or the identity when that is null too. Allocates nothing. */
export function transformMatrix(t: Transform2D | null, fallback: ViewTransform | null): ArrayLike<number> {
  if (t === null) return fallback === null ? IDENTITY : fallback.matrix
  return t instanceof ViewTransform ? t.matrix : t
}

const IDENTITY = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1])

/** Whether `m` holds at least 9 numbers, all finite. Allocates nothing. */
export function checkTransform(m: ArrayLike<number>): boolean {
  if (m === null || typeof m !== 'object' || !(m.length >= 9)) return false
  const s = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]!
  return s - s === 0
}
