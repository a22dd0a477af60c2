/**
 * Filled rectangles with borders and rounded corners on the draw queue, for dashboards. Pixel
 * coordinates, origin at the top-left of the pass target, y down. A draw is its geometry plus a
 * reusable style made once:
 *
 *   const panel = createRectStyle({ fill: 0x1e2430ff, border: 0x4c5566ff, borderWidth: 1, radius: 4 })
 *   rects.add(8, 8, 300, 32, panel)
 *
 * Colours are 0xRRGGBBAA (color.ts). A style is a plain mutable object: change its fields between
 * draws (`panel.fill = 0xff0000ff`); every `add` reads them. Each rectangle is one instance of 8
 * floats (rect-shader.ts) over the shared unit quad; consecutive `add` calls extend one queue
 * command, so a frame of rectangles from one batcher is one instanced GL draw. For large counts
 * `reserve(n)` / `commit(n)` write instances straight into the queue (batcher-base.ts).
 *
 * Bad input: a NaN or infinite x, y, w, h, a colour that is not an integer 0..0xffffffff, a
 * negative or non-finite border width or radius: INVALID_DRAW in debug, skipped and counted in
 * `queue.stats.skipped` in release.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import {
  InstanceBatcher, createQuadBatch, createQuadPipelines, destroyQuadPipelines, recordInstances, sharedGL,
  type BatcherDesc, type QuadPipelines,
} from './batcher-base.js'
import type { DrawQueue } from '../core/queue.js'
import { packHexColor, parseColor, type ColorValue } from './color.js'
import {
  RECT_ATTRIBUTES, RECT_FLOATS, RECT_FRAGMENT_SHADER, RECT_SOLID_ATTRIBUTES, RECT_SOLID_FRAGMENT_SHADER, RECT_SOLID_VERTEX_SHADER, RECT_VERTEX_SHADER,
} from './rect-shader.js'
import { checkDesc, descKeys } from '../check.js'

export { RECT_FLOATS } from './rect-shader.js'

export interface RectBatcherDesc extends BatcherDesc {
  /** Alpha-blend (needed for translucent colours and anti-aliased corners) and sort after opaque draws. Default true. */
  translucent?: boolean
  /** Rectangles you expect per frame; grows the queue's payload up front. Default 0 (no hint). */
  capacity?: number
  /**
   * Solid fills only: every pixel whose centre is inside a rectangle takes its fill colour; no
   * border, no rounded corners, no anti-aliased edge (a style with a border width or a radius is
   * a bad draw). A much simpler fragment shader, for bars, cells, grid lines and backgrounds in
   * whole pixels: on software GL (llvmpipe) about 40% cheaper a pixel. Opaque solid rectangles
   * in whole pixels look exactly as with the default shader. Default false.
   */
  solid?: boolean
}

export interface RectStyleDesc {
  /** Fill colour, 0xRRGGBBAA or a CSS string ('#rrggbb', 'rgb()', 'steelblue'; see color.ts), parsed here. Default 0xffffffff (opaque white). */
  fill?: ColorValue
  /** Border colour, as `fill`. Default 0x00000000. */
  border?: ColorValue
  /** Border width in pixels, >= 0 (0 draws no border). Default 0. */
  borderWidth?: number
  /** Corner radius in pixels, >= 0 (clamped to half the shorter side). Default 0. */
  radius?: number
}

/** How a rectangle looks; reusable and mutable (see the file comment). Make one with `createRectStyle`. */
export class RectStyle {
  /** Border width in pixels. */
  borderWidth: number
  /** Corner radius in pixels. */
  radius: number
  /**
   * The fill and border as the GPU reads them (packHexColor), or NaN when not a colour; kept by
   * the `fill` and `border` setters so `add` neither converts nor checks colours apart (a smaller
   * `add` is one V8 inlines into the caller's loop). Read-only for users.
   */
  packedFill = 0xffffffff
  packedBorder = 0
  private hexFill = 0xffffffff
  private hexBorder = 0

  constructor(fill: number, border: number, borderWidth: number, radius: number) {
    this.borderWidth = borderWidth
    this.radius = radius
    this.fill = fill
    this.border = border
  }

  /** Fill colour, 0xRRGGBBAA. A value that is not a colour makes every `add` with this style a bad draw. */
  get fill(): number {
    return this.hexFill
  }
  set fill(rgba: number) {
    this.hexFill = rgba
    this.packedFill = rgba >>> 0 === rgba ? packHexColor(rgba) : NaN
  }

  /** Border colour, 0xRRGGBBAA (checked as `fill`). */
  get border(): number {
    return this.hexBorder
  }
  set border(rgba: number) {
    this.hexBorder = rgba
    this.packedBorder = rgba >>> 0 === rgba ? packHexColor(rgba) : NaN
  }
}

function invalidStyle(field: string, value: unknown, want: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, `createRectStyle: ${field} ${String(value)} must be ${want}`, { field, value })
}

/** Style options checked at creation: unknown keys always throw INVALID_DESC (styles are made at setup). */
const RECT_STYLE_KEYS = descKeys<RectStyleDesc>({ fill: true, border: true, borderWidth: true, radius: true })

/** Creates a rectangle style (setup: checked always, coded INVALID_DESC errors). */
export function createRectStyle(desc: RectStyleDesc = {}): RectStyle {
  checkDesc('createRectStyle', desc, RECT_STYLE_KEYS, true)
  const fill = parseColor(desc.fill ?? 0xffffffff, 'createRectStyle: fill')
  const border = parseColor(desc.border ?? 0, 'createRectStyle: border')
  const borderWidth = desc.borderWidth ?? 0
  const radius = desc.radius ?? 0
  if (!(borderWidth >= 0 && borderWidth < Infinity)) throw invalidStyle('borderWidth', borderWidth, 'a finite number of pixels >= 0')
  if (!(radius >= 0 && radius < Infinity)) throw invalidStyle('radius', radius, 'a finite number of pixels >= 0')
  return new RectStyle(fill, border, borderWidth, radius)
}

/** The style of `add` calls that pass none: opaque white, no border, square corners. Never changed (not exported). */
const PLAIN = new RectStyle(0xffffffff, 0, 0, 0)

/** Float slots of a rect instance (bit k: float k is a float, not a packed colour). */
const RECT_FLOAT_SLOTS = 0b11001111

function sharedResources(queue: DrawQueue, solid: boolean): QuadPipelines {
  const device: Device = queue.device
  if (solid) {
    return sharedGL<QuadPipelines>(queue, 'solid rects', () => {
      const program = device.createProgram({ vertex: RECT_SOLID_VERTEX_SHADER(queue.view.glsl), fragment: RECT_SOLID_FRAGMENT_SHADER, name: 'framelatch solid rects' })
      return createQuadPipelines(device, program, RECT_FLOATS, RECT_SOLID_ATTRIBUTES, 'solid rects', 'unit quad (solid rects)')
    }, (s) => destroyQuadPipelines(device, s))
  }
  return sharedGL<QuadPipelines>(queue, 'rects', () => {
    const program = device.createProgram({ vertex: RECT_VERTEX_SHADER(queue.view.glsl), fragment: RECT_FRAGMENT_SHADER, name: 'framelatch rects' })
    return createQuadPipelines(device, program, RECT_FLOATS, RECT_ATTRIBUTES, 'rects', 'unit quad (rects)')
  }, (s) => destroyQuadPipelines(device, s))
}

export class RectBatcher extends InstanceBatcher {
  /** Solid fills only (RectBatcherDesc.solid): a style with a border width or a radius is a bad draw. */
  readonly solid: boolean

  constructor(queue: DrawQueue, desc: RectBatcherDesc = {}) {
    super(queue, desc, 'rect', 'rects', RECT_FLOATS, RECT_FLOAT_SLOTS,
      (label) => createQuadBatch(queue, sharedResources(queue, desc.solid === true), RECT_FLOATS, desc, label))
    this.solid = desc.solid === true
  }

  /**
   * Adds a rectangle: top-left (x, y) and size (w, h) in pixels, drawn in `style` (default: opaque
   * white). Valid until the next flush. Allocates nothing.
   */
  add(x: number, y: number, w: number, h: number, style: RectStyle = PLAIN): void {
    const fill = style.packedFill
    const border = style.packedBorder
    const bw = style.borderWidth
    const radius = style.radius
    // x - x is 0 for finite x and NaN for NaN or ±Infinity (packed colours are NaN when bad): one
    // compare checks all eight numbers.
    if (x - x + y - y + w - w + h - h + bw - bw + radius - radius + fill - fill + border - border !== 0 || bw < 0 || radius < 0 ||
      (bw + radius > 0 && this.solid)) {
      this.badAdd(x, y, w, h, style)
      return
    }
    const q = this.queue
    const off = recordInstances(q, this.batch, 1, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
    const p = q.payload
    p[off] = x
    p[off + 1] = y
    p[off + 2] = w
    p[off + 3] = h
    p[off + 6] = bw
    p[off + 7] = radius
    const u = q.payloadU32
    u[off + 4] = fill
    u[off + 5] = border
  }

  private badAdd(x: number, y: number, w: number, h: number, s: RectStyle): void {
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    this.bad('add', `(${x}, ${y}, ${w}, ${h}) with fill ${s.fill}, border ${s.border}, borderWidth ${s.borderWidth}, ` +
      `radius ${s.radius} needs finite pixels, widths >= 0 and colours 0xRRGGBBAA` +
      (this.solid ? ' (a solid batcher draws no border and no radius: use a style without them, or a batcher without solid)' : ''),
    { x, y, w, h, fill: s.fill, border: s.border, borderWidth: s.borderWidth, radius: s.radius })
  }
}

const RECT_BATCHER_KEYS = descKeys<RectBatcherDesc>({ layer: true, depth: true, translucent: true, sequenced: true, capacity: true, debug: true, label: true, clip: true, transform: true, solid: true })

/** Creates a rectangle batcher on `queue` (see the file comment). */
export function createRectBatcher(queue: DrawQueue, desc?: RectBatcherDesc): RectBatcher {
  checkDesc('createRectBatcher', desc, RECT_BATCHER_KEYS, desc?.debug ?? queue.debug)
  return new RectBatcher(queue, desc)
}
