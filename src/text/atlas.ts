/**
 * Glyph atlas: a character set rasterized once into a single power-of-two 8-bit alpha image,
 * with per-glyph metrics in typed arrays so a text batcher can look glyphs up and emit quads
 * without allocating.
 *
 * Everything is plain data (numbers, typed arrays, one Map), so an atlas can be structured-
 * cloned to a worker. The atlas owns its arrays and never changes them after
 * `createGlyphAtlas` returns; treat them as read-only. `pixels` is uploaded as-is (top row first,
 * no UNPACK_FLIP_Y), so v = 0 is the top of the image and the UVs below map straight.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { warnOnce } from '../log.js'
import { packShelves } from './pack.js'
import { Rasterizer, rasterizeGlyph } from './rasterize.js'
import type { TrueTypeFont } from './ttf.js'
import { checkDesc, descKeys } from '../check.js'

/** Code points below this are looked up in `lookup` (an Int32Array); the rest in `lookupExtra`. */
export const LOOKUP_SIZE = 0x2600

/** Printable ASCII (32..126). */
export const ASCII_PRINTABLE: string = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')

/** Symbols useful on dashboards, included by default when the font has them. */
export const DASHBOARD_SYMBOLS = '·•−▲▼◆●○■□►◄…°±×÷µ←↑→↓↗↘€£¥│─┼█▏▕'

export interface GlyphAtlasDesc {
  /** The font to rasterize (from `loadFont` or `parseTrueType`). Required. */
  font: TrueTypeFont
  /** Em size in pixels (CSS `font-size` sense): the em square spans this many pixels. Required, 4..512. */
  pixelSize: number
  /**
   * Characters to include. Default: printable ASCII plus `DASHBOARD_SYMBOLS` (the symbols only
   * where the font has them). Characters given here that the font lacks are listed in
   * `missing` and render as the fallback glyph.
   */
  chars?: string
  /** Empty pixels around each glyph in the atlas, so filtering never bleeds. Default 1, 0..16. */
  padding?: number
  /** Glyph drawn for characters the atlas lacks. Default '?'; `.notdef` if the font lacks it too. */
  fallback?: string
}

export interface GlyphAtlas {
  /** Atlas width in pixels, a power of two. */
  readonly width: number
  /** Atlas height in pixels, a power of two. */
  readonly height: number
  /** 8-bit alpha, `width * height` bytes, top row first; 0 transparent, 255 fully inked. */
  readonly pixels: Uint8Array
  /** Em size in pixels the atlas was built at. */
  readonly pixelSize: number
  /** Pixels from the baseline up to the top of a line (positive). */
  readonly ascent: number
  /** Pixels from the baseline down to the bottom of a line (positive). */
  readonly descent: number
  /** Baseline-to-baseline distance in pixels: ascent + descent + line gap. */
  readonly lineHeight: number
  /** Number of glyphs; the arrays below are indexed 0..glyphCount-1. */
  readonly glyphCount: number
  /** Atlas glyph index used for characters the atlas lacks. */
  readonly fallbackGlyph: number
  /** First code point that maps to each glyph (-1 for `.notdef`). */
  readonly codePoint: Int32Array
  /** Glyph rectangle in the atlas, pixels: left, top, width, height (0x0 for blank glyphs). */
  readonly rectX: Int32Array
  readonly rectY: Int32Array
  readonly rectW: Int32Array
  readonly rectH: Int32Array
  /** Bitmap position relative to the pen on the baseline, pixels, y down (yoff < 0 above). */
  readonly xoff: Int32Array
  readonly yoff: Int32Array
  /** Horizontal pen advance in pixels (fractional). */
  readonly advance: Float32Array
  /** Texture coordinates of the glyph rectangle, 0..1, v = 0 at the top row. */
  readonly u0: Float32Array
  readonly v0: Float32Array
  readonly u1: Float32Array
  readonly v1: Float32Array
  /** Code point → glyph index for code points < LOOKUP_SIZE; -1 where unmapped. */
  readonly lookup: Int32Array
  /** Code point → glyph index for code points >= LOOKUP_SIZE. */
  readonly lookupExtra: Map<number, number>
  /** Requested code points the font has no glyph for (they render as the fallback). */
  readonly missing: readonly number[]
}

/**
 * Glyph index for `codePoint`, or `atlas.fallbackGlyph` when the atlas lacks it. Allocates nothing.
 */
export function glyphIndexFor(atlas: GlyphAtlas, codePoint: number): number {
  if (codePoint >= 0 && codePoint < LOOKUP_SIZE) {
    const g = atlas.lookup[codePoint] ?? -1
    return g >= 0 ? g : atlas.fallbackGlyph
  }
  const g = atlas.lookupExtra.get(codePoint)
  return g === undefined ? atlas.fallbackGlyph : g
}

function invalid(message: string, details?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message, details)
}

const GLYPH_ATLAS_KEYS = descKeys<GlyphAtlasDesc>({ font: true, pixelSize: true, chars: true, padding: true, fallback: true })

/**
 * Rasterizes a character set into a new atlas. Setup-time work (allocates freely); build an atlas
 * once per font and size and keep it. Throws INVALID_DESC for bad desc fields and OUT_OF_RANGE
 * when the glyphs do not fit a 4096x4096 atlas.
 */
export function createGlyphAtlas(desc: GlyphAtlasDesc): GlyphAtlas {
  checkDesc('createGlyphAtlas', desc, GLYPH_ATLAS_KEYS, false)
  const font = desc?.font
  if (!font || typeof font.glyphIndex !== 'function' || typeof font.glyphOutline !== 'function') {
    throw invalid('createGlyphAtlas: desc.font is required; pass the result of loadFont()')
  }
  const pixelSize = desc.pixelSize
  if (typeof pixelSize !== 'number' || !Number.isFinite(pixelSize) || pixelSize < 4 || pixelSize > 512) {
    throw invalid(`createGlyphAtlas: pixelSize ${String(pixelSize)} is invalid; pass an em size in pixels from 4 to 512`, { pixelSize })
  }
  const padding = desc.padding ?? 1
  if (!Number.isInteger(padding) || padding < 0 || padding > 16) {
    throw invalid(`createGlyphAtlas: padding ${String(padding)} is invalid; pass a whole number of pixels from 0 to 16`, { padding })
  }
  if (desc.chars !== undefined && typeof desc.chars !== 'string') {
    throw invalid('createGlyphAtlas: chars must be a string of the characters to include; omit it for printable ASCII plus dashboard symbols')
  }
  const fallbackChar = desc.fallback ?? '?'
  if (typeof fallbackChar !== 'string' || [...fallbackChar].length !== 1) {
    throw invalid(`createGlyphAtlas: fallback must be a single character; got ${JSON.stringify(fallbackChar)}`)
  }
  const scale = pixelSize / font.unitsPerEm

  // Gather unique code points, in order; the default symbols only where the font has them.
  const codePoints: number[] = []
  const seen = new Set<number>()
  const missing: number[] = []
  const add = (cp: number, required: boolean): void => {
    if (seen.has(cp)) return
    seen.add(cp)
    if (font.glyphIndex(cp) === 0) {
      if (required) missing.push(cp)
      return
    }
    codePoints.push(cp)
  }
  if (desc.chars !== undefined) {
    for (const ch of desc.chars) add(ch.codePointAt(0)!, true)
  } else {
    for (const ch of ASCII_PRINTABLE) add(ch.codePointAt(0)!, true)
    for (const ch of DASHBOARD_SYMBOLS) add(ch.codePointAt(0)!, false)
  }
  const fallbackCp = fallbackChar.codePointAt(0)!
  if (!seen.has(fallbackCp)) add(fallbackCp, false)
  if (missing.length > 0) {
    const list = missing.slice(0, 8).map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(', ')
    warnOnce(`glyph-atlas-missing:${list}`, ErrorCode.FONT_LOAD,
      `the font has no glyph for ${missing.length} requested character(s) (${list}${missing.length > 8 ? ', …' : ''}); they render as '${fallbackChar}'. Use a font that covers them.`)
  }

  // One atlas entry per distinct font glyph; .notdef only when the fallback char is missing too.
  const fontGlyphs: number[] = []
  const firstCp: number[] = []
  const glyphOf = new Map<number, number>() // font glyph id → atlas glyph index
  const cpToGlyph = new Map<number, number>()
  const entry = (fontGlyph: number, cp: number): number => {
    let g = glyphOf.get(fontGlyph)
    if (g === undefined) {
      g = fontGlyphs.length
      glyphOf.set(fontGlyph, g)
      fontGlyphs.push(fontGlyph)
      firstCp.push(cp)
    }
    return g
  }
  for (const cp of codePoints) cpToGlyph.set(cp, entry(font.glyphIndex(cp), cp))
  const fallbackGlyph = cpToGlyph.get(fallbackCp) ?? entry(0, -1)

  const n = fontGlyphs.length
  const rasterizer = new Rasterizer()
  const bitmaps = fontGlyphs.map((id) => rasterizeGlyph(font.glyphOutline(id), scale, rasterizer))
  const packed = packShelves(bitmaps, padding)
  const { width, height, positions } = packed
  const pixels = new Uint8Array(width * height)
  const atlas = {
    width, height, pixels, pixelSize,
    ascent: font.ascender * scale,
    descent: -font.descender * scale,
    lineHeight: (font.ascender - font.descender + font.lineGap) * scale,
    glyphCount: n,
    fallbackGlyph,
    codePoint: Int32Array.from(firstCp),
    rectX: Int32Array.from(positions, (p) => p.x),
    rectY: Int32Array.from(positions, (p) => p.y),
    rectW: Int32Array.from(bitmaps, (bm) => bm.width),
    rectH: Int32Array.from(bitmaps, (bm) => bm.height),
    xoff: Int32Array.from(bitmaps, (bm) => bm.xoff),
    yoff: Int32Array.from(bitmaps, (bm) => bm.yoff),
    advance: Float32Array.from(fontGlyphs, (id) => font.advanceWidth(id) * scale),
    u0: new Float32Array(n),
    v0: new Float32Array(n),
    u1: new Float32Array(n),
    v1: new Float32Array(n),
    lookup: new Int32Array(LOOKUP_SIZE).fill(-1),
    lookupExtra: new Map<number, number>(),
    missing,
  } satisfies GlyphAtlas

  bitmaps.forEach((bm, g) => {
    const at = positions[g]
    if (!at) return // packShelves gives one position per bitmap
    const { x, y } = at
    for (let row = 0; row < bm.height; row++) {
      pixels.set(bm.data.subarray(row * bm.width, (row + 1) * bm.width), (y + row) * width + x)
    }
    atlas.u0[g] = x / width
    atlas.v0[g] = y / height
    atlas.u1[g] = (x + bm.width) / width
    atlas.v1[g] = (y + bm.height) / height
  })
  for (const [cp, g] of cpToGlyph) {
    if (cp < LOOKUP_SIZE) atlas.lookup[cp] = g
    else atlas.lookupExtra.set(cp, g)
  }
  return atlas
}
