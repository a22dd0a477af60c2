// Sprite batcher pixels: placement in pixel coordinates (y down), texture regions, rotation about
// the centre, tint, packed colours, the default white texture, alpha blending.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSpriteBatcher, packColor, packHexColor } from '../../dist/draw/sprite-batcher.js'
import { setup, px, near } from '../core/queue-helpers.mjs'

const BLACK = { clearColor: [0, 0, 0, 1] }
const RED = [255, 0, 0, 255], GREEN = [0, 255, 0, 255], BLUE = [0, 0, 255, 255], WHITE = [255, 255, 255, 255]

/** 2x2 texture, top row first: red green / blue white. */
function quadrantTexture(device) {
  return device.createTexture({
    width: 2, height: 2, minFilter: 'nearest', magFilter: 'nearest',
    data: new Uint8Array([...RED, ...GREEN, ...BLUE, ...WHITE]),
  })
}

test('texture quadrants land in the right screen quadrants; rotation turns clockwise about the centre', async () => {
  const t = await setup()
  try {
    const s = createSpriteBatcher(t.queue, { texture: quadrantTexture(t.device), translucent: false })
    s.add(0, 0, 32, 32, 0, 0, 0, 1, 1, 1, 1, 1, 1)
    s.add(32, 0, 32, 32, Math.PI / 2, 0, 0, 1, 1, 1, 1, 1, 1)
    t.queue.flush(BLACK)
    const p = t.read()
    assert.equal(px(p, 64, 8, 8), RED, 'top-left texel at the top-left')
    assert.equal(px(p, 64, 24, 8), GREEN)
    assert.equal(px(p, 64, 8, 24), BLUE)
    assert.equal(px(p, 64, 24, 24), WHITE)
    assert.equal(px(p, 64, 32 + 24, 8), RED, 'rotated a quarter turn: top-left texel now at the top-right')
    assert.equal(px(p, 64, 32 + 24, 24), GREEN)
    assert.equal(px(p, 64, 32 + 8, 8), BLUE)
    assert.equal(px(p, 64, 32 + 8, 24), WHITE)
    assert.equal(px(p, 64, 8, 40), [0, 0, 0, 255], 'nothing below the sprites')
  } finally {
    t.done()
  }
})

test('texture regions, tint, packed colours and the default white texture', async () => {
  const t = await setup()
  try {
    const tex = createSpriteBatcher(t.queue, { texture: quadrantTexture(t.device), translucent: false })
    const plain = createSpriteBatcher(t.queue, { translucent: false })
    tex.add(0, 0, 16, 16, 0, 0.5, 0.5, 1, 1, 1, 0, 1, 1) // white region tinted magenta
    tex.addHex(16, 0, 16, 16, 0, 0.5, 0, 1, 0.5, 0x808080ff) // green region at half brightness
    plain.add(0, 32, 16, 16, 0, 0, 0, 1, 1, 0, 1, 1, 1) // untextured cyan
    plain.addPacked(16, 32, 16, 16, 0, 0, 0, 1, 1, packColor(1, 1, 0, 1)) // yellow
    t.queue.flush(BLACK)
    const p = t.read()
    assert.equal(px(p, 64, 8, 8), [255, 0, 255, 255])
    assert.ok(near(px(p, 64, 24, 8), [0, 128, 0, 255], 1), `half green: ${px(p, 64, 24, 8)}`)
    assert.equal(px(p, 64, 8, 40), [0, 255, 255, 255])
    assert.equal(px(p, 64, 24, 40), [255, 255, 0, 255])
    assert.is(packHexColor(0x11223344), 0x44332211, 'hex colours become little-endian RGBA bytes')
    assert.is(packColor(2, -1, NaN, 0.5), (255 | (128 << 24)) >>> 0, 'channels clamp to 0..1, NaN is 0')
  } finally {
    t.done()
  }
})

test('translucent sprites blend with alpha; sprite edges sit on exact pixels', async () => {
  const t = await setup()
  try {
    const s = createSpriteBatcher(t.queue)
    s.add(10, 20, 5, 3, 0, 0, 0, 1, 1, 1, 1, 1, 0.5)
    t.queue.flush({ clearColor: [0, 0, 1, 1] })
    const p = t.read()
    assert.ok(near(px(p, 64, 10, 20), [128, 128, 128 + 127, 255], 2), `white at 50% over blue: ${px(p, 64, 10, 20)}`)
    assert.ok(near(px(p, 64, 14, 22), [128, 128, 255, 255], 2))
    assert.equal(px(p, 64, 9, 20), [0, 0, 255, 255], 'x = 9 is left of the sprite')
    assert.equal(px(p, 64, 15, 20), [0, 0, 255, 255], 'x = 15 is right of it (10 + 5)')
    assert.equal(px(p, 64, 10, 23), [0, 0, 255, 255], 'y = 23 is below it (20 + 3)')
  } finally {
    t.done()
  }
})

test.run()
