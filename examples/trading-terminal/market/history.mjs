// A seeded trade history for the price chart and the tape, generated before the live feed starts
// so the chart opens on over a million trades: a random walk in ticks with changing volatility,
// exponential gaps between trades, and sizes like the exchange's. It ends at `endTime` and
// `endTick` (the live exchange's opening price), so the live trades continue it.

import { mulberry32Float } from 'framelatch/random'
import { buildCandleLevels } from './candles.mjs'

/**
 * The history's columns: `count` trades ending at (`endTime`, `endTick`), `meanGapMs` apart on
 * average, in typed arrays of `capacity` (≥ count; room for live trades), plus their candles at
 * every interval. Same seed, same trades. Runs in history-worker.mjs (off the render thread) or
 * here; nothing in it needs GL.
 */
export function historyColumns({ seed = 1, count = 1_000_000, endTime, endTick, meanGapMs = 20, capacity = count }) {
  const random = mulberry32Float(seed ^ 0x5eed)
  const times = new Float64Array(capacity)
  // Prices are whole ticks (a ±1 walk), so 4 bytes a trade instead of 8.
  const ticks = new Int32Array(capacity)
  let t = 0
  let p = 0
  let vol = 0.3
  let trend = 0
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - random()) * meanGapMs
    if ((i & 1023) === 0) {
      vol = Math.min(0.9, Math.max(0.1, vol + (random() - 0.5) * 0.15))
      trend = (random() - 0.5) * 0.04
    }
    const r = random()
    if (r < vol) p += random() < 0.5 + trend ? 1 : -1
    times[i] = t
    ticks[i] = p
  }
  const dt = endTime - t
  const dp = endTick - p
  const sizes = new Float32Array(capacity)
  const sides = new Int8Array(capacity)
  // One pass: sizes, sides (from the unshifted walk), then both columns moved to end at (endTime, endTick).
  let prev = 0
  for (let i = 0; i < count; i++) {
    const r = random()
    sizes[i] = Math.max(1, Math.round(1 + 40 * r * r * r))
    const tick = ticks[i]
    sides[i] = i > 0 && tick < prev ? -1 : i > 0 && tick > prev ? 1 : random() < 0.5 ? -1 : 1
    prev = tick
    ticks[i] = tick + dp
    times[i] = Math.round((times[i] + dt) * 1000) / 1000
  }
  return { count, time: times, tick: ticks, size: sizes, side: sides, candles: buildCandleLevels(times, ticks, sizes, count) }
}

/** Fills an empty `store` with the history (on this thread; main.mjs uses the worker). */
export function generateHistory(store, opts) {
  store.adopt(historyColumns({ ...opts, capacity: Math.max(opts.count ?? 1_000_000, store.time.length) }))
}
