// TrueType parsing and font loading: DejaVu Sans Mono's metrics, cmap, outlines (simple and
// composite), and FONT_LOAD errors for files that are not usable fonts.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { loadFont, BUNDLED_FONT_PATH } from '../../dist/text/font.js'
import { parseTrueType } from '../../dist/text/ttf.js'
import { FramelatchError } from '../../dist/errors.js'

const font = loadFont()
const cp = (s) => s.codePointAt(0)

function throwsFontLoad(fn, messagePart) {
  try {
    fn()
  } catch (e) {
    assert.instance(e, FramelatchError)
    assert.is(e.code, 'FL_FONT_LOAD')
    assert.ok(e.message.startsWith('framelatch: '), e.message)
    if (messagePart) assert.ok(e.message.includes(messagePart), `message "${e.message}" lacks "${messagePart}"`)
    return
  }
  assert.unreachable('expected a FONT_LOAD error')
}

test('the bundled font is DejaVu Sans Mono, shipped with its licence', () => {
  assert.ok(BUNDLED_FONT_PATH.endsWith(Path.join('assets', 'fonts', 'DejaVuSansMono.ttf')))
  assert.ok(Fs.existsSync(BUNDLED_FONT_PATH))
  const licence = Fs.readFileSync(Path.join(Path.dirname(BUNDLED_FONT_PATH), 'LICENSE-DejaVu.txt'), 'utf8')
  assert.ok(licence.includes('Bitstream'))
  assert.is(font.source, BUNDLED_FONT_PATH)
})

test('reads head/hhea/maxp metrics', () => {
  assert.is(font.unitsPerEm, 2048)
  assert.ok(font.numGlyphs > 3000, `numGlyphs ${font.numGlyphs}`)
  assert.ok(font.ascender > 1500 && font.ascender < 2200, `ascender ${font.ascender}`)
  assert.ok(font.descender < -300 && font.descender > -700, `descender ${font.descender}`)
  assert.ok(font.lineGap >= 0)
  assert.ok(font.xMin < 0 && font.xMax > 1233 && font.yMax > font.ascender - 1)
})

test('cmap maps code points to glyphs (BMP and beyond) and unknown ones to 0', () => {
  const a = font.glyphIndex(cp('A'))
  assert.ok(a > 0)
  assert.is.not(font.glyphIndex(cp('B')), a)
  assert.is(font.glyphIndex(cp('B')), a + 1) // DejaVu orders A..Z contiguously
  for (const ch of '0123456789abcxyz.,:;!?·•−▲▼') assert.ok(font.glyphIndex(cp(ch)) > 0, ch)
  assert.is(font.glyphIndex(0x1f600), 0) // an emoji the font lacks
  assert.is(font.glyphIndex(0xe000), 0) // private use
  assert.is(font.glyphIndex(-1), 0)
  assert.ok(font.cmapFormat === 4 || font.cmapFormat === 12)
})

test('monospaced: every printable ASCII glyph has the same advance', () => {
  const adv = font.advanceWidth(font.glyphIndex(cp('A')))
  assert.is(adv, font.advanceWidth(font.glyphIndex(cp('i'))))
  assert.is(adv, 1233)
  for (let c = 32; c < 127; c++) assert.is(font.advanceWidth(font.glyphIndex(c)), adv, String.fromCharCode(c))
})

test('simple outlines: quadratic contours inside the advance box', () => {
  const o = font.glyphOutline(font.glyphIndex(cp('O')))
  assert.is(o.contourEnds.length, 2) // outer ring and counter
  assert.ok(o.x.length === o.y.length && o.y.length === o.onCurve.length)
  assert.is(o.contourEnds[1], o.x.length - 1)
  let off = 0
  for (const f of o.onCurve) off += f === 0 ? 1 : 0
  assert.ok(off > 0, 'an O has off-curve control points')
  assert.ok(o.xMin > 0 && o.xMax < 1233)
  assert.ok(o.yMin < 0 && o.yMax > 1400)
  const dot = font.glyphOutline(font.glyphIndex(cp('.')))
  assert.is(dot.contourEnds.length, 1)
  assert.ok(dot.yMin >= 0 && dot.yMax < 400, `'.' sits on the baseline (${dot.yMin}..${dot.yMax})`)
  const space = font.glyphOutline(font.glyphIndex(cp(' ')))
  assert.is(space.x.length, 0)
  assert.is(space.contourEnds.length, 0)
})

test('composite outlines are flattened with their component offsets', () => {
  const e = font.glyphOutline(font.glyphIndex(cp('e')))
  const eAcute = font.glyphOutline(font.glyphIndex(cp('é')))
  // é = e + acute accent: more contours, same base, and ink above the plain e.
  assert.ok(eAcute.contourEnds.length > e.contourEnds.length)
  assert.is(eAcute.yMin, e.yMin)
  assert.ok(eAcute.yMax > e.yMax + 200)
  // The e part is copied unchanged (first contours).
  for (let i = 0; i <= e.contourEnds[e.contourEnds.length - 1]; i++) {
    assert.is(eAcute.x[i], e.x[i])
    assert.is(eAcute.y[i], e.y[i])
  }
})

test('glyphOutline rejects glyph ids outside the font', () => {
  throwsFontLoad(() => font.glyphOutline(font.numGlyphs), 'out of range')
  throwsFontLoad(() => font.glyphOutline(-1))
})

test('loadFont accepts a path and bytes; parseTrueType reads the same data', () => {
  const bytes = Fs.readFileSync(BUNDLED_FONT_PATH)
  const byPath = loadFont({ path: BUNDLED_FONT_PATH })
  const byBytes = loadFont({ bytes })
  const byBuffer = loadFont({ bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })
  const parsed = parseTrueType(bytes)
  for (const f of [byPath, byBytes, byBuffer, parsed]) {
    assert.is(f.numGlyphs, font.numGlyphs)
    assert.is(f.glyphIndex(cp('Q')), font.glyphIndex(cp('Q')))
  }
  assert.is(byBytes.source, '<bytes>')
})

test('bad fonts are FONT_LOAD errors that say what to do', () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-font-'))
  try {
    throwsFontLoad(() => loadFont({ path: Path.join(dir, 'nope.ttf') }), 'ENOENT')
    const text = Path.join(dir, 'text.ttf')
    Fs.writeFileSync(text, 'this is not a font, just some text')
    throwsFontLoad(() => loadFont({ path: text }), 'not a TrueType font')
    const tiny = Path.join(dir, 'tiny.ttf')
    Fs.writeFileSync(tiny, Buffer.from([0, 1, 0]))
    throwsFontLoad(() => loadFont({ path: tiny }), 'too short')
    const truncated = Path.join(dir, 'truncated.ttf')
    Fs.writeFileSync(truncated, Fs.readFileSync(BUNDLED_FONT_PATH).subarray(0, 4000))
    throwsFontLoad(() => loadFont({ path: truncated }), 'use another font file')
    const cff = Buffer.alloc(64)
    cff.write('OTTO', 0, 'latin1')
    throwsFontLoad(() => loadFont({ bytes: cff }), 'CFF')
    throwsFontLoad(() => loadFont({ path: '' }))
    throwsFontLoad(() => loadFont({ path: BUNDLED_FONT_PATH, bytes: new Uint8Array(4) }), 'not both')
    throwsFontLoad(() => loadFont({ bytes: 'abc' }), 'Uint8Array')
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a corrupted table directory is caught at load time, not at first draw', () => {
  const bytes = new Uint8Array(Fs.readFileSync(BUNDLED_FONT_PATH))
  const view = new DataView(bytes.buffer)
  const numTables = view.getUint16(4)
  // Make the first table claim to run far past the end of the file.
  assert.ok(numTables > 0)
  view.setUint32(12 + 12, 0x7fffffff)
  throwsFontLoad(() => parseTrueType(bytes), 'past the end')
})

test.run()
