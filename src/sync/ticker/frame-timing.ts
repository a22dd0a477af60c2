/**
 * What the ticker hands each frame: its `FrameTiming` (which the ticker owns and rewrites; see
 * ticker.ts for how each field is computed), why it started, and the per-frame wait options.
 */

/** What started a frame. */
export type FrameReason = 'vblank' | 'input' | 'request' | 'stopped'

/** One frame's timing. Owned by the ticker, rewritten by each `waitForFrame`. */
export interface FrameTiming {
  /** Frame number, from 0. */
  index: number
  /** When the frame was scheduled to start, ms. */
  targetStartMs: number
  /** When `waitForFrame` resolved, ms. */
  actualStartMs: number
  /** Predicted vblank at which this frame is shown, ms. */
  predictedPresentMs: number
  /** Animation time step, ms (see the file comment of ticker.ts). */
  dtMs: number
  /** Sum of `dtMs` since the first frame, ms. */
  timeMs: number
  /** Estimated refresh period, ms. */
  periodMs: number
  /** Predicted cost used for this frame, ms. */
  predictedCostMs: number
  /** Vblanks skipped since the previous frame (paced modes). */
  dropped: number
  /** True when the previous frame finished after its predicted present. */
  previousMissed: boolean
  reason: FrameReason
}

export interface WaitForFrameOptions {
  /** Synchronous input pump called while the event loop is blocked; true = input arrived. */
  poll?: (() => boolean) | null
  /** Checked before and after waits: true = unconsumed input exists. */
  hasInput?: (() => boolean) | null
  /**
   * An input doorbell (shared Int32Array whose index 0 another thread bumps and notifies when
   * input arrives): waits that input may end block on it and `poll` when it rings, instead of
   * polling in 0.5 ms slices. See `PreciseWaitOptions.doorbell`. Default none.
   */
  doorbell?: Int32Array | null
}
