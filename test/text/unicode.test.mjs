// Unicode text: characters outside the initial set ('é', 'ï', '€', '中') are rasterized on first
// use, from the font or a fallback font, into the atlas bitmap exactly as a fresh rasterization;
// measure sees their real advances; a character no font has warns once (FL_GLYPH_MISSING); an
// atlas that grows keeps every earlier glyph's pixels and gives UVs that still address them.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync } from 'node:fs'
import { setLogger } from '../../dist/log.js'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas, glyphIndexFor, DEFAULT_FALLBACK_FONTS } from '../../dist/text/atlas.js'
import { ensureGlyphs } from '../../dist/text/atlas-growth.js'
import { rasterizeGlyph } from '../../dist/text/rasterize.js'
import { layoutText, measureText, QUAD_FLOATS } from '../../dist/text/layout.js'

const warnings = []
setLogger((level, code, message) => warnings.push({ level, code, message }))

const font = loadFont()
const CJK_PATH = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf'
const cp = (ch) => ch.codePointAt(0)

/** The atlas pixels of glyph `g`'s rectangle, row by row. */
function atlasBitmap(atlas, g) {
  const w = atlas.rectW[g]
  const h = atlas.rectH[g]
  const data = new Uint8Array(w * h)
  for (let row = 0; row < h; row++) {
    data.set(atlas.pixels.subarray((atlas.rectY[g] + row) * atlas.width + atlas.rectX[g], (atlas.rectY[g] + row) * atlas.width + atlas.rectX[g] + w), row * w)
  }
  return { width: w, height: h, data }
}

/** A fresh rasterization of `ch` from `f` at the atlas's size. */
function fresh(f, atlas, ch) {
  return rasterizeGlyph(f.glyphOutline(f.glyphIndex(cp(ch))), atlas.pixelSize / f.unitsPerEm)
}

function assertSameBitmap(got, want, what) {
  assert.is(got.width, want.width, `${what}: width`)
  assert.is(got.height, want.height, `${what}: height`)
  assert.ok(want.data.some((v) => v > 0), `${what}: the fresh rasterization has ink`)
  assert.equal(Array.from(got.data), Array.from(want.data), `${what}: atlas pixels equal a fresh rasterization`)
}

test("'é', 'ï', '€' draw as their own glyphs: atlas pixels equal a fresh rasterization, not '?'", () => {
  const atlas = createGlyphAtlas({ font, pixelSize: 18 })
  const out = new Float32Array(64)
  const n = layoutText(atlas, 'éï€', 5, 30, out)
  assert.is(n, 3)
  const q = glyphIndexFor(atlas, cp('?'))
  for (const [k, ch] of ['é', 'ï', '€'].entries()) {
    const g = glyphIndexFor(atlas, cp(ch))
    assert.is.not(g, atlas.fallbackGlyph, `${ch} has its own glyph`)
    assert.is.not(g, q)
    assert.is(atlas.codePoint[g], cp(ch))
    assert.is(atlas.fontIndex[g], 0, `${ch} comes from the main font`)
    assertSameBitmap(atlasBitmap(atlas, g), fresh(font, atlas, ch), ch)
    // The quad addresses that rectangle.
    const quad = out.subarray(k * QUAD_FLOATS, (k + 1) * QUAD_FLOATS)
    assert.is(Math.round(quad[4] * atlas.width), atlas.rectX[g])
    assert.is(Math.round(quad[5] * atlas.height), atlas.rectY[g])
    assert.is(quad[2], atlas.rectW[g])
  }
  assert.is(warnings.length, 0, 'no warning for characters the font has')
})

test("measure('€é中') differs from measure('abc'); '中' comes from the CJK fallback font", () => {
  assert.ok(existsSync(CJK_PATH), `${CJK_PATH} is missing: run npm run setup (it installs fonts-droid-fallback)`)
  assert.ok(DEFAULT_FALLBACK_FONTS.includes(CJK_PATH))
  const atlas = createGlyphAtlas({ font, pixelSize: 16 })
  const abc = measureText(atlas, 'abc')
  const mixed = measureText(atlas, '€é中')
  assert.is.not(mixed, abc)
  const g = glyphIndexFor(atlas, cp('中'))
  assert.is.not(g, atlas.fallbackGlyph)
  const fi = atlas.fontIndex[g]
  assert.ok(fi > 0, 'from a fallback font')
  // DejaVu Sans (fonts-dejavu-core) lacks CJK, so the Droid fallback (index 2) has it.
  assert.is(DEFAULT_FALLBACK_FONTS[fi - 1], CJK_PATH)
  const cjk = loadFont({ path: CJK_PATH })
  assertSameBitmap(atlasBitmap(atlas, g), fresh(cjk, atlas, '中'), '中')
  // Its advance is the CJK font's full-width one (one em), not the mono font's.
  const adv = (cjk.advanceWidth(cjk.glyphIndex(cp('中'))) * 16) / cjk.unitsPerEm
  assert.ok(Math.abs(atlas.advance[g] - adv) < 1e-4)
  assert.ok(Math.abs(mixed - (2 * abc / 3 + adv)) < 1e-3, 'two mono advances plus the CJK one')
  // Without fallbacks, '中' is the '?' glyph.
  const bare = createGlyphAtlas({ font, pixelSize: 16, fallbackFonts: [] })
  assert.is(measureText(bare, '€é中'), abc)
  assert.is(glyphIndexFor(bare, cp('中')), bare.fallbackGlyph)
  warnings.length = 0
})

test('a character no font has warns once (FL_GLYPH_MISSING), then draws the fallback silently', () => {
  warnings.length = 0
  const atlas = createGlyphAtlas({ font, pixelSize: 16 })
  const out = new Float32Array(256)
  for (let i = 0; i < 5; i++) {
    measureText(atlas, 'x\u{10FFFD}y')
    layoutText(atlas, '\u{10FFFD}', 0, 20, out)
  }
  assert.is(warnings.length, 1, warnings.map((w) => w.message).join('\n'))
  assert.is(warnings[0].level, 'warn')
  assert.is(warnings[0].code, 'FL_GLYPH_MISSING')
  assert.ok(warnings[0].message.includes('U+10FFFD'))
  assert.equal(atlas.missing, [0x10fffd])
  assert.is(glyphIndexFor(atlas, 0x10fffd), atlas.fallbackGlyph)
  // Another atlas does not warn again for the same character (once per process).
  measureText(createGlyphAtlas({ font, pixelSize: 12 }), '\u{10FFFD}')
  assert.is(warnings.length, 1)
})

test('growth: earlier glyphs keep their pixels and their UVs address them; new glyphs equal fresh rasterizations', () => {
  assert.ok(existsSync(CJK_PATH), `${CJK_PATH} is missing: run npm run setup`)
  const atlas = createGlyphAtlas({ font, pixelSize: 20 })
  const w0 = atlas.width
  const h0 = atlas.height
  const v0 = atlas.version
  const before = new Map()
  for (const ch of 'AgQ@é') {
    ensureGlyphs(atlas, ch)
    before.set(ch, atlasBitmap(atlas, glyphIndexFor(atlas, cp(ch))))
  }
  // 1,500 CJK ideographs: far more than the first image holds.
  let cjk = ''
  for (let c = 0x4e00; c < 0x4e00 + 1500; c++) cjk += String.fromCodePoint(c)
  ensureGlyphs(atlas, cjk)
  assert.ok(atlas.width * atlas.height >= 4 * w0 * h0, `grew from ${w0}x${h0} to ${atlas.width}x${atlas.height}`)
  assert.ok(atlas.version > v0)
  assert.is(atlas.pixels.length, atlas.width * atlas.height)
  const out = new Float32Array(QUAD_FLOATS)
  for (const [ch, bm] of before) {
    const g = glyphIndexFor(atlas, cp(ch))
    assertSameBitmap(atlasBitmap(atlas, g), bm, `${ch} after growth`)
    // A fresh layout's UVs address the same texels.
    assert.is(layoutText(atlas, ch, 0, 40, out), 1)
    assert.is(Math.round(out[4] * atlas.width), atlas.rectX[g])
    assert.is(Math.round(out[5] * atlas.height), atlas.rectY[g])
    assert.is(Math.round(out[6] * atlas.width), atlas.rectX[g] + atlas.rectW[g])
    assert.is(Math.round(out[7] * atlas.height), atlas.rectY[g] + atlas.rectH[g])
  }
  // Every glyph lies inside the image, and no two inked rectangles overlap (sampled pairs).
  const cjkFont = loadFont({ path: CJK_PATH })
  for (let g = 0; g < atlas.glyphCount; g++) {
    assert.ok(atlas.rectX[g] + atlas.rectW[g] <= atlas.width && atlas.rectY[g] + atlas.rectH[g] <= atlas.height)
  }
  for (const c of [0x4e00, 0x4e01, 0x4e00 + 700, 0x4e00 + 1499]) {
    const ch = String.fromCodePoint(c)
    assertSameBitmap(atlasBitmap(atlas, glyphIndexFor(atlas, c)), fresh(cjkFont, atlas, ch), `U+${c.toString(16)}`)
  }
  const rects = []
  for (let g = 0; g < atlas.glyphCount; g++) if (atlas.rectW[g] > 0) rects.push([atlas.rectX[g], atlas.rectY[g], atlas.rectW[g], atlas.rectH[g]])
  const occupied = new Uint8Array(atlas.width * atlas.height)
  for (const [x, y, w, h] of rects) {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) {
      const at = (y + j) * atlas.width + x + i
      assert.is(occupied[at], 0, `glyph rectangles overlap at ${x + i},${y + j}`)
      occupied[at] = 1
    }
  }
})

test('an atlas built with grow: false, or a structured clone, draws unseen characters as the fallback', () => {
  const fixed = createGlyphAtlas({ font, pixelSize: 16, grow: false })
  assert.is(ensureGlyphs(fixed, 'é'), false)
  assert.is(glyphIndexFor(fixed, cp('é')), fixed.fallbackGlyph)
  const clone = structuredClone(createGlyphAtlas({ font, pixelSize: 16 }))
  assert.is(ensureGlyphs(clone, 'é'), false)
  assert.is(measureText(clone, 'é'), clone.advance[clone.fallbackGlyph])
})

test.run()
