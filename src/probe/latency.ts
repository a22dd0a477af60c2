/**
 * Input-to-photon latency measured from outside the process, the way Typometer does it: inject
 * an input through XTEST, then read a region of the screen with `GetImage` as fast as the X
 * server answers until it shows the expected change.
 *
 * One sample:
 *  1. (colour expectation only) if the region already shows the colour, an untimed input first
 *     flips it away, so every timed sample starts from a known state;
 *  2. baseline capture of the region;
 *  3. `injectMs` stamped right before the XTEST request is written to the socket;
 *  4. back-to-back GetImage polls, each stamped when sent and when its reply arrived; the first
 *     poll that shows the change was read by the server somewhere in its round trip, so the
 *     detection time is that poll's midpoint and the sample's uncertainty is the gap since the
 *     previous poll's midpoint (reported as `resolutionMs`);
 *  5. the next sample starts after a random pause (so samples do not lock to the app's frame
 *     phase).
 * Keys and buttons are tapped: the release is sent right behind the press, so both reach the
 * app before the detection and no release is left over to be read with the next sample's press.
 * A sample that sees no change within `timeoutMs` is counted as a timeout, never dropped. Before
 * the first sample one untimed input is sent and waited for (priming), so the samples start once
 * the app has shown it takes input.
 */
import { nowMs, HRTIME_OFFSET_MS } from '../clock.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { Driver, ProbeWindow } from './driver.js'

export type LatencyInput = 'key' | 'click' | 'move'
/** 'change': any pixel differs from the baseline; or an RGB colour (0–255) the whole region must show. */
export type LatencyExpect = 'change' | readonly [number, number, number]

export interface LatencyDesc {
  /** The window to drive and watch. */
  window: ProbeWindow
  /** Watched region, relative to the window. */
  region: { x: number; y: number; width: number; height: number }
  /** Input injected per sample. Default 'key'. */
  input?: LatencyInput
  /** Key pressed with input 'key'. Default 'space'. */
  key?: string
  /** Where clicks land, and where moves go to and back from, relative to the window. Default: the region's centre. */
  point?: { x: number; y: number }
  /** What counts as the response. Default 'change'. */
  expect?: LatencyExpect
  /** Per-channel tolerance of a colour expectation. Default 24. */
  tolerance?: number
  /** Samples to take. Default 200. */
  samples?: number
  /** Random pause between samples, ms: [min, max]. Default [40, 120]. */
  pauseMs?: readonly [number, number]
  /** A sample with no response after this long is a timeout, ms. Default 1000. */
  timeoutMs?: number
  /**
   * Pause between the end of one poll and the next, ms, slept (not spun) so the target and the X
   * server keep the CPU on small machines. Adds up to this much to each sample's resolution.
   * Default 0.2.
   */
  pollGapMs?: number
  /** Called after each sample (progress display). */
  onSample?: (sample: LatencySample, done: number, total: number) => void
  /** Checked between samples: a reason to stop (e.g. the target exited), thrown as is. */
  abort?: () => Error | null
}

export interface LatencySample {
  index: number
  /** Injection time, ms on CLOCK_MONOTONIC (shared by every process; see trace-export). */
  injectMonoMs: number
  /** Detection time (midpoint of the first poll that saw the change), CLOCK_MONOTONIC ms; null on timeout. */
  detectMonoMs: number | null
  /** detect − inject, ms; null on timeout. */
  latencyMs: number | null
  /** Time between the detecting poll and the one before it, ms: the sample's uncertainty. */
  resolutionMs: number | null
  /** GetImage polls this sample took. */
  polls: number
}

export interface LatencyStats {
  /** Samples taken (timeouts included). */
  n: number
  timeouts: number
  min: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  stddev: number
}

export interface LatencyResult {
  stats: LatencyStats
  samples: LatencySample[]
  /** Median GetImage round trip over the run, ms (the probe's own resolution). */
  pollRoundTripMs: number
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

/** Statistics over the detected samples; `n` and `timeouts` count every sample. */
export function latencyStats(samples: readonly LatencySample[]): LatencyStats {
  const v = samples.map((s) => s.latencyMs).filter((x): x is number => x !== null).sort((a, b) => a - b)
  const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN
  const variance = v.length > 1 ? v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1) : v.length === 1 ? 0 : NaN
  return {
    n: samples.length, timeouts: samples.length - v.length,
    min: v.length ? v[0]! : NaN, p50: percentile(v, 0.5), p90: percentile(v, 0.9), p99: percentile(v, 0.99),
    max: v.length ? v[v.length - 1]! : NaN, mean, stddev: Math.sqrt(variance),
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)))

/** Runs the measurement. */
export async function measureLatency(driver: Driver, desc: LatencyDesc): Promise<LatencyResult> {
  const input = desc.input ?? 'key'
  const total = desc.samples ?? 200
  const timeoutMs = desc.timeoutMs ?? 1000
  const [pauseMin, pauseMax] = desc.pauseMs ?? [40, 120]
  const expect = desc.expect ?? 'change'
  const tolerance = desc.tolerance ?? 24
  const pollGapMs = desc.pollGapMs ?? 0.2
  const gapCell = new Int32Array(new SharedArrayBuffer(4))
  const { window: win, region } = desc
  const known = ['window', 'region', 'input', 'key', 'point', 'expect', 'tolerance', 'samples', 'pauseMs', 'timeoutMs', 'pollGapMs', 'onSample', 'abort']
  for (const k of Object.keys(desc)) {
    if (!known.includes(k)) throw new ValidationError(ErrorCode.INVALID_DESC, `LatencyDesc has no field '${k}'; fields: ${known.join(', ')}`)
  }
  if (!Number.isInteger(total) || total < 1) throw new ValidationError(ErrorCode.INVALID_DESC, `samples must be a positive integer, got ${total}`)
  if (!['key', 'click', 'move'].includes(input)) throw new ValidationError(ErrorCode.INVALID_DESC, `input must be key, click or move, got ${String(input)}`)
  if (region.x < 0 || region.y < 0 || region.width < 1 || region.height < 1 || region.x + region.width > win.width || region.y + region.height > win.height) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE, `region ${region.x},${region.y},${region.width},${region.height} is not inside the ${win.width}x${win.height} window`)
  }
  const x11 = driver.x11
  const point = desc.point ?? { x: region.x + (region.width >> 1), y: region.y + (region.height >> 1) }
  const keycode = input === 'key' ? driver.keycode(desc.key ?? 'space').keycode : 0
  const bytes = region.width * region.height * 4
  const baseline = new Uint8Array(bytes)
  const frame = new Uint8Array(bytes)
  const read = (out: Uint8Array): Promise<Uint8Array> => x11.getImage(win.id, region.x, region.y, region.width, region.height, out)
  const changed = (): boolean => {
    for (let i = 0; i < bytes; i++) if (frame[i] !== baseline[i]) return true
    return false
  }
  const showsColour = (img: Uint8Array): boolean => {
    if (expect === 'change') return false
    for (let i = 0; i < bytes; i += 4) {
      if (Math.abs(img[i]! - expect[0]) > tolerance || Math.abs(img[i + 1]! - expect[1]) > tolerance || Math.abs(img[i + 2]! - expect[2]) > tolerance) return false
    }
    return true
  }
  const responded = expect === 'change' ? changed : () => showsColour(frame)
  let moveToggle = false
  const press = (): void => {
    if (input === 'key') x11.fakeKey(keycode, true)
    else if (input === 'click') x11.fakeButton(1, true)
    else {
      moveToggle = !moveToggle
      const dx = moveToggle ? 8 : 0
      x11.fakeMotion(win.x + point.x + dx, win.y + point.y)
    }
  }
  const release = (): void => {
    if (input === 'key') x11.fakeKey(keycode, false)
    else if (input === 'click') x11.fakeButton(1, false)
  }

  if (input !== 'key') x11.fakeMotion(win.x + point.x, win.y + point.y)
  else await driver.focus(win)
  await x11.sync()

  // One untimed input first, waited for (up to the timeout): the app has then shown that it takes
  // input (its first frames are done, a toolkit's focus handling has settled) before any sample.
  await read(baseline)
  press()
  release()
  const primed = nowMs() + timeoutMs
  while (nowMs() < primed) {
    await read(frame)
    if (responded()) break
    await sleep(1)
  }

  const samples: LatencySample[] = []
  const roundTrips: number[] = []
  for (let i = 0; i < total; i++) {
    const aborted = desc.abort?.() ?? null
    if (aborted) throw aborted
    await sleep(pauseMin + Math.random() * (pauseMax - pauseMin))
    if (expect !== 'change' && showsColour(await read(baseline))) {
      // Restore: an untimed input flips the region away from the colour first.
      press()
      release()
      const until = nowMs() + timeoutMs
      while (showsColour(await read(baseline)) && nowMs() < until) await sleep(1)
      await sleep(pauseMin)
    }
    await read(baseline)
    const inject = nowMs()
    press()
    release()
    let polls = 0
    let prevMid = inject
    let detect: number | null = null
    let resolution: number | null = null
    for (;;) {
      const sent = nowMs()
      await read(frame)
      const got = nowMs()
      polls++
      roundTrips.push(got - sent)
      const mid = (sent + got) / 2
      if (responded()) {
        detect = mid
        resolution = mid - prevMid
        break
      }
      prevMid = mid
      if (got - inject > timeoutMs) break
      if (pollGapMs > 0) Atomics.wait(gapCell, 0, 0, pollGapMs)
    }
    const sample: LatencySample = {
      index: i,
      injectMonoMs: inject + HRTIME_OFFSET_MS,
      detectMonoMs: detect === null ? null : detect + HRTIME_OFFSET_MS,
      latencyMs: detect === null ? null : detect - inject,
      resolutionMs: resolution,
      polls,
    }
    samples.push(sample)
    desc.onSample?.(sample, i + 1, total)
  }
  await x11.sync()
  roundTrips.sort((a, b) => a - b)
  return { stats: latencyStats(samples), samples, pollRoundTripMs: percentile(roundTrips, 0.5) }
}
