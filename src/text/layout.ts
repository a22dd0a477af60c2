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
import type { GlyphAtlas } from './atlas.js'
import { ensureGlyphs } from './atlas-growth.js'
import { clearUnknownGlyph, CR, cpLength, glyphAt, lineEnd, NEWLINE, spanResult, spanWidth, unknownGlyphSeen } from './glyph-walk.js'
import { breakLine, lineInfo, lineWidth, type TextWrap } from './line-break.js'

/** Floats per glyph quad written by `layoutText`: x, y, w, h, u0, v0, u1, v1. */
export const QUAD_FLOATS = 8

/** Where `x` sits on each line: at its left end, its centre, or its right end. */
export type TextAlign = 'left' | 'center' | 'right'

/**
 * What `y` names: the top of the first line, the middle of the whole block, the baseline of the
 * first line, or the bottom of the last line (bottom = last baseline + descent).
 */
export type TextAnchor = 'top' | 'middle' | 'baseline' | 'bottom'

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
  clearUnknownGlyph()
  const w = measureKnown(atlas, text)
  // New characters: add them, then measure again with their real advances.
  if (unknownGlyphSeen() && ensureGlyphs(atlas, text)) return measureKnown(atlas, text)
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
  clearUnknownGlyph()
  const count = layoutKnown(atlas, text, x, y, out, offset, align, anchor)
  // New characters: add them (which may replace the atlas's arrays and move its UVs), then lay
  // the text out again over the quads just written.
  if (unknownGlyphSeen() && ensureGlyphs(atlas, text)) return layoutKnown(atlas, text, x, y, out, offset, align, anchor)
  return count
}

function layoutKnown(atlas: GlyphAtlas, text: string, x: number, y: number, out: Float32Array, offset: number,
  align: TextAlign, anchor: TextAnchor): number {
  // Coordinates are built as `x + shift` / `y + shift` with shifts that are 0 or doubles, never by
  // choosing between the argument and a computed value, and no helper here returns a double:
  // V8 boxes a small-integer argument merged with a double, and a non-inlined double return,
  // into a new HeapNumber per call or per line.
  anchorShift(atlas, anchor, anchor === 'bottom' || anchor === 'middle' ? countLines(text) : 1)
  const firstBaseline = y + (shiftResult[0] ?? 0)
  if (align !== 'left' && align !== 'center' && align !== 'right') {
    throw badOption('align', align, "'left', 'center' or 'right'")
  }

  if ((offset | 0) !== offset || offset < 0) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE, `layoutText: offset ${offset} is invalid; pass a whole, non-negative float index into out`)
  }

  const advance = atlas.advance
  let o = offset
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
      o = emitGlyph(atlas, g, Math.round(lineX + pen), by, out, o, offset)
      pen += advance[g] ?? 0
    }
    line++
    start = end + 1
  }
  return (o - offset) / QUAD_FLOATS
}

/** `anchorShift`'s result (a slot, not a returned double; see layoutKnown). Valid until the next call. */
const shiftResult = new Float64Array(1)

/**
 * Writes to `shiftResult[0]` how far the first baseline lies below the `y` that `anchor` names,
 * for a block of `lines` lines. Throws INVALID_DESC for an unknown anchor.
 */
function anchorShift(atlas: GlyphAtlas, anchor: TextAnchor, lines: number): void {
  if (anchor === 'baseline') shiftResult[0] = 0
  else if (anchor === 'top') shiftResult[0] = atlas.ascent
  else if (anchor === 'bottom') shiftResult[0] = -atlas.descent - (lines - 1) * atlas.lineHeight
  else if (anchor === 'middle') shiftResult[0] = (atlas.ascent - atlas.descent - (lines - 1) * atlas.lineHeight) * 0.5
  else throw badOption('anchor', anchor, "'top', 'middle', 'baseline' or 'bottom'")
}

/**
 * Writes glyph `g`'s quad for a pen at (`penX`, baseline `baseY`), both whole pixels, into
 * out[o, o + 8) (its top-left corner, size and atlas UVs) when the glyph has ink, and returns
 * where the next quad goes. Throws OUT_OF_RANGE when `out` is full (`offset`: where the
 * caller's quads began).
 */
function emitGlyph(atlas: GlyphAtlas, g: number, penX: number, baseY: number, out: Float32Array, o: number, offset: number): number {
  if (!((atlas.rectW[g] ?? 0) > 0 && (atlas.rectH[g] ?? 0) > 0)) return o
  if (o + QUAD_FLOATS > out.length) throw outOfRoom(out, offset, (o - offset) / QUAD_FLOATS)
  out[o] = penX + (atlas.xoff[g] ?? 0)
  out[o + 1] = baseY + (atlas.yoff[g] ?? 0)
  out[o + 2] = atlas.rectW[g] ?? 0
  out[o + 3] = atlas.rectH[g] ?? 0
  out[o + 4] = atlas.u0[g] ?? 0
  out[o + 5] = atlas.v0[g] ?? 0
  out[o + 6] = atlas.u1[g] ?? 0
  out[o + 7] = atlas.v1[g] ?? 0
  return o + QUAD_FLOATS
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

const ELLIPSIS = '\u2026'

/** Adds `text`'s and the ellipsis's characters to the atlas and returns the ellipsis's glyph. */
function ellipsisGlyph(atlas: GlyphAtlas, text: string): number {
  ensureGlyphs(atlas, text)
  ensureGlyphs(atlas, ELLIPSIS)
  return glyphAt(atlas, ELLIPSIS, 0)
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
  const eg = ellipsisGlyph(atlas, text)
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
  const eg = ellipsisGlyph(atlas, text)
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
  const eg = ellipsisGlyph(atlas, text)
  const maxLines = options.maxLines ?? Infinity
  const wrap = options.wrap ?? 'word'
  const ellipsis = options.ellipsis ?? false
  const maxWidth = options.maxWidth
  anchorShift(atlas, anchor, anchor === 'bottom' || anchor === 'middle' ? countTextBoxLines(atlas, text, options) : 1)
  const firstBaseline = y + (shiftResult[0] ?? 0)

  const advance = atlas.advance
  let o = offset
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
      o = emitGlyph(atlas, g, Math.round(lineX + pen), by, out, o, offset)
      pen += advance[g] ?? 0
    }
    line++
    pos = next
  }
  return (o - offset) / QUAD_FLOATS
}
