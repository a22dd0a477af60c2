/**
 * framelatch: real-time WebGL for Node.js with frame pacing and low input-to-photon latency.
 *
 * The application API: factories, error classes, and the types of what they return. Classes
 * are exported as types only; objects come from one factory per concept (`createEngine`,
 * `createSpriteBatcher`, ...) or from the engine (`engine.device`, `engine.queue`,
 * `engine.ticker`, ...). The building blocks underneath (contexts and devices without an engine,
 * command pools, sort keys, the radix sorter, text rasterising, Xvfb, the raw SDL pump, clock
 * conversions) are in the second entry, `framelatch/low-level` (src/low-level.ts).
 */

// Errors and logging
export {
  ErrorCode, FramelatchError, EnvironmentError, ValidationError, ResourceStateError, GLCallError, ShaderError, WorkerError,
  type ErrorCodeValue, type ShaderStage,
} from './errors.js'
export { setLogger, type Logger, type LogLevel } from './log.js'

// The engine and apps
export type { EngineDesc, RunOptions } from './engine/engine-desc.js'
export { createEngine, type Engine, type Frame, type FrameCallback, type Panel, type PanelDesc, type DamageStats } from './engine/engine.js'
export type { ResizeEvent, ResizeListener } from './engine/engine-resize.js'
export { runApp, parseAppArgs, LATENCY_PROBE_SIZE, type AppArgs, type AppDesc, type AppSummary } from './engine/app.js'
export type { GLContext, ContextDesc, WindowDesc } from './gl/context.js'
export type { SdlWindow, SdlWindowEvents } from './platform/sdl.js'

// Drawing: the queue, batchers, text, the HUD, dense series
export { createQueue, type DrawQueue, type QueueStats, type BatchDesc, type BatchId } from './core/queue.js'
export type { QueueDesc } from './core/queue-desc.js'
export {
  createSpriteBatcher, createSpriteStyle, SPRITE_FLOATS, type SpriteBatcher, type SpriteStyle, type SpriteBatcherDesc, type SpriteStyleDesc,
} from './draw/sprite-batcher.js'
export { createRectBatcher, createRectStyle, RECT_FLOATS, type RectBatcher, type RectStyle, type RectBatcherDesc, type RectStyleDesc } from './draw/rect-batcher.js'
export {
  createLineBatcher, createLineStyle, SEGMENT_FLOATS, type LineBatcher, type LineStyle, type LineBatcherDesc, type LineJoin, type LineStyleDesc,
} from './draw/line-batcher.js'
export { createTextBatcher, createTextStyle, type TextBatcher, type TextStyle, type TextBatcherDesc, type TextStyleDesc } from './draw/text-batcher.js'
export { packColor, packHexColor, rgba, hexRGB, parseColor, type ColorValue } from './draw/color.js'
export { createClip, type Clip, type ClipDesc } from './core/clip.js'
export { createViewTransform, type ViewTransform, type ViewTransformDesc } from './core/view-transform.js'
export { VIEW_TRANSFORM_GLSL, viewShaderGLSL, createViewBlock, setViewBlock, type StandaloneViewBlock } from './draw/view-transform.js'
export type { BatcherDesc, InstanceWriter } from './draw/batcher-base.js'
export { createHud, type Hud, type HudDesc } from './draw/hud.js'
export { loadFont, type Font, type FontDesc } from './text/font.js'
export type { TextAlign, TextAnchor, TextBoxOptions } from './text/layout.js'
export type { TextWrap } from './text/line-break.js'
export { createSeries, type DenseSeries, type SeriesDesc } from './chart/decimate.js'
export {
  createLineSeries, createAreaStyle, type LineSeries, type LineSeriesDesc, type LineSeriesStats, type AreaStyle, type AreaStyleDesc,
} from './draw/line-series.js'
export {
  createCandleSeries, createCandleStyle, type CandleSeries, type CandleSeriesDesc, type CandleStyle, type CandleStyleDesc,
} from './draw/candle-series.js'
export type { Transform2D } from './draw/series-transform.js'
export { createChartView, type ChartView, type ChartViewDesc } from './chart/chart-view.js'
export { createHitRegions, rowAt, type HitRegions } from './chart/hit-test.js'
export { createTickSet, niceTicks, timeTicks, formatTick, formatTimeTick, type TickSet } from './chart/ticks.js'

// GL resources (engine.device), uniform blocks, PNG files
export type { Device, DeviceDesc, DeviceStats } from './gl/device.js'
export type { Capabilities } from './gl/capabilities.js'
export type {
  BufferHandle, TextureHandle, RenderTargetHandle, ProgramHandle, PipelineHandle, AnyHandle, ResourceState,
} from './gl/handles.js'
export type * from './gl/types.js'
export { createUniformBlock, writeMat3, type UniformBlock, type UniformBlockDesc, type UniformBlockStats } from './gl/uniform-block.js'
export type { UniformSchema, UniformType, UniformLayout } from './gl/uniform-layout.js'
export { encodePNG, decodePNG, type DecodedImage } from './platform/png.js'

// Hot reload of shaders and assets (issue 11)
export { loadShader, loadProgramDesc, type ProgramFilesDesc, type ShaderSource } from './hot/shader-files.js'
export { createShaderHost, type ShaderHost, type ShaderHostDesc, type ShaderReloadEvent } from './hot/shader-host.js'
export { createAssetHost, type AssetHost, type AssetHostDesc, type AssetReloadEvent, type TextureFileDesc } from './hot/asset-host.js'
export { createErrorOverlay, type ErrorOverlay, type ErrorOverlayDesc, type OverlaySource } from './hot/overlay.js'
export { createFontHost, type FontHost, type FontHostDesc, type FontReloadEvent, type FontFileDesc } from './hot/font-host.js'
export { createWorkerHost, type WorkerHost, type WorkerHostDesc, type WatchWorkerDesc, type WorkerReloadEvent } from './hot/worker-host.js'
export {
  createRenderHost, type RenderHost, type RenderHostDesc, type RenderApp, type RenderModule, type RenderServices,
  type ReloadEvent as RenderReloadEvent,
} from './hot/render-host.js'
export type { EngineHot, HotEvent, HotKind } from './engine/hot-hooks.js'
// runApp's --hot and render `module` reach src/hot through this one hook (engine may not import hot).
// The session module loads when an app asks for it, not with the package.
import { provideHotStarter } from './engine/hot-hooks.js'
provideHotStarter(async (engine, desc) => (await import('./hot/hot-session.js')).startHotApp(engine, desc))

// Pacing, shared state, logic workers, input, the frame trace
export type { Ticker, TickerDesc, TickerMode, FrameTiming, FrameReason } from './sync/ticker/ticker.js'
export type { VblankSource, VblankSample } from './platform/vblank-source.js'
export { defineStateSchema, type StateSchema, type StateSpec, type StateViews } from './sync/state/state-schema.js'
export { createSharedState, type SharedState, type SharedStateDesc } from './sync/state/shared-state.js'
export type { StateReader, StateReaderDesc, StateSnapshot, InterpolatedState } from './sync/state/state-reader.js'
export type { StateWriter, StateWriterDesc } from './sync/state/state-writer.js'
export {
  createLogicWorker, type LogicWorker, type LogicWorkerDesc, type LogicContext, type LogicModule, type RestartPolicy,
  type BackoffDesc, type LogicWorkerStatus, type CrashLoopDesc, type LogicHot, type WorkerReloadDesc, type WorkerReloadResult,
} from './sync/worker/logic-worker.js'
export { InputKind, InputMod, type InputRing, type InputReader, type InputEvent } from './sync/input/input-ring.js'
export type { LatchedInput } from './sync/input/input-latch.js'
export type { FrameTrace, FrameTraceSummary, SpanStats } from './sync/frame-trace.js'

// ---- probe: X11 driver and latency measurement (issue 8) -------------------------------------
export {
  type Driver,
  type DriverDesc, type Region, type Capture, type PointerOptions, type MoveOptions, type PathStep, type ClickOptions, type KeyOptions,
  type ProbeWindow, type WindowQuery, type FindWindowOptions, type PathCurve, type PathPoint,
} from './probe/driver.js'
export {
  measureLatency, latencyStats,
  type LatencyDesc, type LatencyInput, type LatencyExpect, type LatencySample, type LatencyStats, type LatencyResult,
} from './probe/latency.js'
export { breakDown, parseTrace, type Breakdown, type SampleBreakdown, type TraceFrame } from './probe/breakdown.js'
export { createStallWatch, stallReport, type StallWatch, type StallWatchDesc, type Stall, type StallRecord, type StallReport } from './probe/stall-watch.js'
export { TRACE_ENV } from './engine/trace-export.js'
import type { Driver, DriverDesc } from './probe/driver.js'

/**
 * Connects the X11 driver (probe/driver.ts, see `DriverDesc`). Its modules (the driver, the X11
 * client, window search, pointer paths) load on the first call, not with the package: an app
 * that never drives a window does not pay for them at start-up.
 */
export async function createDriver(desc: DriverDesc = {}): Promise<Driver> {
  return (await import('./probe/driver.js')).createDriver(desc)
}
