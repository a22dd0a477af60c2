/**
 * Lines a framelatch app's exported frame trace (FRAMELATCH_TRACE, see src/engine/trace-export.ts)
 * up with the probe's samples: for each sample, the first frame whose input arrived between the
 * injection and the detection is the frame that showed it. Every stamp is CLOCK_MONOTONIC ms, so
 * the two processes' times compare directly.
 *
 * Stages of one sample (ms):
 *   deliver  injection → input arrival in the engine's ring (X server, SDL, event pump)
 *   wait     arrival → latch (the frame start the input waited for)
 *   record   latch → record end (latch, state read, the app's onFrame callbacks)
 *   flush    record end → flush end (sort, upload, GL calls)
 *   swap     flush end → swap return
 *   display  swap return → detection (the X server showing it, and the probe seeing it)
 * and the Reflex-like split: I>S = deliver + wait (input to simulation start), S>Q = record +
 * flush (simulation and render submission), Q>R = swap, R>D = display.
 */
import type { LatencySample } from './latency.js'

/** One exported frame: stage name → CLOCK_MONOTONIC ms. */
export type TraceFrame = { frame: number } & Record<string, number>

export const BREAKDOWN_STAGES = ['deliver', 'wait', 'record', 'flush', 'swap', 'display'] as const
export const REFLEX_STAGES = ['I>S', 'S>Q', 'Q>R', 'R>D'] as const
export type BreakdownStage = (typeof BREAKDOWN_STAGES)[number]
export type ReflexStage = (typeof REFLEX_STAGES)[number]

export interface SampleBreakdown {
  index: number
  frame: number
  stages: Record<BreakdownStage, number>
  reflex: Record<ReflexStage, number>
}

export interface StageStats {
  p50: number
  p90: number
  p99: number
  mean: number
}

export interface Breakdown {
  /** Frames read from the trace. */
  frames: number
  /** Samples matched to a frame (of the detected ones). */
  matched: number
  perSample: SampleBreakdown[]
  stages: Record<BreakdownStage, StageStats>
  reflex: Record<ReflexStage, StageStats>
}

/** Parses the JSON-lines trace; the header line and malformed lines are skipped. */
export function parseTrace(text: string): TraceFrame[] {
  const out: TraceFrame[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"frame"')) continue
    try {
      out.push(JSON.parse(line) as TraceFrame)
    } catch {
      // a line cut short by the app exiting mid-write
    }
  }
  return out
}

function stageStats(v: number[]): StageStats {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  const q = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN)
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN }
}

/** Matches samples to frames and computes the per-sample and summary breakdown. */
export function breakDown(samples: readonly LatencySample[], frames: readonly TraceFrame[]): Breakdown {
  const sorted = frames.filter((f) => Number.isFinite(f['input-arrival'])).sort((a, b) => a['input-arrival']! - b['input-arrival']!)
  const perSample: SampleBreakdown[] = []
  for (const s of samples) {
    if (s.detectMonoMs === null) continue
    const f = sorted.find((fr) => fr['input-arrival']! >= s.injectMonoMs && fr['input-arrival']! <= s.detectMonoMs!)
    if (!f) continue
    const arrival = f['input-arrival']!
    const latch = f['input-latch'] ?? NaN
    const recordEnd = f['record-end'] ?? NaN
    const flushEnd = f['flush-end'] ?? NaN
    const swap = f['swap-return'] ?? NaN
    const stages: Record<BreakdownStage, number> = {
      deliver: arrival - s.injectMonoMs,
      wait: latch - arrival,
      record: recordEnd - latch,
      flush: flushEnd - recordEnd,
      swap: swap - flushEnd,
      display: s.detectMonoMs - swap,
    }
    perSample.push({
      index: s.index, frame: f.frame, stages,
      reflex: { 'I>S': latch - s.injectMonoMs, 'S>Q': flushEnd - latch, 'Q>R': swap - flushEnd, 'R>D': s.detectMonoMs - swap },
    })
  }
  const stages = {} as Record<BreakdownStage, StageStats>
  for (const k of BREAKDOWN_STAGES) stages[k] = stageStats(perSample.map((p) => p.stages[k]))
  const reflex = {} as Record<ReflexStage, StageStats>
  for (const k of REFLEX_STAGES) reflex[k] = stageStats(perSample.map((p) => p.reflex[k]))
  return { frames: frames.length, matched: perSample.length, perSample, stages, reflex }
}
