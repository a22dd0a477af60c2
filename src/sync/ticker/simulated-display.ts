/**
 * A simulated display for tests and benchmarks: vblank timestamps (and swap returns) at a given
 * rate with timestamp jitter, missed vblanks (the source failed to report one) and outliers
 * (a report far off its vblank). Deterministic for a given `seed`.
 *
 * `next()` fills and returns one preallocated sample object: valid until the next call.
 */
import { createRandomState, nextRandom } from '../../random.js'

export interface SimulatedDisplayDesc {
  /** Refresh rate. Default 60. */
  hz?: number
  /** Time (ms) of vblank `startMsc`. Default 1000. */
  startMs?: number
  /** MSC of the first vblank. Default 1000. */
  startMsc?: number
  /** Standard deviation of the timestamp jitter, ms (Gaussian). Default 0.1. */
  jitterMs?: number
  /** Probability that a vblank is not reported at all. Default 0. */
  missProbability?: number
  /** Probability that a report is an outlier. Default 0. */
  outlierProbability?: number
  /** How far off an outlier is, ms (sign random). Default 3. */
  outlierMs?: number
  /** Seed of the deterministic PRNG. Default 1. */
  seed?: number
}

export interface SimulatedVblank {
  /** Reported time, ms (with jitter/outlier). */
  tMs: number
  /** True time of this vblank, ms. */
  trueMs: number
  /** Vblank counter. */
  msc: number
  /** True when this report is an injected outlier. */
  outlier: boolean
}

export class SimulatedDisplay {
  readonly hz: number
  readonly period: number
  readonly startMs: number
  readonly startMsc: number
  readonly jitterMs: number
  readonly missProbability: number
  readonly outlierProbability: number
  readonly outlierMs: number
  /** Vblanks skipped by `next()` so far. */
  missed = 0
  private msc: number
  private readonly state: Int32Array
  private readonly sample: SimulatedVblank = { tMs: 0, trueMs: 0, msc: 0, outlier: false }

  constructor(desc: SimulatedDisplayDesc = {}) {
    this.hz = desc.hz ?? 60
    this.period = 1000 / this.hz
    this.startMs = desc.startMs ?? 1000
    this.startMsc = desc.startMsc ?? 1000
    this.jitterMs = desc.jitterMs ?? 0.1
    this.missProbability = desc.missProbability ?? 0
    this.outlierProbability = desc.outlierProbability ?? 0
    this.outlierMs = desc.outlierMs ?? 3
    this.state = createRandomState(desc.seed ?? 1)
    this.msc = this.startMsc - 1
  }

  /** Uniform [0, 1) (mulberry32, src/random.ts). */
  random(): number {
    return nextRandom(this.state)
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.random()
    const v = this.random()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** True time of vblank `msc`. */
  vblankTime(msc: number): number {
    return this.startMs + (msc - this.startMsc) * this.period
  }

  /** First vblank (true time) strictly after `tMs`. */
  nextVblankAfter(tMs: number): number {
    return this.vblankTime(this.startMsc + Math.floor((tMs - this.startMs) / this.period) + 1)
  }

  /** The next reported vblank, skipping missed ones. The object is reused by the next call. */
  next(): SimulatedVblank {
    this.msc++
    while (this.missProbability > 0 && this.random() < this.missProbability) {
      this.msc++
      this.missed++
    }
    const s = this.sample
    s.msc = this.msc
    s.trueMs = this.vblankTime(this.msc)
    s.outlier = this.outlierProbability > 0 && this.random() < this.outlierProbability
    s.tMs = s.trueMs + this.jitterMs * this.gaussian() + (s.outlier ? (this.random() < 0.5 ? -1 : 1) * this.outlierMs : 0)
    return s
  }

  /**
   * When a blocking (vsync) swap issued at `issueMs` returns: the next vblank plus jitter. A
   * non-blocking swap would return at `issueMs`.
   */
  swapReturn(issueMs: number): number {
    return this.nextVblankAfter(issueMs) + Math.abs(this.jitterMs * this.gaussian())
  }
}
