// Steady-state allocation of clips and view transforms: a frame that scrolls a nested clip
// (`clip.set`), pans a transform, switches a batcher's clip and transform between draws and
// flushes allocates nothing (test/support/heap.mjs). As in test/core/queue-heap.test.mjs, the
// measured frames run with `gl.bufferSubData` stubbed out (@kmamal/gl wraps its data in short-lived
// arrays: the binding's allocation, not framelatch's); the image is checked with the real one.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createClip } from '../../dist/core/clip.js'
import { createViewTransform } from '../../dist/core/view-transform.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { createTextBatcher } from '../../dist/draw/text-batcher.js'
import { setup, px } from '../core/queue-helpers.mjs'
import { assertAllocatesNothing } from '../support/heap.mjs'

test('scrolling clips and panning transforms allocate nothing per frame', async () => {
  const t = await setup({ debug: false })
  try {
    const q = t.queue
    const panel = createClip({ x: 0, y: 0, w: 48, h: 64 })
    const list = createClip({ x: 0, y: 8, w: 48, h: 40, parent: panel })
    const side = createClip({ x: 48, y: 0, w: 16, h: 64 })
    const view = createViewTransform()
    const rects = createRectBatcher(q, { clip: panel })
    const lines = createLineBatcher(q, { clip: list, transform: view })
    const text = createTextBatcher(q, { clip: side, layer: 2 })
    const red = createRectStyle({ fill: 0xff0000ff }), blue = createRectStyle({ fill: 0x0000ffff })
    const green = createLineStyle({ color: 0x00ff00ff, thickness: 2 })
    const pts = new Float32Array(200)
    for (let i = 0; i < 100; i++) { pts[i * 2] = i; pts[i * 2 + 1] = 20 + (i % 7) }
    const frame = (f) => {
      const scroll = f & 7
      list.set(0, 8 + scroll, 48, 40)
      view.setScaleTranslate(1, 1, -scroll, 0)
      rects.clip = panel
      rects.transform = null
      rects.add(0, 0, 64, 8, red)
      rects.clip = list
      rects.transform = view
      rects.add(0, 30, 64, 4, blue)
      lines.polyline(pts, 100, green)
      text.draw('42', 50, 20)
      q.flush({ clearColor: [0, 0, 0, 1] })
    }
    const gl = t.device.gl
    const real = gl.bufferSubData
    gl.bufferSubData = function stub() {}
    try {
      await assertAllocatesNothing('clips + transforms', frame, { frames: 200, warmup: 200 })
    } finally {
      gl.bufferSubData = real
    }
    assert.is(q.stats.skipped, 0)
    assert.is(q.stats.poolGrowths, 0)
    frame(0)
    const p = t.read()
    assert.equal(px(p, 64, 10, 4), [255, 0, 0, 255], 'panel rect')
    assert.equal(px(p, 64, 56, 4), [0, 0, 0, 255], 'panel rect clipped at x 48')
    assert.equal(px(p, 64, 10, 31), [0, 0, 255, 255], 'list rect')
  } finally {
    t.done()
  }
})

test.run()
