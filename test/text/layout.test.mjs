// Text layout: glyph quads at the right pixels for each alignment and anchor, spaces, newlines,
// fallback glyphs, measurement, bounds errors, and a CPU render of a known string.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas, glyphIndexFor } from '../../dist/text/atlas.js'
import { layoutText, measureText, measureTextHeight, countLines, QUAD_FLOATS } from '../../dist/text/layout.js'

const font = loadFont()
const atlas = createGlyphAtlas({ font, pixelSize: 16 })
const ADV = (1233 * 16) / 2048 // 9.6328125 px, every glyph
const g = (ch) => glyphIndexFor(atlas, ch.codePointAt(0))
const out = new Float32Array(4096)

/** The quad layoutText should write for `ch` with its pen at `pen` on baseline `baseline`. */
function expected(ch, pen, baseline) {
  const i = g(ch)
  return [
    Math.round(pen) + atlas.xoff[i], Math.round(baseline) + atlas.yoff[i], atlas.rectW[i], atlas.rectH[i],
    atlas.u0[i], atlas.v0[i], atlas.u1[i], atlas.v1[i],
  ]
}
const quad = (q, base = 0) => Array.from(out.subarray(base + q * QUAD_FLOATS, base + (q + 1) * QUAD_FLOATS))

test('left/baseline: one quad per glyph at pen + bearing, advancing by the advance', () => {
  const n = layoutText(atlas, 'AB', 10, 50, out)
  assert.is(n, 2)
  assert.equal(quad(0), expected('A', 10, 50))
  assert.equal(quad(1), expected('B', 10 + ADV, 50))
  // Quads are in pixels: the glyph's box sits above the baseline for capitals.
  assert.ok(quad(0)[1] < 50 && quad(0)[1] + quad(0)[3] <= 51)
})

test('spaces and blank glyphs advance the pen but emit no quad', () => {
  const n = layoutText(atlas, ' A  B ', 0, 20, out)
  assert.is(n, 2)
  assert.equal(quad(0), expected('A', ADV, 20))
  assert.equal(quad(1), expected('B', 4 * ADV, 20))
})

test('writes from the offset and leaves the rest of the buffer alone', () => {
  out.fill(-7)
  const n = layoutText(atlas, 'xy', 5, 30, out, 24)
  assert.is(n, 2)
  for (let i = 0; i < 24; i++) assert.is(out[i], -7)
  assert.equal(quad(0, 24), expected('x', 5, 30))
  assert.equal(quad(1, 24), expected('y', 5 + ADV, 30))
  for (let i = 24 + 2 * QUAD_FLOATS; i < 64; i++) assert.is(out[i], -7)
})

test('center and right alignment place the line around and before x', () => {
  layoutText(atlas, 'ABCD', 100, 40, out, 0, 'center')
  assert.equal(quad(0), expected('A', 100 - 2 * ADV, 40))
  assert.equal(quad(3), expected('D', 100 + ADV, 40))
  layoutText(atlas, 'ABCD', 100, 40, out, 0, 'right')
  assert.equal(quad(0), expected('A', 100 - 4 * ADV, 40))
  assert.equal(quad(3), expected('D', 100 - ADV, 40))
})

test('vertical anchors: top, baseline, middle, bottom', () => {
  const y = 100
  layoutText(atlas, 'H', 0, y, out, 0, 'left', 'top')
  assert.equal(quad(0), expected('H', 0, y + atlas.ascent))
  layoutText(atlas, 'H', 0, y, out, 0, 'left', 'baseline')
  assert.equal(quad(0), expected('H', 0, y))
  layoutText(atlas, 'H', 0, y, out, 0, 'left', 'bottom')
  assert.equal(quad(0), expected('H', 0, y - atlas.descent))
  layoutText(atlas, 'H', 0, y, out, 0, 'left', 'middle')
  assert.equal(quad(0), expected('H', 0, y - (atlas.ascent + atlas.descent) / 2 + atlas.ascent))
  // With three lines, bottom names the last line's bottom and middle the block's centre.
  layoutText(atlas, 'H\nH\nH', 0, y, out, 0, 'left', 'bottom')
  assert.equal(quad(2), expected('H', 0, y - atlas.descent))
  assert.equal(quad(0), expected('H', 0, y - atlas.descent - 2 * atlas.lineHeight))
  layoutText(atlas, 'H\nH\nH', 0, y, out, 0, 'left', 'middle')
  assert.equal(quad(1), expected('H', 0, y - (atlas.ascent + atlas.descent + 2 * atlas.lineHeight) / 2 + atlas.ascent + atlas.lineHeight))
})

test("'\\n' starts a new line; each line is aligned on its own; '\\r' is ignored", () => {
  const n = layoutText(atlas, 'AB\r\nCDEF', 50, 20, out, 0, 'right')
  assert.is(n, 6)
  assert.equal(quad(0), expected('A', 50 - 2 * ADV, 20))
  assert.equal(quad(2), expected('C', 50 - 4 * ADV, 20 + atlas.lineHeight))
  assert.equal(quad(5), expected('F', 50 - ADV, 20 + atlas.lineHeight))
  assert.is(layoutText(atlas, '\n\n', 0, 0, out), 0)
})

test('characters no font has draw the fallback glyph; a surrogate pair is one character', () => {
  // U+10FFFD (private use, plane 16) and U+FFFF (a noncharacter) are in no font.
  const n = layoutText(atlas, 'a\u{10FFFD}\uFFFF', 0, 20, out)
  assert.is(n, 3)
  const q = atlas.fallbackGlyph
  assert.is(quad(1)[4], atlas.u0[q])
  assert.is(quad(2)[4], atlas.u0[q])
  assert.equal(quad(2), expected('?', 2 * ADV, 20))
  assert.is(measureText(atlas, '\u{10FFFD}'), atlas.advance[q])
})

test('measureText: sum of advances of the widest line; measureTextHeight and countLines', () => {
  assert.is(measureText(atlas, ''), 0)
  assert.ok(Math.abs(measureText(atlas, 'hello') - 5 * ADV) < 1e-3)
  assert.ok(Math.abs(measureText(atlas, '  ') - 2 * ADV) < 1e-3)
  assert.ok(Math.abs(measureText(atlas, 'ab\nabcd\nx') - 4 * ADV) < 1e-3)
  assert.ok(Math.abs(measureText(atlas, 'BID 101.25 ▲') - 12 * ADV) < 1e-3)
  assert.is(countLines('a'), 1)
  assert.is(countLines('a\nb\n'), 3)
  assert.ok(Math.abs(measureTextHeight(atlas, 'x') - (atlas.ascent + atlas.descent)) < 1e-9)
  assert.ok(Math.abs(measureTextHeight(atlas, 'x\ny') - (atlas.ascent + atlas.descent + atlas.lineHeight)) < 1e-9)
  // Right-aligned text ends where measureText says it does.
  const w = measureText(atlas, 'WXYZ')
  layoutText(atlas, 'WXYZ', 0, 0, out)
  assert.equal(quad(3), expected('Z', w - ADV, 0))
})

test('a too-short buffer is OUT_OF_RANGE after writing what fits; bad options are INVALID_DESC', () => {
  const small = new Float32Array(2 * QUAD_FLOATS)
  try {
    layoutText(atlas, 'ABC', 0, 0, small)
    assert.unreachable('overflow must throw')
  } catch (e) {
    assert.is(e.code, 'FL_OUT_OF_RANGE')
    assert.ok(e.message.includes('text.length * 8'))
  }
  assert.is(small[0], expected('A', 0, 0)[0])
  assert.is(layoutText(atlas, '    ', 0, 0, new Float32Array(0)), 0, 'spaces need no room')
  assert.throws(() => layoutText(atlas, 'A', 0, 0, out, -8), (e) => e.code === 'FL_OUT_OF_RANGE')
  assert.throws(() => layoutText(atlas, 'A', 0, 0, out, 1.5), (e) => e.code === 'FL_OUT_OF_RANGE')
  assert.throws(() => layoutText(atlas, 'A', 0, 0, out, 0, 'middle'), (e) => e.code === 'FL_INVALID_DESC')
  assert.throws(() => layoutText(atlas, 'A', 0, 0, out, 0, 'left', 'center'), (e) => e.code === 'FL_INVALID_DESC')
})

test('rendering the quads from the atlas puts the glyph pixels where they belong', () => {
  // Blit "I.|" through the quads (what the GPU batcher will do) and look at the ink.
  const W = 64, H = 32
  const img = new Uint8Array(W * H)
  const n = layoutText(atlas, 'I.|', 4, 4, out, 0, 'left', 'top')
  assert.is(n, 3)
  for (let q = 0; q < n; q++) {
    const [x, y, w, h, u0, v0] = quad(q)
    const ax = Math.round(u0 * atlas.width), ay = Math.round(v0 * atlas.height)
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) {
      img[(y + j) * W + x + i] = Math.max(img[(y + j) * W + x + i], atlas.pixels[(ay + j) * atlas.width + ax + i])
    }
  }
  const baseline = Math.round(4 + atlas.ascent)
  const inkIn = (x0, x1, y0, y1) => {
    let c = 0
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img[y * W + x] >= 128) c++
    return c
  }
  const cell = (k) => [Math.round(4 + k * ADV), Math.round(4 + (k + 1) * ADV)]
  // 'I': ink from cap height down to the baseline, centred in cell 0.
  const [i0, i1] = cell(0)
  assert.ok(inkIn(i0, i1, baseline - 11, baseline) > 20)
  assert.is(inkIn(i0, i1, baseline + 1, H), 0, "nothing of 'I' below the baseline")
  const mid = Math.round((i0 + i1) / 2)
  assert.ok(img[(baseline - 6) * W + mid] >= 128 || img[(baseline - 6) * W + mid - 1] >= 128, 'stem at the centre')
  // '.': ink only in the bottom few rows of cell 1.
  const [d0, d1] = cell(1)
  assert.ok(inkIn(d0, d1, baseline - 3, baseline) > 0)
  assert.is(inkIn(d0, d1, 0, baseline - 4), 0, "'.' stays near the baseline")
  // '|': one unbroken column from near cap height to well below the baseline in cell 2.
  const [b0, b1] = cell(2)
  assert.ok(inkIn(b0, b1, 0, baseline - 10) > 0)
  assert.ok(inkIn(b0, b1, baseline + 2, H) > 0)
  for (let y = baseline - 10; y < baseline + 2; y++) assert.ok(inkIn(b0, b1, y, y + 1) > 0, `'|' has a gap at row ${y}`)
  // Nothing left of the first cell.
  assert.is(inkIn(0, i0, 0, H), 0)
})

test.run()
