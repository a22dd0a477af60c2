// Order-book views for the render side: tick-size grouping and cumulative depth, written into the
// caller's typed arrays (no allocation per frame).
//
// A side arrives as in the feed's shared state (see schema.mjs): `sizes[k]` is the size resting
// at `bestTick + dir × k` ticks (dir −1 for bids, +1 for asks), 0 for an empty level.

/**
 * Groups a side into buckets of `group` ticks (bids round down, asks round up, as trading screens
 * do), keeping the first `levels` non-empty buckets from the touch. Writes the bucket prices in
 * ticks, their sizes and the cumulative size from the touch; returns the bucket count.
 */
export function groupSide(sizes, count, bestTick, dir, group, levels, outTicks, outSizes, outCum) {
  let n = 0
  let cum = 0
  let bucket = NaN
  for (let k = 0; k < count && n <= levels; k++) {
    const size = sizes[k]
    if (!(size > 0)) continue
    const tick = bestTick + dir * k
    const b = dir < 0 ? Math.floor(tick / group) * group : Math.ceil(tick / group) * group
    if (b !== bucket) {
      if (n === levels) break
      bucket = b
      outTicks[n] = b
      outSizes[n] = 0
      n++
    }
    outSizes[n - 1] += size
    cum += size
    outCum[n - 1] = cum
  }
  return n
}
