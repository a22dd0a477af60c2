// Layout allocates nothing: 10,000 layouts of a 100-character string must grow the heap by less
// than ~100 KB and trigger no garbage collection at all (an allocation of even a few bytes per
// glyph would be ~16 MB over the run and force several). No GC during the measured loop also
// guarantees the heap delta is the true allocation, not what survived a collection.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { PerformanceObserver } from 'node:perf_hooks'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas, glyphIndexFor } from '../../dist/text/atlas.js'
import { layoutText, measureText } from '../../dist/text/layout.js'

const atlas = createGlyphAtlas({ font: loadFont(), pixelSize: 14 })
// 100 characters: letters, digits, spaces, symbols, a newline, an unknown BMP char and one
// outside the BMP (fallbacks through both lookup paths).
const text = ('BID 101.25 x 300 ▲ ASK 101.27 x 120 ▼ é\nspread 0.02 · vol 1,234,567 • chg −0.15% \u{1F600} ok').padEnd(100, '#')
const out = new Float32Array(text.length * 8)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Heap growth and GC count of one `loop(iterations)` run, starting from a collected heap. */
async function measureOnce(loop, iterations) {
  let gcs = 0
  const obs = new PerformanceObserver((list) => { gcs += list.getEntries().length })
  obs.observe({ entryTypes: ['gc'] })
  global.gc()
  await sleep(10) // deliver the forced GC's entry before counting
  gcs = 0
  const before = process.memoryUsage().heapUsed
  const sink = loop(iterations)
  const after = process.memoryUsage().heapUsed
  await sleep(10)
  obs.disconnect()
  if (process.env.FRAMELATCH_TEST_VERBOSE) console.log(`heap grew ${after - before} bytes, ${gcs} GCs`)
  return { grew: after - before, gcs, sink }
}

/**
 * Steady-state allocation of `loop(iterations)`: warms the loop up (pausing so V8's background
 * compiler can finish), then measures up to three runs and returns the first clean one, else the
 * smallest. A run can catch the JIT mid-way (a function still in the interpreter boxes its
 * doubles); real per-call allocation shows in every run, so it still fails.
 */
async function measure(loop, iterations, limit) {
  assert.type(global.gc, 'function', 'run with --expose-gc (test/run.mjs does)')
  for (let k = 0; k < 5; k++) {
    loop(2000)
    await sleep(5)
  }
  let best = null
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await measureOnce(loop, iterations)
    if (best === null || r.grew < best.grew) best = r
    if (r.gcs === 0 && r.grew < limit) return r
  }
  return best
}

test('10k layouts of 100 characters (all alignments and anchors) allocate < 100 KB, no GC', async () => {
  assert.is(text.length, 100)
  // The loop keeps only small integers in its own variables, so the measurement sees what
  // the library allocates, not boxed doubles of the test itself.
  const loop = (iterations) => {
    let sink = 0
    for (let i = 0; i < iterations; i++) {
      const align = (i & 1) ? 'center' : (i & 4) ? 'right' : 'left'
      const anchor = (i & 2) ? 'middle' : (i & 8) ? 'top' : (i & 16) ? 'bottom' : 'baseline'
      sink = (sink + layoutText(atlas, text, 10 + (i & 7), 20, out, 0, align, anchor)) | 0
      sink = (sink + glyphIndexFor(atlas, 0x1f600)) | 0
    }
    return sink
  }
  const { grew, gcs, sink } = await measure(loop, 10_000, 100 * 1024)
  assert.ok(sink > 0)
  assert.is(gcs, 0, `${gcs} garbage collections during the loop: something allocates per call`)
  assert.ok(grew < 100 * 1024, `heap grew ${grew} bytes over 10k layouts`)
})

test('10k measureText calls allocate at most the boxed result, nothing per character', async () => {
  const loop = (iterations) => {
    let sink = 0
    for (let i = 0; i < iterations; i++) sink = (sink + (measureText(atlas, text) > 100 ? 1 : 0)) | 0
    return sink
  }
  const { grew, gcs, sink } = await measure(loop, 10_000, 200 * 1024)
  assert.is(sink, 10_000) // every call measured the widest line as more than 100 px
  assert.is(gcs, 0, `${gcs} garbage collections during the loop: measureText allocates per character`)
  // At most one 16-byte HeapNumber per call (when V8 does not inline it): < 200 KB for 10k.
  assert.ok(grew < 200 * 1024, `heap grew ${grew} bytes over 10k measureText calls`)
})

test.run()
