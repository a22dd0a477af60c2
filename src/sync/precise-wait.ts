/**
 * Precise waiting without starving input.
 *
 * Three phases, coarse to fine:
 * 1. While more than `sleepMarginMs` (default 4) remain: `setTimeout`. The JS event loop keeps
 *    running, so `@kmamal/sdl`'s 1 ms `setInterval` poll still delivers events to listeners,
 *    and a listener may call `wake()` to end the wait at once. libuv timers may fire up to 1 ms
 *    early or several ms late, hence the margin.
 *    A wait that input may end (`wakeOnInput` with a `poll`) sleeps differently here: one
 *    `Atomics.wait` slice of `sliceMs`, then `poll()`, then `setImmediate` so the event loop
 *    turns once (I/O, timers, other listeners) before the next slice. Input is then seen within
 *    a slice (0.5 ms) of its arrival instead of up to 1 ms (SDL's interval) plus the timer's
 *    lateness; the price is one wake-up per slice while idle.
 * 2. Then `Atomics.wait` on a private `Int32Array` in slices of `sliceMs` (default 0.5). The
 *    event loop is blocked here, so between slices `poll()` is called (the engine passes a
 *    synchronous SDL event pump); with `wakeOnInput` a `true` from it ends the wait.
 * 3. The last `spinMs` (default 0.15) are spun: less than a futex's wake-up slack, so input never
 *    waits behind more than a fraction of a millisecond of spinning.
 *
 * With a `doorbell` (an Int32Array on shared memory whose index 0 another thread bumps and
 * `Atomics.notify`s when input arrives, see platform/input-doorbell.ts), a wait that input may end
 * sleeps its slices (`doorbellSliceMs`, default 0.5) on the doorbell instead of the private cell
 * and polls as soon as it rings: input is seen when the thread wakes, not up to a slice later.
 * The slices stay short on purpose: on a loaded 2-core machine the doorbell's worker thread may
 * itself wait for a core, and polling every 0.5 ms bounds that delay (measured under load 8-15,
 * 2 ms doorbell slices lost to plain 0.5 ms polling in 2 of 3 rounds; the CPU use of the two was
 * the same, ~13-18 % of a core idle, mostly SDL's own 1 ms event poll). A ring after which
 * `poll()` finds nothing (input meant for another window, or SDL not yet holding the event) is
 * followed by two slices of at most `sliceMs`.
 *
 * A wait never returns before its target unless it was woken (input, `wake()`).
 *
 * Memory: a waiter owns one 4-byte SharedArrayBuffer for its lifetime. `waitUntil` allocates one
 * Promise; `waitUntilThen` none. Phase 1 allocates one libuv Timeout (or, input-polled, one Immediate
 * per slice); the rest is preallocated.
 */
import { nowMs } from '../clock.js'

export interface PreciseWaitOptions {
  /** Called between fine slices, and after each coarse sleep. Returns true when input arrived. Default none. */
  poll?: (() => boolean) | null
  /** Return early (with `true`) when `poll` reports input or `wake()` is called. Default false. */
  wakeOnInput?: boolean
  /**
   * Sleep with setTimeout while more than this many ms remain. Default 4: on a loaded 2-core
   * machine timers fired more than 2 ms late often enough to dominate the p99 (measured with
   * benchmarks/pacing.bench.mjs); blocking slices sleep too, so a wider margin costs no CPU.
   */
  sleepMarginMs?: number
  /** Length of one `Atomics.wait` slice in ms (input is polled between slices). Default 0.5. */
  sliceMs?: number
  /** Spin (busy-wait) the last this many ms. Default 0.15. */
  spinMs?: number
  /** An input doorbell to block on when `wakeOnInput` and `poll` are set (see above). Default none. */
  doorbell?: Int32Array | null
  /** Length of one slice on a doorbell, ms (a ring ends it early). Default 0.5. */
  doorbellSliceMs?: number
}

/** Slices of `sliceMs` taken after a doorbell ring that `poll()` found no input for. */
const RING_GRACE_SLICES = 2

/** Why a wait ended: the target was reached, or it was woken early. */
export const WaitResult = { Reached: 0, Woken: 1 } as const

export class PreciseWaiter {
  private readonly cell = new Int32Array(new SharedArrayBuffer(4))
  private resolveFn: ((woken: boolean) => void) | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private immediate: ReturnType<typeof setImmediate> | null = null
  private woken = false
  // Per-wait state lives on the waiter so the timer callback needs no closure per wait.
  private target = 0
  private poll: (() => boolean) | null = null
  private wakeOnInput = false
  private sleepMarginMs = 4
  private sliceMs = 0.5
  private spinMs = 0.15
  private doorbell: Int32Array | null = null
  private doorbellSliceMs = 0.5
  private graceSlices = 0
  private readonly onTimer = (): void => {
    this.timer = null
    this.step()
  }
  private readonly onImmediate = (): void => {
    this.immediate = null
    this.step()
  }
  private readonly executor = (resolve: (woken: boolean) => void): void => {
    if (this.resolveFn !== null) this.finish(true)
    this.resolveFn = resolve
  }

  /** True while a wait is pending. */
  get waiting(): boolean {
    return this.resolveFn !== null
  }

  /**
   * Waits until `targetMs` on the framelatch clock (`Infinity` waits until woken). Resolves true
   * when woken early, false when the target was reached. One wait at a time per waiter; a second
   * call while one is pending ends the first as woken.
   */
  waitUntil(targetMs: number, opts?: PreciseWaitOptions): Promise<boolean> {
    const p = new Promise<boolean>(this.executor)
    this.begin(targetMs, opts)
    return p
  }

  /**
   * Callback form of `waitUntil`, for per-frame use: allocates no Promise. `done(woken)` runs
   * once, possibly before this call returns (when the target is under `sleepMarginMs` away, the
   * whole wait is synchronous).
   */
  waitUntilThen(targetMs: number, opts: PreciseWaitOptions | undefined, done: (woken: boolean) => void): void {
    if (this.resolveFn !== null) this.finish(true)
    this.resolveFn = done
    this.begin(targetMs, opts)
  }

  private begin(targetMs: number, opts: PreciseWaitOptions | undefined): void {
    this.target = targetMs
    this.poll = opts?.poll ?? null
    this.wakeOnInput = opts?.wakeOnInput ?? false
    this.sleepMarginMs = opts?.sleepMarginMs ?? 4
    this.sliceMs = opts?.sliceMs ?? 0.5
    this.spinMs = opts?.spinMs ?? 0.15
    this.doorbell = opts?.doorbell ?? null
    this.doorbellSliceMs = opts?.doorbellSliceMs ?? 0.5
    this.graceSlices = 0
    this.woken = false
    this.step()
  }

  /**
   * Ends the pending wait now (it resolves true). Safe to call from event listeners; a wake with
   * no wait pending is remembered by nothing (the next wait starts fresh).
   */
  wake(): void {
    if (this.resolveFn === null) return
    this.woken = true // seen between fine slices when wake() runs inside poll()
    if (this.timer !== null || this.immediate !== null) this.finish(true)
  }

  /** Cancels the pending wait (resolves true) and releases its timer. */
  cancel(): void {
    if (this.resolveFn === null) return
    this.finish(true)
  }

  private finish(woken: boolean): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.immediate !== null) {
      clearImmediate(this.immediate)
      this.immediate = null
    }
    const r = this.resolveFn
    this.resolveFn = null
    this.poll = null
    this.doorbell = null
    if (r !== null) r(woken)
  }

  private step(): void {
    if (this.resolveFn === null) return
    const wakeOnInput = this.wakeOnInput
    const poll = this.poll
    if (this.woken) return this.finish(true)
    // The doorbell is read before each poll, so a ring during the poll ends the next wait at once.
    const bell = wakeOnInput && poll !== null ? this.doorbell : null
    let rung = bell !== null ? Atomics.load(bell, 0) : 0
    if (poll !== null && poll() && wakeOnInput) return this.finish(true)
    const target = this.target
    let remaining = target - nowMs()
    if (remaining <= 0) return this.finish(false)
    const cell = this.cell
    if (remaining > this.sleepMarginMs && wakeOnInput && poll !== null) {
      // Phase 1, input-polled: one slice asleep (on the doorbell when there is one), then let
      // the event loop turn once (step polls).
      if (bell !== null) this.bellWait(bell, rung, Math.min(this.doorbellSliceMs, remaining - this.sleepMarginMs))
      else Atomics.wait(cell, 0, 0, this.sliceMs)
      this.immediate = setImmediate(this.onImmediate)
      return
    }
    if (remaining > this.sleepMarginMs) {
      // Phase 1: let the event loop run. Integer ms: libuv's timer clock has 1 ms resolution.
      const ms = Math.max(1, Math.floor(remaining - this.sleepMarginMs))
      this.timer = setTimeout(this.onTimer, ms === Infinity ? 0x7fffffff : Math.min(ms, 0x7fffffff))
      return
    }
    // Phase 2: short blocking slices (on the doorbell when there is one), polling input between them.
    const spin = this.spinMs
    const slice = this.sliceMs
    while (remaining > spin) {
      if (bell !== null) {
        this.bellWait(bell, rung, remaining - spin < this.doorbellSliceMs ? remaining - spin : this.doorbellSliceMs)
        rung = Atomics.load(bell, 0)
      } else {
        Atomics.wait(cell, 0, 0, remaining - spin < slice ? remaining - spin : slice)
      }
      if (poll !== null && poll() && wakeOnInput) return this.finish(true)
      // poll() may have dispatched a listener that called wake()
      if (this.woken) return this.finish(true)
      remaining = target - nowMs()
    }
    // Phase 3: spin the last fraction of a millisecond.
    while (nowMs() < target) {
      // busy-wait; bounded by spinMs
    }
    this.finish(false)
  }

  /**
   * Blocks on the doorbell until it moves past `seen` or `ms` pass; after a ring that the
   * following poll found nothing for, the next waits are `sliceMs` long (RING_GRACE_SLICES).
   */
  private bellWait(bell: Int32Array, seen: number, ms: number): void {
    if (this.graceSlices > 0) {
      this.graceSlices--
      if (ms > this.sliceMs) ms = this.sliceMs
    }
    if (Atomics.wait(bell, 0, seen, ms) !== 'timed-out') this.graceSlices = RING_GRACE_SLICES
  }
}

const shared = new PreciseWaiter()

/**
 * Waits until `targetMs` (framelatch clock) with the module's shared waiter; see `PreciseWaiter`.
 * Resolves true when woken early by input (`opts.wakeOnInput`) or `wakePreciseWait()`.
 */
export function preciseWaitUntil(targetMs: number, opts?: PreciseWaitOptions): Promise<boolean> {
  return shared.waitUntil(targetMs, opts)
}

/** Wakes the pending `preciseWaitUntil`, if any. */
export function wakePreciseWait(): void {
  shared.wake()
}
