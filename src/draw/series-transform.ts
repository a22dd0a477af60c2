/**
 * The 2D transform the series batchers draw through: a gl-matrix `mat3` (9 numbers, column-major)
 * mapping user coordinates (time, price) to pixels of the pass target, origin top-left, x right,
 * y down: pixel = (m0·x + m3·y + m6, m1·x + m4·y + m7). The shaders then map pixels to clip space
 * with the queue's view block, as every batcher does.
 *
 * Precision: the series subtract their `originX` from x before storing it in float32 and fold
 * m0·originX into the translation on the CPU in doubles. A Float32Array mat3 (gl-matrix's
 * default) holding a translation of about −m0·x for epoch-millisecond x has already lost that
 * precision: build such transforms in a Float64Array or a plain array (`createChartView` does).
 */

/** A mat3 as gl-matrix makes it (Float32Array), or any array-like of 9 numbers (Float64Array recommended). */
export type Transform2D = ArrayLike<number>

/** Whether `m` holds at least 9 numbers, all finite. Allocates nothing. */
export function checkTransform(m: Transform2D): boolean {
  if (m === null || typeof m !== 'object' || !(m.length >= 9)) return false
  const s = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]!
  return s - s === 0
}
