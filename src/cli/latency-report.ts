/**
 * The human-readable side of `framelatch latency`: the text report (statistics, the stage
 * breakdown, optionally every sample) and the progress line.
 */
import { BREAKDOWN_STAGES, REFLEX_STAGES } from '../probe/breakdown.js'
import type { LatencySample } from '../probe/latency.js'
import type { LatencyReport } from './latency.js'

/** A figure with two decimals, or n/a. */
export const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a')

/** The human-readable report. */
export function formatLatencyReport(r: LatencyReport, perSample = false): string {
  const s = r.stats
  const out = [
    `framelatch latency: ${r.command ? r.command.join(' ') : `window '${r.window.title ?? '?'}'`} on ${r.display}`,
    `  window ${r.window.width}x${r.window.height}${r.window.title ? ` '${r.window.title}'` : ''}; input ${r.input}; region ${r.region.x},${r.region.y},${r.region.width},${r.region.height}; ` +
      `expect ${r.expect === 'change' ? 'change' : `rgb(${r.expect.join(',')})`}; probe poll round trip p50 ${f2(r.pollRoundTripMs)} ms`,
    '',
    `  n ${s.n}  timeouts ${s.timeouts}`,
    `  min ${f2(s.min)}  p50 ${f2(s.p50)}  p90 ${f2(s.p90)}  p99 ${f2(s.p99)}  max ${f2(s.max)}  mean ${f2(s.mean)}  stddev ${f2(s.stddev)}  (ms)`,
  ]
  const st = r.stalls
  const stalled = new Set(st?.overlapping ?? [])
  if (st) {
    const w = st.statsWithout
    out.push(`  scheduling stalls (a thread sleeping 1 ms woke over ${f2(st.thresholdMs)} ms late): ${st.count}, longest ${f2(st.longestMs)} ms; ` +
      `${st.overlapping.length} samples overlap one`,
    `  without them: n ${w.n}  min ${f2(w.min)}  p50 ${f2(w.p50)}  p90 ${f2(w.p90)}  p99 ${f2(w.p99)}  max ${f2(w.max)}  (ms)`)
  }
  const b = r.breakdown
  if (b) {
    out.push('', `  stage breakdown (frame trace: ${b.frames} input frames, ${b.matched} samples matched), ms:`)
    out.push(`  ${'stage'.padEnd(10)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${'mean'.padStart(8)}`)
    const row = (name: string, st: { p50: number; p90: number; p99: number; mean: number }): string =>
      `  ${name.padEnd(10)}${f2(st.p50).padStart(8)}${f2(st.p90).padStart(8)}${f2(st.p99).padStart(8)}${f2(st.mean).padStart(8)}`
    for (const k of BREAKDOWN_STAGES) out.push(row(k, b.stages[k]))
    out.push('  Reflex-like split:')
    for (const k of REFLEX_STAGES) out.push(row(k, b.reflex[k]))
    out.push('  deliver = inject→input arrival, wait = arrival→latch, record = latch→record end, flush, swap, display = swap return→seen;',
      '  I>S = inject→latch, S>Q = latch→flush end, Q>R = swap, R>D = swap return→seen')
    if (perSample) {
      out.push('', `  ${'sample'.padEnd(8)}${'frame'.padStart(8)}${'total'.padStart(8)}${BREAKDOWN_STAGES.map((k) => k.padStart(9)).join('')}${st ? '  stall' : ''}`)
      for (const p of b.perSample) {
        const total = r.samples[p.index]?.latencyMs ?? NaN
        const mark = st ? (stalled.has(p.index) ? '  yes' : '') : ''
        out.push(`  ${String(p.index).padEnd(8)}${String(p.frame).padStart(8)}${f2(total).padStart(8)}${BREAKDOWN_STAGES.map((k) => f2(p.stages[k]).padStart(9)).join('')}${mark}`)
      }
    }
  } else if (r.command) {
    out.push('', '  no frame trace: the target is not a framelatch app (or rendered no input frame), so no stage breakdown')
  }
  if (perSample && !b) {
    out.push('', '  samples (ms, * overlaps a stall): ' + r.samples.map((x) => (x.latencyMs === null ? 'timeout' : f2(x.latencyMs)) + (stalled.has(x.index) ? '*' : '')).join(' '))
  }
  return out.join('\n')
}

/** A progress printer: one rewritten line on a terminal, a line every 10% otherwise. */
export function progressLine(stream: NodeJS.WriteStream, label: string): (done: number, total: number, last: LatencySample) => void {
  const seen: number[] = []
  let timeouts = 0
  return (done, total, last) => {
    if (last.latencyMs === null) timeouts++
    else seen.push(last.latencyMs)
    const tty = stream.isTTY === true
    if (!tty && done !== total && done % Math.max(1, Math.round(total / 10)) !== 0) return
    const sorted = [...seen].sort((a, b) => a - b)
    const p50 = sorted.length ? sorted[Math.ceil(0.5 * sorted.length) - 1]! : NaN
    const line = `${label}${done}/${total}  last ${last.latencyMs === null ? 'timeout' : f2(last.latencyMs) + ' ms'}  p50 ${f2(p50)} ms  timeouts ${timeouts}`
    stream.write(tty ? `\r${line}\x1b[K${done === total ? '\n' : ''}` : line + '\n')
  }
}

