/**
 * The vsync-calibrated ticker: decides when each frame starts.
 *
 * Modes (`TickerDesc.mode`):
 * - `paced` (default): each frame starts at predicted vblank − predicted frame cost − margin, so
 *   it finishes just before the vblank it is shown at (Swappy's `base + period − workDuration`).
 * - `low-latency`: paced, but a frame also starts as soon as input arrives (`notifyInput()`,
 *   `hasInput()` or `poll()` returning true), at most `maxHz` frames a second.
 * - `on-demand`: a frame starts only after `requestFrame()` or input, at most `maxHz`.
 *
 * `maxHz` is a token bucket (max-hz-bucket.ts). Input wakes only the stage that waits for input;
 * a frame waiting for the bucket is not started early by more input.
 *
 * Which vblank a frame aims at, and when it must start, is frame-target.ts: `dropped` counts the
 * vblanks skipped; when the predicted cost exceeds a period, frames go out every `frameInterval`
 * vblanks instead.
 *
 * Delta time: in `paced` mode `dtMs` is the distance between the predicted presentation times of
 * consecutive frames, a whole number of estimated periods, so it is exact and steady when the
 * rate halves (no filter to oscillate, unlike an EMA of raw deltas). Otherwise it is the time
 * between frame starts. Always clamped to [`minDtMs`, `maxDtMs`], so `timeMs` (their sum) only
 * grows.
 *
 * Time comes from `TickerDesc.scheduler` (default: the system clock and a `PreciseWaiter`); tests
 * inject a virtual one and no real time passes. The engine calls, per frame:
 * `await waitForFrame()` → record → `frameEnd()` → swap → `onSwap()`.
 *
 * Memory: the ticker owns one `FrameTiming` object, rewritten by each `waitForFrame` (valid until
 * the next call), and fixed-size rings in its estimators. `frameEnd`, `onSwap`, `onVblank`,
 * `notifyInput` and `requestFrame` allocate nothing; `waitForFrame` allocates its Promise, `nextFrame`
 * (the callback form) nothing but the wait's timer.
 */
import { FrameCostPredictor } from './frame-cost.js'
import { FrameTarget } from './frame-target.js'
import { MaxHzBucket } from './max-hz-bucket.js'
import type { FrameReason, FrameTiming, WaitForFrameOptions } from './frame-timing.js'
import { PeriodEstimator } from './period-estimator.js'
import type { PreciseWaitOptions } from '../precise-wait.js'
import { configError, validateTickerDesc, type TickerDesc, type TickerMode } from './ticker-config.js'
import { createSystemScheduler, type TickerScheduler, type VblankFeed } from './ticker-scheduler.js'
import { checkDesc, descKeys } from '../../check.js'

// The desc and its validation, the scheduler and the frame-timing types live beside this file;
// their names stay importable from here.
export type { TickerDesc, TickerMode } from './ticker-config.js'
export { createSystemScheduler, type TickerScheduler, type VblankFeed } from './ticker-scheduler.js'
export type { FrameReason, FrameTiming, WaitForFrameOptions } from './frame-timing.js'

// Stages of the frame wait (a state machine, so a frame costs no closures and no awaits).
const ST_IDLE = 0 // no wait pending
const ST_MAIN = 1 // paced / low-latency: waiting for the frame's start
const ST_MIN_START = 2 // an input or request frame waiting out 1 / maxHz
const ST_ON_DEMAND = 3 // on-demand: idle until asked

export class Ticker {
  readonly mode: TickerMode
  readonly hz: number
  readonly maxHz: number
  readonly marginMs: number
  readonly minDtMs: number
  readonly maxDtMs: number
  readonly debug: boolean
  readonly estimator: PeriodEstimator
  readonly cost: FrameCostPredictor
  /** Frames that finished after their predicted present. */
  missed = 0
  /** Vblanks skipped without a new frame (paced modes). */
  dropped = 0
  /** Frames started so far. */
  frames = 0

  private readonly scheduler: TickerScheduler
  private readonly vblank: VblankFeed | null
  private readonly timing: FrameTiming = {
    index: -1, targetStartMs: 0, actualStartMs: 0, predictedPresentMs: 0, dtMs: 0, timeMs: 0, periodMs: 0,
    predictedCostMs: 0, dropped: 0, previousMissed: false, reason: 'vblank',
  }
  private readonly waitOpts: PreciseWaitOptions = { poll: null, wakeOnInput: false, doorbell: null }
  private lastSeq = 0
  private lastStart = NaN
  private frameEndMs = NaN
  private inputPending = false
  private requestPending = false
  private stopped = false
  private previousMissed = false
  private waiting = false
  private readonly bucket: MaxHzBucket
  private readonly target: FrameTarget

  constructor(desc: TickerDesc = {}) {
    validateTickerDesc(desc)
    this.mode = desc.mode ?? 'paced'
    this.hz = desc.hz ?? 60
    this.maxHz = desc.maxHz ?? 240
    this.marginMs = desc.marginMs ?? 1
    this.minDtMs = desc.minDtMs ?? 0.1
    this.maxDtMs = desc.maxDtMs ?? 100
    this.debug = desc.debug ?? false
    this.estimator = new PeriodEstimator({ ...desc.estimator, hz: this.hz, maxHz: Math.max(desc.estimator?.maxHz ?? 500, this.hz) })
    this.cost = new FrameCostPredictor(desc.cost)
    this.vblank = desc.vblank ?? null
    this.scheduler = desc.scheduler ?? createSystemScheduler()
    this.bucket = new MaxHzBucket(this.maxHz)
    this.target = new FrameTarget(this.estimator, this.cost, this.marginMs, this.timing)
  }

  /** Vblanks per frame in the paced modes (see `FrameTarget.frameInterval`). */
  get frameInterval(): number {
    return this.target.frameInterval
  }

  /** Estimated refresh period, ms. */
  get period(): number {
    return this.estimator.period
  }
  /** Time (ms) of the newest vblank the estimate is anchored on; see `PeriodEstimator.phase`. */
  get phase(): number {
    return this.estimator.phase
  }
  get calibrated(): boolean {
    return this.estimator.calibrated
  }
  get confidence(): number {
    return this.estimator.confidence
  }
  /** True once swaps were found not to block; the ticker then paces itself at `hz`. */
  get nonBlockingSwaps(): boolean {
    return this.estimator.nonBlocking
  }
  /** The frame timing of the newest frame (the object `waitForFrame` returns). */
  get current(): Readonly<FrameTiming> {
    return this.timing
  }
  get isStopped(): boolean {
    return this.stopped
  }

  /** Predicted time (ms) of the first vblank after `tMs`. */
  predictVblank(tMs: number): number {
    if (Number.isNaN(this.estimator.phase)) this.estimator.anchor(tMs)
    return this.estimator.nextVblankAfter(tMs)
  }

  /** Feeds one vblank (framelatch-clock ms, MSC or -1). Use when not passing `vblank` in the desc. */
  onVblank(tMs: number, msc = -1): void {
    this.estimator.addVblank(tMs, msc)
  }

  /** Input arrived (call from input listeners): wakes a `low-latency` or `on-demand` wait. */
  notifyInput(): void {
    this.inputPending = true
    if (!this.waiting) return
    // Only a wait for the paced start (low-latency) or an idle on-demand wait ends for input;
    // a frame already waiting for the maxHz bucket keeps waiting.
    if (this.stage === ST_ON_DEMAND || (this.stage === ST_MAIN && this.mode === 'low-latency' && this.pendingReason === 'vblank')) {
      this.scheduler.wake()
    }
  }

  /** State changed: in `on-demand` mode, a frame starts as soon as `maxHz` allows. */
  requestFrame(): void {
    this.requestPending = true
    if (this.waiting && this.stage === ST_ON_DEMAND) this.scheduler.wake()
  }

  /** Ends the loop: a pending `waitForFrame` resolves with `reason: 'stopped'`, as do later calls. */
  stop(): void {
    this.stopped = true
    this.scheduler.wake()
  }

  /** Undoes `stop()`: later waits pace frames again (the engine's `run()` after `stop()`). */
  resume(): void {
    this.stopped = false
  }

  /**
   * The frame's CPU work is done and the swap is about to be issued. `costMs` defaults to the
   * time since the frame started. `learn` false: the frame-cost predictor does not remember this
   * cost, for a frame doing one-time work (an engine's first frame, which compiles and uploads
   * everything on first use: one 60 ms cost among fewer than 20 is their p95, which held a
   * paced dashboard at one frame every 4 vblanks for its first 19 frames).
   */
  frameEnd(costMs?: number, learn = true): void {
    const now = this.scheduler.now()
    const cost = costMs ?? now - this.timing.actualStartMs
    if (this.debug && !(cost >= 0 && cost < 1e6)) throw configError('frameEnd(costMs)', cost, 'pass the frame cost in ms (≥ 0)')
    if (learn) this.cost.add(cost, now)
    this.frameEndMs = this.timing.actualStartMs + cost
    this.previousMissed = this.frameEndMs > this.timing.predictedPresentMs
    if (this.previousMissed) this.missed++
  }

  /** The swap returned at `tMs` (default now). Feeds the period estimate when there is no vblank clock. */
  onSwap(tMs?: number): void {
    const t = tMs ?? this.scheduler.now()
    const end = Number.isNaN(this.frameEndMs) ? t : this.frameEndMs
    this.estimator.addSwap(t, t - end)
  }

  /**
   * Waits until the next frame should start and returns its timing (the ticker's own object,
   * valid until the next call). After `stop()` it resolves at once with `reason: 'stopped'`.
   * Allocates one Promise a frame; `nextFrame` allocates none. Pass the same `opts` object
   * every frame.
   */
  waitForFrame(opts?: WaitForFrameOptions): Promise<FrameTiming> {
    const p = new Promise<FrameTiming>(this.frameExecutor)
    this.startWait(opts)
    return p
  }

  /**
   * Callback form of `waitForFrame`: `done(timing)` runs when the frame should start, never
   * before this call returns. Allocates nothing beyond the wait's own timer (and a microtask
   * when the start was under `sleepMarginMs` away).
   */
  nextFrame(done: (timing: FrameTiming) => void, opts?: WaitForFrameOptions): void {
    if (this.frameDone !== null) this.deliver('stopped') // a second wait ends the first
    this.frameDone = done
    this.starting = true
    this.startWait(opts)
    this.starting = false
  }

  // A frame whose whole wait was synchronous (start under sleepMarginMs away) is delivered from
  // a microtask, so a callback loop that calls nextFrame from its callback never recurses.
  private starting = false
  private deferredReason: FrameReason = 'vblank'
  private readonly flushDeferred = (): void => {
    this.deliverNow(this.deferredReason)
  }

  private frameDone: ((timing: FrameTiming) => void) | null = null
  private readonly frameExecutor = (resolve: (timing: FrameTiming) => void): void => {
    if (this.frameDone !== null) this.deliver('stopped')
    this.frameDone = resolve
  }
  private stage = ST_IDLE
  private hasInputFn: (() => boolean) | null = null
  private pendingReason: FrameReason = 'vblank'
  private inputStart = 0
  private readonly onWaitDone = (woken: boolean): void => {
    this.advance(woken)
  }

  private inputWaiting(): boolean {
    const h = this.hasInputFn
    return this.inputPending || (h !== null && h())
  }

  private startWait(opts: WaitForFrameOptions | undefined): void {
    this.waitOpts.poll = opts?.poll ?? null
    this.waitOpts.doorbell = opts?.doorbell ?? null
    this.hasInputFn = opts?.hasInput ?? null
    if (this.stopped) return this.deliver('stopped')
    this.waiting = true
    this.readVblank()
    const sched = this.scheduler
    const now = sched.now()
    this.bucket.plan(now)
    if (this.mode === 'on-demand') {
      this.stage = ST_ON_DEMAND
      return this.advance(false)
    }
    this.target.plan(now, true)
    let target = this.timing.targetStartMs
    this.pendingReason = 'vblank'
    const lowLatency = this.mode === 'low-latency'
    if (lowLatency && this.inputWaiting()) {
      this.pendingReason = 'input'
      this.inputStart = now
      target = this.bucket.earliestStart
    }
    this.stage = ST_MAIN
    this.waitOpts.wakeOnInput = lowLatency && this.pendingReason === 'vblank'
    sched.waitUntil(target, this.waitOpts, this.onWaitDone)
  }

  /** Continues the frame wait after a scheduler wait ended. Each branch ends in one wait or a delivery. */
  private advance(woken: boolean): void {
    if (this.stopped) return this.deliver('stopped')
    const sched = this.scheduler
    switch (this.stage) {
      case ST_MAIN: {
        if (this.pendingReason === 'vblank' && !woken) return this.deliver('vblank')
        if (this.pendingReason === 'vblank') {
          // Woken by input (low-latency): start now, or as soon as maxHz allows.
          this.pendingReason = 'input'
          this.inputStart = sched.now()
        }
        return this.waitMinStart()
      }
      case ST_MIN_START:
        return this.deliver(this.pendingReason)
      case ST_ON_DEMAND: {
        const input = this.inputWaiting()
        if (input || this.requestPending) {
          this.pendingReason = input ? 'input' : 'request'
          this.inputStart = sched.now()
          return this.waitMinStart()
        }
        // Idle until asked. Wakes come from notifyInput()/requestFrame(); `hasInput` is
        // re-checked once a period for engines that only pass the predicate.
        this.waitOpts.wakeOnInput = true
        return sched.waitUntil(sched.now() + this.estimator.period, this.waitOpts, this.onWaitDone)
      }
      default:
        return
    }
  }

  private waitMinStart(): void {
    this.stage = ST_MIN_START
    if (this.scheduler.now() >= this.bucket.earliestStart) return this.deliver(this.pendingReason)
    this.waitOpts.wakeOnInput = false
    this.scheduler.waitUntil(this.bucket.earliestStart, this.waitOpts, this.onWaitDone)
  }

  private deliver(reason: FrameReason): void {
    if (this.starting) {
      this.deferredReason = reason
      queueMicrotask(this.flushDeferred)
      return
    }
    this.deliverNow(reason)
  }

  private deliverNow(reason: FrameReason): void {
    const done = this.frameDone
    this.frameDone = null
    this.stage = ST_IDLE
    this.waiting = false
    this.waitOpts.poll = null
    this.waitOpts.doorbell = null
    this.hasInputFn = null
    let t: FrameTiming
    if (reason === 'stopped') {
      t = this.timing
      t.reason = 'stopped'
    } else {
      if (reason !== 'vblank') {
        // Started early: shown at the first vblank it can make; targetStartMs is when it was
        // allowed to start (input or request arrival, or 1 / maxHz after the previous frame).
        const now = this.scheduler.now()
        this.target.plan(now, false)
        this.timing.targetStartMs = this.inputStart > this.bucket.earliestStart ? this.inputStart : this.bucket.earliestStart
      }
      t = this.begin(reason)
    }
    if (done !== null) done(t)
  }

  // ------------------------------------------------------------------ internals

  private readVblank(): void {
    const v = this.vblank
    if (v === null) return
    const s = v.latest()
    if (s.seq !== this.lastSeq && s.seq > 0) {
      this.lastSeq = s.seq
      this.estimator.addVblank(s.tMs, s.msc)
    }
  }

  private begin(reason: FrameReason): FrameTiming {
    const t = this.timing
    const now = this.scheduler.now()
    const paced = reason === 'vblank'
    let dt: number
    if (Number.isNaN(this.lastStart)) dt = this.estimator.period
    else if (paced && !Number.isNaN(this.target.lastPresent)) dt = t.predictedPresentMs - this.target.lastPresent
    else dt = now - this.lastStart
    if (!(dt >= this.minDtMs)) dt = this.minDtMs
    if (dt > this.maxDtMs) dt = this.maxDtMs
    t.index = this.frames++
    t.actualStartMs = now
    t.dtMs = dt
    t.timeMs += dt
    t.periodMs = this.estimator.period
    t.previousMissed = this.previousMissed
    t.reason = reason
    this.dropped += t.dropped
    this.bucket.take(now)
    this.lastStart = now
    this.target.lastPresent = t.predictedPresentMs
    this.frameEndMs = NaN
    this.inputPending = false
    this.requestPending = false
    this.previousMissed = false
    return t
  }

}

const TICKER_KEYS = descKeys<TickerDesc>({ mode: true, hz: true, maxHz: true, marginMs: true, minDtMs: true, maxDtMs: true, cost: true, estimator: true, vblank: true, scheduler: true, debug: true })

/** Creates a ticker; see `TickerDesc` for the defaults. Throws TICKER_CONFIG on bad values. */
export function createTicker(desc: TickerDesc = {}): Ticker {
  checkDesc('createTicker', desc, TICKER_KEYS, desc.debug ?? false)
  return new Ticker(desc)
}
