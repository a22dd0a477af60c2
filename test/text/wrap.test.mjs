// layoutTextBox: wrapping to a width (word, char, none), '\n', maxLines and the ellipsis. Lines
// are read back from the quads (the bundled font is monospaced, so a quad's column is its x
// over the advance) and compared with the expected breaks; every line is at most maxWidth wide.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas, glyphIndexFor } from '../../dist/text/atlas.js'
import { layoutTextBox, measureTextBox, countTextBoxLines, QUAD_FLOATS } from '../../dist/text/layout.js'
import { mulberry32 } from '../support/prng.mjs'

const font = loadFont()
const atlas = createGlyphAtlas({ font, pixelSize: 16, fallbackFonts: [] })
const ADV = (1233 * 16) / 2048 // 9.6328125 px, every glyph
const out = new Float32Array(1 << 16)
const X = 7

/** The lines layoutTextBox drew, rebuilt from its quads (spaces from column gaps). */
function lines(text, options) {
  const n = layoutTextBox(atlas, text, X, 100, out, 0, options)
  const byUV = new Map()
  for (let g = 0; g < atlas.glyphCount; g++) if (atlas.rectW[g] > 0) byUV.set(`${atlas.u0[g]},${atlas.v0[g]}`, g)
  const rows = new Map()
  for (let q = 0; q < n; q++) {
    const [x, y, , , u0, v0] = out.subarray(q * QUAD_FLOATS, q * QUAD_FLOATS + 6)
    const g = byUV.get(`${u0},${v0}`)
    assert.ok(g !== undefined, 'a quad addresses a glyph')
    const baseline = y - atlas.yoff[g]
    const col = Math.round((x - atlas.xoff[g] - X) / ADV)
    if (!rows.has(baseline)) rows.set(baseline, [])
    rows.get(baseline).push([col, String.fromCodePoint(atlas.codePoint[g])])
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, cells]) => {
    const chars = []
    for (const [col, ch] of cells) chars[col] = ch
    return Array.from(chars, (c) => c ?? ' ').join('')
  })
}

const FOX = 'The quick brown fox jumps over the lazy dog'

test("wrap 'word': breaks at spaces, drops them, every line within maxWidth", () => {
  const o = { maxWidth: 100 }
  assert.equal(lines(FOX, o), ['The quick', 'brown fox', 'jumps over', 'the lazy', 'dog'])
  assert.is(countTextBoxLines(atlas, FOX, o), 5)
  const w = measureTextBox(atlas, FOX, o)
  assert.ok(Math.abs(w - 10 * ADV) < 1e-3 && w <= 100)
  // A word wider than the box breaks inside it; '\n' still breaks.
  assert.equal(lines('a verylongwordhere b', { maxWidth: 50 }), ['a', 'veryl', 'ongwo', 'rdher', 'e b'])
  assert.equal(lines('ab\ncd ef', { maxWidth: 30 }), ['ab', 'cd', 'ef'])
  // Spaces at a break are dropped, also before a '\n'.
  assert.equal(lines('abc   \ndef', { maxWidth: 30 }), ['abc', 'def'])
})

test("wrap 'char' breaks before the overflowing character; 'none' keeps lines whole", () => {
  assert.equal(lines('abcdefghijkl', { maxWidth: 50, wrap: 'char' }), ['abcde', 'fghij', 'kl'])
  assert.equal(lines('ab cdefgh', { maxWidth: 50, wrap: 'char' }), ['ab cd', 'efgh'])
  assert.equal(lines(FOX, { maxWidth: 100, wrap: 'none' }), [FOX])
  assert.ok(measureTextBox(atlas, FOX, { maxWidth: 100, wrap: 'none' }) > 100)
})

test('ellipsis: the last allowed line ends in … when text remains; wrap none cuts every long line', () => {
  const o = { maxWidth: 100, maxLines: 2, ellipsis: true }
  assert.equal(lines(FOX, o), ['The quick', 'brown fox…'])
  assert.ok(measureTextBox(atlas, FOX, o) <= 100)
  assert.is(countTextBoxLines(atlas, FOX, o), 2)
  // Trailing spaces before the ellipsis are dropped.
  assert.equal(lines('abcd efgh ijkl', { maxWidth: 50, maxLines: 1, ellipsis: true }), ['abcd…'])
  const none = { maxWidth: 50, wrap: 'none', ellipsis: true }
  assert.equal(lines('abcdefghijklmnop\nabc', none), ['abcd…', 'abc'])
  assert.ok(measureTextBox(atlas, 'abcdefghijklmnop', none) <= 50)
  // No ellipsis: lines past maxLines are dropped; text that fits gets none.
  assert.equal(lines(FOX, { maxWidth: 100, maxLines: 2 }), ['The quick', 'brown fox'])
  assert.equal(lines('short', { maxWidth: 100, maxLines: 1, ellipsis: true }), ['short'])
  assert.ok(glyphIndexFor(atlas, 0x2026) !== atlas.fallbackGlyph, '… is in the font')
})

test('align and anchor apply per wrapped line', () => {
  const n = layoutTextBox(atlas, 'ab cdef', 100, 50, out, 0, { maxWidth: 45, align: 'right', anchor: 'top' })
  assert.is(n, 6)
  // Right-aligned: each line's last glyph ends one advance before x.
  const b = glyphIndexFor(atlas, 0x62)
  const f = glyphIndexFor(atlas, 0x66)
  assert.is(out[1 * QUAD_FLOATS] - atlas.xoff[b], Math.round(100 - ADV))
  assert.is(out[5 * QUAD_FLOATS] - atlas.xoff[f], Math.round(100 - ADV))
  assert.is(out[1 * QUAD_FLOATS + 1] - atlas.yoff[b], Math.round(50 + atlas.ascent))
  assert.is(out[5 * QUAD_FLOATS + 1] - atlas.yoff[f], Math.round(50 + atlas.ascent + atlas.lineHeight))
})

test('random words: word wrap keeps every word whole and in order, each line ≤ maxWidth and as full as it can be', () => {
  const next = mulberry32(10)
  for (let round = 0; round < 200; round++) {
    const words = Array.from({ length: 1 + (next() % 30) }, () => 'x'.repeat(1 + (next() % 8)).replace(/x/g, () => String.fromCharCode(97 + (next() % 26))))
    const text = words.join(' ')
    const maxWidth = 8 * ADV + (next() % 200)
    const got = lines(text, { maxWidth })
    assert.is(got.join(' '), text, 'the lines rejoined by one space give the text back')
    for (let i = 0; i < got.length; i++) {
      assert.ok(got[i].length * ADV <= maxWidth, `line "${got[i]}" is ${got[i].length * ADV} px > ${maxWidth}`)
      // Greedy: the next line's first word would not have fit.
      if (i + 1 < got.length) assert.ok((got[i].length + 1 + got[i + 1].split(' ')[0].length) * ADV > maxWidth, `"${got[i + 1]}" could have joined "${got[i]}"`)
    }
  }
})

test('bad options are INVALID_DESC errors that say what to pass', () => {
  for (const bad of [null, {}, { maxWidth: 0 }, { maxWidth: 10, wrap: 'words' }, { maxWidth: 10, maxLines: 0 }, { maxWidth: 10, maxLines: 1.5 }]) {
    try {
      layoutTextBox(atlas, 'a', 0, 0, out, 0, bad)
      assert.unreachable(`accepted ${JSON.stringify(bad)}`)
    } catch (e) {
      assert.is(e.code, 'FL_INVALID_DESC', String(e))
    }
  }
})

test.run()
