/**
 * framelatch: real-time WebGL for Node.js with frame pacing and low input-to-photon latency.
 * This is the public surface; everything else is internal and may change.
 */
export {
  ErrorCode, FramelatchError, EnvironmentError, ValidationError, ResourceStateError, GLCallError, ShaderError, WorkerError,
  type ErrorCodeValue, type ShaderStage,
} from './errors.js'
export { setLogger, type Logger, type LogLevel } from './log.js'

// gl
export { createContext, checkDisplay, type ContextDesc, type WindowDesc, type GLContext } from './gl/context.js'
export { Device, type DeviceDesc, type DeviceStats } from './gl/device.js'
export type { Capabilities } from './gl/capabilities.js'
export type {
  BufferHandle, TextureHandle, RenderTargetHandle, ProgramHandle, PipelineHandle, AnyHandle, ResourceState,
} from './gl/handles.js'
export type * from './gl/types.js'
export { encodePNG, decodePNG, type DecodedImage } from './platform/png.js'
export { startXvfb, ensureDisplay, type XvfbDesc, type XvfbServer } from './platform/xvfb.js'

export { createUniformBlock, UniformBlock, writeMat3, type UniformBlockDesc, type UniformBlockStats } from './gl/uniform-block.js'
export type { UniformSchema, UniformType, UniformLayout } from './gl/uniform-layout.js'
export { createDataTexture, DataTexture, type DataTextureDesc } from './gl/data-texture.js'

// sync
export { nowMs, ustToMs, msToUst, systemClock, type Clock } from './clock.js'
export { preciseWaitUntil, PreciseWaiter, type PreciseWaitOptions } from './sync/precise-wait.js'
export { createTicker, Ticker, type TickerDesc, type TickerMode, type FrameTiming, type FrameReason } from './sync/ticker/ticker.js'
export { createVblankSource, type VblankSource, type VblankSourceDesc } from './platform/vblank-source.js'
export { defineStateSchema, type StateSchema, type StateSpec, type StateViews } from './sync/state/state-schema.js'
export { createSharedState, attachSharedState, SharedState, StateReader, StateWriter, type StateSnapshot } from './sync/state/shared-state.js'
export { createLogicWorker, LogicWorker, type LogicWorkerDesc, type LogicContext, type RestartPolicy } from './sync/worker/logic-worker.js'
export { createInputRing, attachInputRing, InputRing, InputReader, InputKind, InputMod, type InputEvent } from './sync/input/input-ring.js'
export { createInputLatch, InputLatch, type LatchedInput } from './sync/input/input-latch.js'
export { INPUT_GLSL, INPUT_VEC4S } from './engine/input-block.js'
export { attachSdlInput } from './engine/sdl-input.js'
export { pumpSdlEvents } from './platform/sdl-events.js'
export { createFrameTrace, FrameTrace, Stage, STAGE_NAMES, type FrameTraceSummary } from './sync/frame-trace.js'

// core
export { createEngine, Engine, type EngineDesc, type RunOptions, type Frame, type FrameCallback } from './engine/engine.js'
export { createQueue, DrawQueue, type QueueDesc, type QueueStats, type BatchDesc, type BatchId } from './core/queue.js'
export { createSpriteBatcher, SpriteBatcher, packColor, packHexColor, type SpriteBatcherDesc } from './draw/sprite-batcher.js'
export { createRectBatcher, RectBatcher, type RectBatcherDesc } from './draw/rect-batcher.js'
export { createLineBatcher, LineBatcher, type LineBatcherDesc, type LineJoin } from './draw/line-batcher.js'
export { createTextBatcher, TextBatcher, type TextBatcherDesc } from './draw/text-batcher.js'
export { createHud, Hud, type HudDesc } from './draw/hud.js'
export { runApp, parseAppArgs, LATENCY_PROBE_SIZE, type AppArgs, type AppDesc, type AppSummary } from './engine/app.js'
export { CommandPool, type CommandPoolDesc } from './core/command-pool.js'
export { RadixSorter } from './core/radix-sort.js'
export * as sortKey from './core/sort-key.js'
export * as text from './text/index.js'

// chart
export { createSeries, type DenseSeries, type SeriesDesc } from './chart/decimate.js'
export { createHitRegions, rowAt, type HitRegions } from './chart/hit-test.js'
export { createTickSet, niceTicks, timeTicks, formatTick, formatTimeTick, type TickSet } from './chart/ticks.js'

// ---- probe: X11 driver and latency measurement (issue 8) -------------------------------------
export {
  createDriver, Driver,
  type DriverDesc, type Region, type Capture, type PointerOptions, type MoveOptions, type PathStep, type ClickOptions, type KeyOptions,
  type ProbeWindow, type WindowQuery, type FindWindowOptions, type PathCurve, type PathPoint,
} from './probe/driver.js'
export {
  measureLatency, latencyStats,
  type LatencyDesc, type LatencyInput, type LatencyExpect, type LatencySample, type LatencyStats, type LatencyResult,
} from './probe/latency.js'
export { breakDown, parseTrace, type Breakdown, type SampleBreakdown, type TraceFrame } from './probe/breakdown.js'
export { TRACE_ENV } from './engine/trace-export.js'
