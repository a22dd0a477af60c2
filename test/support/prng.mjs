// Seeded pseudo-random numbers (mulberry32) for tests and benchmarks: a seed gives the same
// sequence on every run and machine, so tests assert fixed cases and benchmarks draw the same
// scene for every contender. Not for anything that needs real randomness.

/** A generator of unsigned 32-bit integers (0 .. 2^32 - 1), seeded with `seed`. */
export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** A generator of floats in [0, 1): the numbers of `mulberry32(seed)` divided by 2^32. */
export function mulberry32Float(seed) {
  const next = mulberry32(seed)
  return () => next() / 4294967296
}
