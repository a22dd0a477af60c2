// Layout allocates nothing: a layout of a 100-character string allocates no bytes (an
// allocation of even a few bytes per glyph would be hundreds of bytes a call), measured by
// test/support/heap.mjs over 10k calls a round (bytes allocated between two heap readings plus
// everything collected in between; no gc() between the readings; best of a few rounds).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas, glyphIndexFor } from '../../dist/text/atlas.js'
import { layoutText, layoutTextBox, measureText } from '../../dist/text/layout.js'
import { assertAllocatesNothing } from '../support/heap.mjs'

const atlas = createGlyphAtlas({ font: loadFont(), pixelSize: 14 })
// 100 characters: letters, digits, spaces, symbols, a newline, an unknown BMP char and one
// outside the BMP (fallbacks through both lookup paths).
const text = ('BID 101.25 x 300 ▲ ASK 101.27 x 120 ▼ é\nspread 0.02 · vol 1,234,567 • chg −0.15% \u{1F600} ok').padEnd(100, '#')
const out = new Float32Array(text.length * 8)

test('a layout of 100 characters (all alignments and anchors) allocates nothing', async () => {
  assert.is(text.length, 100)
  // The frame keeps only small integers in its own variables, so the measurement sees what the
  // library allocates, not boxed doubles of the test itself.
  const sink = new Int32Array(1)
  const layout = (i) => {
    const align = (i & 1) ? 'center' : (i & 4) ? 'right' : 'left'
    const anchor = (i & 2) ? 'middle' : (i & 8) ? 'top' : (i & 16) ? 'bottom' : 'baseline'
    sink[0] += layoutText(atlas, text, 10 + (i & 7), 20, out, 0, align, anchor)
    sink[0] += glyphIndexFor(atlas, 0x1f600)
  }
  // Limit 16 B a call, as the two tests below: at most one boxed number when V8 does not inline
  // a helper. A fresh-clone CI run measured 9.9-36.9 B a call in every round (best 9.9), and a
  // build from before layoutText shared its helpers with layoutTextBox measured 2.9-28.3 here;
  // most runs measure 0. One allocation per line or per glyph is 50-1,600+ B a call.
  await assertAllocatesNothing('layoutText', layout, { frames: 10_000, warmup: 10_000, limit: 16 })
  assert.ok(sink[0] > 0)
})

test('measureText allocates at most the boxed result, nothing per character', async () => {
  const sink = new Int32Array(1)
  const measure = () => {
    sink[0] += measureText(atlas, text) > 100 ? 1 : 0
  }
  // At most one 16-byte HeapNumber per call (when V8 does not inline it; measured 15.5 B/call
  // here), with room for JIT noise; anything per character would be 100+ bytes a call.
  await assertAllocatesNothing('measureText', measure, { frames: 10_000, warmup: 10_000, limit: 24 })
  assert.ok(sink[0] >= 10_000) // every call measured the widest line as more than 100 px
})

test('a wrapped layout (word wrap, ellipsis, 2 lines) of text with é, 中 and € allocates nothing', async () => {
  // The characters are added to the atlas by the warm-up; after that nothing is allocated.
  const s = 'é中€ BID 101.25 x 300 ▲ ASK 101.27 x 120 ▼ spread 0.02'
  const box = { maxWidth: 120, ellipsis: true, maxLines: 2, align: 'center', anchor: 'middle' }
  const sink = new Int32Array(1)
  const layout = (i) => {
    sink[0] += layoutTextBox(atlas, s, 10 + (i & 7), 20, out, 0, box)
  }
  // Limit 16 B a call: at most one boxed number when V8 does not inline a helper (a CI run of the
  // full suite measured 3.3-7 B a call in every round; alone it measures 0), as measureText
  // above. Anything per character or per line (a 50-character, 2-line layout) is far over it.
  await assertAllocatesNothing('layoutTextBox', layout, { frames: 10_000, warmup: 10_000, limit: 16 })
  assert.ok(sink[0] > 0)
})

test.run()
