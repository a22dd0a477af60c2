/**
 * Scheduling stalls during a latency measurement. On a shared VM the whole guest is now and then
 * descheduled for several ms; every process stops at once, the measured app, the X server and
 * the probe alike, and a latency sample that overlaps such a stall measures the host, not the
 * app. (Seen here: the slowest samples of an on-demand run came in a burst in which every stage
 * was slow at once, deliver included, while an unrelated process sleeping 1 ms woke 13 ms late.)
 *
 * The watch is a thread that sleeps 1 ms at a time (`Atomics.wait`, no event loop) and records
 * every wake that came more than `thresholdMs` late as an interval on CLOCK_MONOTONIC, the clock
 * the samples are stamped on. It costs about a thousand short wakes a second.
 *
 * Memory: the thread writes intervals into a SharedArrayBuffer of `capacity` pairs; `stop()`
 * copies them out. Stalls past `capacity` are counted in `dropped`, not kept.
 */
import { workerThreads } from '../node-builtins.js'
import { EnvironmentError, ValidationError, ErrorCode } from '../errors.js'
import { latencyStats, type LatencySample, type LatencyStats } from './latency.js'
import type { Worker } from 'node:worker_threads'

export interface StallWatchDesc {
  /** A wake later than this counts as a stall, ms. Default 4. */
  thresholdMs?: number
  /** Stalls kept. Default 4096. */
  capacity?: number
}

/** An interval in which the watch thread did not run (CLOCK_MONOTONIC ms). */
export interface Stall {
  startMonoMs: number
  endMonoMs: number
}

export interface StallRecord {
  thresholdMs: number
  stalls: Stall[]
  /** Stalls seen but not kept (over `capacity`). */
  dropped: number
}

// The thread's source (an eval'd CommonJS worker: no file to find in the bundle).
// ctl[0]: stop flag, ctl[1]: stalls written, ctl[2]: stalls seen, ctl[3]: watching (set once the
// loop runs; 'online' comes before the thread has even loaded worker_threads).
const WATCH_SOURCE = `
const { workerData } = require('node:worker_threads')
const ctl = new Int32Array(workerData.sab, 0, 4)
const out = new Float64Array(workerData.sab, 16)
const capacity = out.length / 2
const threshold = workerData.thresholdMs
const sleeper = new Int32Array(new SharedArrayBuffer(4))
const mono = () => Number(process.hrtime.bigint()) / 1e6
let prev = mono()
Atomics.store(ctl, 3, 1)
while (Atomics.load(ctl, 0) === 0) {
  Atomics.wait(sleeper, 0, 0, 1)
  const now = mono()
  if (now - prev - 1 > threshold) {
    const n = Atomics.load(ctl, 2)
    if (n < capacity) {
      out[2 * n] = prev + 1
      out[2 * n + 1] = now
      Atomics.store(ctl, 1, n + 1)
    }
    Atomics.store(ctl, 2, n + 1)
  }
  prev = now
}
`

export class StallWatch {
  readonly thresholdMs: number
  private readonly sab: SharedArrayBuffer
  private readonly ctl: Int32Array
  private worker: Worker | null = null

  constructor(desc: StallWatchDesc = {}) {
    const thresholdMs = desc.thresholdMs ?? 4
    const capacity = desc.capacity ?? 4096
    if (!(thresholdMs > 0 && thresholdMs < 1000)) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `stall watch: thresholdMs must be a number of ms in (0, 1000), got ${String(thresholdMs)}`)
    }
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `stall watch: capacity must be an integer in 1..${1 << 20}, got ${String(capacity)}`)
    }
    this.thresholdMs = thresholdMs
    this.sab = new SharedArrayBuffer(16 + capacity * 16)
    this.ctl = new Int32Array(this.sab, 0, 4)
  }

  /** Starts the thread; resolves once it is watching. */
  async start(): Promise<void> {
    if (this.worker !== null) return
    const w = new (workerThreads().Worker)(WATCH_SOURCE, { eval: true, workerData: { sab: this.sab, thresholdMs: this.thresholdMs } })
    this.worker = w
    let failed: unknown = null
    w.once('error', (err) => {
      failed = err
    })
    // Polled, not awaited on an event: the thread signals once its loop runs (a stall before
    // that would be missed, which a test that stops the process right after start() saw in CI).
    const deadline = Date.now() + 10_000
    while (Atomics.load(this.ctl, 3) === 0) {
      if (failed !== null) throw failed
      if (Date.now() > deadline) throw new EnvironmentError(ErrorCode.WORKER_INIT_TIMEOUT, 'stall watch: its thread did not start within 10 s; check that worker threads can start here')
      await new Promise((r) => setTimeout(r, 1))
    }
  }

  /** Stops the thread and returns what it saw. */
  async stop(): Promise<StallRecord> {
    const w = this.worker
    if (w !== null) {
      this.worker = null
      Atomics.store(this.ctl, 0, 1)
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve())
      })
    }
    const kept = Atomics.load(this.ctl, 1)
    const out = new Float64Array(this.sab, 16, kept * 2)
    const stalls: Stall[] = []
    for (let i = 0; i < kept; i++) stalls.push({ startMonoMs: out[2 * i]!, endMonoMs: out[2 * i + 1]! })
    return { thresholdMs: this.thresholdMs, stalls, dropped: Atomics.load(this.ctl, 2) - kept }
  }
}

/** A stall watch (not started: `await watch.start()`, then `await watch.stop()` for the record). */
export function createStallWatch(desc: StallWatchDesc = {}): StallWatch {
  return new StallWatch(desc)
}

/** What `framelatch latency --stalls` reports (README, "framelatch latency"). */
export interface StallReport {
  thresholdMs: number
  /** Stalls seen between the first injection and the last detection. */
  count: number
  longestMs: number
  /** Indices of the samples whose inject→detect interval overlaps a stall. */
  overlapping: number[]
  /** The statistics of the other samples. */
  statsWithout: LatencyStats
}

/** Which samples overlap a stall, and the statistics without them. */
export function stallReport(samples: readonly LatencySample[], record: StallRecord): StallReport {
  const first = samples.length > 0 ? samples[0]!.injectMonoMs : Infinity
  let last = -Infinity
  for (const s of samples) last = Math.max(last, s.detectMonoMs ?? s.injectMonoMs)
  const during = record.stalls.filter((st) => st.endMonoMs >= first && st.startMonoMs <= last)
  const overlapping: number[] = []
  const rest: LatencySample[] = []
  for (const s of samples) {
    const end = s.detectMonoMs ?? Infinity
    if (during.some((st) => st.startMonoMs < end && st.endMonoMs > s.injectMonoMs)) overlapping.push(s.index)
    else rest.push(s)
  }
  let longestMs = 0
  for (const st of during) longestMs = Math.max(longestMs, st.endMonoMs - st.startMonoMs)
  return { thresholdMs: record.thresholdMs, count: during.length, longestMs, overlapping, statsWithout: latencyStats(rest) }
}
