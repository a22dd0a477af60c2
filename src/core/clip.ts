/**
 * Clip rectangles: a scissor for panels and scroll areas. A `Clip` is a rectangle in the pixels
 * of the pass target (the same coordinates batchers draw in without a transform: origin top-left,
 * y down, relative to the pass viewport), optionally nested in a `parent`, which it never draws
 * outside (the rectangle used is the intersection with every ancestor's).
 *
 * How it reaches GL: a draw is recorded with a clip (`queue.record(..., clip)`, or a batcher's
 * `clip`); the queue keeps a per-frame table of the clips its commands name and never merges
 * draws of different clips into one GL draw. At flush, before each merged run, it resolves the
 * run's clip (`resolveClip`), flips it to GL's bottom-left origin for the pass's height and sets
 * `gl.scissor` only when the rectangle differs from the one set last; a null clip disables the
 * scissor test. The rectangle read is the one the clip holds at flush time, so one clip object
 * per panel: moving it (`clip.set`) moves every draw recorded with it this frame.
 *
 * Memory: a clip is a small object made at setup; `set` writes four numbers. Nothing allocates
 * per frame.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'

export interface ClipDesc {
  /** Left edge in target pixels. Default 0. */
  x?: number
  /** Top edge in target pixels (y down). Default 0. */
  y?: number
  /** Width in pixels, >= 0. Default 0 (nothing is drawn until `set`). */
  w?: number
  /** Height in pixels, >= 0. Default 0. */
  h?: number
  /** The clip this one is nested in: draws stay inside both. Default none. Fixed at creation. */
  parent?: Clip | null
  /** Used in errors. Default 'clip'. */
  label?: string
}

/** A clip rectangle (see the file comment). Make one with `createClip`. */
export class Clip {
  /** Left edge, target pixels. Change all four with `set`. */
  x: number
  /** Top edge, target pixels, y down. */
  y: number
  /** Width in pixels. */
  w: number
  /** Height in pixels. */
  h: number
  /** The enclosing clip, or null. */
  readonly parent: Clip | null
  readonly label: string

  constructor(x: number, y: number, w: number, h: number, parent: Clip | null, label: string) {
    this.x = x
    this.y = y
    this.w = w
    this.h = h
    this.parent = parent
    this.label = label
  }

  /**
   * Moves and resizes the clip (pixels, top-left origin). Draws recorded with it this frame use
   * the rectangle it holds at flush. Throws FL_INVALID_DESC for a non-finite value or a negative
   * size (a broken layout computation; a clip is set per panel, not per draw). Allocates nothing.
   */
  set(x: number, y: number, w: number, h: number): this {
    if (x - x + y - y + w - w + h - h !== 0 || w < 0 || h < 0) {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `clip "${this.label}" set(${x}, ${y}, ${w}, ${h}): needs finite pixels and a size >= 0`, { x, y, w, h })
    }
    this.x = x
    this.y = y
    this.w = w
    this.h = h
    return this
  }
}

const CLIP_KEYS = descKeys<ClipDesc>({ x: true, y: true, w: true, h: true, parent: true, label: true })

/** Creates a clip rectangle (setup: always checked, FL_INVALID_DESC). */
export function createClip(desc: ClipDesc = {}): Clip {
  checkDesc('createClip', desc, CLIP_KEYS, true)
  const parent = desc.parent ?? null
  if (parent !== null && !(parent instanceof Clip)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'createClip: parent must be a Clip from createClip (or null)')
  }
  const clip = new Clip(0, 0, 0, 0, parent, desc.label ?? 'clip')
  return clip.set(desc.x ?? 0, desc.y ?? 0, desc.w ?? 0, desc.h ?? 0)
}

/**
 * Writes the clip's effective rectangle in whole target pixels, top-left origin, into
 * `out` = [x0, y0, x1, y1] (exclusive ends): its own rectangle intersected with every ancestor's,
 * edges rounded to the nearest pixel boundary (a pixel is inside when its centre is). An empty
 * intersection gives x1 <= x0 or y1 <= y0. Allocates nothing.
 */
export function resolveClip(clip: Clip, out: Int32Array): void {
  let x0 = -0x40000000, y0 = -0x40000000, x1 = 0x40000000, y1 = 0x40000000
  for (let c: Clip | null = clip; c !== null; c = c.parent) {
    const cx0 = Math.round(c.x), cy0 = Math.round(c.y)
    const cx1 = Math.round(c.x + c.w), cy1 = Math.round(c.y + c.h)
    if (cx0 > x0) x0 = cx0
    if (cy0 > y0) y0 = cy0
    if (cx1 < x1) x1 = cx1
    if (cy1 < y1) y1 = cy1
  }
  out[0] = x0
  out[1] = y0
  out[2] = x1
  out[3] = y1
}
