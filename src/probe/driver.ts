/**
 * The X11 driver: drives any X11 app from outside the way a user would (XTEST keys, typing,
 * mouse moves, clicks, drags, wheel) and reads its pixels back (`GetImage`). It is framelatch's
 * headless UI-automation layer and the measuring instrument of `framelatch latency`.
 *
 *   const driver = await createDriver()            // starts Xvfb when DISPLAY is unset
 *   const win = await driver.findWindow({ title: 'my app' })
 *   await driver.click(20, 20, { window: win })
 *   const px = await driver.capture({ window: win, x: 0, y: 0, width: 64, height: 64 })
 *
 * Coordinates are pixels; with `window` they are relative to that window's top-left corner,
 * without it they are screen (root window) coordinates.
 *
 * Lifetime: the driver owns one X connection and, when it started one, an Xvfb server; both
 * end with `close()`. Captures return fresh RGBA buffers owned by the caller.
 */
import { ensureDisplay, type XvfbServer } from '../platform/xvfb.js'
import { keysym, openX11, type X11Connection, type X11Rect } from '../platform/x11-client.js'
import { nowMs } from '../clock.js'
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'
import { findWindow, type ProbeWindow, type WindowQuery, type FindWindowOptions } from './windows.js'
import { planPath, type PathCurve, type PathPoint } from './mouse-path.js'

export type { ProbeWindow, WindowQuery, FindWindowOptions } from './windows.js'
export type { PathCurve, PathPoint } from './mouse-path.js'

export interface DriverDesc {
  /** X display to drive. Default: `DISPLAY`; when unset (or dead), a private Xvfb is started. */
  display?: string
  /** Size of the Xvfb started when there is no display. Default 1280x1024. */
  screenWidth?: number
  screenHeight?: number
}

/** A rectangle, relative to `window` when given, else to the screen. */
export interface Region {
  x: number
  y: number
  width: number
  height: number
  window?: ProbeWindow | undefined
}

/** Pixels read from the screen: RGBA, top row first, `width * height * 4` bytes. */
export interface Capture {
  width: number
  height: number
  data: Uint8Array
  /** When the reply arrived (framelatch clock, ms). */
  tMs: number
}

/** Where a coordinate is relative to. */
export interface PointerOptions {
  /** Coordinates are relative to this window. Default: the screen. */
  window?: ProbeWindow | undefined
}

export interface MoveOptions extends PointerOptions {
  /** Time the motion takes, ms. Default 250. 0 jumps in one step. */
  durationMs?: number
  /** Motion events per second along the path. Default 120. */
  rateHz?: number
  /** 'linear', 'ease' (ease-in-out on a straight line) or 'bezier' (eased curved path). Default 'bezier'. */
  curve?: PathCurve
  /** Seed of the curve's bend, so a path can be replayed exactly. Default 1. */
  seed?: number
}

/** One motion event actually sent: position (screen) and the time it was sent (ms). */
export interface PathStep {
  x: number
  y: number
  tMs: number
}

export interface ClickOptions extends PointerOptions {
  /** 1 left, 2 middle, 3 right. Default 1. */
  button?: number
  /** Time between press and release, ms. Default 30. */
  holdMs?: number
}

export interface KeyOptions {
  /** Time between press and release, ms. Default 30. */
  holdMs?: number
  /** Window to give the keyboard focus first. Default: keep the focus. */
  window?: ProbeWindow | undefined
}

/** Short names accepted besides X keysym names ('a', 'Return', 'F5', 'Left', 'space'…). */
const KEY_ALIASES: Record<string, string> = {
  Enter: 'Return', Esc: 'Escape', ' ': 'space', Space: 'space', Shift: 'Shift_L', Control: 'Control_L', Ctrl: 'Control_L',
  Alt: 'Alt_L', ArrowLeft: 'Left', ArrowRight: 'Right', ArrowUp: 'Up', ArrowDown: 'Down', Backspace: 'BackSpace',
}

/** Time a toolkit may take to act on a focus change (SDL2: 200 ms), plus a margin. */
export const FOCUS_SETTLE_MS = 300

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)))

export class Driver {
  /** The display being driven, e.g. ":93". */
  readonly display: string
  /** The raw X connection (XTEST, GetImage, window queries). */
  readonly x11: X11Connection
  private readonly xvfb: XvfbServer | null
  private closed = false

  /** @internal use `createDriver`. */
  constructor(x11: X11Connection, xvfb: XvfbServer | null) {
    this.x11 = x11
    this.display = x11.display
    this.xvfb = xvfb
  }

  /** Finds a window by PID, by title (substring), or the largest mapped one; waits for it. */
  findWindow(query: WindowQuery, options: FindWindowOptions = {}): Promise<ProbeWindow> {
    return findWindow(this.x11, query, options)
  }

  /**
   * Gives `window` the keyboard focus (there is no window manager on Xvfb to do it). When the
   * focus moves, waits `FOCUS_SETTLE_MS`: SDL's X11 backend applies a FocusIn only 200 ms after
   * it arrives (PENDING_FOCUS_TIME), and drops key events that come before, having no window to
   * send them to. A window that already has the focus costs one round trip.
   */
  async focus(window: ProbeWindow): Promise<void> {
    if ((await this.x11.focused()) === window.id) return
    this.x11.focus(window.id)
    await this.x11.sync()
    await sleep(FOCUS_SETTLE_MS)
  }

  /** Presses a key (sent at once); returns the time it was sent. */
  keyDown(name: string): number {
    const { keycode } = this.keycode(name)
    const t = nowMs()
    this.x11.fakeKey(keycode, true)
    return t
  }

  /** Releases a key; returns the time it was sent. */
  keyUp(name: string): number {
    const { keycode } = this.keycode(name)
    const t = nowMs()
    this.x11.fakeKey(keycode, false)
    return t
  }

  /** Presses and releases a key by name; resolves with the press time once the server has both. */
  async key(name: string, options: KeyOptions = {}): Promise<number> {
    if (options.window) await this.focus(options.window)
    const { keycode, shift } = this.keycode(name)
    const shiftCode = shift ? this.keycode('Shift_L').keycode : 0
    if (shift) this.x11.fakeKey(shiftCode, true)
    const t = nowMs()
    this.x11.fakeKey(keycode, true)
    await sleep(options.holdMs ?? 30)
    this.x11.fakeKey(keycode, false)
    if (shift) this.x11.fakeKey(shiftCode, false)
    await this.x11.sync()
    return t
  }

  /** Types text character by character (printable ASCII and Latin-1, '\n' as Return). */
  async type(text: string, options: KeyOptions & { delayMs?: number } = {}): Promise<void> {
    if (options.window) await this.focus(options.window)
    for (const ch of text) {
      await this.key(ch === '\n' ? 'Return' : ch === '\t' ? 'Tab' : ch, { holdMs: options.holdMs ?? 10 })
      await sleep(options.delayMs ?? 10)
    }
  }

  /**
   * Moves the pointer from where it is to (x, y) along a hand-like path: eased, and with
   * `curve: 'bezier'` bent sideways, one motion event per 1/rateHz. Resolves with every step
   * sent, each stamped when it was sent.
   */
  async move(x: number, y: number, options: MoveOptions = {}): Promise<PathStep[]> {
    const from = await this.x11.pointer()
    const to = this.toScreen(x, y, options.window)
    return this.follow([from, to], options)
  }

  /** Presses a button at (x, y) (moving there first, instantly) and releases it. */
  async click(x: number, y: number, options: ClickOptions = {}): Promise<number> {
    const p = this.toScreen(x, y, options.window)
    const button = options.button ?? 1
    this.x11.fakeMotion(p.x, p.y)
    const t = nowMs()
    this.x11.fakeButton(button, true)
    await sleep(options.holdMs ?? 30)
    this.x11.fakeButton(button, false)
    await this.x11.sync()
    return t
  }

  /**
   * Drags along `path` (at least two points): moves to the first point, presses the button,
   * follows the path (eased / curved per `options`, over `durationMs` in total), releases.
   */
  async drag(path: readonly PathPoint[], options: MoveOptions & { button?: number } = {}): Promise<PathStep[]> {
    if (path.length < 2) throw new ValidationError(ErrorCode.INVALID_DESC, `drag: the path needs at least two points, got ${path.length}`)
    const pts = path.map((p) => this.toScreen(p.x, p.y, options.window))
    const button = options.button ?? 1
    this.x11.fakeMotion(pts[0]!.x, pts[0]!.y)
    this.x11.fakeButton(button, true)
    const steps = await this.follow(pts, options)
    this.x11.fakeButton(button, false)
    await this.x11.sync()
    return steps
  }

  /** Scrolls: positive `dy` scrolls down (button 5), negative up (button 4), one event per notch. */
  async wheel(dy: number, options: { dx?: number } = {}): Promise<void> {
    const notches: [number, number][] = [[dy > 0 ? 5 : 4, Math.abs(Math.round(dy))], [(options.dx ?? 0) > 0 ? 7 : 6, Math.abs(Math.round(options.dx ?? 0))]]
    for (const [button, count] of notches) {
      for (let i = 0; i < count; i++) {
        this.x11.fakeButton(button, true)
        this.x11.fakeButton(button, false)
      }
    }
    await this.x11.sync()
  }

  /** Reads a region (default: the whole window, or the whole screen) as RGBA. */
  async capture(region?: Partial<Region>): Promise<Capture> {
    const r = this.resolveRegion(region)
    const data = await this.x11.getImage(r.drawable, r.x, r.y, r.width, r.height)
    return { width: r.width, height: r.height, data, tMs: nowMs() }
  }

  /**
   * Captures `region` again and again until `predicate` accepts a capture; resolves with it.
   * Rejects with PROBE_TIMEOUT after `timeoutMs` (default 5000).
   */
  async waitFor(region: Partial<Region> | undefined, predicate: (c: Capture) => boolean, timeoutMs = 5000): Promise<Capture> {
    const r = this.resolveRegion(region)
    const deadline = nowMs() + timeoutMs
    const data = new Uint8Array(r.width * r.height * 4)
    for (;;) {
      await this.x11.getImage(r.drawable, r.x, r.y, r.width, r.height, data)
      const c: Capture = { width: r.width, height: r.height, data, tMs: nowMs() }
      if (predicate(c)) return { ...c, data: data.slice() }
      if (c.tMs > deadline) {
        throw new EnvironmentError(ErrorCode.PROBE_TIMEOUT, `waitFor: the ${r.width}x${r.height} region at ${r.x},${r.y} did not match within ${timeoutMs} ms; ` +
          'check the region and what the predicate expects', { region: { x: r.x, y: r.y, width: r.width, height: r.height }, timeoutMs })
      }
      await sleep(1)
    }
  }

  /** Closes the X connection and stops the Xvfb the driver started (idempotent). */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.x11.close()
    this.xvfb?.stop()
  }

  /** The keycode for a key name, an alias, or a single character. */
  keycode(name: string): { keycode: number; shift: boolean } {
    const sym = keysym(KEY_ALIASES[name] ?? name) ?? (name.length === 1 ? latin1Keysym(name) : null)
    const mapping = sym === null ? null : this.x11.keycodeFor(sym)
    if (mapping === null) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `no key '${name}' on this keyboard map; use an X keysym name such as 'a', 'Return', 'space', 'Escape', 'Left' or 'F1'`, { key: name })
    }
    return mapping
  }

  private toScreen(x: number, y: number, window: ProbeWindow | undefined): PathPoint {
    return window ? { x: window.x + x, y: window.y + y } : { x, y }
  }

  private resolveRegion(region: Partial<Region> | undefined): X11Rect & { drawable: number } {
    const w = region?.window
    const full: X11Rect = w ? { x: 0, y: 0, width: w.width, height: w.height } : { x: 0, y: 0, width: this.x11.screenWidth, height: this.x11.screenHeight }
    const r = { x: region?.x ?? full.x, y: region?.y ?? full.y, width: region?.width ?? full.width, height: region?.height ?? full.height }
    if (!(r.width > 0 && r.height > 0) || r.x < 0 || r.y < 0 || r.x + r.width > full.width || r.y + r.height > full.height) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `region ${r.x},${r.y} ${r.width}x${r.height} is not inside the ${w ? 'window' : 'screen'} (${full.width}x${full.height})`, { region: r })
    }
    return { ...r, drawable: w ? w.id : this.x11.root }
  }

  private async follow(points: readonly PathPoint[], options: MoveOptions): Promise<PathStep[]> {
    const durationMs = options.durationMs ?? 250
    const plan = planPath(points, { durationMs, rateHz: options.rateHz ?? 120, curve: options.curve ?? 'bezier', seed: options.seed ?? 1 })
    const steps: PathStep[] = []
    const start = nowMs()
    for (const p of plan) {
      const wait = start + p.atMs - nowMs()
      if (wait > 0) await sleep(wait)
      const t = nowMs()
      this.x11.fakeMotion(p.x, p.y)
      steps.push({ x: Math.round(p.x), y: Math.round(p.y), tMs: t })
    }
    await this.x11.sync()
    return steps
  }
}

/** Keysyms of Latin-1 characters are their code points. */
function latin1Keysym(ch: string): number | null {
  const c = ch.codePointAt(0)!
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) ? c : null
}

/**
 * Connects to the display (starting Xvfb when there is none, and setting DISPLAY so programs
 * started afterwards use it). Rejects with NO_DISPLAY, XVFB_FAILED or XTEST_MISSING.
 */
export async function createDriver(desc: DriverDesc = {}): Promise<Driver> {
  const known = new Set(['display', 'screenWidth', 'screenHeight'])
  for (const k of Object.keys(desc)) {
    if (!known.has(k)) throw new ValidationError(ErrorCode.INVALID_DESC, `DriverDesc has no field '${k}'; fields: ${[...known].join(', ')}`)
  }
  const xvfb = desc.display ? null : await ensureDisplay({
    ...(desc.screenWidth ? { width: desc.screenWidth } : {}), ...(desc.screenHeight ? { height: desc.screenHeight } : {}),
  })
  try {
    return new Driver(await openX11({ display: desc.display ?? process.env['DISPLAY'] ?? '' }), xvfb)
  } catch (err) {
    xvfb?.stop()
    throw err
  }
}
