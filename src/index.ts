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

// core
export { createEngine, Engine, type EngineDesc } from './core/engine.js'
