/**
 * The SDL window as framelatch uses it: the typed subset of @kmamal/sdl's `Window` (from the
 * package's own declarations) that src/gl/context.ts opens and src/engine listens to. Main
 * thread only (@kmamal/sdl cannot run in a worker). The one place that creates SDL windows.
 */
import type { Events, Sdl } from '@kmamal/sdl'
import { loadSDL } from './native.js'

/** The window events framelatch listens to, by name. */
export interface SdlWindowEvents {
  keyDown: Events.Window.KeyDown
  keyUp: Events.Window.KeyUp
  mouseMove: Events.Window.MouseMove
  mouseButtonDown: Events.Window.MouseButtonDown
  mouseButtonUp: Events.Window.MouseButtonUp
  mouseWheel: Events.Window.MouseWheel
  resize: Events.Window.Resize
  beforeClose: Events.Window.BeforeClose
  close: Events.Window.Close
}

type PackageWindow = Sdl.Video.Window

/**
 * An SDL window. `off` exists at runtime (the window is an EventEmitter) but is missing from
 * the package's declarations, so it is declared here.
 */
export interface SdlWindow extends Pick<PackageWindow,
  'id' | 'title' | 'width' | 'height' | 'pixelWidth' | 'pixelHeight' | 'native' | 'visible' | 'destroyed' | 'destroy'> {
  on<E extends keyof SdlWindowEvents>(event: E, listener: (event: SdlWindowEvents[E]) => void): unknown
  off<E extends keyof SdlWindowEvents>(event: E, listener: (event: SdlWindowEvents[E]) => void): unknown
}

/** What `createSdlWindow` needs: the options of @kmamal/sdl's `video.createWindow`. */
export type SdlWindowOptions = NonNullable<Parameters<Sdl.Video.Module['createWindow']>[0]>

/** Opens an SDL window (loads @kmamal/sdl; throws its coded errors when the binding is missing). */
export function createSdlWindow(options: SdlWindowOptions): SdlWindow {
  // The package's Window is an EventEmitter at runtime; only `off` is undeclared (see SdlWindow).
  return loadSDL().video.createWindow(options) as PackageWindow & Pick<SdlWindow, 'off'>
}

/**
 * The X window id of an SDL window on X11 (its native handle holds the XID), or 0 elsewhere
 * and for windows without a handle.
 */
export function x11WindowId(window: SdlWindow | null): number {
  const handle = window?.native.handle
  if (process.platform !== 'linux' || !handle) return 0
  if (handle.length >= 8) return Number(handle.readBigUInt64LE(0))
  if (handle.length >= 4) return handle.readUInt32LE(0)
  return 0
}
