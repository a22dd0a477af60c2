/**
 * Walking a string as atlas glyphs: the glyph of the code point at an index (surrogate pairs
 * joined), the code point's length, where a line ends, and a line's width. The layout functions
 * (layout.ts, line-break.ts) read text only through these.
 *
 * Hot-path code: nothing here allocates (charCodeAt and the atlas's typed arrays), so layout may
 * run every frame. Characters the atlas has not met are not added here: `glyphAt` answers the
 * fallback glyph and raises a flag (`unknownGlyphSeen`) that the layout functions check once.
 */
import { LOOKUP_SIZE, type GlyphAtlas } from './atlas.js'

export const NEWLINE = 10
export const CR = 13

/**
 * Set by `glyphAt` when it meets a code point the atlas has not looked up yet (it returns the
 * fallback glyph for it). `layoutText` and `measureText` run once with no check for new
 * characters, and only when this was set add them (`ensureGlyphs`) and run again: text whose
 * characters are all known pays no second pass over the string.
 */
let unknownSeen = false

/** Clears the flag `glyphAt` sets on a code point the atlas has not met. */
export function clearUnknownGlyph(): void {
  unknownSeen = false
}

/** True when `glyphAt` met a code point the atlas has not met since `clearUnknownGlyph()`. */
export function unknownGlyphSeen(): boolean {
  return unknownSeen
}

/** Atlas glyph index for the code point starting at `text[i]` (see `cpLength` for its length). */
export function glyphAt(atlas: GlyphAtlas, text: string, i: number): number {
  let cp = text.charCodeAt(i)
  if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1)
    if (lo >= 0xdc00 && lo <= 0xdfff) cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000
  }
  if (cp < LOOKUP_SIZE) {
    const g = atlas.lookup[cp] ?? -1
    if (g >= 0) return g
    unknownSeen = true
    return atlas.fallbackGlyph
  }
  const g = atlas.lookupExtra.get(cp)
  if (g !== undefined) return g
  unknownSeen = true
  return atlas.fallbackGlyph
}

/** 2 when `text[i]` starts a surrogate pair, else 1. */
export function cpLength(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1)
    if (lo >= 0xdc00 && lo <= 0xdfff) return 2
  }
  return 1
}

/**
 * Scratch for `spanWidth`'s result. A helper that returns a double allocates a HeapNumber for it
 * whenever V8 does not inline the call; a Float64Array slot never does. Module-owned, valid only
 * until the next `spanWidth` call (no re-entrancy: layout runs to completion synchronously).
 */
export const spanResult = new Float64Array(1)

/** Writes the width in pixels of `text[start, end)`, a single line, to `spanResult[0]`. */
export function spanWidth(atlas: GlyphAtlas, text: string, start: number, end: number): void {
  let w = 0
  for (let i = start; i < end; i += cpLength(text, i)) {
    if (text.charCodeAt(i) === CR) continue
    w += atlas.advance[glyphAt(atlas, text, i)] ?? 0
  }
  spanResult[0] = w
}

/** Index of the '\n' ending the line that starts at `start`, or text.length. */
export function lineEnd(text: string, start: number): number {
  const e = text.indexOf('\n', start)
  return e < 0 ? text.length : e
}
