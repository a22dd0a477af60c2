// The one allocation harness of the heap tests: how many bytes a hot path allocates per frame.
//
// Method. A round runs `frames` steady frames between two readings of V8's used heap size and
// counts, from v8.GCProfiler, every garbage collection that ran in between with the bytes it
// freed. Allocated = growth + freed: garbage counts even when a scavenge collected it mid-round,
// and nothing is forced between the readings (the old harnesses called gc() before both readings
// and so measured what was retained, not what was allocated). One gc() runs before the first
// reading only, so the young generation starts empty and a collection inside the round frees only
// that round's garbage.
//
// Noise. V8 compiling or deoptimising code shows up as heap use (code objects, feedback vectors,
// a few KB to a few hundred KB) in some rounds, not in every round, so the harness warms the frame
// up (pausing so the background compiler can finish), keeps the best of `rounds` rounds (stopping
// at the first under the limit) and forgives a fixed `slack` per round (default 32 KB) before
// dividing by the frames. A real per-frame allocation shows in every round and grows with the
// frames: 100k small objects a frame is several MB a frame, orders of magnitude over any limit.
import v8 from 'node:v8'
import * as assert from 'uvu/assert'
import { sleep } from './wait.mjs'

/** Bytes allocated and collections run while `run()` executes (see the file comment). */
function allocatedDuring(run) {
  const profiler = new v8.GCProfiler()
  profiler.start()
  const before = v8.getHeapStatistics().used_heap_size
  run()
  const after = v8.getHeapStatistics().used_heap_size
  const report = profiler.stop()
  let freed = 0
  for (const s of report.statistics) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize
  return { bytes: after - before + freed, gcs: report.statistics.length }
}

/**
 * Allocation of `frame(i)` in steady state: warms it up with `warmup` frames, then measures up to
 * `rounds` rounds of `frames` frames and returns the best as
 * `{ bytesPerFrame, bytes, gcs, rounds: [bytes per frame of each round] }`, where bytes per frame
 * is (bytes allocated in the round - `slack`) / frames, at least 0. `frame` must keep
 * fractional numbers out of its own closure variables (a boxed double per frame is the test's
 * allocation, not the library's); `between()` runs before each round (e.g. a queue flush).
 */
export async function measureAllocation(frame, { frames = 200, warmup = 200, rounds = 12, limit = 64, slack = 32 * 1024, between } = {}) {
  assert.type(globalThis.gc, 'function', 'run with node --expose-gc (test/run.mjs does)')
  let i = 0
  // On a loaded machine the background compiler lags: pause between warm-up chunks and before
  // each round so it can install optimised code (its work would otherwise land in a round).
  for (let k = 0; k < 4; k++) {
    for (let f = 0; f < warmup / 4; f++) frame(i++)
    await sleep(20)
  }
  let best = null
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    // A retry first runs more warm-up frames: V8 tiers a function up on executed work, not on
    // time, and a function caught mid-tier-up allocates in every round until it gets there.
    if (r > 0) for (let f = 0; f < warmup / 4; f++) frame(i++)
    between?.()
    globalThis.gc()
    // Let concurrent sweeping and compilation settle before the first reading; on a loaded
    // machine the optimising compiler can take hundreds of ms, so each retry waits longer
    // (25 ms, 50, 100, 200, then 400: at most about 4 s over 12 rounds).
    await sleep(25 * 2 ** Math.min(r, 4))
    const start = i
    const m = allocatedDuring(() => {
      for (let f = 0; f < frames; f++) frame(start + f)
    })
    i += frames
    const perFrame = Math.max(0, m.bytes - slack) / frames
    perRound.push(Math.round(perFrame * 10) / 10)
    if (best === null || perFrame < best.bytesPerFrame) best = { bytesPerFrame: perFrame, bytes: m.bytes, gcs: m.gcs }
    if (perFrame <= limit) break
  }
  return { ...best, rounds: perRound }
}

/**
 * Measures `frame` (see measureAllocation) and asserts it allocates at most `limit` bytes per
 * frame (default 64: less than four small objects). Logs the figures. Returns the result.
 */
export async function assertAllocatesNothing(name, frame, opts = {}) {
  const limit = opts.limit ?? 64
  const r = await measureAllocation(frame, { ...opts, limit })
  console.log(`  ${name}: ${r.bytesPerFrame.toFixed(1)} B/frame allocated past the slack (rounds: ${r.rounds.join(', ')} B/frame); ` +
    `best round ${r.bytes} B in ${opts.frames ?? 200} frames, ${r.gcs} GCs`)
  assert.ok(r.bytesPerFrame <= limit, `${name}: ${r.bytesPerFrame.toFixed(1)} bytes allocated per frame (limit ${limit})`)
  return r
}
