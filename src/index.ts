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
export { encodePNG, decodePNG, type DecodedImage } from './gl/png.js'
export { startXvfb, ensureDisplay, type XvfbDesc, type XvfbServer } from './gl/xvfb.js'

export { createUniformBlock, UniformBlock, writeMat3, type UniformBlockDesc, type UniformBlockStats } from './gl/uniform-block.js'
export type { UniformSchema, UniformType, UniformLayout } from './gl/uniform-layout.js'
export { createDataTexture, DataTexture, type DataTextureDesc } from './gl/data-texture.js'

// sync
export { nowMs, ustToMs, msToUst, systemClock, type Clock } from './sync/clock.js'
export { preciseWaitUntil, PreciseWaiter, type PreciseWaitOptions } from './sync/precise-wait.js'
export { createTicker, Ticker, type TickerDesc, type TickerMode, type FrameTiming, type FrameReason } from './sync/ticker.js'
export { createVblankSource, type VblankSource, type VblankSourceDesc } from './sync/vblank-source.js'
export { defineStateSchema, type StateSchema, type StateSpec, type StateViews } from './sync/state-schema.js'
export { createSharedState, attachSharedState, SharedState, StateReader, StateWriter, type StateSnapshot } from './sync/shared-state.js'
export { createLogicWorker, LogicWorker, type LogicWorkerDesc, type LogicContext, type RestartPolicy } from './sync/logic-worker.js'
export { createInputRing, attachInputRing, InputRing, InputReader, InputKind, InputMod, type InputEvent } from './sync/input-ring.js'
export { createInputLatch, InputLatch, INPUT_GLSL, INPUT_VEC4S, type LatchedInput } from './sync/input-latch.js'
export { attachSdlInput, pumpSdlEvents } from './sync/sdl-input.js'
export { createFrameTrace, FrameTrace, Stage, STAGE_NAMES, type FrameTraceSummary } from './sync/frame-trace.js'

// core
export { createEngine, Engine, type EngineDesc, type RunOptions, type Frame, type FrameCallback } from './core/engine.js'
export { createQueue, DrawQueue, type QueueDesc, type QueueStats, type BatchDesc, type BatchId } from './core/queue.js'
export { createSpriteBatcher, SpriteBatcher, packColor, packHexColor, type SpriteBatcherDesc } from './core/sprite-batcher.js'
export { createRectBatcher, RectBatcher, type RectBatcherDesc } from './core/rect-batcher.js'
export { createLineBatcher, LineBatcher, type LineBatcherDesc, type LineJoin } from './core/line-batcher.js'
export { createTextBatcher, TextBatcher, type TextBatcherDesc } from './core/text-batcher.js'
export { createHud, Hud, type HudDesc } from './core/hud.js'
export { runApp, parseAppArgs, LATENCY_PROBE_SIZE, type AppArgs, type AppDesc, type AppSummary } from './core/app.js'
export { CommandPool, type CommandPoolDesc } from './core/command-pool.js'
export { RadixSorter } from './core/radix-sort.js'
export * as sortKey from './core/sort-key.js'
export * as text from './core/text/index.js'
