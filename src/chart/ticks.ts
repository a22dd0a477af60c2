/**
 * Axis ticks at round numbers: value axes step by 1, 2, 2.5 or 5 × 10^k, time axes by round clock
 * units (1, 2, 5, 10, 20, 50, 100, 200, 500 ms; 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min;
 * 1, 2, 3, 6, 12 h; days), aligned to multiples of the step (UTC for time), so labels read as a
 * person would write them and stay put while the view pans.
 *
 * Memory: a `TickSet` is made once per axis and rewritten by each call (its `values` array holds
 * at most `capacity` ticks); the label formatters return strings, so call them for visible ticks
 * only and cache labels by value when the axis is redrawn every frame.
 */
import { ErrorCode, ValidationError } from '../errors.js'

export interface TickSet {
  /** Ticks written by the last call. */
  count: number
  /** Distance between ticks (ms for time axes). */
  step: number
  /** Decimals a label needs to tell neighbouring ticks apart (value axes). */
  decimals: number
  /** Tick positions, ascending; `values[0..count)` are valid. */
  readonly values: Float64Array
}

/** A reusable tick set holding at most `capacity` ticks (default 64). */
export function createTickSet(capacity = 64): TickSet {
  if (!Number.isInteger(capacity) || capacity < 2) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `createTickSet: capacity must be an integer ≥ 2, got ${String(capacity)}`)
  }
  return { count: 0, step: 0, decimals: 0, values: new Float64Array(capacity) }
}

const MANTISSAS = [1, 2, 2.5, 5, 10]

/**
 * Writes the ticks of [min, max] at a round step (the first of 1, 2, 2.5, 5 × 10^k from about
 * range / (maxTicks − 1) up) that gives at most `maxTicks` ticks
 * into `into` and returns it. An empty or non-finite range gives no ticks.
 */
export function niceTicks(min: number, max: number, maxTicks: number, into: TickSet): TickSet {
  into.count = 0
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max) || !(maxTicks >= 2)) return into
  const limit = Math.min(maxTicks, into.values.length)
  const rough = (max - min) / Math.max(1, limit - 1)
  let exp = Math.floor(Math.log10(rough))
  let step = 0
  let mantissa = 1
  for (;;) {
    const pow = 10 ** exp
    for (const m of MANTISSAS) {
      const s = m * pow
      if (Math.floor(max / s) - Math.ceil(min / s) + 1 <= limit) {
        step = s
        mantissa = m
        break
      }
    }
    if (step > 0) break
    exp++
  }
  into.step = step
  // 2.5 × 10^k needs one decimal more than its power (0.25, 2.5); 10 × 10^k one fewer.
  const stepExp = mantissa === 10 ? exp + 1 : exp
  into.decimals = Math.max(0, -stepExp + (mantissa === 2.5 ? 1 : 0))
  writeMultiples(min, max, step, into)
  return into
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const TIME_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY,
]

/**
 * Ticks of a time range [minMs, maxMs] (epoch milliseconds, UTC) at the smallest round clock step
 * giving at most `maxTicks` ticks. Beyond a week, steps are whole multiples of 7 days.
 */
export function timeTicks(minMs: number, maxMs: number, maxTicks: number, into: TickSet): TickSet {
  into.count = 0
  if (!(maxMs > minMs) || !Number.isFinite(minMs) || !Number.isFinite(maxMs) || !(maxTicks >= 2)) return into
  const limit = Math.min(maxTicks, into.values.length)
  let step = 0
  for (const s of TIME_STEPS) {
    if (Math.floor(maxMs / s) - Math.ceil(minMs / s) + 1 <= limit) {
      step = s
      break
    }
  }
  if (step === 0) {
    const weeks = Math.ceil((maxMs - minMs) / (7 * DAY) / Math.max(1, limit - 1))
    step = weeks * 7 * DAY
    while (Math.floor(maxMs / step) - Math.ceil(minMs / step) + 1 > limit) step += 7 * DAY
  }
  into.step = step
  into.decimals = step < SECOND ? (step < 10 ? 3 : step < 100 ? 2 : 1) : 0
  writeMultiples(minMs, maxMs, step, into)
  return into
}

function writeMultiples(min: number, max: number, step: number, into: TickSet): void {
  const first = Math.ceil(min / step)
  const last = Math.floor(max / step)
  let n = 0
  for (let k = first; k <= last && n < into.values.length; k++) {
    // k × step, not a running sum: no drift, and 0.1 × 3 prints as 0.3 after toFixed.
    into.values[n++] = k * step
  }
  into.count = n
}

/** A value-axis label: the tick with the set's decimals (`-0` printed as `0`). */
export function formatTick(value: number, set: TickSet): string {
  const s = value.toFixed(set.decimals)
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * A time-axis label in UTC, as precise as the step needs: `HH:MM:SS.mmm` below a second,
 * `HH:MM:SS` below a minute, `HH:MM` below a day, `YYYY-MM-DD` from a day.
 */
export function formatTimeTick(ms: number, set: TickSet): string {
  const d = new Date(ms)
  if (set.step >= DAY) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  if (set.step >= MINUTE) return hm
  const hms = `${hm}:${pad(d.getUTCSeconds())}`
  if (set.step >= SECOND) return hms
  return `${hms}.${pad(d.getUTCMilliseconds(), 3).slice(0, set.decimals)}`
}
