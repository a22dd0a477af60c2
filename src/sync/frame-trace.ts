/**
 * Frame trace: the stage times of the last N frames in a preallocated ring of typed arrays
 * (Reflex-style markers). `begin` + `mark` are the hot path and allocate nothing; `summary` and
 * `toChromeTrace` allocate and are meant for the end of a run or a debug key.
 *
 * Times are ms on the `performance.now()` basis. A stage that was not marked in a frame is NaN and
 * is left out of every statistic.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'

export const Stage = {
  /** Arrival time of the oldest input event consumed by this frame's latch. */
  InputArrival: 0,
  InputLatch: 1,
  /** Logic time of the state snapshot this frame renders. */
  StateSnapshot: 2,
  RecordStart: 3,
  RecordEnd: 4,
  FlushEnd: 5,
  SwapReturn: 6,
  /** `gl.finish()` return, only when the engine was asked to measure it. */
  Finish: 7,
} as const
export type StageValue = (typeof Stage)[keyof typeof Stage]
export const STAGE_COUNT = 8
export const STAGE_NAMES = ['input-arrival', 'input-latch', 'state-snapshot', 'record-start', 'record-end', 'flush-end', 'swap-return', 'finish'] as const

/** Durations reported by `summary()`: [name, from stage, to stage]. */
export const SPANS: readonly (readonly [string, StageValue, StageValue])[] = [
  ['input-to-latch', Stage.InputArrival, Stage.InputLatch],
  ['latch-to-record', Stage.InputLatch, Stage.RecordStart],
  ['record', Stage.RecordStart, Stage.RecordEnd],
  ['flush', Stage.RecordEnd, Stage.FlushEnd],
  ['swap', Stage.FlushEnd, Stage.SwapReturn],
  ['finish', Stage.SwapReturn, Stage.Finish],
  ['latch-to-swap', Stage.InputLatch, Stage.SwapReturn],
  ['input-to-swap', Stage.InputArrival, Stage.SwapReturn],
  ['state-age-at-record', Stage.StateSnapshot, Stage.RecordStart],
]

export interface FrameTraceDesc {
  /** Frames kept (older ones are overwritten). Default 600 (10 s at 60 Hz). */
  capacity?: number
}

export interface SpanStats {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface FrameTraceSummary {
  /** Frames in the ring that the statistics cover. */
  frames: number
  /** Per span (see `SPANS`) plus `frame-interval` (record start to the next record start). */
  spans: Record<string, SpanStats>
}

export class FrameTrace {
  readonly capacity: number
  /** Stage times, `capacity * STAGE_COUNT`, row r = frame slot r. Owned by the trace. */
  readonly times: Float64Array
  /** Frame index per slot (-1 when the slot is empty). */
  readonly frameIndex: Float64Array
  private row = -1
  private count = 0

  /** @internal use `createFrameTrace`. */
  constructor(capacity: number) {
    this.capacity = capacity
    this.times = new Float64Array(capacity * STAGE_COUNT).fill(NaN)
    this.frameIndex = new Float64Array(capacity).fill(-1)
  }

  /** Starts the row of frame `frameIndex` (overwriting the oldest row). Allocates nothing. */
  begin(frameIndex: number): void {
    const r = this.row + 1 === this.capacity ? 0 : this.row + 1
    this.row = r
    this.times.fill(NaN, r * STAGE_COUNT, r * STAGE_COUNT + STAGE_COUNT)
    this.frameIndex[r] = frameIndex
    if (this.count < this.capacity) this.count++
  }

  /** Records stage `stage` of the current frame at `tMs`. Allocates nothing; ignored before `begin`. */
  mark(stage: StageValue, tMs: number): void {
    if (this.row < 0) return
    this.times[this.row * STAGE_COUNT + stage] = tMs
  }

  /** Frames currently held (up to `capacity`). */
  get frames(): number {
    return this.count
  }

  /** Stage time of the frame `age` frames ago (0 = current), NaN when absent. */
  get(stage: StageValue, age = 0): number {
    if (age < 0 || age >= this.count) return NaN
    const r = (this.row - age + this.capacity) % this.capacity
    return this.times[r * STAGE_COUNT + stage]!
  }

  /** Forgets every frame. */
  clear(): void {
    this.times.fill(NaN)
    this.frameIndex.fill(-1)
    this.row = -1
    this.count = 0
  }

  /** Rows oldest first. */
  private rows(): number[] {
    const out: number[] = []
    for (let i = this.count - 1; i >= 0; i--) out.push((this.row - i + this.capacity) % this.capacity)
    return out
  }

  /** Percentiles (nearest rank) of every span over the frames held. Allocates; not for hot paths. */
  summary(): FrameTraceSummary {
    const rows = this.rows()
    const spans: Record<string, SpanStats> = {}
    const t = this.times
    for (const [name, a, b] of SPANS) {
      const v: number[] = []
      for (const r of rows) {
        const d = t[r * STAGE_COUNT + b]! - t[r * STAGE_COUNT + a]!
        if (!Number.isNaN(d)) v.push(d)
      }
      spans[name] = stats(v)
    }
    const iv: number[] = []
    for (let i = 1; i < rows.length; i++) {
      const d = t[rows[i]! * STAGE_COUNT + Stage.RecordStart]! - t[rows[i - 1]! * STAGE_COUNT + Stage.RecordStart]!
      if (!Number.isNaN(d)) iv.push(d)
    }
    spans['frame-interval'] = stats(iv)
    return { frames: rows.length, spans }
  }

  /**
   * Chrome trace-event JSON (the "JSON Object Format": `{ traceEvents, displayTimeUnit }`), which
   * Perfetto and chrome://tracing open. Each frame becomes a complete event ("X") from its first to
   * its last stage on track "frames", each measured span an "X" event on its own track, and each
   * stage an instant event ("i"). Timestamps are µs.
   */
  toChromeTrace(): { traceEvents: Record<string, unknown>[]; displayTimeUnit: 'ms' } {
    const ev: Record<string, unknown>[] = [
      { name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: 'framelatch' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'frames' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 2, args: { name: 'stages' } },
    ]
    SPANS.forEach(([name], i) => ev.push({ name: 'thread_name', ph: 'M', pid: 1, tid: 10 + i, args: { name } }))
    const t = this.times
    for (const r of this.rows()) {
      const frame = this.frameIndex[r]!
      let lo = Infinity
      let hi = -Infinity
      for (let s = 0; s < STAGE_COUNT; s++) {
        const v = t[r * STAGE_COUNT + s]!
        if (Number.isNaN(v)) continue
        if (s !== Stage.StateSnapshot) {
          lo = Math.min(lo, v)
          hi = Math.max(hi, v)
        }
        ev.push({ name: STAGE_NAMES[s], ph: 'i', s: 't', pid: 1, tid: 2, ts: v * 1000, args: { frame } })
      }
      if (lo <= hi) ev.push({ name: `frame ${frame}`, ph: 'X', pid: 1, tid: 1, ts: lo * 1000, dur: (hi - lo) * 1000, args: { frame } })
      SPANS.forEach(([name, a, b], i) => {
        const ta = t[r * STAGE_COUNT + a]!
        const tb = t[r * STAGE_COUNT + b]!
        if (Number.isNaN(ta) || Number.isNaN(tb) || tb < ta) return
        ev.push({ name, ph: 'X', pid: 1, tid: 10 + i, ts: ta * 1000, dur: (tb - ta) * 1000, args: { frame } })
      })
    }
    return { traceEvents: ev, displayTimeUnit: 'ms' }
  }
}

function stats(v: number[]): SpanStats {
  if (v.length === 0) return { count: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN }
  v.sort((a, b) => a - b)
  const q = (p: number): number => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!
  let sum = 0
  for (const x of v) sum += x
  return { count: v.length, mean: sum / v.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: v[v.length - 1]! }
}

const FRAME_TRACE_KEYS = descKeys<FrameTraceDesc>({ capacity: true })

/** A trace ring of `capacity` frames (default 600). */
export function createFrameTrace(desc: FrameTraceDesc = {}): FrameTrace {
  checkDesc('createFrameTrace', desc, FRAME_TRACE_KEYS, false)
  const capacity = desc.capacity ?? 600
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `FrameTraceDesc.capacity must be a positive integer, got ${String(capacity)}`, { capacity })
  }
  return new FrameTrace(capacity)
}
