// Real glyphs from the bundled font, rasterized: their ink is where the letter shapes put it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadFont } from '../../dist/text/font.js'
import { rasterizeGlyph } from '../../dist/text/rasterize.js'

const font = loadFont()
const SIZE = 32
const scale = SIZE / font.unitsPerEm
const advance = 1233 * scale // DejaVu Sans Mono's advance, ~19.3 px
const glyph = (ch) => rasterizeGlyph(font.glyphOutline(font.glyphIndex(ch.codePointAt(0))), scale)
const INK = 128
const px = (bm, x, y) => bm.data[y * bm.width + x]
/** Ink pixels as [x, y] relative to the pen on the baseline (y down). */
function inked(bm) {
  const out = []
  for (let y = 0; y < bm.height; y++) for (let x = 0; x < bm.width; x++) {
    if (px(bm, x, y) >= INK) out.push([x + bm.xoff, y + bm.yoff])
  }
  return out
}

test("'I' is a vertical stem centred in its cell, with bars at top and bottom", () => {
  const bm = glyph('I')
  const ink = inked(bm)
  assert.ok(ink.length > 0)
  // Cap height ~0.73 em above the baseline, bottom on the baseline.
  assert.ok(bm.yoff <= -22 && bm.yoff >= -25, `top ${bm.yoff}`)
  assert.ok(bm.yoff + bm.height >= 0 && bm.yoff + bm.height <= 1, `bottom ${bm.yoff + bm.height}`)
  // Centred horizontally in the advance.
  const cx = ink.reduce((s, p) => s + p[0], 0) / ink.length + 0.5
  assert.ok(Math.abs(cx - advance / 2) < 1, `ink centre ${cx} vs ${advance / 2}`)
  // The middle row has one narrow run of ink (the stem) in the centre of the cell.
  const mid = Math.floor(bm.height / 2)
  const row = []
  for (let x = 0; x < bm.width; x++) if (px(bm, x, mid) >= INK) row.push(x + bm.xoff)
  assert.ok(row.length >= 2 && row.length <= 5, `stem width ${row.length}`)
  assert.is(row[row.length - 1] - row[0] + 1, row.length, 'one contiguous run')
  assert.ok(Math.abs((row[0] + row[row.length - 1] + 1) / 2 - advance / 2) < 1.5)
  // Top and bottom bars are wider than the stem.
  let top = 0, bottom = 0
  for (let x = 0; x < bm.width; x++) {
    if (px(bm, x, 1) >= INK) top++
    if (px(bm, x, bm.height - 2) >= INK) bottom++
  }
  assert.ok(top > row.length * 2 && bottom > row.length * 2, `bars ${top}, ${bottom} vs stem ${row.length}`)
})

test("'O' is a ring: empty centre, ink on all four sides", () => {
  const bm = glyph('O')
  const cx = Math.floor(bm.width / 2), cy = Math.floor(bm.height / 2)
  assert.is(px(bm, cx, cy), 0, 'centre is empty')
  // Inward from each side along the centre lines, ink comes before the empty middle.
  const hits = (dx, dy, x, y) => {
    for (; x >= 0 && y >= 0 && x < bm.width && y < bm.height; x += dx, y += dy) {
      if (px(bm, x, y) >= INK) return true
      if (x === cx && y === cy) return false
    }
    return false
  }
  assert.ok(hits(1, 0, 0, cy), 'left side')
  assert.ok(hits(-1, 0, bm.width - 1, cy), 'right side')
  assert.ok(hits(0, 1, cx, 0), 'top')
  assert.ok(hits(0, -1, cx, bm.height - 1), 'bottom')
  // It spans from just below the baseline to cap height.
  assert.ok(bm.yoff <= -22 && bm.yoff + bm.height >= 0)
  // The ring's stroke is thin compared with the letter: most of the box is not ink.
  const ink = inked(bm).length
  assert.ok(ink > bm.width * bm.height * 0.2 && ink < bm.width * bm.height * 0.6, `ink ${ink}`)
})

test("'.' has ink only near the baseline, in the middle of the cell", () => {
  const bm = glyph('.')
  const ink = inked(bm)
  assert.ok(ink.length >= 9, `ink ${ink.length}`)
  for (const [x, y] of ink) {
    assert.ok(y >= -6 && y <= 0, `ink at y ${y} is not near the baseline`)
    assert.ok(x >= 5 && x <= 14, `ink at x ${x} is not in the middle`)
  }
})

test("'|' is a tall thin bar through the baseline", () => {
  const bm = glyph('|')
  assert.ok(bm.height > SIZE, `height ${bm.height}`)
  assert.ok(bm.width <= 5, `width ${bm.width}`)
  assert.ok(bm.yoff < -SIZE * 0.7, 'reaches above cap height')
  assert.ok(bm.yoff + bm.height > SIZE * 0.15, 'reaches below the baseline')
  const col = Math.floor(bm.width / 2)
  for (let y = 1; y < bm.height - 1; y++) assert.ok(px(bm, col, y) >= INK, `gap at row ${y}`)
})

test('at 10 px every printable ASCII glyph but the space still has visible ink', () => {
  const s = 10 / font.unitsPerEm
  for (let c = 33; c < 127; c++) {
    const bm = rasterizeGlyph(font.glyphOutline(font.glyphIndex(c)), s)
    let max = 0
    for (const v of bm.data) if (v > max) max = v
    assert.ok(max >= 80, `'${String.fromCharCode(c)}' has no visible ink at 10 px (max ${max})`)
  }
})

test.run()
