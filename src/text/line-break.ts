/**
 * Line breaking for `layoutTextBox` (layout.ts): where a line that starts at a given index ends
 * when it may be no wider than `maxWidth`, wrapping at spaces ('word') or anywhere ('char'), and
 * where it must be cut to end in an ellipsis. '\n' always ends a line; a line broken at spaces
 * drops them.
 *
 * Results go to module-owned typed arrays (`lineInfo`, `lineWidth`), valid until the next
 * `breakLine`, so breaking allocates nothing and returns no boxed double.
 */
import type { GlyphAtlas } from './atlas.js'
import { CR, NEWLINE, cpLength, glyphAt, lineEnd } from './glyph-walk.js'

/** How `layoutTextBox` breaks lines longer than `maxWidth`. */
export type TextWrap = 'word' | 'char' | 'none'

const SPACE = 32

/** `breakLine` result: end of the line's text, start of the next line, 1 when an ellipsis ends it. */
export const lineInfo = new Int32Array(3)
/** `breakLine` result: the line's width in pixels, ellipsis included. */
export const lineWidth = new Float64Array(1)

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
export function breakLine(atlas: GlyphAtlas, text: string, pos: number, maxWidth: number, wrap: TextWrap,
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
