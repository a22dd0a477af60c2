/**
 * Opens a WebGL 1 context: either headless (an offscreen drawing buffer) or on an SDL window.
 * Both need an X display here (ANGLE over GLX); `checkDisplay` turns a missing one into a coded
 * error before the native layer can abort the process.
 */
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'
import { loadGL } from '../platform/native.js'
import { createSdlWindow, type SdlWindow } from '../platform/sdl.js'
import type { GL, DestroyExtension } from '../platform/webgl.js'
import { deadDisplaySocket } from '../platform/xvfb.js'
import { checkDesc, descKeys } from '../check.js'

export interface WindowDesc {
  /** Default 'framelatch'. */
  title?: string
  /** Window size in screen coordinates. Default 800x600. */
  width?: number
  height?: number
  /** Default false. */
  resizable?: boolean
  /** Show the window. Default true (tests pass false for hidden windows). */
  visible?: boolean
  /** Borderless window. Default false. */
  borderless?: boolean
  x?: number
  y?: number
}

export interface ContextDesc {
  /** Open an SDL window with a GL context. Omit for a headless context. */
  window?: WindowDesc
  /** Headless drawing-buffer size in pixels. Default 640x480. Ignored with `window`. */
  width?: number
  height?: number
  /** Drawing-buffer attributes. Defaults: alpha true, depth true, stencil false. */
  alpha?: boolean
  depth?: boolean
  stencil?: boolean
  /**
   * Keep the drawing buffer's contents after presenting, so screenshots see the last frame.
   * Default true headless, false on a window (keeping them costs a copy per frame).
   */
  preserveDrawingBuffer?: boolean
  /** Throw FL_INVALID_DESC on an unknown option (release: log it once). Default false. */
  debug?: boolean
}

/** A context and, when windowed, its SDL window. Destroy the context before the window. */
export interface GLContext {
  readonly gl: GL
  readonly headless: boolean
  readonly window: SdlWindow | null
  /** Drawing-buffer size in pixels. A window's is its pixel size, which differs from its size in
   *  screen coordinates on high-DPI displays. */
  readonly width: number
  readonly height: number
  /** Shows the frame: swaps a window's buffers; flushes a headless context. */
  present(): void
  /** Headless: resizes the drawing buffer. Window: re-reads the window's pixel size. */
  resize(width?: number, height?: number): void
  readonly destroyed: boolean
  destroy(): void
}

/** Throws NO_DISPLAY when DISPLAY is unset or names no running X server. */
export function checkDisplay(): string {
  const display = process.env['DISPLAY']
  if (!display) {
    throw new EnvironmentError(ErrorCode.NO_DISPLAY,
      'DISPLAY is not set, and every GL context here needs an X display; start one (Xvfb :99 & export DISPLAY=:99), ' +
      'or use createEngine({ headless: true }), which starts Xvfb itself')
  }
  const dead = deadDisplaySocket(display)
  if (dead !== null) {
    throw new EnvironmentError(ErrorCode.NO_DISPLAY,
      `DISPLAY=${display} names no running X server (no ${dead}); start one (Xvfb ${display} &) ` +
      'or unset DISPLAY so headless engines start their own Xvfb')
  }
  return display
}

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 16384) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `createContext: ${name} must be an integer in 1..16384, got ${String(v)}`)
  }
  return v
}

/** stackgl's destroy extension, which every @kmamal/gl context has; a context without it is unusable. */
function destroyExtension(gl: GL): DestroyExtension {
  const ext = gl.getExtension('STACKGL_destroy_context')
  if (!ext) throw contextFailed('usable (no STACKGL_destroy_context)')
  return ext
}

const CONTEXT_KEYS = descKeys<ContextDesc>({ window: true, width: true, height: true, alpha: true, depth: true, stencil: true, preserveDrawingBuffer: true, debug: true })
const WINDOW_KEYS = descKeys<WindowDesc>({ title: true, width: true, height: true, resizable: true, visible: true, borderless: true, x: true, y: true })

export function createContext(desc: ContextDesc = {}): GLContext {
  checkDesc('createContext', desc, CONTEXT_KEYS, desc.debug ?? false)
  checkDesc('createContext: window', desc.window, WINDOW_KEYS, desc.debug ?? false)
  checkDisplay()
  const createGL = loadGL()
  const attrs = {
    alpha: desc.alpha ?? true,
    depth: desc.depth ?? true,
    stencil: desc.stencil ?? false,
    antialias: false,
    premultipliedAlpha: false,
  }
  if (!desc.window) {
    let width = checkDim('width', desc.width ?? 640)
    let height = checkDim('height', desc.height ?? 480)
    // @kmamal/gl 9.1.0 reads options.window.gl unconditionally: an empty window object means headless.
    const gl = createGL(width, height, { ...attrs, preserveDrawingBuffer: desc.preserveDrawingBuffer ?? true, window: {} })
    if (!gl) throw contextFailed('headless')
    const resizeExt = gl.getExtension('STACKGL_resize_drawingbuffer')
    const destroyExt = destroyExtension(gl)
    let destroyed = false
    return {
      gl, headless: true, window: null,
      get width() { return width },
      get height() { return height },
      present() {
        gl.flush()
      },
      resize(w?: number, h?: number) {
        width = checkDim('width', w ?? width)
        height = checkDim('height', h ?? height)
        if (!resizeExt) {
          throw new EnvironmentError(ErrorCode.CONTEXT_FAILED, 'resize: this @kmamal/gl context has no STACKGL_resize_drawingbuffer; create a new context of the size you need')
        }
        resizeExt.resize(width, height)
      },
      get destroyed() { return destroyed },
      destroy() {
        if (destroyed) return
        destroyed = true
        destroyExt.destroy()
      },
    }
  }

  const w = desc.window
  let win: SdlWindow
  try {
    win = createSdlWindow({
      title: w.title ?? 'framelatch',
      width: checkDim('window.width', w.width ?? 800),
      height: checkDim('window.height', w.height ?? 600),
      resizable: w.resizable ?? false,
      visible: w.visible ?? true,
      borderless: w.borderless ?? false,
      ...(w.x !== undefined ? { x: w.x } : {}),
      ...(w.y !== undefined ? { y: w.y } : {}),
      opengl: true,
    })
  } catch (err) {
    throw new EnvironmentError(ErrorCode.CONTEXT_FAILED,
      `createContext: SDL could not open a window (${(err as Error).message}); check DISPLAY and that the X server accepts GL windows`)
  }
  let width = win.pixelWidth
  let height = win.pixelHeight
  const gl = createGL(width, height, { ...attrs, preserveDrawingBuffer: desc.preserveDrawingBuffer ?? false, window: win.native })
  if (!gl) {
    win.destroy()
    throw contextFailed('window')
  }
  let destroyExt: DestroyExtension
  try {
    destroyExt = destroyExtension(gl)
  } catch (err) {
    win.destroy()
    throw err
  }
  let destroyed = false
  return {
    gl, headless: false, window: win,
    get width() { return width },
    get height() { return height },
    present() {
      gl.swap()
    },
    resize() {
      width = win.pixelWidth
      height = win.pixelHeight
      // A window's surface follows the window by itself; @kmamal/gl's JS layer still clips
      // readPixels to the drawing-buffer size it was created with, so tell it the new one.
      gl.drawingBufferWidth = width
      gl.drawingBufferHeight = height
    },
    get destroyed() { return destroyed },
    destroy() {
      if (destroyed) return
      destroyed = true
      // The GL context must go before its window, or X reports BadDrawable and the process dies.
      destroyExt.destroy()
      // @kmamal/gl 9.1.0 leaves the window's surface current after destroying its context; the
      // next window context would then touch the dead window (BadDrawable, process killed).
      // Making a throwaway 1x1 headless context current releases that surface first.
      const releaser = createGL(1, 1, { window: {} })
      releaser?.getExtension('STACKGL_destroy_context')?.destroy()
      if (!win.destroyed) win.destroy()
    },
  }
}

function contextFailed(kind: string): EnvironmentError {
  return new EnvironmentError(ErrorCode.CONTEXT_FAILED,
    `createContext: @kmamal/gl could not create a ${kind} WebGL context; run \`npx framelatch doctor\` to see what is missing ` +
    '(X display with GLX, Mesa drivers: apt-get install libgl1-mesa-dri libegl-mesa0)')
}
