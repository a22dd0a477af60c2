/**
 * A small promise-based X11 connection for the probe (src/probe): XTEST input injection,
 * `GetImage` pixel reads, and the window-tree queries that find an app's window. It wraps the
 * pure-JS `x11` package (which reads the display's Xauthority itself) and is the only place
 * outside the vblank worker that loads it.
 *
 * Timing: every injection is written to the socket at once (the package flushes a request
 * without a reply immediately unless batching is on, which it is not here), so a timestamp
 * taken right before `fakeKey` is the moment the event leaves this process.
 *
 * Memory: `getImage` returns the package's reply buffer (fresh per call, owned by the caller).
 */
import { createRequire } from 'node:module'
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'

/* The `x11` package ships no types; these are the parts used here. */
type Callback<T> = (err: Error | null, value: T) => void
interface RawClient {
  AllocID(): number
  QueryTree(win: number, cb: Callback<{ root: number; parent: number; children: number[] }>): void
  InternAtom(onlyIfExists: boolean, name: string, cb: Callback<number>): void
  GetProperty(del: number, win: number, name: number, type: number, offset: number, length: number,
    cb: Callback<{ type: number; format: number; bytesAfter: number; data: Buffer }>): void
  GetWindowAttributes(win: number, cb: Callback<{ mapState: number; class: number }>): void
  GetGeometry(win: number, cb: Callback<{ xPos: number; yPos: number; width: number; height: number; depth: number }>): void
  TranslateCoordinates(src: number, dst: number, x: number, y: number, cb: Callback<{ destX: number; destY: number; child: number }>): void
  GetImage(format: number, drawable: number, x: number, y: number, w: number, h: number, planeMask: number,
    cb: Callback<{ depth: number; visualId: number; data: Buffer }>): void
  GetKeyboardMapping(first: number, count: number, cb: Callback<number[][]>): void
  SetInputFocus(win: number, revertTo: number): void
  QueryPointer(win: number, cb: Callback<{ rootX: number; rootY: number }>): void
  GetInputFocus(cb: Callback<unknown>): void
  require(ext: 'xtest', cb: Callback<RawXTest>): void
  on(ev: 'error', fn: (err: Error) => void): void
  on(ev: 'end' | 'close', fn: () => void): void
  terminate(): void
}
interface RawXTest {
  KeyPress: number
  KeyRelease: number
  ButtonPress: number
  ButtonRelease: number
  MotionNotify: number
  FakeInput(type: number, detail: number, time: number, win: number, x: number, y: number): void
}
interface RawDisplay {
  client: RawClient
  min_keycode: number
  max_keycode: number
  image_byte_order: number
  screen: { root: number; pixel_width: number; pixel_height: number; root_depth: number }[]
}
interface X11Package {
  createClient(options: { display: string }, cb: (err: Error | null, display: RawDisplay) => void): { on(ev: 'error', fn: (err: Error) => void): void }
  keySyms: Record<string, { code: number }>
}

const require = createRequire(import.meta.url)

/** A window's rectangle in root (screen) coordinates. */
export interface X11Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The keycode that produces a keysym, and whether Shift is needed (second column). */
export interface X11KeyMapping {
  keycode: number
  shift: boolean
}

export interface X11Connection {
  /** The DISPLAY this connection talks to. */
  readonly display: string
  readonly root: number
  readonly screenWidth: number
  readonly screenHeight: number
  /** XTEST key press (`down`) or release of a keycode. Sent at once. */
  fakeKey(keycode: number, down: boolean): void
  /** XTEST button press or release (1 left, 2 middle, 3 right, 4/5 wheel up/down). Sent at once. */
  fakeButton(button: number, down: boolean): void
  /** XTEST pointer motion to root coordinates. Sent at once. */
  fakeMotion(x: number, y: number): void
  /**
   * Reads a rectangle of `drawable` (a window or the root) as RGBA into `out` (width*height*4
   * bytes, allocated when omitted) and returns it. One round trip.
   */
  getImage(drawable: number, x: number, y: number, width: number, height: number, out?: Uint8Array): Promise<Uint8Array>
  /** Keycode for a keysym (see `keysym`), or null when the keyboard map has none. */
  keycodeFor(keysym: number): X11KeyMapping | null
  /** Children of a window, bottom to top. */
  children(win: number): Promise<number[]>
  /** True when the window is mapped and viewable. */
  isViewable(win: number): Promise<boolean>
  /** The window's rectangle in root coordinates. */
  rect(win: number): Promise<X11Rect>
  /** A CARDINAL property (e.g. _NET_WM_PID) or null. */
  cardinalProperty(win: number, name: string): Promise<number | null>
  /** A string property (e.g. _NET_WM_NAME, WM_NAME) or null. */
  stringProperty(win: number, name: string): Promise<string | null>
  /** The pointer's position in root coordinates. */
  pointer(): Promise<{ x: number; y: number }>
  /** Gives `win` the keyboard focus (no window manager needed). */
  focus(win: number): void
  /** The window that has the keyboard focus (0 none, 1 PointerRoot). */
  focused(): Promise<number>
  /** Resolves once the server has processed every request sent before it (one round trip). */
  sync(): Promise<void>
  /** Closes the connection (idempotent). */
  close(): void
}

/** Keysym of a key name: X keysym names without the XK_ prefix ('a', 'Return', 'space', 'F1'). */
export function keysym(name: string): number | null {
  const pkg = loadX11()
  const entry = pkg.keySyms[`XK_${name}`]
  return entry ? entry.code : null
}

function loadX11(): X11Package {
  try {
    return require('x11') as X11Package
  } catch (err) {
    throw new EnvironmentError(ErrorCode.NO_DISPLAY, `the x11 package could not be loaded (${String(err)}); reinstall framelatch's dependencies with npm install`)
  }
}

function promisify<T>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))))
}

/**
 * Connects to `display` (default `process.env.DISPLAY`) and loads XTEST. Rejects with NO_DISPLAY
 * when no server answers, XTEST_MISSING when the server lacks XTEST.
 */
export async function openX11(desc: { display?: string } = {}): Promise<X11Connection> {
  const display = desc.display ?? process.env['DISPLAY'] ?? ''
  if (!display) {
    throw new EnvironmentError(ErrorCode.NO_DISPLAY, 'no X display: set DISPLAY, or let framelatch start Xvfb (leave DISPLAY unset)')
  }
  const pkg = loadX11()
  const raw = await new Promise<RawDisplay>((resolve, reject) => {
    const c = pkg.createClient({ display }, (err, d) => (err ? reject(err) : resolve(d)))
    c.on('error', reject)
  }).catch((err: Error) => {
    throw new EnvironmentError(ErrorCode.NO_DISPLAY, `cannot connect to X display ${display} (${err.message}); start the X server or fix DISPLAY`, { display })
  })
  const X = raw.client
  let closed = false
  // A request error after setup (e.g. a window that vanished) arrives here; callers see it
  // through their own request's callback, so this only keeps it from crashing the process.
  X.on('error', () => {})
  X.on('close', () => {
    closed = true
  })
  const xtest = await promisify<RawXTest>((cb) => X.require('xtest', cb)).catch((err: Error) => {
    X.terminate()
    throw new EnvironmentError(ErrorCode.XTEST_MISSING, `the X server on ${display} has no XTEST extension (${err.message}); ` +
      'start Xvfb (it has XTEST by default) or enable XTEST on your X server', { display })
  })
  const first = raw.min_keycode
  const rows = await promisify<number[][]>((cb) => X.GetKeyboardMapping(first, raw.max_keycode - first + 1, cb))
  const keymap = new Map<number, X11KeyMapping>()
  rows.forEach((row, i) => {
    for (let col = 0; col < Math.min(2, row.length); col++) {
      const sym = row[col]!
      if (sym !== 0 && !keymap.has(sym)) keymap.set(sym, { keycode: first + i, shift: col === 1 })
    }
  })
  const atoms = new Map<string, number>()
  const atom = async (name: string): Promise<number> => {
    let a = atoms.get(name)
    if (a === undefined) {
      a = await promisify<number>((cb) => X.InternAtom(false, name, cb))
      atoms.set(name, a)
    }
    return a
  }
  const screen = raw.screen[0]!
  const bgrx = raw.image_byte_order === 0 // LSBFirst: a 32-bit pixel 0x00RRGGBB is bytes B G R X
  const root = screen.root

  return {
    display,
    root,
    screenWidth: screen.pixel_width,
    screenHeight: screen.pixel_height,
    fakeKey(keycode, down) {
      xtest.FakeInput(down ? xtest.KeyPress : xtest.KeyRelease, keycode, 0, root, 0, 0)
    },
    fakeButton(button, down) {
      xtest.FakeInput(down ? xtest.ButtonPress : xtest.ButtonRelease, button, 0, root, 0, 0)
    },
    fakeMotion(x, y) {
      xtest.FakeInput(xtest.MotionNotify, 0, 0, root, Math.round(x), Math.round(y))
    },
    async getImage(drawable, x, y, width, height, out) {
      const n = width * height * 4
      if (out !== undefined && out.length < n) {
        throw new ValidationError(ErrorCode.OUT_OF_RANGE, `getImage: the output buffer holds ${out.length} bytes, the region needs ${n}`)
      }
      const img = await promisify<{ depth: number; data: Buffer }>((cb) => X.GetImage(2, drawable, x, y, width, height, 0xffffffff, cb))
      if (img.data.length < n) {
        throw new EnvironmentError(ErrorCode.NO_DISPLAY, `GetImage returned ${img.data.length} bytes for ${width}x${height} at depth ${img.depth}; ` +
          'the probe reads 24/32-bit TrueColor displays only (Xvfb -screen 0 WxHx24)')
      }
      const dst = out ?? new Uint8Array(n)
      const src = img.data
      for (let i = 0; i < n; i += 4) {
        if (bgrx) {
          dst[i] = src[i + 2]!
          dst[i + 1] = src[i + 1]!
          dst[i + 2] = src[i]!
        } else {
          dst[i] = src[i + 1]!
          dst[i + 1] = src[i + 2]!
          dst[i + 2] = src[i + 3]!
        }
        dst[i + 3] = 255
      }
      return dst
    },
    keycodeFor(sym) {
      return keymap.get(sym) ?? null
    },
    async children(win) {
      return (await promisify<{ children: number[] }>((cb) => X.QueryTree(win, cb))).children
    },
    async isViewable(win) {
      const attrs = await promisify<{ mapState: number }>((cb) => X.GetWindowAttributes(win, cb))
      return attrs.mapState === 2
    },
    async rect(win) {
      const g = await promisify<{ width: number; height: number }>((cb) => X.GetGeometry(win, cb))
      const t = await promisify<{ destX: number; destY: number }>((cb) => X.TranslateCoordinates(win, root, 0, 0, cb))
      return { x: t.destX, y: t.destY, width: g.width, height: g.height }
    },
    async cardinalProperty(win, name) {
      const a = await atom(name)
      const p = await promisify<{ format: number; data: Buffer }>((cb) => X.GetProperty(0, win, a, 0, 0, 1, cb)).catch(() => null)
      return p !== null && p.format === 32 && p.data.length >= 4 ? p.data.readUInt32LE(0) : null
    },
    async stringProperty(win, name) {
      const a = await atom(name)
      const p = await promisify<{ format: number; data: Buffer }>((cb) => X.GetProperty(0, win, a, 0, 0, 256, cb)).catch(() => null)
      return p !== null && p.format === 8 && p.data.length > 0 ? p.data.toString('utf8') : null
    },
    async pointer() {
      const p = await promisify<{ rootX: number; rootY: number }>((cb) => X.QueryPointer(root, cb))
      return { x: p.rootX, y: p.rootY }
    },
    focus(win) {
      X.SetInputFocus(win, 1) // RevertToPointerRoot
    },
    async focused() {
      return (await promisify<{ focus: number }>((cb) => X.GetInputFocus(cb as Callback<unknown>))).focus
    },
    async sync() {
      await promisify<unknown>((cb) => X.GetInputFocus(cb))
    },
    close() {
      if (closed) return
      closed = true
      try {
        X.terminate()
      } catch {
        // already gone
      }
    },
  }

}
