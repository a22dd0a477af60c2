/**
 * How a glyph atlas grows on first use (see atlas.ts for the atlas itself): `ensureGlyphs` finds
 * each new character in the atlas's font or its fallback fonts, rasterizes it and packs it into
 * free space on shelves below the initial glyphs, doubling the image (height first, then a new
 * column of shelves to the right) when it is full, and recomputes every UV when the image grows;
 * a character no font has is logged once (GLYPH_MISSING) and maps to the fallback glyph.
 *
 * What growing needs (the fonts, the rasterizer, the shelf cursor) is kept in a WeakMap beside the
 * atlas, not on it, so the atlas stays plain, cloneable data; an atlas without that state (a
 * structured clone, or `grow: false`) does not grow.
 */
import { ErrorCode } from '../errors.js'
import { warnOnce } from '../log.js'
import { MAX_ATLAS_SIDE } from './pack.js'
import { rasterizeGlyph, type GlyphBitmap, type Rasterizer } from './rasterize.js'
import type { TrueTypeFont } from './ttf.js'
import { loadFont } from './font.js'
import type { GlyphAtlas } from './atlas.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
export type MutableAtlas = Mutable<GlyphAtlas> & { missing: number[] }

/** A fallback font slot: the loaded font, the path still to load, or null when it failed. */
type FontSlot = TrueTypeFont | string | null

/** What an atlas needs to grow; kept off the atlas so the atlas stays plain, cloneable data. */
export interface GrowState {
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

/** Lets `atlas` grow with `state` (createGlyphAtlas, once its initial glyphs are packed). */
export function startGrowth(atlas: GlyphAtlas, state: GrowState): void {
  growStates.set(atlas, state)
}

/** Stops `atlas` from growing (`grow: false`): characters it lacks draw as the fallback. */
export function stopGrowth(atlas: GlyphAtlas): void {
  growStates.delete(atlas)
}

/** True when `codePoint` has been looked up already (it has a glyph, or is known missing). */
function known(atlas: GlyphAtlas, cp: number): boolean {
  if (cp >= 0 && cp < atlas.lookup.length) return (atlas.lookup[cp] ?? -1) >= 0
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
export function addCodePoint(atlas: GlyphAtlas, cp: number): boolean {
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
  if (cp < a.lookup.length) a.lookup[cp] = g
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

export function setUV(a: MutableAtlas, g: number): void {
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
