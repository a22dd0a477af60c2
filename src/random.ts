/**
 * Seeded pseudo-random numbers: mulberry32 (Tommy Ettinger's 32-bit generator). A seed gives the
 * same sequence on every run and machine, so examples render the same reference images, tests
 * assert fixed cases, benchmarks draw the same scene for every contender and the latency probe
 * replays the same mouse paths. Not for anything that needs real randomness.
 *
 * Two forms of the one generator, giving the same numbers for the same seed:
 * - `mulberry32(seed)` / `mulberry32Float(seed)`: a function per generator (a closure), simplest;
 * - `createRandomState(seed)` + `nextRandom(state)` / `nextRandomU32(state)`: the state is a
 *   one-element Int32Array the caller owns, so drawing a number allocates nothing and stores no
 *   uint32 above 2^31 (a heap number) anywhere: for per-frame or per-event code.
 *
 * This module imports nothing, so a worker thread may load it (`framelatch/random`) without the
 * rest of the library.
 */

/** The state of a generator seeded with `seed` (any number; its low 32 bits count). Owned by the caller. */
export function createRandomState(seed: number): Int32Array {
  const state = new Int32Array(1)
  state[0] = seed | 0
  return state
}

/** Advances `state` and returns its next unsigned 32-bit integer (0 .. 2^32 - 1). Allocates nothing. */
export function nextRandomU32(state: Int32Array): number {
  let t = (state[0] = (state[0]! + 0x6d2b79f5) | 0)
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return (t ^ (t >>> 14)) >>> 0
}

/** Advances `state` and returns its next float in [0, 1): `nextRandomU32` / 2^32. Allocates nothing. */
export function nextRandom(state: Int32Array): number {
  return nextRandomU32(state) / 4294967296
}

/** A generator of unsigned 32-bit integers (0 .. 2^32 - 1), seeded with `seed`. */
export function mulberry32(seed: number): () => number {
  const state = createRandomState(seed)
  return () => nextRandomU32(state)
}

/** A generator of floats in [0, 1): the numbers of `mulberry32(seed)` divided by 2^32. */
export function mulberry32Float(seed: number): () => number {
  const state = createRandomState(seed)
  return () => nextRandom(state)
}
