/**
 * The TrueType `cmap` table: Unicode code point → glyph id. Reads formats 4 (BMP, segment
 * mapping) and 12 (full Unicode, segmented coverage), which between them cover every Unicode
 * TrueType font in practice. Lookups binary-search the font's own bytes (no tables are copied),
 * allocate nothing, and return 0 (`.notdef`) for code points the font does not map.
 *
 * The lookup holds a reference to the font's bytes for its whole life; the bytes are never written.
 */
import { fontError } from './font-error.js'

export interface CmapLookup {
  /** Which subtable format was chosen (4 or 12). */
  readonly format: 4 | 12
  /** Glyph id for `codePoint`, or 0 when the font has no glyph for it. */
  glyphIndex(codePoint: number): number
}

/**
 * Picks the best Unicode subtable of the `cmap` table at `cmapOffset`: format 12 over format 4,
 * Unicode platform (0) or Windows Unicode (3/1, 3/10) only. Throws FONT_LOAD when none exists.
 */
export function parseCmap(view: DataView, cmapOffset: number): CmapLookup {
  const numTables = view.getUint16(cmapOffset + 2)
  let best = -1
  let bestScore = 0
  for (let i = 0; i < numTables; i++) {
    const rec = cmapOffset + 4 + i * 8
    const platform = view.getUint16(rec)
    const encoding = view.getUint16(rec + 2)
    const sub = cmapOffset + view.getUint32(rec + 4)
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))
    if (!unicode) continue
    const format = view.getUint16(sub)
    const score = format === 12 ? 2 : format === 4 ? 1 : 0
    if (score > bestScore) {
      bestScore = score
      best = sub
    }
  }
  if (best < 0) {
    throw fontError(
      'the font has no Unicode character map (cmap format 4 or 12); use a Unicode TrueType font such as the bundled DejaVu Sans Mono',
    )
  }
  return bestScore === 2 ? new Format12(view, best) : new Format4(view, best)
}

/** Format 4: parallel arrays of segment end codes, start codes, deltas and range offsets. */
class Format4 implements CmapLookup {
  readonly format = 4 as const
  private readonly view: DataView
  private readonly segCount: number
  private readonly endCodes: number
  private readonly startCodes: number
  private readonly idDeltas: number
  private readonly idRangeOffsets: number

  constructor(view: DataView, offset: number) {
    this.view = view
    this.segCount = view.getUint16(offset + 6) >> 1
    this.endCodes = offset + 14
    this.startCodes = this.endCodes + this.segCount * 2 + 2
    this.idDeltas = this.startCodes + this.segCount * 2
    this.idRangeOffsets = this.idDeltas + this.segCount * 2
    // Touch the last byte once so a truncated table fails at load time, not at lookup time.
    view.getUint16(this.idRangeOffsets + this.segCount * 2 - 2)
  }

  glyphIndex(codePoint: number): number {
    if (codePoint < 0 || codePoint > 0xffff) return 0
    const v = this.view
    let lo = 0
    let hi = this.segCount - 1
    // Find the first segment whose end code is >= codePoint.
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (v.getUint16(this.endCodes + mid * 2) < codePoint) lo = mid + 1
      else hi = mid
    }
    if (lo >= this.segCount || v.getUint16(this.endCodes + lo * 2) < codePoint) return 0
    const start = v.getUint16(this.startCodes + lo * 2)
    if (codePoint < start) return 0
    const delta = v.getUint16(this.idDeltas + lo * 2)
    const rangeOffsetAt = this.idRangeOffsets + lo * 2
    const rangeOffset = v.getUint16(rangeOffsetAt)
    if (rangeOffset === 0) return (codePoint + delta) & 0xffff
    const at = rangeOffsetAt + rangeOffset + (codePoint - start) * 2
    if (at + 2 > v.byteLength) return 0
    const g = v.getUint16(at)
    return g === 0 ? 0 : (g + delta) & 0xffff
  }
}

/** Format 12: sorted groups of (start code, end code, start glyph id). */
class Format12 implements CmapLookup {
  readonly format = 12 as const
  private readonly view: DataView
  private readonly groups: number
  private readonly numGroups: number

  constructor(view: DataView, offset: number) {
    this.view = view
    this.numGroups = view.getUint32(offset + 12)
    this.groups = offset + 16
    if (this.numGroups > 0) view.getUint32(this.groups + this.numGroups * 12 - 4)
  }

  glyphIndex(codePoint: number): number {
    const v = this.view
    let lo = 0
    let hi = this.numGroups - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const g = this.groups + mid * 12
      if (codePoint < v.getUint32(g)) hi = mid - 1
      else if (codePoint > v.getUint32(g + 4)) lo = mid + 1
      else return v.getUint32(g + 8) + (codePoint - v.getUint32(g))
    }
    return 0
  }
}
