/**
 * Glyph atlas: glyphs rasterized into one power-of-two 8-bit alpha image, with per-glyph metrics
 * in typed arrays so a text batcher can look glyphs up and emit quads without allocating.
 *
 * The atlas starts with a character set (printable ASCII and dashboard symbols by default) and
 * grows on first use: `ensureGlyphs(atlas, text)` (called by `layoutText`, `measureText` and the
 * text batcher) rasterizes every character not seen before, from the atlas's font or, when that
 * font lacks it, from the first of its fallback fonts that has it. New glyphs are packed into free
 * space; when the image is full it doubles (height first, then a new column of shelves to the
 * right), keeping every earlier glyph at the same pixel position and recomputing all UVs.
 * `version` counts changes to `pixels` (and `width`/`height`), so a renderer re-uploads only when
 * it moved. A character no font has is logged once (GLYPH_MISSING) and draws as the fallback.
 *
 * The fields are plain data (numbers, typed arrays, one Map), so an atlas can be structured-
 * cloned to a worker; a clone cannot grow (its fonts stay behind) and draws characters it was not
 * built with as the fallback. Treat every field as read-only: `ensureGlyphs` replaces `pixels`
 * and the per-glyph arrays with bigger ones when it grows, so re-read them after calling it.
 * `pixels` is uploaded as-is (top row first, no UNPACK_FLIP_Y), so v = 0 is the top of the image.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { warnOnce } from '../log.js'
import { MAX_ATLAS_SIDE, packShelves } from './pack.js'
import { Rasterizer, rasterizeGlyph, type GlyphBitmap } from './rasterize.js'
import type { TrueTypeFont } from './ttf.js'
import { loadFont } from './font.js'
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type MutableAtlas = Mutable<GlyphAtlas> & { missing: number[] }

/** A fallback font slot: the loaded font, the path still to load, or null when it failed. */
type FontSlot = TrueTypeFont | string | null

/** What an atlas needs to grow; kept off the atlas so the atlas stays plain, cloneable data. */
interface GrowState {
  readonly fonts: FontSlot[]
  readonly padding: number
  readonly rasterizer: Rasterizer
  /** Atlas glyph index by font index * 65536 + font glyph id. */
  readonly glyphOf: Map<number, number>
  /** Shelf cursor: current column's left edge, pen x, shelf top, shelf height. */
  colX: number
  penX: number
  shelfY: number
  shelfH: number
}

const growStates = new WeakMap<GlyphAtlas, GrowState>()

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

/** True when `codePoint` has been looked up already (it has a glyph, or is known missing). */
function known(atlas: GlyphAtlas, cp: number): boolean {
  if (cp >= 0 && cp < LOOKUP_SIZE) return (atlas.lookup[cp] ?? -1) >= 0
  return atlas.lookupExtra.has(cp)
}

/**
 * Adds every character of `text` the atlas has not met yet (from its font or a fallback font;
 * ones no font has are logged once, GLYPH_MISSING, and map to the fallback glyph). Returns true
 * when glyphs were added (then `version` moved and the arrays may have been replaced). When
 * every character is known already it allocates nothing, so it may run every frame. '\n' and
 * '\r' are skipped. An atlas that cannot grow (a structured clone, or `grow: false`) is left as is.
 */
export function ensureGlyphs(atlas: GlyphAtlas, text: string): boolean {
  let added = false
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i)
    if (cp === 10 || cp === 13) continue
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1)
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000
        i++
      }
    }
    if (!known(atlas, cp) && addCodePoint(atlas, cp)) added = true
  }
  return added
}

/** Like `ensureGlyphs` for character codes `codes[0..length)` (UTF-16 code units or code points). */
export function ensureGlyphCodes(atlas: GlyphAtlas, codes: ArrayLike<number>, length: number): boolean {
  let added = false
  for (let i = 0; i < length; i++) {
    const cp = codes[i] ?? 10
    if (cp === 10 || cp === 13) continue
    if (!known(atlas, cp) && addCodePoint(atlas, cp)) added = true
  }
  return added
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

/** The slot's font, loading a path on first need (a file that fails to load becomes null). */
function slotFont(state: GrowState, i: number): TrueTypeFont | null {
  const slot = state.fonts[i]
  if (typeof slot !== 'string') return slot ?? null
  let font: TrueTypeFont | null = null
  try {
    font = loadFont({ path: slot })
  } catch {
    font = null // a missing or unusable system font is skipped; the next one is tried
  }
  state.fonts[i] = font
  return font
}

/** Looks `cp` up in every font, adds its glyph (or maps it to the fallback); true when a glyph was added. */
function addCodePoint(atlas: GlyphAtlas, cp: number): boolean {
  const state = growStates.get(atlas)
  if (!state || cp < 0 || cp > 0x10ffff) return false
  const a = atlas as MutableAtlas
  let g = -1
  for (let f = 0; f < state.fonts.length && g < 0; f++) {
    const font = slotFont(state, f)
    const id = font ? font.glyphIndex(cp) : 0
    if (font && id !== 0) g = glyphEntry(a, state, f, font, id, cp)
  }
  const added = g >= 0
  if (!added) {
    g = a.fallbackGlyph
    a.missing.push(cp)
    const ch = String.fromCodePoint(cp)
    warnOnce(`glyph-missing:${cp}`, ErrorCode.GLYPH_MISSING,
      `no font has a glyph for ${JSON.stringify(ch)} (${hex(cp)}); it draws as the fallback glyph. ` +
      'Install a font that covers it (Debian: fonts-droid-fallback for CJK) or pass one in fallbackFonts.')
  }
  if (cp < LOOKUP_SIZE) a.lookup[cp] = g
  else a.lookupExtra.set(cp, g)
  return added
}

/** The atlas glyph for font glyph `id` of font slot `f`, rasterized and packed on first use. */
function glyphEntry(a: MutableAtlas, state: GrowState, f: number, font: TrueTypeFont, id: number, cp: number): number {
  const key = f * 65536 + id
  const have = state.glyphOf.get(key)
  if (have !== undefined) return have
  const scale = a.pixelSize / font.unitsPerEm
  const bm = rasterizeGlyph(font.glyphOutline(id), scale, state.rasterizer)
  const g = a.glyphCount
  if (g >= a.codePoint.length) growArrays(a, Math.max(64, a.codePoint.length * 2))
  const placed = place(a, state, bm)
  if (!placed) {
    warnOnce('glyph-atlas-full', ErrorCode.GLYPH_MISSING,
      `the glyph atlas is full (${a.width}x${a.height}); characters not drawn before draw as the fallback glyph. Use a smaller pixelSize.`)
    return -1
  }
  state.glyphOf.set(key, g)
  a.glyphCount = g + 1
  a.codePoint[g] = cp
  a.fontIndex[g] = f
  a.rectW[g] = bm.width
  a.rectH[g] = bm.height
  a.xoff[g] = bm.xoff
  a.yoff[g] = bm.yoff
  a.advance[g] = font.advanceWidth(id) * scale
  setUV(a, g)
  a.version++
  return g
}

/** Copies `bm` into free space (growing the image when full); false when even 4096x4096 is full. */
function place(a: MutableAtlas, state: GrowState, bm: GlyphBitmap): boolean {
  const g = a.glyphCount
  if (bm.width === 0 || bm.height === 0) {
    a.rectX[g] = 0
    a.rectY[g] = 0
    return true
  }
  const pad = state.padding
  if (bm.width + 2 * pad > MAX_ATLAS_SIDE || bm.height + 2 * pad > MAX_ATLAS_SIDE) return false
  for (;;) {
    if (state.penX + bm.width + pad > a.width && state.penX > state.colX + pad) {
      state.shelfY += state.shelfH + pad // new shelf
      state.penX = state.colX + pad
      state.shelfH = 0
    }
    const fitsX = state.penX + bm.width + pad <= a.width
    const fitsY = state.shelfY + bm.height + pad <= a.height
    if (fitsX && fitsY) break
    if (a.height < MAX_ATLAS_SIDE) resize(a, a.width, a.height * 2)
    else if (a.width < MAX_ATLAS_SIDE) {
      // Full height: a new column of shelves in the right half of a twice-as-wide image.
      const col = a.width
      resize(a, a.width * 2, a.height)
      state.colX = col
      state.penX = col + pad
      state.shelfY = pad
      state.shelfH = 0
    } else return false
  }
  const x = state.penX
  const y = state.shelfY
  for (let row = 0; row < bm.height; row++) {
    a.pixels.set(bm.data.subarray(row * bm.width, (row + 1) * bm.width), (y + row) * a.width + x)
  }
  a.rectX[g] = x
  a.rectY[g] = y
  state.penX += bm.width + pad
  if (bm.height > state.shelfH) state.shelfH = bm.height
  return true
}

/** New image of `w`x`h` with the old one copied to its top-left corner; every UV recomputed. */
function resize(a: MutableAtlas, w: number, h: number): void {
  const pixels = new Uint8Array(w * h)
  for (let row = 0; row < a.height; row++) pixels.set(a.pixels.subarray(row * a.width, (row + 1) * a.width), row * w)
  a.pixels = pixels
  a.width = w
  a.height = h
  for (let g = 0; g < a.glyphCount; g++) setUV(a, g)
  a.version++
}

function setUV(a: MutableAtlas, g: number): void {
  const x = a.rectX[g] ?? 0
  const y = a.rectY[g] ?? 0
  a.u0[g] = x / a.width
  a.v0[g] = y / a.height
  a.u1[g] = (x + (a.rectW[g] ?? 0)) / a.width
  a.v1[g] = (y + (a.rectH[g] ?? 0)) / a.height
}

function grown<T extends Int32Array | Float32Array | Uint8Array>(old: T, make: (n: number) => T, n: number): T {
  const next = make(n)
  next.set(old)
  return next
}

/** Replaces the per-glyph arrays with ones of `capacity` entries. */
function growArrays(a: MutableAtlas, capacity: number): void {
  const i32 = (n: number): Int32Array => new Int32Array(n)
  const f32 = (n: number): Float32Array => new Float32Array(n)
  a.codePoint = grown(a.codePoint, i32, capacity)
  a.fontIndex = grown(a.fontIndex, (n) => new Uint8Array(n), capacity)
  a.rectX = grown(a.rectX, i32, capacity)
  a.rectY = grown(a.rectY, i32, capacity)
  a.rectW = grown(a.rectW, i32, capacity)
  a.rectH = grown(a.rectH, i32, capacity)
  a.xoff = grown(a.xoff, i32, capacity)
  a.yoff = grown(a.yoff, i32, capacity)
  a.advance = grown(a.advance, f32, capacity)
  a.u0 = grown(a.u0, f32, capacity)
  a.v0 = grown(a.v0, f32, capacity)
  a.u1 = grown(a.u1, f32, capacity)
  a.v1 = grown(a.v1, f32, capacity)
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
  growStates.set(atlas, state)
  // Asked-for characters the main font lacks: from the fallbacks now (or reported missing).
  for (const cp of later) addCodePoint(atlas, cp)
  if (desc.grow === false) growStates.delete(atlas)
  atlas.version = 0
  return atlas
}
