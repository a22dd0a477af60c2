/**
 * SDL input → input ring. `attachSdlInput` registers @kmamal/sdl window listeners that stamp each
 * event the moment its listener runs (SDL events carry no timestamps) and push it into an
 * `InputRing`. `pumpSdlEvents` (src/platform/sdl-events.ts) makes SDL deliver pending events
 * synchronously, so the render loop can pull input in right before its latch.
 *
 * Main thread only (@kmamal/sdl cannot run in a worker). This file does not load @kmamal/sdl:
 * the window is passed in.
 */
import { InputKind, InputMod, type InputRing } from '../sync/input/input-ring.js'
import type { SdlWindow } from '../platform/sdl.js'

/** The part of an SDL window that this file uses (tests pass a stand-in with these two). */
export type SdlWindowLike = Pick<SdlWindow, 'on' | 'off'>

interface SdlKeyEvent {
  scancode: number
  shift: number
  ctrl: number
  alt: number
  super: number
  altgr: number
  capslock: number
  numlock: number
  repeat?: number
}
interface SdlMouseEvent {
  x: number
  y: number
  button?: number
  dx?: number
  dy?: number
  flipped?: boolean
}

function mods(e: SdlKeyEvent): number {
  return (
    (e.shift ? InputMod.Shift : 0) |
    (e.ctrl ? InputMod.Ctrl : 0) |
    (e.alt ? InputMod.Alt : 0) |
    (e.super ? InputMod.Super : 0) |
    (e.altgr ? InputMod.AltGr : 0) |
    (e.capslock ? InputMod.CapsLock : 0) |
    (e.numlock ? InputMod.NumLock : 0) |
    (e.repeat ? InputMod.Repeat : 0)
  )
}

export interface SdlInputListeners {
  keyDown(e: SdlKeyEvent): void
  keyUp(e: SdlKeyEvent): void
  mouseMove(e: SdlMouseEvent): void
  mouseButtonDown(e: SdlMouseEvent): void
  mouseButtonUp(e: SdlMouseEvent): void
  mouseWheel(e: SdlMouseEvent): void
}

/**
 * The listeners `attachSdlInput` registers, built without a window (exported so tests and tools
 * can feed synthetic SDL-shaped events through exactly the same code). Wheel deltas are
 * un-flipped when SDL reports `flipped` (natural scrolling), so +dy always means scroll up.
 * `onEvent` runs after each push (the engine wakes its ticker there, so input that SDL delivers
 * while the render loop sleeps starts a low-latency frame at once).
 */
export function createSdlInputListeners(ring: InputRing, now: () => number = () => performance.now(), onEvent: (() => void) | null = null): SdlInputListeners {
  const pushed = onEvent ?? ((): void => {})
  return {
    keyDown: (e) => { ring.push(InputKind.KeyDown, e.scancode, 0, 0, 0, 0, mods(e), now()); pushed() },
    keyUp: (e) => { ring.push(InputKind.KeyUp, e.scancode, 0, 0, 0, 0, mods(e), now()); pushed() },
    mouseMove: (e) => { ring.push(InputKind.PointerMove, 0, e.x, e.y, 0, 0, 0, now()); pushed() },
    mouseButtonDown: (e) => { ring.push(InputKind.ButtonDown, e.button ?? 0, e.x, e.y, 0, 0, 0, now()); pushed() },
    mouseButtonUp: (e) => { ring.push(InputKind.ButtonUp, e.button ?? 0, e.x, e.y, 0, 0, 0, now()); pushed() },
    mouseWheel: (e) => {
      const sign = e.flipped ? -1 : 1
      ring.push(InputKind.Wheel, 0, e.x, e.y, (e.dx ?? 0) * sign, (e.dy ?? 0) * sign, 0, now())
      pushed()
    },
  }
}

/**
 * Registers keyboard, mouse and wheel listeners on `window` that stamp each event with `now()`
 * (default `performance.now()`) on arrival, push it to `ring` and then call `onEvent`. Registering listeners makes
 * @kmamal/sdl poll every millisecond while the event loop runs. Returns a function that removes
 * exactly these listeners (idempotent).
 */
export function attachSdlInput(window: SdlWindowLike, ring: InputRing, now?: () => number, onEvent?: () => void): () => void {
  const l = createSdlInputListeners(ring, now, onEvent ?? null)
  const toggle = (method: 'on' | 'off'): void => {
    window[method]('keyDown', l.keyDown)
    window[method]('keyUp', l.keyUp)
    window[method]('mouseMove', l.mouseMove)
    window[method]('mouseButtonDown', l.mouseButtonDown)
    window[method]('mouseButtonUp', l.mouseButtonUp)
    window[method]('mouseWheel', l.mouseWheel)
  }
  toggle('on')
  let attached = true
  return () => {
    if (!attached) return
    attached = false
    toggle('off')
  }
}
