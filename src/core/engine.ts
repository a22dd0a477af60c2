/**
 * `createEngine` ties a context, its device and (as they land) the draw queue, ticker, shared
 * state and input together. This file holds the engine's shape and lifetime; the frame loop
 * lives in engine-loop.ts.
 */
import { ErrorCode, ResourceStateError, ValidationError } from '../errors.js'
import { createContext, type GLContext, type WindowDesc } from '../gl/context.js'
import { Device } from '../gl/device.js'
import { ensureDisplay, type XvfbServer } from '../gl/xvfb.js'

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
   * When no DISPLAY is set and the engine is headless, start a private Xvfb (stopped by
   * `destroy`). Default true. Windows always need a real DISPLAY.
   */
  autoDisplay?: boolean
}

export class Engine {
  readonly context: GLContext
  readonly device: Device
  private xvfb: XvfbServer | null
  private destroyedFlag = false

  constructor(context: GLContext, device: Device, xvfb: XvfbServer | null) {
    this.context = context
    this.device = device
    this.xvfb = xvfb
  }

  get width(): number {
    return this.context.width
  }
  get height(): number {
    return this.context.height
  }
  get headless(): boolean {
    return this.context.headless
  }
  /** The SDL window, or null when headless. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get window(): any | null {
    return this.context.window
  }
  get destroyed(): boolean {
    return this.destroyedFlag
  }

  /** Shows the current frame (swap on a window, flush headless). */
  present(): void {
    this.alive('present')
    this.context.present()
  }

  /** A PNG of the default framebuffer as it is now (top row first). */
  async screenshot(): Promise<Buffer> {
    this.alive('screenshot')
    return this.device.screenshot()
  }

  /** Frees GL resources, the context, the window and any Xvfb the engine started. Idempotent. */
  destroy(): void {
    if (this.destroyedFlag) return
    this.destroyedFlag = true
    this.device.destroy()
    this.context.destroy()
    this.xvfb?.stop()
    this.xvfb = null
  }

  protected alive(call: string): void {
    if (this.destroyedFlag) {
      throw new ResourceStateError(ErrorCode.ENGINE_STATE, `${call}: this engine was destroyed; create a new one with createEngine()`)
    }
  }
}

export async function createEngine(desc: EngineDesc = {}): Promise<Engine> {
  if (desc.headless && desc.window) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'createEngine: give either headless: true or window, not both')
  }
  const headless = desc.headless ?? !desc.window
  const xvfb = headless && (desc.autoDisplay ?? true) ? await ensureDisplay() : null
  let context: GLContext
  try {
    context = headless
      ? createContext({ width: desc.width ?? 640, height: desc.height ?? 480 })
      : createContext({ window: desc.window ?? {} })
  } catch (err) {
    xvfb?.stop()
    throw err
  }
  try {
    const device = new Device(context.gl, { debug: desc.debug ?? false, width: context.width, height: context.height })
    return new Engine(context, device, xvfb)
  } catch (err) {
    context.destroy()
    xvfb?.stop()
    throw err
  }
}
