/**
 * Outline rasterizer: fills lines and quadratic curves into an 8-bit alpha coverage bitmap,
 * anti-aliased by exact signed-area accumulation (the font-rs / stb_truetype v2 method).
 *
 * Each edge deposits, into an accumulation buffer, the signed area it sweeps in every pixel it
 * crosses (sign = direction, up or down). A running sum over the buffer, left to right and top
 * to bottom, then gives each pixel's winding-weighted coverage. |sum| clamped to 1 is the
 * non-zero rule for coverage: overlapping contours of the same direction (composite glyphs) stay
 * fully inked, a counter-wound hole cancels to 0, and a pixel cut by an edge gets its exact area.
 * Curves are flattened into a few line segments each, chosen by how far they bend.
 *
 * Coordinates are pixels, x right and y down, with pixel (i, j) covering [i, i+1) × [j, j+1).
 * Rasterization happens at setup (atlas building), but a `Rasterizer` may be reused: `reset`
 * reuses its buffer when the new size fits, so rasterizing many glyphs allocates once.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { GlyphOutline } from './glyf.js'

/** Largest bitmap side accepted; a glyph larger than this is a pixel-size mistake. */
export const MAX_BITMAP_SIDE = 4096

/** Largest distance, in pixels, between a curve and the line segments that stand in for it. */
const FLATTEN_TOLERANCE = 0.05

/** An 8-bit coverage bitmap: `data[y * width + x]`, top row first, 0 empty, 255 fully inked. */
export interface AlphaBitmap {
  readonly width: number
  readonly height: number
  /** Owned by the bitmap; the caller may keep or modify it. */
  readonly data: Uint8Array
}

/** A glyph's bitmap plus where it sits relative to the pen on the baseline (y down). */
export interface GlyphBitmap extends AlphaBitmap {
  /** Pixels from the pen x to the bitmap's left column. */
  readonly xoff: number
  /** Pixels from the baseline to the bitmap's top row; negative above the baseline. */
  readonly yoff: number
}

export class Rasterizer {
  private acc: Float32Array = new Float32Array(0)
  private w = 0
  private h = 0

  constructor(width = 0, height = 0) {
    this.reset(width, height)
  }

  get width(): number { return this.w }
  get height(): number { return this.h }

  /** Clears the canvas to empty at the given size; reuses the buffer when it is large enough. */
  reset(width: number, height: number): void {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 ||
        width > MAX_BITMAP_SIDE || height > MAX_BITMAP_SIDE) {
      throw new ValidationError(
        ErrorCode.OUT_OF_RANGE,
        `rasterizer size ${width}x${height} is invalid: use whole numbers from 0 to ${MAX_BITMAP_SIDE} (is the pixel size too large?)`,
        { width, height },
      )
    }
    // +2: an edge touching the right border deposits one cell past the row's end; the running
    // sum carries it into the next row's first cell, where it belongs (see `toAlpha`).
    const need = width * height + 2
    if (this.acc.length < need) this.acc = new Float32Array(need)
    else this.acc.fill(0, 0, need)
    this.w = width
    this.h = height
  }

  /** Adds a straight edge from (x0, y0) to (x1, y1). Parts outside the canvas are clipped. */
  line(x0: number, y0: number, x1: number, y1: number): void {
    if (y0 === y1) return // horizontal edges sweep no area
    let dir = 1
    if (y0 > y1) {
      dir = -1
      let t = x0; x0 = x1; x1 = t
      t = y0; y0 = y1; y1 = t
    }
    const w = this.w
    const h = this.h
    if (y1 <= 0 || y0 >= h || w === 0) return
    const a = this.acc
    const dxdy = (x1 - x0) / (y1 - y0)
    let x = x0
    if (y0 < 0) {
      x -= y0 * dxdy
      y0 = 0
    }
    const yEnd = Math.min(h, Math.ceil(y1))
    for (let y = Math.floor(y0); y < yEnd; y++) {
      const dy = Math.min(y + 1, y1) - Math.max(y, y0)
      const xNext = x + dxdy * dy
      const d = dy * dir
      // Clip horizontally: area left of the canvas still counts in column 0; right of it is lost.
      let xa = x < xNext ? x : xNext
      let xb = x < xNext ? xNext : x
      xa = xa < 0 ? 0 : xa > w ? w : xa
      xb = xb < 0 ? 0 : xb > w ? w : xb
      const row = y * w
      const xaFloor = Math.floor(xa)
      const xaI = xaFloor
      const xbCeil = Math.ceil(xb)
      if (xbCeil <= xaI + 1) {
        // The edge stays inside one pixel column on this row.
        const xm = 0.5 * (xa + xb) - xaFloor
        deposit(a, row + xaI, d - d * xm)
        deposit(a, row + xaI + 1, d * xm)
      } else {
        const s = 1 / (xb - xa)
        const xaf = xa - xaFloor
        const a0 = 0.5 * s * (1 - xaf) * (1 - xaf)
        const xbf = xb - xbCeil + 1
        const am = 0.5 * s * xbf * xbf
        deposit(a, row + xaI, d * a0)
        if (xbCeil === xaI + 2) {
          deposit(a, row + xaI + 1, d * (1 - a0 - am))
        } else {
          const a1 = s * (1.5 - xaf)
          deposit(a, row + xaI + 1, d * (a1 - a0))
          for (let xi = xaI + 2; xi < xbCeil - 1; xi++) deposit(a, row + xi, d * s)
          const a2 = a1 + (xbCeil - xaI - 3) * s
          deposit(a, row + xbCeil - 1, d * (1 - a2 - am))
        }
        deposit(a, row + xbCeil, d * am)
      }
      x = xNext
    }
  }

  /** Adds a quadratic Bézier edge from (x0, y0) via control (cx, cy) to (x1, y1). */
  quad(x0: number, y0: number, cx: number, cy: number, x1: number, y1: number): void {
    const devx = x0 - 2 * cx + x1
    const devy = y0 - 2 * cy + y1
    const devsq = devx * devx + devy * devy
    if (devsq <= 16 * FLATTEN_TOLERANCE * FLATTEN_TOLERANCE) {
      this.line(x0, y0, x1, y1)
      return
    }
    // A curve strays at most |dev| / 4 from its chord, and n chords cut that by n²: pick n so
    // the flattened edge stays within FLATTEN_TOLERANCE pixels of the true curve.
    const n = Math.min(64, Math.ceil(Math.sqrt(Math.sqrt(devsq) / (4 * FLATTEN_TOLERANCE))))
    let px = x0
    let py = y0
    for (let i = 1; i <= n; i++) {
      const t = i / n
      const mt = 1 - t
      const qx = mt * mt * x0 + 2 * mt * t * cx + t * t * x1
      const qy = mt * mt * y0 + 2 * mt * t * cy + t * t * y1
      this.line(px, py, qx, qy)
      px = qx
      py = qy
    }
  }

  /**
   * Adds every contour of `outline` (font units, y up) mapped to pixels as
   * `px = x * scale + dx`, `py = dy - y * scale`.
   */
  outline(outline: GlyphOutline, scale: number, dx: number, dy: number): void {
    const { x, y, onCurve, contourEnds } = outline
    let start = 0
    for (const end of contourEnds) {
      const n = end - start + 1
      if (n >= 2) this.contour(x, y, onCurve, start, n, scale, dx, dy)
      start = end + 1
    }
  }

  /** One closed TrueType contour: on/off-curve points with implied on-curve midpoints. */
  private contour(
    xs: Float32Array, ys: Float32Array, on: Uint8Array, start: number, n: number,
    scale: number, dx: number, dy: number,
  ): void {
    // Start from an on-curve point; if there is none, from the midpoint of the first two.
    let first = -1
    for (let i = 0; i < n; i++) if (on[start + i]) { first = i; break }
    // `start + n` never exceeds the point count (glyf.ts builds contour ends from the points), so
    // the reads below are in range; `pointX`/`pointY` keep the checker honest anyway.
    let sx: number, sy: number
    if (first >= 0) {
      sx = pointX(xs, start + first, scale, dx)
      sy = pointY(ys, start + first, scale, dy)
    } else {
      first = 0
      const j = start + 1 < start + n ? start + 1 : start
      sx = (pointX(xs, start, scale, dx) + pointX(xs, j, scale, dx)) * 0.5
      sy = (pointY(ys, start, scale, dy) + pointY(ys, j, scale, dy)) * 0.5
    }
    let px = sx, py = sy
    let hasCtrl = false
    let cx = 0, cy = 0
    for (let k = 1; k <= n; k++) {
      const i = start + ((first + k) % n)
      const qx = pointX(xs, i, scale, dx)
      const qy = pointY(ys, i, scale, dy)
      if (on[i]) {
        if (hasCtrl) this.quad(px, py, cx, cy, qx, qy)
        else this.line(px, py, qx, qy)
        px = qx; py = qy
        hasCtrl = false
      } else if (hasCtrl) {
        const mx = (cx + qx) * 0.5
        const my = (cy + qy) * 0.5
        this.quad(px, py, cx, cy, mx, my)
        px = mx; py = my
        cx = qx; cy = qy
      } else {
        cx = qx; cy = qy
        hasCtrl = true
      }
    }
    // Close back to the start point (when the ring began mid-curve, this finishes that curve).
    if (hasCtrl) this.quad(px, py, cx, cy, sx, sy)
    else if (px !== sx || py !== sy) this.line(px, py, sx, sy)
  }

  /**
   * Resolves accumulated edges into 8-bit coverage, writing `width * height` bytes to `out`
   * starting at `outOffset` with row stride `stride` (default `width`). Does not clear the
   * canvas; call `reset` before drawing the next shape.
   */
  toAlpha(out: Uint8Array, outOffset = 0, stride = this.w): void {
    const a = this.acc
    const w = this.w
    let sum = 0
    for (let y = 0; y < this.h; y++) {
      const row = y * w
      const o = outOffset + y * stride
      for (let x = 0; x < w; x++) {
        sum += a[row + x] ?? 0
        let c = sum < 0 ? -sum : sum
        if (c > 1) c = 1
        out[o + x] = (c * 255 + 0.5) | 0
      }
    }
  }
}

/** Point `i`'s x in pixels (font units scaled, shifted by `dx`). */
function pointX(xs: Float32Array, i: number, scale: number, dx: number): number {
  return (xs[i] ?? 0) * scale + dx
}

/** Point `i`'s y in pixels, flipped to y down (font units are y up). */
function pointY(ys: Float32Array, i: number, scale: number, dy: number): number {
  return dy - (ys[i] ?? 0) * scale
}

/**
 * Adds `v` to accumulator cell `i`. `reset` sizes the accumulator so clipped edges stay inside
 * it; a cell past the end is dropped rather than written as NaN.
 */
function deposit(acc: Float32Array, i: number, v: number): void {
  const cell = acc[i]
  if (cell !== undefined) acc[i] = cell + v
}

/**
 * Rasterizes `outline` at `scale` pixels per font unit into a bitmap just large enough for its
 * ink (empty glyphs give a 0x0 bitmap). The pen sits at the origin on the baseline, so the
 * glyph's bitmap goes at `(penX + xoff, baselineY + yoff)`. Pass a `Rasterizer` to reuse its
 * buffer across glyphs; the returned bitmap's data is always newly allocated and owned by it.
 */
export function rasterizeGlyph(outline: GlyphOutline, scale: number, rasterizer?: Rasterizer): GlyphBitmap {
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `glyph scale ${scale} is invalid: pass a positive finite number (pixels per font unit)`)
  }
  if (outline.contourEnds.length === 0 || outline.x.length === 0) {
    return { width: 0, height: 0, data: new Uint8Array(0), xoff: 0, yoff: 0 }
  }
  const x0 = Math.floor(outline.xMin * scale)
  const x1 = Math.ceil(outline.xMax * scale)
  const y0 = Math.floor(-outline.yMax * scale)
  const y1 = Math.ceil(-outline.yMin * scale)
  const width = Math.max(1, x1 - x0)
  const height = Math.max(1, y1 - y0)
  const r = rasterizer ?? new Rasterizer()
  r.reset(width, height)
  r.outline(outline, scale, -x0, -y0)
  const data = new Uint8Array(width * height)
  r.toAlpha(data)
  return { width, height, data, xoff: x0, yoff: y0 }
}
