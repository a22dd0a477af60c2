/**
 * What a ticker is created from: `TickerDesc` with its documented defaults, and its validation.
 * Every problem is a `ValidationError` with code TICKER_CONFIG naming the field and what to pass.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import type { FrameCostDesc } from './frame-cost.js'
import type { PeriodEstimatorDesc } from './period-estimator.js'
import type { TickerScheduler, VblankFeed } from './ticker-scheduler.js'

export type TickerMode = 'paced' | 'low-latency' | 'on-demand'

export interface TickerDesc {
  /** Default 'paced'. */
  mode?: TickerMode
  /** Nominal refresh rate: the display's reported rate. Used until calibrated, and when swaps do not block. Default 60. */
  hz?: number
  /** Most frames a second in `low-latency` and `on-demand` modes. Default 240. */
  maxHz?: number
  /** Safety margin (ms) between a frame's predicted end and its vblank. Default 1. */
  marginMs?: number
  /** Smallest `dtMs`. Default 0.1. */
  minDtMs?: number
  /** Largest `dtMs` (after a stall, a breakpoint, an idle on-demand wait). Default 100. */
  maxDtMs?: number
  /** Frame-cost predictor settings. Default `{}` (p95 of 120 frames). */
  cost?: FrameCostDesc
  /** Period estimator settings (its `hz` is this desc's `hz`). Default `{}`. */
  estimator?: Omit<PeriodEstimatorDesc, 'hz'>
  /** Vblank clock read at each frame start. Default null (swap returns are used instead). */
  vblank?: VblankFeed | null
  /** Clock and waiting. Default: system clock + `PreciseWaiter`. */
  scheduler?: TickerScheduler
  /** Validate per-frame arguments (costs it on the hot path). Default false. */
  debug?: boolean
}

const MODES: readonly TickerMode[] = ['paced', 'low-latency', 'on-demand']
const DESC_KEYS = new Set(['mode', 'hz', 'maxHz', 'marginMs', 'minDtMs', 'maxDtMs', 'cost', 'estimator', 'vblank', 'scheduler', 'debug'])

/** A TICKER_CONFIG error for `TickerDesc.<field>` (also used for bad per-frame arguments in debug mode). */
export function configError(field: string, value: unknown, what: string): ValidationError {
  return new ValidationError(ErrorCode.TICKER_CONFIG, `TickerDesc.${field} is ${JSON.stringify(value) ?? String(value)}; ${what}`, {
    field, value,
  })
}

/** Throws TICKER_CONFIG for the first bad field of `desc`. */
export function validateTickerDesc(desc: TickerDesc): void {
  if (desc === null || typeof desc !== 'object') throw configError('(desc)', desc, 'pass an object, e.g. { mode: "paced" }')
  for (const key of Object.keys(desc)) {
    if (!DESC_KEYS.has(key)) throw configError(key, (desc as Record<string, unknown>)[key], `unknown field; known fields: ${[...DESC_KEYS].join(', ')}`)
  }
  const num = (field: keyof TickerDesc, lo: number, hi: number): void => {
    const v = desc[field]
    if (v === undefined) return
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw configError(field, v, `it must be a number from ${lo} to ${hi}`)
  }
  if (desc.mode !== undefined && !MODES.includes(desc.mode)) throw configError('mode', desc.mode, `use one of ${MODES.join(', ')}`)
  num('hz', 1, 1000)
  num('maxHz', 1, 10000)
  num('marginMs', 0, 100)
  num('minDtMs', 0, 1000)
  num('maxDtMs', 0.001, 60000)
  if ((desc.minDtMs ?? 0.1) > (desc.maxDtMs ?? 100)) throw configError('minDtMs', desc.minDtMs, 'it must not exceed maxDtMs')
  const v = desc.vblank
  if (v !== undefined && v !== null && typeof (v as VblankFeed).latest !== 'function') throw configError('vblank', '[object]', 'pass a vblank source (an object with latest()) or null')
  const s = desc.scheduler
  if (s !== undefined && (typeof s.now !== 'function' || typeof s.waitUntil !== 'function' || typeof s.wake !== 'function')) {
    throw configError('scheduler', '[object]', 'pass an object with now(), waitUntil(targetMs, opts) and wake()')
  }
}
