/**
 * The TrueType `glyf` table: glyph outlines as quadratic contours, simple and composite.
 *
 * An outline keeps TrueType's own point model: each contour is a closed ring of points, each
 * point on or off the curve; two consecutive off-curve points imply an on-curve point halfway
 * between them. Coordinates are in font units, y up (the rasterizer flips to y down).
 * Composite glyphs (accented letters and the like) are flattened into one outline with each
 * component's transform applied, so consumers never see components.
 */
import { fontError } from './font-error.js'

/**
 * A glyph's outline. The arrays are owned by the outline and never written after parsing, so an
 * outline may be kept and shared freely. An empty glyph (space) has zero points and contours.
 */
export interface GlyphOutline {
  /** Point x in font units (y up). */
  readonly x: Float32Array
  /** Point y in font units (y up). */
  readonly y: Float32Array
  /** 1 when the point is on the curve, 0 when it is a quadratic control point. */
  readonly onCurve: Uint8Array
  /** Index of the last point of each contour, ascending. */
  readonly contourEnds: Int32Array
  /** Bounds of the points (a quadratic curve never leaves the hull of its points); 0 when empty. */
  readonly xMin: number
  readonly yMin: number
  readonly xMax: number
  readonly yMax: number
}

/** What `readGlyphOutline` needs from the font: its bytes and where each glyph lives. */
export interface GlyfSource {
  readonly view: DataView
  readonly numGlyphs: number
  /** Byte range [start, end) of glyph `id` in the file; start === end for an empty glyph. */
  glyphRange(id: number): { start: number; end: number }
}

// Simple glyph flags.
const ON_CURVE = 0x01
const X_SHORT = 0x02
const Y_SHORT = 0x04
const REPEAT = 0x08
const X_SAME_OR_POSITIVE = 0x10
const Y_SAME_OR_POSITIVE = 0x20
// Composite component flags.
const ARG_1_AND_2_ARE_WORDS = 0x0001
const ARGS_ARE_XY_VALUES = 0x0002
const WE_HAVE_A_SCALE = 0x0008
const MORE_COMPONENTS = 0x0020
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
const WE_HAVE_A_TWO_BY_TWO = 0x0080
const SCALED_COMPONENT_OFFSET = 0x0800

/** Components nest; real fonts go 2–3 deep. A deeper chain is a loop in a corrupt font. */
const MAX_COMPOSITE_DEPTH = 16

/** One parsed point while a glyph is being built (setup time, not a hot path). */
interface Point {
  x: number
  y: number
  on: boolean
}

/** A glyph's points and the index of each contour's last point, relative to `points[0]`. */
interface Parts {
  points: Point[]
  ends: number[]
}

/** Parses glyph `id`'s outline. Throws FONT_LOAD when the glyph data is corrupt. */
export function readGlyphOutline(src: GlyfSource, id: number): GlyphOutline {
  if (!Number.isInteger(id) || id < 0 || id >= src.numGlyphs) {
    throw fontError(`glyph id ${id} is out of range (the font has ${src.numGlyphs} glyphs); look glyph ids up with glyphIndex(codePoint)`)
  }
  let parts: Parts
  try {
    parts = readGlyph(src, id, 0)
  } catch (e) {
    if (e instanceof RangeError) {
      throw fontError(`glyph ${id} runs past the end of the font file; the file is truncated or corrupt, use another font file`, { glyph: id })
    }
    throw e
  }
  const { points, ends } = parts
  let xMin = Infinity, yMin = Infinity, xMax = -Infinity, yMax = -Infinity
  for (const p of points) {
    if (p.x < xMin) xMin = p.x
    if (p.x > xMax) xMax = p.x
    if (p.y < yMin) yMin = p.y
    if (p.y > yMax) yMax = p.y
  }
  if (points.length === 0) xMin = yMin = xMax = yMax = 0
  return {
    x: Float32Array.from(points, (p) => p.x),
    y: Float32Array.from(points, (p) => p.y),
    onCurve: Uint8Array.from(points, (p) => (p.on ? 1 : 0)),
    contourEnds: Int32Array.from(ends),
    xMin, yMin, xMax, yMax,
  }
}

function readGlyph(src: GlyfSource, id: number, depth: number): Parts {
  if (depth > MAX_COMPOSITE_DEPTH) {
    throw fontError(`composite glyph ${id} nests deeper than ${MAX_COMPOSITE_DEPTH} levels (a loop in a corrupt font); use another font file`)
  }
  const { start, end } = src.glyphRange(id)
  if (end <= start) return { points: [], ends: [] } // empty glyph (space)
  const view = src.view
  const numberOfContours = view.getInt16(start)
  if (numberOfContours >= 0) return readSimple(view, start, numberOfContours, id)
  return readComposite(src, start, depth)
}

function readSimple(view: DataView, start: number, contours: number, id: number): Parts {
  let p = start + 10
  const ends: number[] = []
  let numPoints = 0
  for (let c = 0; c < contours; c++) {
    const last = view.getUint16(p)
    if (last + 1 < numPoints) {
      throw fontError(`glyph ${id} has contour end points out of order; the font is corrupt, use another font file`, { glyph: id })
    }
    numPoints = last + 1
    ends.push(last)
    p += 2
  }
  const instructionLength = view.getUint16(p)
  p += 2 + instructionLength

  const flags = new Uint8Array(numPoints)
  for (let i = 0; i < numPoints; ) {
    const f = view.getUint8(p++)
    flags[i++] = f
    if (f & REPEAT) {
      let count = view.getUint8(p++)
      while (count-- > 0 && i < numPoints) flags[i++] = f
    }
  }
  // x deltas for every point come first, then y deltas: two passes over the flags.
  const points: Point[] = []
  let x = 0
  for (const f of flags) {
    if (f & X_SHORT) {
      const d = view.getUint8(p++)
      x += f & X_SAME_OR_POSITIVE ? d : -d
    } else if (!(f & X_SAME_OR_POSITIVE)) {
      x += view.getInt16(p)
      p += 2
    }
    points.push({ x, y: 0, on: (f & ON_CURVE) !== 0 })
  }
  let y = 0
  flags.forEach((f, i) => {
    if (f & Y_SHORT) {
      const d = view.getUint8(p++)
      y += f & Y_SAME_OR_POSITIVE ? d : -d
    } else if (!(f & Y_SAME_OR_POSITIVE)) {
      y += view.getInt16(p)
      p += 2
    }
    const point = points[i]
    if (point) point.y = y
  })
  return { points, ends }
}

function readComposite(src: GlyfSource, start: number, depth: number): Parts {
  const view = src.view
  let p = start + 10
  // Point-matching numbers count from this composite's first point.
  const out: Parts = { points: [], ends: [] }
  for (;;) {
    const flags = view.getUint16(p)
    const child = view.getUint16(p + 2)
    p += 4
    let arg1: number, arg2: number
    if (flags & ARG_1_AND_2_ARE_WORDS) {
      arg1 = flags & ARGS_ARE_XY_VALUES ? view.getInt16(p) : view.getUint16(p)
      arg2 = flags & ARGS_ARE_XY_VALUES ? view.getInt16(p + 2) : view.getUint16(p + 2)
      p += 4
    } else {
      arg1 = flags & ARGS_ARE_XY_VALUES ? view.getInt8(p) : view.getUint8(p)
      arg2 = flags & ARGS_ARE_XY_VALUES ? view.getInt8(p + 1) : view.getUint8(p + 1)
      p += 2
    }
    // 2x2 transform: x' = a*x + c*y, y' = b*x + d*y (F2Dot14 fixed point).
    let a = 1, bb = 0, c = 0, d = 1
    if (flags & WE_HAVE_A_SCALE) {
      a = d = view.getInt16(p) / 16384
      p += 2
    } else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) {
      a = view.getInt16(p) / 16384
      d = view.getInt16(p + 2) / 16384
      p += 4
    } else if (flags & WE_HAVE_A_TWO_BY_TWO) {
      a = view.getInt16(p) / 16384
      bb = view.getInt16(p + 2) / 16384
      c = view.getInt16(p + 4) / 16384
      d = view.getInt16(p + 6) / 16384
      p += 8
    }

    const part = readGlyph(src, child, depth + 1)
    for (const pt of part.points) {
      const x = pt.x
      pt.x = a * x + c * pt.y
      pt.y = bb * x + d * pt.y
    }
    let dx: number, dy: number
    if (flags & ARGS_ARE_XY_VALUES) {
      dx = arg1
      dy = arg2
      // Microsoft's rasterizer does not scale the offset unless asked; Apple's does. Follow MS.
      if (flags & SCALED_COMPONENT_OFFSET) {
        dx = a * arg1 + c * arg2
        dy = bb * arg1 + d * arg2
      }
    } else {
      // Point matching: move the child so its point arg2 lands on the parent's point arg1
      // (a point of the components placed before this one).
      const parent = out.points[arg1]
      const own = part.points[arg2]
      if (!parent || !own) {
        throw fontError('a composite glyph matches a point that does not exist; the font is corrupt, use another font file', { glyph: child })
      }
      dx = parent.x - own.x
      dy = parent.y - own.y
    }
    const base = out.points.length
    for (const pt of part.points) {
      pt.x += dx
      pt.y += dy
      out.points.push(pt)
    }
    for (const e of part.ends) out.ends.push(base + e)
    if (!(flags & MORE_COMPONENTS)) break
  }
  return out
}
