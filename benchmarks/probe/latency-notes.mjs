// The latency section's notes for BENCHMARKS.md: the issue-8 goals checked against the rows of
// this run (every figure below the heading comes from the run that writes it), then what was
// found between the X event and the pixels and what changed (figures measured while the engine
// work was done, with how).

const PERIOD_MS = 1000 / 60 // Xvfb's Present clock ticks at 60 Hz

const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a')

function quantile(values, p) {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : NaN
}

function frameCosts(row) {
  const b = row.report.breakdown
  return b ? b.perSample.map((s) => s.stages.record + s.stages.flush + s.stages.swap) : []
}

const mark = (ok) => (ok ? 'met' : '**missed**')

const samplesOf = (row) => row.report.samples.map((s) => s.latencyMs)

/** "met (faster at all 99)" or which percentiles `a` did not beat `b` at, with the gap at p1, p5 and p50. */
function percentileVerdict(a, b) {
  const lost = []
  for (let p = 1; p <= 99; p++) if (!(quantile(a, p / 100) < quantile(b, p / 100))) lost.push(p)
  const at = (p) => `p${p} ${f2(quantile(a, p / 100))} vs ${f2(quantile(b, p / 100))}`
  if (lost.length === 0) return `met (faster at all 99; ${at(1)}, ${at(50)})`
  return `**missed** at ${lost.length} (p${lost.slice(0, 8).join(', p')}${lost.length > 8 ? '…' : ''}; ${at(1)}, ${at(5)}, ${at(50)})`
}

/** Markdown lines checking the goals on `rows` (LatencySuiteResult rows, samples included). */
export function latencyGoalLines(rows) {
  const find = (kind, scene, mode) => rows.find((r) => r.kind === kind && (scene === null || r.scene === scene) && (mode === null || r.mode === mode))
  const floor = find('floor', null, null)
  if (!floor) return []
  const fs = floor.stats
  const out = ['', '**Goals (issue 8), checked on this run against its floor:**', '']
  for (const mode of ['low-latency', 'on-demand']) {
    const r = find('framelatch', 'empty scene', mode)
    if (!r) continue
    const p50Goal = fs.p50 + 1
    const p99Goal = 1.5 * fs.p99
    out.push(`- empty scene, ${mode}: p50 ${f2(r.stats.p50)} ≤ floor p50 + 1 = ${f2(p50Goal)}: ${mark(r.stats.p50 <= p50Goal)}; ` +
      `p99 ${f2(r.stats.p99)} ≤ 1.5 × floor p99 = ${f2(p99Goal)}: ${mark(r.stats.p99 <= p99Goal)}.`)
  }
  const paced = find('framelatch', 'empty scene', 'paced')
  if (paced) {
    const costs = frameCosts(paced)
    const cost = costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : NaN
    const goal = PERIOD_MS / 2 + cost + 1
    out.push(`- empty scene, paced: mean ${f2(paced.stats.mean)} ≤ half a period (${f2(PERIOD_MS / 2)}) + mean frame cost (${f2(cost)}) + 1 = ${f2(goal)}: ${mark(paced.stats.mean <= goal)}.`)
  }
  const dash = rows.find((r) => r.kind === 'framelatch' && r.scene === 'hello-dashboard' && r.mode === 'low-latency')
  if (dash) {
    const cost99 = quantile(frameCosts(dash), 0.99)
    const goal = fs.p99 + cost99
    out.push(`- ${dash.scene}, low-latency: p99 ${f2(dash.stats.p99)} ≤ floor p99 + the scene's frame cost p99 (${f2(cost99)}) = ${f2(goal)}: ${mark(dash.stats.p99 <= goal)}.`)
    // Two naive loops: the empty-scene one of the brief's table, and the same dashboard scene in
    // a naive loop (the fair comparison: at its best a naive loop costs one frame of the scene).
    const naives = [
      [rows.find((r) => r.kind === 'naive' && r.scene === null), 'the naive loop (empty scene)'],
      [rows.find((r) => r.kind === 'naive' && r.scene === dash.scene), `the naive loop drawing ${dash.scene}`],
    ]
    for (const [naive, label] of naives) {
      if (!naive) continue
      out.push(`- ${dash.scene}, low-latency against ${label} at every percentile 1…99: ${percentileVerdict(samplesOf(dash), samplesOf(naive))}.`)
    }
  }
  const terminal = rows.find((r) => r.kind === 'framelatch' && r.scene === 'trading terminal' && r.mode === 'low-latency')
  if (terminal) {
    out.push(`- trading terminal, low-latency (issue 10): p99 ${f2(terminal.stats.p99)} ≤ one refresh (${f2(PERIOD_MS)}): ${mark(terminal.stats.p99 <= PERIOD_MS)}` +
      ` (p50 ${f2(terminal.stats.p50)}; its frame cost p50 / p99 ${f2(terminal.frameCost?.p50)} / ${f2(terminal.frameCost?.p99)}).`)
  }
  return out
}

/** What was found and what changed (issue 8, step 5). */
export const LATENCY_FINDINGS = `
**Where the time went, and what changed (issue 8).** Measured with \`framelatch latency\`'s stage
split (inject → arrival → latch → record → flush → swap → seen) and the engine's frame trace, on
the 2-core VM while five other developers loaded it (load average 7-15, so only same-run
comparisons were used):

- *The depth buffer.* Every frame cleared the window's depth buffer, and llvmpipe pays a depth
  clear at the swap: a bare 800x600 GL window swapped in 0.68/1.00 ms (p50, two runs) with a
  colour clear, 1.92/1.70 ms with a depth clear too, 0.83 ms with a depth buffer left uncleared.
  The engine now clears depth only while a pipeline tests or writes it (\`Device.usesDepth\`);
  the empty scene's swap went from 1.42-1.65 to 0.76-0.87 ms p50 (the floor app's: 0.55-0.68).
- *Empty input frames.* "Input waiting" was a ring reader skipped at each frame start, so an
  event pumped right before the frame's latch was latched by that frame and then started another,
  empty one: 16 of 55 input frames in a dashboard run latched nothing, each occupying the render
  thread for a whole frame. Input waiting is now what the frame latch has not consumed.
- *Waking on input.* @kmamal/sdl cannot block for events, so the ticker's wait polls SDL between
  0.5 ms \`Atomics.wait\` slices. A worker now watches XInput2 raw events (key, button, motion) on
  its own X connection and rings a shared counter the slices wait on, so a ring ends the slice
  at once (\`EngineDesc.inputDoorbell\`). The slices stay 0.5 ms: with 2 ms slices the doorbell
  lost to plain polling in 2 of 3 loaded rounds (inject → arrival p50 2.16/1.17/1.77 ms against
  1.11/0.95/1.12: its worker waits for a core too). CPU of the idle empty scene, whole process
  over 10 s: low-latency 23-24 % of one core with the doorbell, 22-24 % without; on-demand
  20-21 % and 18-25 %, most of it on the render thread pumping SDL. The floor app, which never
  sleeps (a \`setImmediate\` loop), got 30 % of a core in the same conditions: all the loaded
  machine gave it.
- *The transient ring.* Orphaning (\`bufferData(size, null)\` each frame) never stalled here:
  frames started right after another flushed no slower, and \`gl.finish()\` after a swap
  returned in 0.015 ms p50 (the swap waits for llvmpipe). A fresh 1 MB store costs 0.36 ms in
  isolation, and \`'rotate'\` (three buffers) made the probe frame's queue flush p50 0.473 →
  0.425 ms windowed, but it doubled the headless trading terminal's frame (9.3 → 18.0 ms: a
  headless present does not wait, and reusing a buffer then waits for llvmpipe), so
  \`'orphan'\` stays the default.
- *A fresh store after idle (on-demand p99).* The on-demand empty scene's slow samples spent
  3.5-15 ms in the flush of its one draw. Every GL call of the frame timed in-process (40-60
  samples a run, load 3-10): the slow flushes were \`bufferData(1 MB, null)\`, 4-12 ms, each
  with exactly 256 minor page faults around it (1 MB of fresh 4 KB pages), in most of the first
  ~20 frames (an on-demand app renders no frames while idle, so its first key presses are those
  frames) and now and then after; otherwise 0.1 ms and no faults. Low-latency mode ran the
  same frames during the probe's warm-up. A window's swap returns after llvmpipe rasterised the
  frame, so after it the engine now calls \`ring.retire()\` and the next frame appends behind
  the previous one with plain \`bufferSubData\`, re-specifying the store only when it is full
  (headless frames still orphan every frame). The faults went with it (none after frame 0), and
  in interleaved rounds with the build before it (3 x 70 samples each, load 9-12): on-demand
  flush p99 39.4 → 11.7 ms, frame cost p99 45.9 → 30.3 ms, probe p99 51.5 → 34.4 ms, p50 4.36
  → 4.29 ms (the floor app's p99 was 87 ms in that hour, so no ratio meant anything). What
  remains of the flush after idle is mostly the frame's first \`clear\` (p50 0.45 ms on-demand
  against 0.23 low-latency); a clear issued right after the swap moved that cost off the input
  path (next clear p50 0.12 ms) but the probe's latency did not change at that load, so it was
  not kept.
- *The dashboard against a naive loop drawing it.* \`benchmarks/probe/apps/naive-dashboard.mjs\`
  is the same scene in \`setInterval(() => engine.renderFrame(), 1000 / 60)\` with the key
  applied in the keyDown listener. At the lowest percentiles both are one frame of the scene:
  a naive loop's best sample is a key that arrives just before its tick, and the engine's best
  is an input frame started at once (the late latch adds the keys that land while a paced
  frame records, 0.2-0.4 ms of a dashboard frame). The engine's frame pays its wake-up
  (inject → arrival p5 0.48 ms, p50 1.14) and otherwise the same record + flush + swap (p5
  0.21 + 1.81 + 2.98 ms), so at p1-p5 the two are within that half millisecond: in interleaved
  rounds (load 9-12) the engine was ahead at p1 / p5 (6.24 / 7.71 against 6.88 / 7.93 ms) in
  three rounds together and behind (7.62 / 8.03 against 7.16 / 7.93) in the first two alone.
  It cannot be ahead by more than the naive loop's wait for its tick at a percentile, which is
  near zero at p1.
- *The trading terminal (issue 10).* Its input frames start 0.11 ms p50 after the key reaches
  the process (arrival → latch; inject → arrival 1.05 ms): maxHz lets an input frame start
  right after a paced one, and the feed worker's state publications start no frames in
  low-latency mode (only \`requestFrame\` in on-demand mode does). Its latency is its own frame:
  record 1.1 + flush 4.4 + swap 8.7 ms p50 (load 9-12, 210 samples), the swap being llvmpipe
  rasterising 1280x720. One refresh at p99 needs that frame, plus the rest of a paced frame a
  key can land in, under 16.7 ms: the terminal's frame cost, not engine waiting.
- *A frame in flight.* A frame is recorded, flushed and swapped synchronously on the render
  thread; an input that arrives during a paced frame's flush or swap cannot start its frame until
  that swap returns (input arriving during recording is latched into the shaders by the late
  latch before the flush). A key press lands in one with a probability of about frame cost /
  period (dashboard frames cost 5-9 ms here under load). What the engine controls is that
  nothing else waits: the input frame starts as soon as the swap returns (maxHz keeps a burst
  of two frames), no empty input frame follows it, and every swap is cheaper without the depth
  clear.

Before and after, same conditions: the empty scene built from main before these changes and
after them, taking turns with the floor app, 3 rounds of 80 samples, load average 13-15 (the
floor app itself measured p50 7.1-10.5 ms, so ratios to it meant nothing that hour). Probe p50,
ms, before → after: low-latency 4.20 → 4.66, 4.17 → 3.79, 7.98 → 3.30; on-demand 3.80 → 3.35,
4.45 → 3.89, 6.53 → 4.59. The swap (Q>R) p50 went 1.28-2.56 → 0.95-1.13 ms in every pair;
inject → arrival stayed 0.69-0.96 ms on both sides, so the doorbell's gain (at most the quarter
millisecond a 0.5 ms slice averages) is below what that load lets one see.
`.trim()

/** The notes block appended after the latency table. */
export function latencyNotesMarkdown(result) {
  return [...latencyGoalLines(result.rows), '', LATENCY_FINDINGS].join('\n')
}
