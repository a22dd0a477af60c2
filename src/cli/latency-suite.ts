/**
 * The latency comparison behind `framelatch bench` and benchmarks/probe/latency.bench.mjs: every
 * row measured with the probe in one run, on one display, and compared with the floor app of
 * that run (src/platform/reference-app.ts). Rows:
 *   floor, keyDown-render, naive setInterval loop         bare @kmamal/sdl + @kmamal/gl apps
 *   naive setInterval loop per scene (SuiteScene.naive)    the scene's own drawing, naive loop
 *   framelatch paced / low-latency / on-demand             per scene: the empty scene (runApp,
 *                                                          --latency-probe) and any extra scene
 *   probe check                                            an X11 app that flips exactly
 *                                                          `probeCheck.delayMs` after each key
 */
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDriver } from '../probe/driver.js'
import type { LatencyStats } from '../probe/latency.js'
import { measureCommandLatency, type LatencyReport } from './latency.js'
import { f2 } from './latency-report.js'

const here = Path.dirname(fileURLToPath(import.meta.url))
/** The compiled reference app (bare SDL + GL). */
export const REFERENCE_APP = Path.resolve(here, '..', 'platform', 'reference-app.js')
/** The compiled empty scene. */
export const EMPTY_SCENE_APP = Path.resolve(here, 'apps', 'empty-scene.js')

export const MODES = ['paced', 'low-latency', 'on-demand'] as const

export interface SuiteScene {
  /** Row label, e.g. 'hello-dashboard'. */
  name: string
  /** A framelatch app script taking the shared app flags (--latency-probe, --mode). */
  script: string
  /**
   * The same scene in a naive user's loop (`setInterval(render, 1000 / 60)`, the key applied in
   * the keyDown listener, a probe square coloured on the CPU), measured as a 'naive' row of this
   * scene. Default none.
   */
  naive?: string
  /** Modes to measure this scene in. Default: the suite's `modes`. */
  modes?: readonly (typeof MODES)[number][]
}

export interface LatencySuiteDesc {
  samples: number
  /** Extra framelatch scenes besides the empty one. Default none. */
  scenes?: readonly SuiteScene[]
  /** Modes to measure each scene in. Default all three. */
  modes?: readonly (typeof MODES)[number][]
  /** Include the keyDown and naive reference apps. Default true. */
  baselines?: boolean
  /** An X11 app that flips `delayMs` after each key press (the probe's own error check). Default none. */
  probeCheck?: { script: string; delayMs: number } | null
  pauseMs?: readonly [number, number]
  warmupMs?: number
  /** Called before each row and after each sample. */
  onProgress?: (row: string, rowIndex: number, rows: number, done: number, total: number) => void
}

export interface LatencyRow {
  name: string
  /** Label for plots, e.g. 'floor', 'empty low-latency'. */
  short: string
  kind: 'floor' | 'keydown' | 'naive' | 'framelatch' | 'probe-check'
  mode: string | null
  scene: string | null
  stats: LatencyStats
  /** p50 and p99 divided by the floor's of this run. */
  ratioP50: number
  ratioP99: number
  /** framelatch rows: the frame's own cost (latch → swap return) and the Reflex-like split, p50/p99 ms. */
  frameCost: { p50: number; p99: number } | null
  reflexP50: Record<string, number> | null
  /** The full report of this row (samples included). */
  report: LatencyReport
}

export interface LatencySuiteResult {
  rows: LatencyRow[]
  /** Probe check: the measured p50 minus the app's fixed delay, ms; null when not run. */
  probeErrorP50: number | null
  probeCheckDelayMs: number | null
  /**
   * Probe check, split with the check app's own trace (p50, ms): X delivery of the key to the app,
   * and the probe's detection after the app sent its paint. Null when the app wrote no trace.
   */
  probeCheckSplit: { deliverP50: number; detectP50: number } | null
}

function pct(v: number[], p: number): number {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN
}

/** One row to measure: what `runLatencySuite` runs, in order. */
export interface LatencyPlanRow {
  name: string
  short: string
  kind: LatencyRow['kind']
  mode: string | null
  scene: string | null
  command: string[]
}

/** The rows of a suite run, in the order they are measured. */
export function latencySuitePlan(desc: LatencySuiteDesc): LatencyPlanRow[] {
  const node = process.execPath
  const plan: LatencyPlanRow[] = [
    { name: 'floor: bare SDL+GL, setImmediate poll, render on change', short: 'floor', kind: 'floor', mode: null, scene: null, command: [node, REFERENCE_APP, '--style', 'floor'] },
  ]
  if (desc.baselines ?? true) {
    plan.push({ name: 'bare app rendering in its keyDown handler', short: 'keyDown render', kind: 'keydown', mode: null, scene: null, command: [node, REFERENCE_APP, '--style', 'keydown'] })
    plan.push({ name: 'naive setInterval(render, 1000/60) loop', short: 'naive 60 Hz loop', kind: 'naive', mode: null, scene: null, command: [node, REFERENCE_APP, '--style', 'naive'] })
  }
  const scenes: SuiteScene[] = [{ name: 'empty scene', script: EMPTY_SCENE_APP }, ...(desc.scenes ?? [])]
  for (const scene of scenes) {
    if (scene.naive !== undefined && (desc.baselines ?? true)) {
      plan.push({ name: `naive setInterval(render, 1000/60) loop, ${scene.name}`, short: `naive ${scene.name.replace('hello-', '')}`, kind: 'naive', mode: null, scene: scene.name, command: [node, scene.naive] })
    }
    for (const mode of scene.modes ?? desc.modes ?? MODES) {
      plan.push({ name: `framelatch ${scene.name}, ${mode}`, short: `${scene.name.replace(' scene', '').replace('hello-', '')} ${mode}`, kind: 'framelatch', mode, scene: scene.name, command: [node, scene.script, '--latency-probe', '--mode', mode] })
    }
  }
  if (desc.probeCheck) {
    plan.push({ name: `probe check: X11 app flipping ${desc.probeCheck.delayMs} ms after each key`, short: `probe check ${desc.probeCheck.delayMs} ms`, kind: 'probe-check', mode: null, scene: null,
      command: [node, desc.probeCheck.script, '--delay-ms', String(desc.probeCheck.delayMs)] })
  }
  return plan
}

/** Runs every row; the caller owns the display (DISPLAY set, or the driver starts Xvfb). */
export async function runLatencySuite(desc: LatencySuiteDesc): Promise<LatencySuiteResult> {
  const plan = latencySuitePlan(desc)
  const driver = await createDriver()
  const measured: { plan: (typeof plan)[number]; report: LatencyReport }[] = []
  try {
    for (const [i, p] of plan.entries()) {
      desc.onProgress?.(p.name, i, plan.length, 0, desc.samples)
      const report = await measureCommandLatency({
        command: p.command, samples: desc.samples, driver, stalls: true,
        ...(desc.pauseMs ? { pauseMs: desc.pauseMs } : {}),
        ...(desc.warmupMs !== undefined ? { warmupMs: desc.warmupMs } : {}),
        onProgress: (done, total) => desc.onProgress?.(p.name, i, plan.length, done, total),
      })
      measured.push({ plan: p, report })
    }
  } finally {
    driver.close()
  }
  const floor = measured[0]!.report.stats
  const rows: LatencyRow[] = measured.map(({ plan: p, report }) => {
    const b = report.breakdown
    const costs = b && p.kind === 'framelatch' ? b.perSample.map((s) => s.stages.record + s.stages.flush + s.stages.swap) : []
    return {
      name: p.name, short: p.short, kind: p.kind, mode: p.mode, scene: p.scene, stats: report.stats,
      ratioP50: report.stats.p50 / floor.p50, ratioP99: report.stats.p99 / floor.p99,
      frameCost: b && p.kind === 'framelatch' ? { p50: pct(costs, 0.5), p99: pct(costs, 0.99) } : null,
      reflexP50: b && p.kind === 'framelatch' ? Object.fromEntries(Object.entries(b.reflex).map(([k, v]) => [k, v.p50])) : null,
      report,
    }
  })
  const check = rows.find((r) => r.kind === 'probe-check')
  return {
    rows,
    probeErrorP50: check && desc.probeCheck ? check.stats.p50 - desc.probeCheck.delayMs : null,
    probeCheckDelayMs: desc.probeCheck?.delayMs ?? null,
    probeCheckSplit: check?.report.breakdown
      ? { deliverP50: check.report.breakdown.stages.deliver.p50, detectP50: check.report.breakdown.stages.display.p50 }
      : null,
  }
}

/** The markdown table of a suite run. */
export function latencySuiteMarkdown(r: LatencySuiteResult, samples: number): string {
  const out = [
    `Input-to-photon latency measured from outside (XTEST key press in, GetImage polling out), ${samples} samples a row, all rows in one run; ms.`,
    'Ratios are to the floor app of this run. Frame cost = latch → swap return from the app\'s own trace; I>S / S>Q / Q>R / R>D: inject → latch / latch → flush end / swap / swap return → seen (p50).',
    'Stalls: the samples that overlapped a scheduling stall (the probe\'s watch thread, sleeping 1 ms at a time, woke over 4 ms late: the machine stopped, not the app; `framelatch latency --stalls`), and the p99 of the other samples. Goals use the p99 of every sample.',
    '',
    '| app | p50 | p90 | p99 | mean | timeouts | p50 / floor | p99 / floor | frame cost p50 / p99 | I>S | S>Q | Q>R | R>D | stalls: samples / p99 of the rest |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const row of r.rows) {
    const s = row.stats
    const fc = row.frameCost ? `${f2(row.frameCost.p50)} / ${f2(row.frameCost.p99)}` : ''
    const rf = (k: string): string => (row.reflexP50 ? f2(row.reflexP50[k] ?? NaN) : '')
    const st = row.report.stalls
    const stalls = st ? `${st.overlapping.length} / ${f2(st.statsWithout.p99)}` : ''
    out.push(`| ${row.name} | ${f2(s.p50)} | ${f2(s.p90)} | ${f2(s.p99)} | ${f2(s.mean)} | ${s.timeouts}/${s.n} | ${row.kind === 'probe-check' ? '' : `${f2(row.ratioP50)}x`} | ${row.kind === 'probe-check' ? '' : `${f2(row.ratioP99)}x`} | ${fc} | ${rf('I>S')} | ${rf('S>Q')} | ${rf('Q>R')} | ${rf('R>D')} | ${stalls} |`)
  }
  if (r.probeErrorP50 !== null) {
    out.push('', `Probe's own error: against an X11 app that flips exactly ${r.probeCheckDelayMs} ms after each key press reaches it, the probe's p50 is ${f2(r.probeErrorP50 + r.probeCheckDelayMs!)} ms, ` +
      `an error of ${r.probeErrorP50 >= 0 ? '+' : ''}${f2(r.probeErrorP50)} ms` +
      (r.probeCheckSplit
        ? `; from the app's own stamps (p50): X delivery of the key to the app ${f2(r.probeCheckSplit.deliverP50)} ms, the probe seeing the paint after the app sent it ${f2(r.probeCheckSplit.detectP50)} ms.`
        : ' (X delivery to that app included).'))
  }
  return out.join('\n')
}
