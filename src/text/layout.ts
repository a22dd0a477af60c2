/**
 * Text layout over a glyph atlas: turns a string into glyph quads with horizontal alignment and
 * vertical anchoring, and measures text. No shaping or kerning: pens advance by each glyph's
 * advance (a constant in a monospaced font), '\n' starts a new line, '\r' is ignored.
 * `layoutTextBox` also wraps lines to a width (at spaces or anywhere) and ends cut text with an
 * ellipsis. Characters the atlas has not met are added to it first (`ensureGlyphs`: from its font
 * or a fallback font); characters no font has draw its fallback glyph. Spaces and other blank
 * glyphs advance the pen but emit no quad.
 *
 * Hot-path code: once every character is in the atlas, every function here allocates nothing (it
 * walks the string with charCodeAt and reads the atlas's typed arrays), so it may run every frame.
 * Glyph positions are snapped to whole pixels so glyphs map 1:1 onto atlas texels and stay sharp.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { ensureGlyphs, LOOKUP_SIZE, type GlyphAtlas } from './atlas.js'

/** Floats per glyph quad written by `layoutText`: x, y, w, h, u0, v0, u1, v1. */
export const QUAD_FLOATS = 8

/** Where `x` sits on each line: at its left end, its centre, or its right end. */
export type TextAlign = 'left' | 'center' | 'right'

/**
 * What `y` names: the top of the first line, the middle of the whole block, the baseline of the
 * first line, or the bottom of the last line (bottom = last baseline + descent).
 */
export type TextAnchor = 'top' | 'middle' | 'baseline' | 'bottom'

const NEWLINE = 10
const CR = 13

/**
 * Set by `glyphAt` when it meets a code point the atlas has not looked up yet (it returns the
 * fallback glyph for it). `layoutText` and `measureText` run once with no check for new
 * characters, and only when this was set add them (`ensureGlyphs`) and run again: text whose
 * characters are all known pays no second pass over the string.
 */
let unknownSeen = false

/** Atlas glyph index for the code point starting at `text[i]` (see `cpLength` for its length). */
function glyphAt(atlas: GlyphAtlas, text: string, i: number): number {
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
function cpLength(text: string, i: number): number {
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
const spanResult = new Float64Array(1)

/** Writes the width in pixels of `text[start, end)`, a single line, to `spanResult[0]`. */
function spanWidth(atlas: GlyphAtlas, text: string, start: number, end: number): void {
  let w = 0
  for (let i = start; i < end; i += cpLength(text, i)) {
    if (text.charCodeAt(i) === CR) continue
    w += atlas.advance[glyphAt(atlas, text, i)] ?? 0
  }
  spanResult[0] = w
}

function lineEnd(text: string, start: number): number {
  const e = text.indexOf('\n', start)
  return e < 0 ? text.length : e
}

/** Number of lines in `text` (1 + the number of '\n'). Allocates nothing. */
export function countLines(text: string): number {
  let n = 1
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === NEWLINE) n++
  return n
}

/**
 * Width in pixels of the widest line of `text` at the atlas's size (the sum of advances, not
 * the ink bounds). Allocates nothing itself; like any function returning a fractional number,
 * its result costs one 16-byte HeapNumber when V8 does not inline the call. In a monospaced
 * atlas, `columns * atlas.advance[0]` gives the same width with no call at all.
 */
export function measureText(atlas: GlyphAtlas, text: string): number {
  unknownSeen = false
  const w = measureKnown(atlas, text)
  // New characters: add them, then measure again with their real advances.
  if (unknownSeen && ensureGlyphs(atlas, text)) return measureKnown(atlas, text)
  return w
}

function measureKnown(atlas: GlyphAtlas, text: string): number {
  let max = 0
  for (let start = 0; start <= text.length; ) {
    const end = lineEnd(text, start)
    spanWidth(atlas, text, start, end)
    const w = spanResult[0] ?? 0
    if (w > max) max = w
    start = end + 1
  }
  return max
}

/** Height in pixels of `text`'s block: ascent + descent + lineHeight per extra line. */
export function measureTextHeight(atlas: GlyphAtlas, text: string): number {
  return atlas.ascent + atlas.descent + (countLines(text) - 1) * atlas.lineHeight
}

/**
 * Lays `text` out and writes one quad per inked glyph into `out` from `offset` (in floats):
 * `x, y, w, h, u0, v0, u1, v1` — the glyph's top-left corner and size in pixels (y down) and its
 * atlas UVs (0..1, v = 0 at the atlas's top row). `x`/`y` is the anchor point chosen by `align`
 * and `anchor`. Returns the number of quads written. Allocates nothing.
 *
 * `out` is owned by the caller; only `[offset, offset + count * 8)` is written. `text.length * 8`
 * floats always suffice. Throws OUT_OF_RANGE (after writing the quads that fit) when `out` is
 * too short, and INVALID_DESC for an unknown `align`/`anchor`.
 */
export function layoutText(
  atlas: GlyphAtlas,
  text: string,
  x: number,
  y: number,
  out: Float32Array,
  offset = 0,
  align: TextAlign = 'left',
  anchor: TextAnchor = 'baseline',
): number {
  unknownSeen = false
  const count = layoutKnown(atlas, text, x, y, out, offset, align, anchor)
  // New characters: add them (which may replace the atlas's arrays and move its UVs), then lay
  // the text out again over the quads just written.
  if (unknownSeen && ensureGlyphs(atlas, text)) return layoutKnown(atlas, text, x, y, out, offset, align, anchor)
  return count
}

function layoutKnown(atlas: GlyphAtlas, text: string, x: number, y: number, out: Float32Array, offset: number,
  align: TextAlign, anchor: TextAnchor): number {
  // Coordinates are built as `x + shift` / `y + shift` with shifts that are 0 or doubles, never by
  // choosing between the argument and a computed value, and no helper here returns a double:
  // V8 boxes a small-integer argument merged with a double, and a non-inlined double return,
  // into a new HeapNumber per call or per line.
  let shiftY: number
  if (anchor === 'baseline') shiftY = 0
  else if (anchor === 'top') shiftY = atlas.ascent
  else if (anchor === 'bottom') shiftY = -atlas.descent - (countLines(text) - 1) * atlas.lineHeight
  else if (anchor === 'middle') shiftY = (atlas.ascent - atlas.descent - (countLines(text) - 1) * atlas.lineHeight) * 0.5
  else throw badOption('anchor', anchor, "'top', 'middle', 'baseline' or 'bottom'")
  const firstBaseline = y + shiftY
  if (align !== 'left' && align !== 'center' && align !== 'right') {
    throw badOption('align', align, "'left', 'center' or 'right'")
  }

  if ((offset | 0) !== offset || offset < 0) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE, `layoutText: offset ${offset} is invalid; pass a whole, non-negative float index into out`)
  }

  const { advance, rectW, rectH, xoff, yoff, u0, v0, u1, v1 } = atlas
  let o = offset
  let count = 0
  let line = 0
  for (let start = 0; start <= text.length; ) {
    const end = lineEnd(text, start)
    if (align !== 'left') spanWidth(atlas, text, start, end)
    const span = spanResult[0] ?? 0
    const lineX = x + (align === 'left' ? 0 : align === 'center' ? span * -0.5 : -span)
    const by = Math.round(firstBaseline + line * atlas.lineHeight)
    let pen = 0 // pen offset from lineX, in pixels
    for (let i = start; i < end; i += cpLength(text, i)) {
      if (text.charCodeAt(i) === CR) continue
      // glyphAt returns an index below glyphCount, so every per-glyph read below is in range;
      // the `?? 0` defaults only satisfy the checker (a missing glyph would draw nothing).
      const g = glyphAt(atlas, text, i)
      const gw = rectW[g] ?? 0
      const gh = rectH[g] ?? 0
      if (gw > 0 && gh > 0) {
        if (o + QUAD_FLOATS > out.length) throw outOfRoom(out, offset, count)
        out[o] = Math.round(lineX + pen) + (xoff[g] ?? 0)
        out[o + 1] = by + (yoff[g] ?? 0)
        out[o + 2] = gw
        out[o + 3] = gh
        out[o + 4] = u0[g] ?? 0
        out[o + 5] = v0[g] ?? 0
        out[o + 6] = u1[g] ?? 0
        out[o + 7] = v1[g] ?? 0
        o += QUAD_FLOATS
        count++
      }
      pen += advance[g] ?? 0
    }
    line++
    start = end + 1
  }
  return count
}

function badOption(name: string, value: unknown, allowed: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, `layoutText: ${name} ${JSON.stringify(value)} is invalid; use ${allowed}`)
}

function outOfRoom(out: Float32Array, offset: number, written: number): ValidationError {
  return new ValidationError(
    ErrorCode.OUT_OF_RANGE,
    `layoutText: out has room for only ${written} quads from offset ${offset} (length ${out.length}); ` +
      'pass a Float32Array with at least text.length * 8 floats after offset',
    { length: out.length, offset, written },
  )
}

/** How `layoutTextBox` breaks lines longer than `maxWidth`. */
export type TextWrap = 'word' | 'char' | 'none'

/** Options of `layoutTextBox`, `measureTextBox` and `countTextBoxLines`. Reuse one object per call site. */
export interface TextBoxOptions {
  /** Width in pixels no line may exceed (a single glyph wider than it still takes a line). Required, > 0. */
  maxWidth: number
  /**
   * 'word' (default): break at spaces, and inside a word only when the word alone is wider than
   * `maxWidth`; 'char': break before any character that would overflow; 'none': no wrapping
   * (lines wider than `maxWidth` overflow, or end in an ellipsis with `ellipsis`).
   */
  wrap?: TextWrap
  /** End cut text with '…' (U+2026): the last allowed line when text remains, and with wrap 'none' every overflowing line. Default false. */
  ellipsis?: boolean
  /** At most this many lines; the rest is dropped (or cut with an ellipsis). Default: no limit. */
  maxLines?: number
  /** As `layoutText`. Default 'left'. */
  align?: TextAlign
  /** As `layoutText`. Default 'baseline'. */
  anchor?: TextAnchor
}

const SPACE = 32
const ELLIPSIS = '\u2026'

/** `breakLine` result: end of the line's text, start of the next line, 1 when an ellipsis ends it. */
const lineInfo = new Int32Array(3)
/** `breakLine` result: the line's width in pixels, ellipsis included. */
const lineWidth = new Float64Array(1)

/** Index of the first non-space at or after `i`, past one '\n'; text.length + 1 when only spaces remain. */
function skipSpaces(text: string, i: number): number {
  while (i < text.length && text.charCodeAt(i) === SPACE) i++
  if (i >= text.length) return text.length + 1
  return text.charCodeAt(i) === NEWLINE ? i + 1 : i
}

/**
 * Breaks the line starting at `pos`: writes its end, the next line's start and the ellipsis flag
 * to `lineInfo`, and its width to `lineWidth`. `last` says no line may follow it.
 */
function breakLine(atlas: GlyphAtlas, text: string, pos: number, maxWidth: number, wrap: TextWrap,
  ellipsis: boolean, last: boolean, ellipsisGlyph: number): void {
  const advance = atlas.advance
  const hard = lineEnd(text, pos)
  let end = hard
  let next = hard + 1
  let w = 0
  let breakAt = -1
  let breakW = 0
  for (let i = pos; i < hard; ) {
    const c = text.charCodeAt(i)
    const n = cpLength(text, i)
    if (c === CR) {
      i += n
      continue
    }
    const a = advance[glyphAt(atlas, text, i)] ?? 0
    if (c === SPACE && (i === pos || text.charCodeAt(i - 1) !== SPACE)) {
      breakAt = i
      breakW = w
    }
    if (wrap !== 'none' && i > pos && w + a > maxWidth) {
      if (c === SPACE) {
        end = breakAt
        w = breakW
        next = skipSpaces(text, i)
      } else if (wrap === 'word' && breakAt > pos) {
        end = breakAt
        w = breakW
        next = skipSpaces(text, breakAt)
      } else {
        end = i
        next = i
      }
      break
    }
    w += a
    i += n
  }
  let flag = 0
  if (ellipsis && ((wrap === 'none' && w > maxWidth) || (last && next <= text.length))) {
    const ew = advance[ellipsisGlyph] ?? 0
    let cut = pos
    let cw = 0
    for (let i = pos; i < end; ) {
      const n = cpLength(text, i)
      if (text.charCodeAt(i) !== CR) {
        const a = advance[glyphAt(atlas, text, i)] ?? 0
        if (cw + a + ew > maxWidth) break
        cw += a
      }
      i += n
      cut = i
    }
    while (cut > pos && text.charCodeAt(cut - 1) === SPACE) {
      cut--
      cw -= advance[glyphAt(atlas, text, cut)] ?? 0
    }
    end = cut
    w = cw + ew
    flag = 1
  }
  lineInfo[0] = end
  lineInfo[1] = next
  lineInfo[2] = flag
  lineWidth[0] = w
}

function boxOptions(options: TextBoxOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'layoutTextBox: options must be an object such as { maxWidth: 200 }')
  }
  const { maxWidth, wrap, maxLines } = options
  if (typeof maxWidth !== 'number' || !(maxWidth > 0)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `layoutTextBox: maxWidth ${String(maxWidth)} is invalid; pass a width in pixels above 0`)
  }
  if (wrap !== undefined && wrap !== 'word' && wrap !== 'char' && wrap !== 'none') {
    throw badOption('wrap', wrap, "'word', 'char' or 'none'")
  }
  if (maxLines !== undefined && !(maxLines >= 1 && (Number.isInteger(maxLines) || maxLines === Infinity))) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `layoutTextBox: maxLines ${String(maxLines)} is invalid; pass a whole number from 1, or omit it`)
  }
}

/**
 * Number of lines `layoutTextBox` makes of `text` with `options` (after wrapping and `maxLines`).
 * The block's height is `ascent + descent + (lines - 1) * lineHeight`. Allocates nothing once
 * the characters are in the atlas.
 */
export function countTextBoxLines(atlas: GlyphAtlas, text: string, options: TextBoxOptions): number {
  boxOptions(options)
  ensureGlyphs(atlas, text)
  ensureGlyphs(atlas, ELLIPSIS)
  const eg = glyphAt(atlas, ELLIPSIS, 0)
  const maxLines = options.maxLines ?? Infinity
  const wrap = options.wrap ?? 'word'
  const ellipsis = options.ellipsis ?? false
  let lines = 0
  for (let pos = 0; pos <= text.length && lines < maxLines; ) {
    breakLine(atlas, text, pos, options.maxWidth, wrap, ellipsis, lines + 1 === maxLines, eg)
    lines++
    pos = lineInfo[1] ?? text.length + 1
  }
  return lines
}

/** Width in pixels of the widest line `layoutTextBox` makes of `text` (at most `maxWidth` unless a single glyph is wider, or wrap is 'none' with no ellipsis). */
export function measureTextBox(atlas: GlyphAtlas, text: string, options: TextBoxOptions): number {
  boxOptions(options)
  ensureGlyphs(atlas, text)
  ensureGlyphs(atlas, ELLIPSIS)
  const eg = glyphAt(atlas, ELLIPSIS, 0)
  const maxLines = options.maxLines ?? Infinity
  const wrap = options.wrap ?? 'word'
  const ellipsis = options.ellipsis ?? false
  let lines = 0
  let max = 0
  for (let pos = 0; pos <= text.length && lines < maxLines; ) {
    breakLine(atlas, text, pos, options.maxWidth, wrap, ellipsis, lines + 1 === maxLines, eg)
    lines++
    const w = lineWidth[0] ?? 0
    if (w > max) max = w
    pos = lineInfo[1] ?? text.length + 1
  }
  return max
}

/**
 * Like `layoutText`, wrapping lines to `options.maxWidth` (see `TextBoxOptions`): '\n' still
 * starts a new line, a line broken at spaces drops them, and with `ellipsis` cut text ends in
 * '…'. Writes one quad per inked glyph into `out` from `offset` and returns the count;
 * `(text.length + maxLines) * 8` floats always suffice (text.length * 8 + 8 per line for the
 * ellipsis). `align` and `anchor`, when given, override the options' (the text batcher passes
 * its style's). Allocates nothing once the characters are in the atlas.
 */
export function layoutTextBox(atlas: GlyphAtlas, text: string, x: number, y: number, out: Float32Array,
  offset: number, options: TextBoxOptions, alignArg?: TextAlign, anchorArg?: TextAnchor): number {
  boxOptions(options)
  const align = alignArg ?? options.align ?? 'left'
  const anchor = anchorArg ?? options.anchor ?? 'baseline'
  if (align !== 'left' && align !== 'center' && align !== 'right') throw badOption('align', align, "'left', 'center' or 'right'")
  if ((offset | 0) !== offset || offset < 0) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE, `layoutTextBox: offset ${offset} is invalid; pass a whole, non-negative float index into out`)
  }
  ensureGlyphs(atlas, text)
  ensureGlyphs(atlas, ELLIPSIS)
  const eg = glyphAt(atlas, ELLIPSIS, 0)
  const maxLines = options.maxLines ?? Infinity
  const wrap = options.wrap ?? 'word'
  const ellipsis = options.ellipsis ?? false
  const maxWidth = options.maxWidth
  let shiftY: number
  if (anchor === 'baseline') shiftY = 0
  else if (anchor === 'top') shiftY = atlas.ascent
  else if (anchor === 'bottom') shiftY = -atlas.descent - (countTextBoxLines(atlas, text, options) - 1) * atlas.lineHeight
  else if (anchor === 'middle') shiftY = (atlas.ascent - atlas.descent - (countTextBoxLines(atlas, text, options) - 1) * atlas.lineHeight) * 0.5
  else throw badOption('anchor', anchor, "'top', 'middle', 'baseline' or 'bottom'")
  const firstBaseline = y + shiftY

  const { advance, rectW, rectH, xoff, yoff, u0, v0, u1, v1 } = atlas
  let o = offset
  let count = 0
  let line = 0
  for (let pos = 0; pos <= text.length && line < maxLines; ) {
    breakLine(atlas, text, pos, maxWidth, wrap, ellipsis, line + 1 === maxLines, eg)
    const end = lineInfo[0] ?? pos
    const next = lineInfo[1] ?? text.length + 1
    const withEllipsis = lineInfo[2] === 1
    const span = lineWidth[0] ?? 0
    const lineX = x + (align === 'left' ? 0 : align === 'center' ? span * -0.5 : -span)
    const by = Math.round(firstBaseline + line * atlas.lineHeight)
    let pen = 0
    for (let i = pos; i <= end; ) {
      let g: number
      if (i < end) {
        if (text.charCodeAt(i) === CR) {
          i++
          continue
        }
        g = glyphAt(atlas, text, i)
        i += cpLength(text, i)
      } else if (withEllipsis) {
        g = eg
        i++
      } else break
      const gw = rectW[g] ?? 0
      const gh = rectH[g] ?? 0
      if (gw > 0 && gh > 0) {
        if (o + QUAD_FLOATS > out.length) throw outOfRoom(out, offset, count)
        out[o] = Math.round(lineX + pen) + (xoff[g] ?? 0)
        out[o + 1] = by + (yoff[g] ?? 0)
        out[o + 2] = gw
        out[o + 3] = gh
        out[o + 4] = u0[g] ?? 0
        out[o + 5] = v0[g] ?? 0
        out[o + 6] = u1[g] ?? 0
        out[o + 7] = v1[g] ?? 0
        o += QUAD_FLOATS
        count++
      }
      pen += advance[g] ?? 0
    }
    line++
    pos = next
  }
  return count
}
