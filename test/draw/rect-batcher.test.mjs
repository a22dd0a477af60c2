// Rect batcher pixels: fill, border band width, rounded corners, translucent fill.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createRectBatcher } from '../../dist/draw/rect-batcher.js'
import { setup, px, near } from '../core/queue-helpers.mjs'

test('fill and border land on the expected pixels', async () => {
  const t = await setup()
  try {
    const r = createRectBatcher(t.queue)
    r.add(10, 10, 20, 12, 0, 1, 0, 1, 2, 1, 0, 0, 1) // green, 2 px red border
    r.addHex(40, 10, 10, 10, 0x0000ffff) // blue, no border
    t.queue.flush({ clearColor: [0, 0, 0, 1] })
    const p = t.read()
    const RED = [255, 0, 0, 255], GREEN = [0, 255, 0, 255], BLACK = [0, 0, 0, 255]
    assert.equal(px(p, 64, 9, 15), BLACK, 'left of the rect')
    assert.equal(px(p, 64, 10, 15), RED, 'border column 1')
    assert.equal(px(p, 64, 11, 15), RED, 'border column 2')
    assert.equal(px(p, 64, 12, 15), GREEN, 'fill starts after 2 px')
    assert.equal(px(p, 64, 27, 15), GREEN)
    assert.equal(px(p, 64, 28, 15), RED)
    assert.equal(px(p, 64, 29, 15), RED, 'last column (10 + 20 - 1)')
    assert.equal(px(p, 64, 30, 15), BLACK)
    assert.equal(px(p, 64, 20, 10), RED, 'top border')
    assert.equal(px(p, 64, 20, 12), GREEN)
    assert.equal(px(p, 64, 20, 21), RED, 'bottom border row (10 + 12 - 1)')
    assert.equal(px(p, 64, 20, 22), BLACK)
    assert.equal(px(p, 64, 40, 10), [0, 0, 255, 255], 'borderless rect fills to its corner')
    assert.equal(px(p, 64, 49, 19), [0, 0, 255, 255])
    assert.equal(px(p, 64, 50, 19), BLACK)
    assert.is(t.queue.stats.glDrawCalls, 1, 'both rects in one draw')
  } finally {
    t.done()
  }
})

test('rounded corners leave the corner clear and keep the edges; translucent fill blends', async () => {
  const t = await setup()
  try {
    const r = createRectBatcher(t.queue)
    r.add(0, 0, 32, 32, 1, 1, 1, 1, 0, 0, 0, 0, 0, 10) // white, radius 10
    r.add(40, 0, 20, 20, 1, 0, 0, 0.5, 0, 0, 0, 0, 0) // 50% red
    t.queue.flush({ clearColor: [0, 0, 0, 1] })
    const p = t.read()
    assert.equal(px(p, 64, 0, 0), [0, 0, 0, 255], 'corner pixel outside the arc')
    assert.equal(px(p, 64, 1, 1), [0, 0, 0, 255])
    assert.equal(px(p, 64, 16, 0), [255, 255, 255, 255], 'top edge centre is filled')
    assert.equal(px(p, 64, 0, 16), [255, 255, 255, 255])
    assert.equal(px(p, 64, 6, 6), [255, 255, 255, 255], 'inside the arc')
    // Distances from the pixel centres to the arc (centre 10,10, radius 10): (3.5,3.5) is 0.81
    // inside, (2.5,2.5) 0.61 outside, (2.5,3.5) 0.08 inside: coverage 1, 0 and about 0.58.
    assert.equal(px(p, 64, 3, 3), [255, 255, 255, 255])
    assert.equal(px(p, 64, 2, 2), [0, 0, 0, 255])
    const edge = px(p, 64, 2, 3)[0]
    assert.ok(edge > 120 && edge < 175, `arc edge pixel is partly covered (${edge})`)
    assert.ok(near(px(p, 64, 50, 10), [128, 0, 0, 255], 2), `translucent red over black: ${px(p, 64, 50, 10)}`)
  } finally {
    t.done()
  }
})

test.run()
