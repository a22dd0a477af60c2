/**
 * What `createEngine` and `engine.run` take: EngineDesc and RunOptions with their defaults, and
 * the key sets their checks reject unknown keys with.
 */
import { descKeys } from '../check.js'
import type { WindowDesc } from '../gl/context.js'
import type { SharedState } from '../sync/state/shared-state.js'
import type { StateSpec } from '../sync/state/state-schema.js'
import type { TickerMode } from '../sync/ticker/ticker.js'
import type { HudDesc } from '../draw/hud.js'
import type { QueueDesc } from '../core/queue-desc.js'

export interface EngineDesc {
  /** Render offscreen. Default true unless `window` is given. */
  headless?: boolean
  /** Headless drawing-buffer size in pixels. Default 640x480. */
  width?: number
  height?: number
  /** Open an SDL window (see WindowDesc for its defaults). */
  window?: WindowDesc
  /** Validate every call and check getError after every GL call. Default false. */
  debug?: boolean
  /**
   * When no DISPLAY is set and the engine is headless, lease the auto-started Xvfb (shared by
   * every engine of the process, stopped when the last one is destroyed; see
   * platform/display-owner.ts). Default true. Windows always need a real DISPLAY.
   */
  autoDisplay?: boolean
  /** Pacing mode (see Ticker): 'paced' | 'low-latency' | 'on-demand'. Default 'paced'. */
  mode?: TickerMode
  /** Display refresh rate to assume until calibrated, or when swaps do not block. Default 60. */
  hz?: number
  /** Most frames a second in low-latency and on-demand modes. Default 240. */
  maxHz?: number
  /** Safety margin before the vblank, ms. Default 1. */
  marginMs?: number
  /** Read vblank times from the X Present extension (in a worker) when available. Default true. */
  vblank?: boolean
  /** Colour each frame is cleared to. Default opaque black. */
  clearColor?: readonly [number, number, number, number]
  /** Frames kept in the frame trace. Default 600. */
  traceFrames?: number
  /** Input events the input ring holds. Default 1024. */
  inputCapacity?: number
  /** Shared state the render thread reads each frame (frame.state). Default none. */
  state?: SharedState<StateSpec>
  /** Call gl.finish() after each present and trace it (for latency measurement). Default false. */
  finish?: boolean
  /** Draw queue options. Default {}. */
  queue?: QueueDesc
  /**
   * Draw the HUD (frame-time and latency graphs, fps and percentiles) at the top-right corner
   * of every frame; `true` or HudDesc options. Latency is input arrival (or the latch, when no
   * input came) to swap return of the previous frame. Default false.
   */
  hud?: boolean | HudDesc
  /**
   * What an `onFrame` callback that throws does to the loop. Either way the frame is not
   * presented, the throw becomes `FL_FRAME_CALLBACK` (the original as its `cause`) and is logged
   * (the 1st, 2nd, 4th, 8th… time in a row). 'stop' (default): the loop ends and `run()` rejects
   * with it. 'skip': the loop goes on with the next frame. `renderFrame()` always throws it.
   */
  onFrameError?: 'stop' | 'skip'
  /**
   * Windowed: a worker watches the X server's raw input events (XInput2) and wakes the ticker's
   * wait the moment input arrives, instead of at the end of its 0.5 ms SDL polling slice. Without
   * XInput2 the wait only polls (logged as FL_INPUT_DOORBELL_UNAVAILABLE). Default true.
   */
  inputDoorbell?: boolean
}

export interface RunOptions {
  /** Stop after this many frames. Default: run until `stop()` or the window closes. */
  frames?: number
}

export const ENGINE_KEYS = descKeys<EngineDesc>({ headless: true, width: true, height: true, window: true, debug: true, autoDisplay: true, mode: true, hz: true, maxHz: true, marginMs: true, vblank: true, clearColor: true, traceFrames: true, inputCapacity: true, state: true, finish: true, queue: true, hud: true, onFrameError: true, inputDoorbell: true })
export const RUN_KEYS = descKeys<RunOptions>({ frames: true })
