// The frame cost the terminal benchmarks report, from an engine's frame trace: record + flush +
// swap (record start to swap return) and its three parts, one number each per frame after
// `warmup` frames. `Stage` comes from the caller's framelatch (its own build), so one helper
// serves both the suite bench and terminal-ab's child processes.

/**
 * Adds an onFrame callback to `engine` that pushes each frame's cost and parts into `out` ({ cost,
 * record, flush, swap } arrays, and { start, end } too when `out` has them: the frame's record
 * start and swap return on the framelatch clock); `extra(engine)` runs on the same frames.
 */
export function recordFrameCosts(engine, Stage, warmup, out, extra = null) {
  engine.onFrame((f) => {
    if (f.index <= warmup) return
    const t = engine.trace
    if (out.start !== undefined) {
      out.start.push(t.get(Stage.RecordStart, 1))
      out.end.push(t.get(Stage.SwapReturn, 1))
    }
    out.cost.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.RecordStart, 1))
    out.record.push(t.get(Stage.RecordEnd, 1) - t.get(Stage.RecordStart, 1))
    out.flush.push(t.get(Stage.FlushEnd, 1) - t.get(Stage.RecordEnd, 1))
    out.swap.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.FlushEnd, 1))
    if (extra !== null) extra(engine)
  })
}
