// The glyph atlas: every requested glyph present once, in bounds, never overlapping, with the
// rasterized pixels at its rect, metrics that match the font, and allocation-free lookup data.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadFont } from '../../dist/text/font.js'
import { rasterizeGlyph } from '../../dist/text/rasterize.js'
import { createGlyphAtlas, glyphIndexFor, LOOKUP_SIZE, ASCII_PRINTABLE } from '../../dist/text/atlas.js'
import { setLogger } from '../../dist/log.js'

const font = loadFont()
const warnings = []
setLogger((level, code, message) => warnings.push({ level, code, message }))
const atlas = createGlyphAtlas({ font, pixelSize: 16 })
const isPow2 = (v) => v > 0 && (v & (v - 1)) === 0

test('a power-of-two alpha image holding printable ASCII and the dashboard symbols', () => {
  assert.ok(isPow2(atlas.width) && isPow2(atlas.height), `${atlas.width}x${atlas.height}`)
  assert.ok(atlas.width <= 256 && atlas.height <= 256, 'a 16 px ASCII atlas is small')
  assert.is(atlas.pixels.length, atlas.width * atlas.height)
  for (const ch of ASCII_PRINTABLE + '·•−▲▼') {
    const g = glyphIndexFor(atlas, ch.codePointAt(0))
    if (ch !== '?') assert.is.not(g, atlas.fallbackGlyph, ch)
    assert.is(atlas.codePoint[g], ch.codePointAt(0), `glyph for '${ch}'`)
  }
  assert.equal(atlas.missing, [])
  assert.is(warnings.length, 0)
})

test('glyph rects are in bounds, padded, and never overlap', () => {
  const { rectX, rectY, rectW, rectH, glyphCount } = atlas
  const pad = 1
  let inked = 0
  for (let a = 0; a < glyphCount; a++) {
    if (rectW[a] === 0) continue
    inked++
    assert.ok(rectX[a] >= pad && rectY[a] >= pad, `glyph ${a} touches the border`)
    assert.ok(rectX[a] + rectW[a] + pad <= atlas.width && rectY[a] + rectH[a] + pad <= atlas.height, `glyph ${a} out of bounds`)
    for (let b = a + 1; b < glyphCount; b++) {
      if (rectW[b] === 0) continue
      // Padded rect of a must not intersect rect of b.
      const apart = rectX[a] + rectW[a] + pad <= rectX[b] || rectX[b] + rectW[b] + pad <= rectX[a] ||
        rectY[a] + rectH[a] + pad <= rectY[b] || rectY[b] + rectH[b] + pad <= rectY[a]
      assert.ok(apart, `glyphs ${a} and ${b} overlap`)
    }
  }
  assert.ok(inked >= 94, `${inked} inked glyphs`) // all of ASCII but the space
})

test("each rect holds exactly that glyph's bitmap; UVs address the same texels", () => {
  const scale = 16 / font.unitsPerEm
  for (const ch of 'AgQ|.▲') {
    const g = glyphIndexFor(atlas, ch.codePointAt(0))
    const bm = rasterizeGlyph(font.glyphOutline(font.glyphIndex(ch.codePointAt(0))), scale)
    assert.is(atlas.rectW[g], bm.width)
    assert.is(atlas.rectH[g], bm.height)
    assert.is(atlas.xoff[g], bm.xoff)
    assert.is(atlas.yoff[g], bm.yoff)
    for (let y = 0; y < bm.height; y++) for (let x = 0; x < bm.width; x++) {
      assert.is(atlas.pixels[(atlas.rectY[g] + y) * atlas.width + atlas.rectX[g] + x], bm.data[y * bm.width + x])
    }
    assert.is(atlas.u0[g], atlas.rectX[g] / atlas.width)
    assert.is(atlas.v0[g], atlas.rectY[g] / atlas.height)
    assert.ok(Math.abs(atlas.u1[g] - (atlas.rectX[g] + bm.width) / atlas.width) < 1e-6)
    assert.ok(Math.abs(atlas.v1[g] - (atlas.rectY[g] + bm.height) / atlas.height) < 1e-6)
  }
  // Padding between glyphs stays empty: count ink outside every rect.
  const covered = new Uint8Array(atlas.width * atlas.height)
  for (let g = 0; g < atlas.glyphCount; g++) {
    for (let y = 0; y < atlas.rectH[g]; y++) for (let x = 0; x < atlas.rectW[g]; x++) {
      covered[(atlas.rectY[g] + y) * atlas.width + atlas.rectX[g] + x] = 1
    }
  }
  for (let i = 0; i < covered.length; i++) if (!covered[i]) assert.is(atlas.pixels[i], 0)
})

test('metrics: monospaced advance, ascent/descent/lineHeight scaled from the font', () => {
  const scale = 16 / 2048
  assert.ok(Math.abs(atlas.ascent - font.ascender * scale) < 1e-9)
  assert.ok(Math.abs(atlas.descent + font.descender * scale) < 1e-9)
  assert.ok(atlas.descent > 0)
  assert.ok(Math.abs(atlas.lineHeight - (font.ascender - font.descender + font.lineGap) * scale) < 1e-9)
  for (let g = 0; g < atlas.glyphCount; g++) assert.ok(Math.abs(atlas.advance[g] - 1233 * scale) < 1e-4)
  const space = glyphIndexFor(atlas, 32)
  assert.is(atlas.rectW[space], 0)
  assert.is(atlas.rectH[space], 0)
})

test('lookup: Int32Array below LOOKUP_SIZE, Map above, fallback for the rest', () => {
  assert.instance(atlas.lookup, Int32Array)
  assert.is(atlas.lookup.length, LOOKUP_SIZE)
  assert.is(atlas.lookup[65], glyphIndexFor(atlas, 65))
  assert.is(atlas.lookup[0x00e9], -1) // é not requested
  const q = glyphIndexFor(atlas, 63)
  assert.is(atlas.fallbackGlyph, q)
  assert.is(glyphIndexFor(atlas, 0xe9), q)
  assert.is(glyphIndexFor(atlas, 0x1f600), q)
  assert.is(glyphIndexFor(atlas, -5), q)

  // ✓ (U+2713) and U+FFFD are past LOOKUP_SIZE; the font has both. 𝐀 (U+1D400) it lacks.
  const wide = createGlyphAtlas({ font, pixelSize: 12, chars: 'ab✓\uFFFD\u{1D400}', fallbackFonts: [] })
  assert.ok(LOOKUP_SIZE <= 0x2713)
  assert.is(wide.lookupExtra.size, 3) // ✓, U+FFFD, and U+1D400 known missing (mapped to the fallback)
  const check = glyphIndexFor(wide, 0x2713)
  assert.is(wide.lookupExtra.get(0x2713), check)
  assert.is(wide.codePoint[check], 0x2713)
  assert.is.not(check, wide.fallbackGlyph)
  assert.is(wide.codePoint[glyphIndexFor(wide, 0xfffd)], 0xfffd)
  assert.equal(wide.missing, [0x1d400])
  assert.is(glyphIndexFor(wide, 0x1d400), wide.fallbackGlyph)
})

test('custom chars: exactly those glyphs plus the fallback; missing ones are reported once', () => {
  warnings.length = 0
  const a = createGlyphAtlas({ font, pixelSize: 20, chars: '0123456789.,-+\u{1F600}', padding: 2, fallbackFonts: [] })
  assert.is(a.glyphCount, 15) // 14 characters + '?' fallback
  assert.equal(a.missing, [0x1f600])
  assert.is(warnings.length, 1)
  assert.is(warnings[0].code, 'FL_GLYPH_MISSING')
  assert.ok(warnings[0].message.includes('U+1F600'))
  assert.is(glyphIndexFor(a, 0x1f600), a.fallbackGlyph)
  assert.is(a.codePoint[a.fallbackGlyph], 63)
  // Padding 2 keeps two empty pixels to the border.
  for (let g = 0; g < a.glyphCount; g++) if (a.rectW[g] > 0) assert.ok(a.rectX[g] >= 2 && a.rectY[g] >= 2)
  // Duplicate characters share one entry.
  const dup = createGlyphAtlas({ font, pixelSize: 12, chars: 'aaa?' })
  assert.is(dup.glyphCount, 2)
})

test('a fallback the font lacks falls back to .notdef', () => {
  const a = createGlyphAtlas({ font, pixelSize: 12, chars: 'xy', fallback: '\u{1F600}' })
  assert.is(a.glyphCount, 3)
  assert.is(a.codePoint[a.fallbackGlyph], -1)
  assert.ok(a.rectW[a.fallbackGlyph] > 0, '.notdef has a visible box')
  assert.is(glyphIndexFor(a, 122), a.fallbackGlyph) // 'z'
})

test('large sizes grow the atlas and stay power-of-two', () => {
  const big = createGlyphAtlas({ font, pixelSize: 64, chars: ASCII_PRINTABLE })
  assert.ok(isPow2(big.width) && isPow2(big.height))
  assert.ok(big.width * big.height > atlas.width * atlas.height)
  assert.ok(big.width <= 2 * big.height && big.height <= 2 * big.width, 'roughly square')
})

test('bad descs are INVALID_DESC errors that say what to pass', () => {
  const bad = [
    [{ pixelSize: 16 }, 'loadFont'],
    [{ font, pixelSize: 0 }, 'pixelSize'],
    [{ font, pixelSize: NaN }, 'pixelSize'],
    [{ font, pixelSize: 1000 }, '4 to 512'],
    [{ font, pixelSize: 16, padding: -1 }, 'padding'],
    [{ font, pixelSize: 16, padding: 1.5 }, 'padding'],
    [{ font, pixelSize: 16, chars: 42 }, 'chars'],
    [{ font, pixelSize: 16, fallback: 'ab' }, 'fallback'],
  ]
  for (const [desc, part] of bad) {
    try {
      createGlyphAtlas(desc)
      assert.unreachable(`accepted ${JSON.stringify(desc, (k, v) => (k === 'font' ? '<font>' : v))}`)
    } catch (e) {
      assert.is(e.code, 'FL_INVALID_DESC', e.message)
      assert.ok(e.message.includes(part), e.message)
    }
  }
})

test('the atlas is plain data: it survives structuredClone', () => {
  const copy = structuredClone(atlas)
  assert.equal(copy.pixels, atlas.pixels)
  assert.is(glyphIndexFor(copy, 65), glyphIndexFor(atlas, 65))
})

test.run()
