/**
 * One frame of the engine, in the order that keeps input-to-photon short:
 *
 *   pump SDL events → latch input (frame.input) → read the newest state snapshot → record (user
 *   callbacks) → pump again and latch into the input uniform block → flush the queue → present
 *   → tell the ticker.
 *
 * Input is latched after the ticker's wait, immediately before recording, so the frame carries
 * the newest input rather than input from its scheduled start (late latching). The shaders'
 * input block gets a second, later latch (its own cursor on the ring) right before the flush
 * submits the frame, so GPU-drawn input (the latency probe's square, cursors) includes events
 * that arrived while the frame was being recorded. Every stage is stamped into the frame trace.
 *
 * Memory: the `Frame` object, the pass descriptor and the callback list are allocated once; a
 * steady frame allocates nothing here.
 */
import type { Device } from '../gl/device.js'
import type { PassDesc } from '../gl/types.js'
import { nowMs } from '../clock.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import { Stage, type FrameTrace } from '../sync/frame-trace.js'
import type { InputLatch, LatchedInput } from '../sync/input/input-latch.js'
import type { StateSnapshot, StateReader } from '../sync/state/state-reader.js'
import type { StateSpec } from '../sync/state/state-schema.js'
import type { FrameTiming, Ticker } from '../sync/ticker/ticker.js'
import type { Hud } from '../draw/hud.js'
import { writeInputBlock, type InputBlock } from './input-block.js'
import type { DrawQueue } from '../core/queue.js'

/** What a frame callback receives. One object, rewritten every frame: do not keep it. */
export interface Frame {
  /** Frame number, from 0. */
  index: number
  /** Animation step and time (ms) from the ticker; steady when frames drop. */
  dtMs: number
  timeMs: number
  /** The ticker's timing for this frame (null when the frame was rendered by `renderFrame()`). */
  timing: Readonly<FrameTiming> | null
  /** Input latched right before this frame was recorded. */
  input: Readonly<LatchedInput>
  /** Newest complete snapshot of the engine's shared state, or null without one. */
  state: StateSnapshot<StateSpec> | null
  /** Drawing-buffer size in pixels. */
  width: number
  height: number
  readonly device: Device
  readonly queue: DrawQueue
}

export type FrameCallback = (frame: Frame) => void

/**
 * The error an `onFrame` callback's throw becomes (`FL_FRAME_CALLBACK`); the thrown value is its
 * `cause`. The frame it broke was not presented.
 */
export function frameCallbackError(thrown: unknown, frame: number): FramelatchError {
  const what = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)
  const err = new FramelatchError(ErrorCode.FRAME_CALLBACK,
    `an onFrame callback threw in frame ${frame} (${what}); the frame was not presented; fix the callback (the original error is this error's cause), ` +
    "or pass createEngine({ onFrameError: 'skip' }) to drop such frames and keep running", { frame })
  err.cause = thrown
  return err
}

export interface FrameParts {
  device: Device
  queue: DrawQueue
  trace: FrameTrace
  latch: InputLatch
  /** Latches input for the shaders right before the flush (a second cursor on the same ring). */
  blockLatch: InputLatch
  inputBlock: InputBlock
  stateReader: StateReader<StateSpec> | null
  /** Pumps window-system events into the input ring (null headless). */
  pump: (() => boolean) | null
  present: () => void
  /**
   * After each `present()`, tell the transient ring the frame's data is consumed, so the next
   * frame appends to the ring's store instead of re-specifying all of it (transient-ring.ts: a
   * fresh 1 MB store cost an on-demand frame 4-12 ms in page faults). True for windows: on
   * llvmpipe the swap returns only after the frame is rasterised, so no draw still reads the
   * store; on a GPU the appended range is one no queued draw reads, so GL's implicit
   * synchronisation has nothing to wait for (not measured here: no GPU). False headless: there
   * `present()` only flushes, and writing a store the rasteriser is still reading waits for it
   * (the 'rotate' measurement in transient-ring.ts). Default false.
   */
  retireRingOnPresent?: boolean
  size: () => { width: number; height: number }
  /** Call `gl.finish()` after presenting and stamp it (costs throughput; for latency probes). */
  finish: boolean
  /** Draws frame-time and latency graphs at the top-right corner each frame, or null. */
  hud: Hud | null
  clearColor: readonly [number, number, number, number]
}

export class FrameRunner {
  readonly frame: Frame
  readonly callbacks: FrameCallback[] = []
  private readonly pass: { clearColor: [number, number, number, number]; clearDepth: number | undefined }
  /** The pass of a frame whose window was already covered by `compose` (no colour clear). */
  private readonly coveredPass: { clearDepth: number | undefined } = { clearDepth: 1 }
  /**
   * Runs before the callbacks record, with the queue empty (damage-aware redraw: damage-canvas.ts);
   * returns true when it covered the whole window, so the frame's pass skips the colour clear.
   * Null: none.
   */
  compose: ((frame: Frame) => boolean) | null = null
  private index = 0
  private syntheticTime = 0
  /**
   * Figures of the previous frame for the HUD, in a Float64Array so they are never boxed:
   * [start ms, frame interval ms, latency ms (oldest input, or the latch, to swap return)].
   */
  private readonly hudFigures = new Float64Array(3)
  /** Set by `captureNext`: receives a PNG of the next frame, read before it is presented. */
  private capture: ((png: Buffer) => void) | null = null

  constructor(private readonly parts: FrameParts) {
    this.frame = {
      index: 0, dtMs: 0, timeMs: 0, timing: null, input: parts.latch.state, state: null,
      width: 0, height: 0, device: parts.device, queue: parts.queue,
    }
    this.pass = { clearColor: [...parts.clearColor] as [number, number, number, number], clearDepth: 1 }
  }

  /**
   * Delivers a PNG of the next frame, read back after its flush and before it is presented (a
   * window's back buffer is undefined after a swap).
   */
  captureNext(deliver: (png: Buffer) => void): void {
    this.capture = deliver
  }

  get frameIndex(): number {
    return this.index
  }

  /** The colour every frame starts from (the runner's own array; setClearColor rewrites it). */
  get clearColor(): readonly [number, number, number, number] {
    return this.pass.clearColor
  }

  /** Sets the colour every frame starts from. */
  setClearColor(r: number, g: number, b: number, a: number): void {
    const c = this.pass.clearColor
    c[0] = r
    c[1] = g
    c[2] = b
    c[3] = a
  }

  /**
   * A callback threw: drop what the frame recorded (a flush empties the queue; the frame is
   * never presented, and the next frame clears over it) and move on to the next frame number.
   */
  private abandon(): void {
    try {
      this.parts.queue.flush(this.pass as PassDesc)
    } catch {
      // the queue is reset by flush even when it throws; the callback's error is the one to report
    }
    this.index++
  }

  /**
   * Runs one frame. `timing` and `ticker` come from the engine loop; without them (headless
   * stepping with `renderFrame`) dt is the time since the previous frame, clamped to 100 ms.
   * Returns the frame's CPU cost (start to flush end) in ms.
   */
  run(timing: Readonly<FrameTiming> | null, ticker: Ticker | null): number {
    const p = this.parts
    const trace = p.trace
    const f = this.frame
    const start = nowMs()
    const firstUses = p.device.stats.firstUses
    trace.begin(this.index)
    if (p.pump !== null) p.pump()
    const latchAt = nowMs()
    const input = p.latch.latch(latchAt)
    if (input.events > 0) trace.mark(Stage.InputArrival, input.oldestArrival)
    trace.mark(Stage.InputLatch, latchAt)
    if (p.stateReader !== null) {
      f.state = p.stateReader.read()
      if (f.state.seq > 0) trace.mark(Stage.StateSnapshot, f.state.time)
    }
    const size = p.size()
    f.index = this.index
    f.timing = timing
    if (timing !== null) {
      f.dtMs = timing.dtMs
      f.timeMs = timing.timeMs
    } else {
      const dt = this.index === 0 ? 0 : Math.min(100, Math.max(0, start - this.syntheticTime))
      f.dtMs = dt
      f.timeMs += dt
    }
    this.syntheticTime = start
    f.width = size.width
    f.height = size.height
    trace.mark(Stage.RecordStart, nowMs())
    const cbs = this.callbacks
    let covered = false
    try {
      if (this.compose !== null) covered = this.compose(f)
      for (let i = 0; i < cbs.length; i++) cbs[i]!(f)
    } catch (thrown) {
      this.abandon()
      throw frameCallbackError(thrown, f.index)
    }
    const hud = p.hud
    if (hud !== null && this.index > 0) {
      hud.push(this.hudFigures[1]!, this.hudFigures[2]!)
      hud.draw(Math.max(0, size.width - hud.panelWidth - 8), 8)
    }
    trace.mark(Stage.RecordEnd, nowMs())
    // Latest latch: input that arrived while recording still reaches this frame's shaders.
    if (p.pump !== null) p.pump()
    writeInputBlock(p.inputBlock.data, p.blockLatch.latch(nowMs()))
    // Depth is cleared only while some pipeline uses it (a depth clear costs a 2D scene ~0.8 ms a swap on llvmpipe).
    const depth = p.device.usesDepth ? 1 : undefined
    this.pass.clearDepth = depth
    this.coveredPass.clearDepth = depth
    p.queue.flush((covered ? this.coveredPass : this.pass) as PassDesc)
    const flushed = nowMs()
    trace.mark(Stage.FlushEnd, flushed)
    // A frame's cost is not learned when it did one-time work: the first frame (programs
    // compiled and data uploaded on first use), and any frame that compiled a program, created
    // a texture or drew with a pipeline for the first time (DeviceStats.firstUses), such as a
    // hot reload or a panel shown for the first time. It is not what the next frames will cost.
    if (ticker !== null) ticker.frameEnd(flushed - start, this.index > 0 && p.device.stats.firstUses === firstUses)
    if (this.capture !== null) {
      const deliver = this.capture
      this.capture = null
      deliver(p.device.screenshot())
    }
    p.present()
    if (p.retireRingOnPresent === true) p.queue.ring.retire()
    const swapped = nowMs()
    trace.mark(Stage.SwapReturn, swapped)
    const figures = this.hudFigures
    figures[1] = this.index > 0 ? start - figures[0]! : 0
    figures[0] = start
    figures[2] = swapped - (input.events > 0 ? input.oldestArrival : latchAt)
    if (ticker !== null) ticker.onSwap(swapped)
    if (p.finish) {
      p.device.finish()
      trace.mark(Stage.Finish, nowMs())
    }
    this.index++
    return flushed - start
  }
}
