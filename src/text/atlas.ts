/**
 * Glyph atlas: glyphs rasterized into one power-of-two 8-bit alpha image, with per-glyph metrics
 * in typed arrays so a text batcher can look glyphs up and emit quads without allocating.
 *
 * The atlas starts with a character set (printable ASCII and dashboard symbols by default) and
 * grows on first use: `ensureGlyphs(atlas, text)` (atlas-growth.ts; called by `layoutText`,
 * `measureText` and the text batcher) adds every character not seen before, from the atlas's font
 * or its fallback fonts, keeping every earlier glyph at the same pixel position. `version` counts
 * changes to `pixels` (and `width`/`height`), so a renderer re-uploads only when it moved.
 *
 * The fields are plain data (numbers, typed arrays, one Map), so an atlas can be structured-
 * cloned to a worker; a clone cannot grow (its fonts stay behind) and draws characters it was not
 * built with as the fallback. Treat every field as read-only: `ensureGlyphs` replaces `pixels`
 * and the per-glyph arrays with bigger ones when it grows, so re-read them after calling it.
 * `pixels` is uploaded as-is (top row first, no UNPACK_FLIP_Y), so v = 0 is the top of the image.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { MAX_ATLAS_SIDE, packShelves } from './pack.js'
import { Rasterizer, rasterizeGlyph } from './rasterize.js'
import type { TrueTypeFont } from './ttf.js'
import { addCodePoint, setUV, startGrowth, stopGrowth, type GrowState, type MutableAtlas } from './atlas-growth.js'
import { checkDesc, descKeys } from '../check.js'

/** Code points below this are looked up in `lookup` (an Int32Array); the rest in `lookupExtra`. */
export const LOOKUP_SIZE = 0x2600

/** Printable ASCII (32..126). */
export const ASCII_PRINTABLE: string = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')

/** Symbols useful on dashboards, included by default when the font has them. */
export const DASHBOARD_SYMBOLS = '·•−▲▼◆●○■□►◄…°±×÷µ←↑→↓↗↘€£¥│─┼█▏▕'

/**
 * Fallback fonts tried, in order, for characters the atlas's font lacks, when `fallbackFonts` is
 * not given: system fonts at their Debian/Ubuntu paths (files that do not exist are skipped; no
 * font is read until a character needs it). DejaVu Sans (`fonts-dejavu-core`) adds symbols,
 * Arabic, Hebrew and more; Droid Sans Fallback (`fonts-droid-fallback`, Apache 2.0) adds CJK;
 * WenQuanYi Micro Hei (`fonts-wqy-microhei`) is a second CJK choice.
 */
export const DEFAULT_FALLBACK_FONTS: readonly string[] = Object.freeze([
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
])

export interface GlyphAtlasDesc {
  /** The font to rasterize (from `loadFont` or `parseTrueType`). Required. */
  font: TrueTypeFont
  /** Em size in pixels (CSS `font-size` sense): the em square spans this many pixels. Required, 4..512. */
  pixelSize: number
  /**
   * Characters to rasterize up front. Default: printable ASCII plus `DASHBOARD_SYMBOLS` (the
   * symbols only where the font has them). Any other character is added on first use. Characters
   * given here that no font has are listed in `missing` and render as the fallback glyph.
   */
  chars?: string
  /** Empty pixels around each glyph in the atlas, so filtering never bleeds. Default 1, 0..16. */
  padding?: number
  /** Glyph drawn for characters no font has. Default '?'; `.notdef` if the font lacks it too. */
  fallback?: string
  /**
   * Fonts tried in order for characters `font` lacks: loaded fonts, or paths of .ttf/.ttc files
   * (read on first need; a path that cannot be loaded is skipped). Default
   * `DEFAULT_FALLBACK_FONTS`; `[]` for none.
   */
  fallbackFonts?: readonly (TrueTypeFont | string)[]
  /** Rasterize characters on first use (`ensureGlyphs`). Default true; false keeps the atlas fixed. */
  grow?: boolean
}

export interface GlyphAtlas {
  /** Atlas width in pixels, a power of two. Grows with the atlas. */
  readonly width: number
  /** Atlas height in pixels, a power of two. Grows with the atlas. */
  readonly height: number
  /** 8-bit alpha, `width * height` bytes, top row first; 0 transparent, 255 fully inked. */
  readonly pixels: Uint8Array
  /** Bumped whenever `pixels`, `width` or `height` change (a glyph was added); starts at 0. */
  readonly version: number
  /** Em size in pixels the atlas was built at. */
  readonly pixelSize: number
  /** Pixels from the baseline up to the top of a line (positive), from the main font. */
  readonly ascent: number
  /** Pixels from the baseline down to the bottom of a line (positive), from the main font. */
  readonly descent: number
  /** Baseline-to-baseline distance in pixels: ascent + descent + line gap. */
  readonly lineHeight: number
  /** Number of glyphs; the arrays below are indexed 0..glyphCount-1 (they may be longer). */
  readonly glyphCount: number
  /** Atlas glyph index used for characters no font has. */
  readonly fallbackGlyph: number
  /** First code point that maps to each glyph (-1 for `.notdef`). */
  readonly codePoint: Int32Array
  /** Which font each glyph came from: 0 the main font, 1.. the fallback fonts in order. */
  readonly fontIndex: Uint8Array
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
  /**
   * Code point → glyph index for code points < LOOKUP_SIZE; -1 where not yet looked up. A code
   * point no font has maps to `fallbackGlyph`.
   */
  readonly lookup: Int32Array
  /** Code point → glyph index for code points >= LOOKUP_SIZE (same rules as `lookup`). */
  readonly lookupExtra: Map<number, number>
  /** Code points no font has (they render as the fallback), in the order they were met. */
  readonly missing: readonly number[]
}

/**
 * Glyph index for `codePoint`, or `atlas.fallbackGlyph` when the atlas lacks it. A lookup only:
 * it adds nothing (call `ensureGlyphs` first to add characters on first use). Allocates nothing.
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

const GLYPH_ATLAS_KEYS = descKeys<GlyphAtlasDesc>({
  font: true, pixelSize: true, chars: true, padding: true, fallback: true, fallbackFonts: true, grow: true,
})

/**
 * Rasterizes a character set into a new atlas. Setup-time work (allocates freely); build an atlas
 * once per font and size and keep it: it grows as new characters are drawn. Throws INVALID_DESC
 * for bad desc fields and OUT_OF_RANGE when the initial glyphs do not fit a 4096x4096 atlas.
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
  const fallbackFonts = desc.fallbackFonts ?? DEFAULT_FALLBACK_FONTS
  if (!Array.isArray(fallbackFonts) || fallbackFonts.length > 254 ||
    !fallbackFonts.every((f) => typeof f === 'string' || (f !== null && typeof f === 'object' && typeof f.glyphIndex === 'function'))) {
    throw invalid('createGlyphAtlas: fallbackFonts must be an array of loaded fonts (loadFont()) or .ttf paths; pass [] for none')
  }
  const scale = pixelSize / font.unitsPerEm

  // The initial set: the main font's glyphs, packed tightest; fallback fonts are not read here.
  const codePoints: number[] = []
  const seen = new Set<number>()
  const later: number[] = [] // asked-for characters the main font lacks: tried in the fallbacks below
  const add = (cp: number, required: boolean): void => {
    if (seen.has(cp)) return
    seen.add(cp)
    if (font.glyphIndex(cp) === 0) {
      if (required) later.push(cp)
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

  // One atlas entry per distinct font glyph; .notdef only when the fallback char is missing too.
  const fontGlyphs: number[] = []
  const firstCp: number[] = []
  const glyphOf = new Map<number, number>() // font index * 65536 + font glyph id → atlas glyph index
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
  const capacity = Math.max(64, n * 2)
  const rasterizer = new Rasterizer()
  const bitmaps = fontGlyphs.map((id) => rasterizeGlyph(font.glyphOutline(id), scale, rasterizer))
  const packed = packShelves(bitmaps, padding)
  const { positions } = packed
  // Room to grow to the right: at least 256 pixels wide (the packer picks the tightest width).
  const width = Math.max(packed.width, Math.min(256, MAX_ATLAS_SIDE))
  const height = packed.height
  const pixels = new Uint8Array(width * height)
  const filled = <T extends Int32Array | Float32Array>(arr: T, values: ArrayLike<number>): T => {
    arr.set(values)
    return arr
  }
  const atlas: MutableAtlas = {
    width, height, pixels, version: 0, pixelSize,
    ascent: font.ascender * scale,
    descent: -font.descender * scale,
    lineHeight: (font.ascender - font.descender + font.lineGap) * scale,
    glyphCount: n,
    fallbackGlyph,
    codePoint: filled(new Int32Array(capacity), firstCp),
    fontIndex: new Uint8Array(capacity),
    rectX: filled(new Int32Array(capacity), positions.map((p) => p.x)),
    rectY: filled(new Int32Array(capacity), positions.map((p) => p.y)),
    rectW: filled(new Int32Array(capacity), bitmaps.map((bm) => bm.width)),
    rectH: filled(new Int32Array(capacity), bitmaps.map((bm) => bm.height)),
    xoff: filled(new Int32Array(capacity), bitmaps.map((bm) => bm.xoff)),
    yoff: filled(new Int32Array(capacity), bitmaps.map((bm) => bm.yoff)),
    advance: filled(new Float32Array(capacity), fontGlyphs.map((id) => font.advanceWidth(id) * scale)),
    u0: new Float32Array(capacity),
    v0: new Float32Array(capacity),
    u1: new Float32Array(capacity),
    v1: new Float32Array(capacity),
    lookup: new Int32Array(LOOKUP_SIZE).fill(-1),
    lookupExtra: new Map<number, number>(),
    missing: [],
  }

  let used = 0
  bitmaps.forEach((bm, g) => {
    const at = positions[g]
    if (!at) return // packShelves gives one position per bitmap
    const { x, y } = at
    for (let row = 0; row < bm.height; row++) {
      pixels.set(bm.data.subarray(row * bm.width, (row + 1) * bm.width), (y + row) * width + x)
    }
    if (bm.width > 0 && bm.height > 0 && y + bm.height > used) used = y + bm.height
    setUV(atlas, g)
  })
  for (const [cp, g] of cpToGlyph) {
    if (cp < LOOKUP_SIZE) atlas.lookup[cp] = g
    else atlas.lookupExtra.set(cp, g)
  }
  const state: GrowState = {
    fonts: [font, ...fallbackFonts],
    padding,
    rasterizer,
    glyphOf,
    // New glyphs start a shelf below the packed ones.
    colX: 0, penX: padding, shelfY: used + padding, shelfH: 0,
  }
  startGrowth(atlas, state)
  // Asked-for characters the main font lacks: from the fallbacks now (or reported missing).
  for (const cp of later) addCodePoint(atlas, cp)
  if (desc.grow === false) stopGrowth(atlas)
  atlas.version = 0
  return atlas
}
