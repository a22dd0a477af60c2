/**
 * A TrueType font parser in plain TypeScript (no dependency): the tables a renderer needs —
 * `head` (units per em, loca format), `hhea` (ascender, descender, line gap), `maxp` (glyph
 * count), `cmap` (code point → glyph), `loca` + `glyf` (outlines) and `hmtx` (advances).
 *
 * Parsing is lazy: `parseTrueType` validates the table directory and the fixed-size tables, and
 * outlines are decoded only when `glyphOutline` asks for them. The font keeps a reference to the
 * bytes it was given for its whole life and never writes them; do not modify them afterwards.
 * Fonts with CFF outlines (`.otf` with an `OTTO` tag) are rejected with FONT_LOAD.
 */
import { parseCmap, type CmapLookup } from './cmap.js'
import { fontError } from './font-error.js'
import { readGlyphOutline, type GlyfSource, type GlyphOutline } from './glyf.js'

export type { GlyphOutline } from './glyf.js'

interface TableRecord {
  offset: number
  length: number
}

const TAG_TRUETYPE_1 = 0x00010000
const TAG_TRUE = 0x74727565 // 'true' (old Apple TrueType)
const TAG_OTTO = 0x4f54544f // 'OTTO' (CFF outlines)
const TAG_TTCF = 0x74746366 // 'ttcf' (collection)

const REQUIRED = ['head', 'hhea', 'maxp', 'cmap', 'loca', 'glyf', 'hmtx'] as const

/** A parsed TrueType font. Immutable after construction; safe to share between atlases. */
export class TrueTypeFont implements GlyfSource {
  /** The font file's bytes, owned by the caller, referenced (never copied or written). */
  readonly view: DataView
  /** Font design units per em square (2048 for DejaVu, 1000 or 2048 for most fonts). */
  readonly unitsPerEm: number
  /** Typographic ascender from `hhea`, font units above the baseline (positive). */
  readonly ascender: number
  /** Typographic descender from `hhea`, font units, negative below the baseline. */
  readonly descender: number
  /** Extra gap between lines from `hhea`, font units. */
  readonly lineGap: number
  /** Number of glyphs (`maxp`). */
  readonly numGlyphs: number
  /** Font bounding box over all glyphs (`head`), font units, y up. */
  readonly xMin: number
  readonly yMin: number
  readonly xMax: number
  readonly yMax: number
  /** Which cmap subtable format is in use (4 or 12). */
  readonly cmapFormat: 4 | 12

  private readonly cmap: CmapLookup
  private readonly locaOffset: number
  private readonly locaLong: boolean
  private readonly glyfOffset: number
  private readonly glyfLength: number
  private readonly hmtxOffset: number
  private readonly numberOfHMetrics: number

  /** Use `parseTrueType`, which reports bad input as FONT_LOAD errors. */
  constructor(bytes: Uint8Array, faceIndex = 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.view = view
    if (bytes.byteLength < 12) throw fontError(`the data is ${bytes.byteLength} bytes, too short to be a font; pass a .ttf file`)
    let dir = 0
    let tag = view.getUint32(0)
    if (tag === TAG_TTCF) {
      const numFonts = view.getUint32(8)
      if (!Number.isInteger(faceIndex) || faceIndex < 0 || faceIndex >= numFonts) {
        throw fontError(`faceIndex ${faceIndex} is out of range: the collection holds ${numFonts} fonts (0..${numFonts - 1})`)
      }
      dir = view.getUint32(12 + faceIndex * 4)
      tag = view.getUint32(dir)
    }
    if (tag === TAG_OTTO) {
      throw fontError('the font has CFF (PostScript) outlines, which framelatch does not rasterize; use a font with TrueType outlines (.ttf), such as the bundled DejaVu Sans Mono')
    }
    if (tag !== TAG_TRUETYPE_1 && tag !== TAG_TRUE) {
      throw fontError(`the data is not a TrueType font (signature 0x${tag.toString(16).padStart(8, '0')}); pass a .ttf file, or omit the path to use the bundled DejaVu Sans Mono`)
    }
    const tables = readTableDirectory(view, dir)
    for (const name of REQUIRED) {
      if (!tables.has(name)) {
        const hint = name === 'glyf' && tables.has('CFF ') ? ' (it has CFF outlines, which framelatch does not rasterize)' : ''
        throw fontError(`the font has no '${name}' table${hint}; use a complete TrueType font (.ttf), such as the bundled DejaVu Sans Mono`)
      }
    }
    const head = tables.get('head')!.offset
    if (view.getUint32(head + 12) !== 0x5f0f3cf5) {
      throw fontError("the font's 'head' table has a wrong magic number; the file is corrupt, use another font file")
    }
    this.unitsPerEm = view.getUint16(head + 18)
    if (this.unitsPerEm < 16 || this.unitsPerEm > 16384) {
      throw fontError(`the font claims ${this.unitsPerEm} units per em (valid: 16..16384); the file is corrupt, use another font file`)
    }
    this.xMin = view.getInt16(head + 36)
    this.yMin = view.getInt16(head + 38)
    this.xMax = view.getInt16(head + 40)
    this.yMax = view.getInt16(head + 42)
    this.locaLong = view.getInt16(head + 50) === 1

    const hhea = tables.get('hhea')!.offset
    this.ascender = view.getInt16(hhea + 4)
    this.descender = view.getInt16(hhea + 6)
    this.lineGap = view.getInt16(hhea + 8)
    this.numberOfHMetrics = view.getUint16(hhea + 34)

    this.numGlyphs = view.getUint16(tables.get('maxp')!.offset + 4)
    if (this.numGlyphs === 0 || this.numberOfHMetrics === 0) {
      throw fontError('the font declares no glyphs or no horizontal metrics; the file is corrupt, use another font file')
    }

    const loca = tables.get('loca')!
    this.locaOffset = loca.offset
    if (loca.length < (this.numGlyphs + 1) * (this.locaLong ? 4 : 2)) {
      throw fontError("the font's 'loca' table is shorter than its glyph count needs; the file is corrupt, use another font file")
    }
    const glyf = tables.get('glyf')!
    this.glyfOffset = glyf.offset
    this.glyfLength = glyf.length
    const hmtx = tables.get('hmtx')!
    this.hmtxOffset = hmtx.offset
    if (hmtx.length < this.numberOfHMetrics * 4) {
      throw fontError("the font's 'hmtx' table is shorter than 'hhea' says; the file is corrupt, use another font file")
    }
    this.cmap = parseCmap(view, tables.get('cmap')!.offset)
    this.cmapFormat = this.cmap.format
  }

  /** Glyph id for a Unicode code point; 0 (`.notdef`) when the font has none. Allocates nothing. */
  glyphIndex(codePoint: number): number {
    return this.cmap.glyphIndex(codePoint)
  }

  /** Advance width of glyph `id` in font units. Allocates nothing. */
  advanceWidth(id: number): number {
    const i = id < this.numberOfHMetrics ? id : this.numberOfHMetrics - 1
    return this.view.getUint16(this.hmtxOffset + i * 4)
  }

  /** Left side bearing of glyph `id` in font units. */
  leftSideBearing(id: number): number {
    if (id < this.numberOfHMetrics) return this.view.getInt16(this.hmtxOffset + id * 4 + 2)
    return this.view.getInt16(this.hmtxOffset + this.numberOfHMetrics * 4 + (id - this.numberOfHMetrics) * 2)
  }

  /** Byte range of glyph `id` inside the file (start === end: the glyph has no outline). */
  glyphRange(id: number): { start: number; end: number } {
    const v = this.view
    let a: number, b: number
    if (this.locaLong) {
      a = v.getUint32(this.locaOffset + id * 4)
      b = v.getUint32(this.locaOffset + id * 4 + 4)
    } else {
      a = v.getUint16(this.locaOffset + id * 2) * 2
      b = v.getUint16(this.locaOffset + id * 2 + 2) * 2
    }
    if (b < a || b > this.glyfLength) {
      throw fontError(`glyph ${id} lies outside the 'glyf' table; the file is corrupt, use another font file`, { glyph: id })
    }
    return { start: this.glyfOffset + a, end: this.glyfOffset + b }
  }

  /**
   * Decodes glyph `id`'s outline (font units, y up). Allocates a new outline per call: cache it
   * if you need it twice. Throws FONT_LOAD for corrupt glyph data.
   */
  glyphOutline(id: number): GlyphOutline {
    return readGlyphOutline(this, id)
  }
}

function readTableDirectory(view: DataView, dir: number): Map<string, TableRecord> {
  const numTables = view.getUint16(dir + 4)
  const tables = new Map<string, TableRecord>()
  for (let i = 0; i < numTables; i++) {
    const rec = dir + 12 + i * 16
    const tag = String.fromCharCode(view.getUint8(rec), view.getUint8(rec + 1), view.getUint8(rec + 2), view.getUint8(rec + 3))
    const offset = view.getUint32(rec + 8)
    const length = view.getUint32(rec + 12)
    if (offset + length > view.byteLength) {
      throw fontError(`the font's '${tag}' table runs past the end of the file; the file is truncated or corrupt, use another font file`)
    }
    tables.set(tag, { offset, length })
  }
  return tables
}

/**
 * Parses a TrueType font (or face `faceIndex` of a `.ttc` collection) from its bytes. Throws
 * FONT_LOAD, saying what is wrong and what to use instead, for anything that is not a usable
 * TrueType font. The returned font references `bytes`; keep them unchanged for its life.
 */
export function parseTrueType(bytes: Uint8Array, faceIndex = 0): TrueTypeFont {
  try {
    return new TrueTypeFont(bytes, faceIndex)
  } catch (e) {
    if (e instanceof RangeError) {
      throw fontError('the font file ends in the middle of a table; it is truncated or corrupt, use another font file')
    }
    throw e
  }
}
