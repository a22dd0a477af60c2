// The frame cost the terminal benchmarks report, from an engine's frame trace: record + flush +
// swap (record start to swap return) and its three parts, one number each per frame after
// `warmup` frames. `Stage` comes from the caller's framelatch (its own build), so one helper
// serves both the suite bench and terminal-ab's child processes.

// CLOCK_MONOTONIC ms minus this thread's performance.now(): a stall watch stamps on the former.
const MONO_OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now()

/**
 * Adds an onFrame callback to `engine` that pushes each frame's cost and parts into `out` ({ cost,
 * record, flush, swap } arrays, and { startMono, endMono } too when `out` has them: the frame's
 * record start and swap return on CLOCK_MONOTONIC, to match against a stall watch); `extra(engine)`
 * runs on the same frames.
 */
export function recordFrameCosts(engine, Stage, warmup, out, extra = null) {
  engine.onFrame((f) => {
    if (f.index <= warmup) return
    const t = engine.trace
    if (out.startMono !== undefined) {
      out.startMono.push(t.get(Stage.RecordStart, 1) + MONO_OFFSET_MS)
      out.endMono.push(t.get(Stage.SwapReturn, 1) + MONO_OFFSET_MS)
    }
    out.cost.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.RecordStart, 1))
    out.record.push(t.get(Stage.RecordEnd, 1) - t.get(Stage.RecordStart, 1))
    out.flush.push(t.get(Stage.FlushEnd, 1) - t.get(Stage.RecordEnd, 1))
    out.swap.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.FlushEnd, 1))
    if (extra !== null) extra(engine)
  })
}
