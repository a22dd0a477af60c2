/**
 * The level-of-detail pyramid of a line series (line-series.ts), as pure functions over its
 * float32 point arrays (x, y pairs; two points a texel). Besides the raw points the series keeps
 * levels 1, 2, 3, ... where texel j of level k holds the min and the max point (in x order, each
 * with its own x) of raw points [j·2^(k+1), (j+1)·2^(k+1)). A draw of [x0, x1] picks the coarsest
 * level whose blocks are no wider than the points in one pixel column, so a 1,000,000-point
 * series zoomed out draws 2 to 4 × the plot's width vertices, and the drawn envelope is the
 * data's (Jugel et al.'s M4 without first/last: the line between two blocks' extremes stays
 * inside the data's range).
 *
 * Hot path: nothing here allocates; results are returned as integers or written into the
 * caller's arrays.
 */

/** First index below `n` whose x in `d` is >= x (n when none); `d` sorted by x. */
export function lowerBound(d: Float32Array, n: number, x: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (d[2 * mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index below `n` whose x in `d` is > x (n when none); `d` sorted by x. */
export function upperBound(d: Float32Array, n: number, x: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (d[2 * mid]! <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The coarsest level to draw when `perPixel` raw points fall in one pixel column: its blocks
 * (2^(k+1) points) no wider than that, and holding at least 2 written texels. `written[k]`:
 * texels written in level k.
 */
export function pickLevel(written: Int32Array, perPixel: number): number {
  let level = 0
  while (level + 1 < written.length && (1 << (level + 2)) <= perPixel && written[level + 1]! >= 2) level++
  return level
}

/**
 * Rebuilds texels [lo, hi) of a level from the level `below` it, of which `belowCount` texels are
 * written: each texel holds the min and the max of the two texels (four points) under it, or of
 * the one under it at the end.
 */
export function rebuildTexels(below: Float32Array, belowCount: number, here: Float32Array, lo: number, hi: number): void {
  for (let j = lo; j < hi; j++) minMax(below, 8 * j, 2 * j + 1 < belowCount ? 4 : 2, here, 4 * j)
}

/**
 * Writes into out[at..at+3] the min and the max (by y; the first min, the last max) of the
 * `count` points at d[from..], as two points in index order.
 */
function minMax(d: Float32Array, from: number, count: number, out: Float32Array, at: number): void {
  let iMin = 0
  let iMax = 0
  for (let i = 1; i < count; i++) {
    const y = d[from + 2 * i + 1]!
    if (y < d[from + 2 * iMin + 1]!) iMin = i
    if (y >= d[from + 2 * iMax + 1]!) iMax = i
  }
  const a = iMin < iMax ? iMin : iMax
  const b = iMin < iMax ? iMax : iMin
  const ax = d[from + 2 * a]!, ay = d[from + 2 * a + 1]!, bx = d[from + 2 * b]!, by = d[from + 2 * b + 1]!
  out[at] = ax; out[at + 1] = ay; out[at + 2] = bx; out[at + 3] = by
}
