// Sprite batcher pixels: placement in pixel coordinates (y down), texture regions, rotation about
// the centre, tint, packed colours, the default white texture, alpha blending; the bulk path; bad
// input (coded errors in debug, counted skips in release).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSpriteBatcher, createSpriteStyle, SPRITE_FLOATS } from '../../dist/draw/sprite-batcher.js'
import { packColor, packHexColor, rgba } from '../../dist/draw/color.js'
import { setup, px, near, codeOf } from '../core/queue-helpers.mjs'

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
    s.add(0, 0, 32, 32, 0) // default style: untinted, the whole texture
    s.add(32, 0, 32, 32, Math.PI / 2, createSpriteStyle())
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
    tex.add(0, 0, 16, 16, 0, createSpriteStyle({ tint: 0xff00ffff, region: [0.5, 0.5, 1, 1] })) // white region tinted magenta
    tex.add(16, 0, 16, 16, 0, createSpriteStyle({ tint: 0x808080ff, region: [0.5, 0, 1, 0.5] })) // green region at half brightness
    const style = createSpriteStyle({ tint: rgba(0, 1, 1, 1) })
    plain.add(0, 32, 16, 16, 0, style) // untextured cyan
    style.tint = 0xffff00ff // styles are mutable
    plain.add(16, 32, 16, 16, 0, style) // yellow
    t.queue.flush(BLACK)
    const p = t.read()
    assert.equal(px(p, 64, 8, 8), [255, 0, 255, 255])
    assert.ok(near(px(p, 64, 24, 8), [0, 128, 0, 255], 1), `half green: ${px(p, 64, 24, 8)}`)
    assert.equal(px(p, 64, 8, 40), [0, 255, 255, 255])
    assert.equal(px(p, 64, 24, 40), [255, 255, 0, 255])
    assert.is(packHexColor(0x11223344), 0x44332211, 'hex colours become little-endian RGBA bytes')
    assert.is(packColor(2, -1, NaN, 0.5), (255 | (128 << 24)) >>> 0, 'channels clamp to 0..1, NaN is 0')
    assert.is(rgba(1, 0.5, 0, 1), 0xff8000ff)
  } finally {
    t.done()
  }
})

test('translucent sprites blend with alpha; sprite edges sit on exact pixels', async () => {
  const t = await setup()
  try {
    const s = createSpriteBatcher(t.queue)
    s.add(10, 20, 5, 3, 0, createSpriteStyle({ tint: 0xffffff80 }))
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

test('bulk path: reserve + commit writes instances straight into the queue', async () => {
  const t = await setup()
  try {
    const s = createSpriteBatcher(t.queue, { texture: quadrantTexture(t.device), translucent: false })
    const n = 4
    const w = s.reserve(n)
    assert.is(w.stride, SPRITE_FLOATS)
    assert.ok(w.floats === t.queue.payload && w.uints.buffer === w.floats.buffer, 'views of the queue payload')
    for (let i = 0, o = w.offset; i < n; i++, o += SPRITE_FLOATS) {
      w.floats[o] = (i % 2) * 32; w.floats[o + 1] = (i >> 1) * 32; w.floats[o + 2] = 32; w.floats[o + 3] = 32
      w.floats[o + 4] = 0
      w.floats[o + 5] = 0; w.floats[o + 6] = 0; w.floats[o + 7] = 1; w.floats[o + 8] = 1
      w.uints[o + 9] = i === 3 ? packHexColor(0x808080ff) : 0xffffffff
    }
    s.commit(n)
    t.queue.flush(BLACK)
    assert.is(t.queue.stats.draws, 1)
    assert.is(t.queue.stats.glDrawCalls, 1)
    const p = t.read()
    assert.equal(px(p, 64, 8, 8), RED)
    assert.equal(px(p, 64, 32 + 24, 8), GREEN)
    assert.equal(px(p, 64, 8, 32 + 24), BLUE)
    assert.ok(near(px(p, 64, 32 + 24, 32 + 24), [128, 128, 128, 255], 1), 'tinted by the packed colour')
    // A reservation larger than the payload grows it (counted), and commit(0) records nothing.
    const big = s.reserve(t.queue.payload.length)
    assert.is(big.floats, t.queue.payload)
    s.commit(0)
    t.queue.flush(BLACK)
    assert.is(t.queue.stats.poolGrowths, 1)
    assert.is(t.queue.stats.draws, 0)
  } finally {
    t.done()
  }
})

test('bad draws: coded errors in debug, counted skips in release', async () => {
  assert.is(codeOf(() => createSpriteStyle({ tint: -1 })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createSpriteStyle({ region: [0, 0, 1] })), 'FL_INVALID_DESC')
  const dbg = await setup()
  try {
    const s = createSpriteBatcher(dbg.queue)
    const style = createSpriteStyle()
    assert.is(codeOf(() => s.add(0, 0, 1, 1, NaN, style)), 'FL_INVALID_DRAW', 'NaN rotation')
    style.tint = NaN
    assert.is(codeOf(() => s.add(0, 0, 1, 1, 0, style)), 'FL_INVALID_DRAW', 'NaN colour')
    const w = s.reserve(1)
    w.floats[w.offset] = NaN
    assert.is(codeOf(() => s.commit(1)), 'FL_INVALID_DRAW', 'debug commit checks the floats')
    assert.is(codeOf(() => s.reserve(-1)), 'FL_INVALID_DRAW')
    dbg.queue.flush()
  } finally {
    dbg.done()
  }
  const rel = await setup({ debug: false })
  try {
    const s = createSpriteBatcher(rel.queue)
    const style = createSpriteStyle()
    s.add(0, NaN, 1, 1, 0, style)
    style.tint = 1.5
    s.add(0, 0, 1, 1, 0, style) // not a colour
    style.tint = 0xffffffff
    s.depth = NaN
    s.add(0, 0, 1, 1, 0, style)
    s.depth = 1
    s.reserve(1.5) // refused: count 0
    s.commit(1)
    s.reserve(2)
    rel.queue.flush() // a flush between reserve and commit
    assert.is(rel.queue.stats.skipped, 4, 'NaN y, a tint that is not a colour, NaN depth, a refused reservation')
    assert.is(rel.queue.stats.draws, 0)
    s.commit(2)
    rel.queue.flush()
    assert.is(rel.queue.stats.skipped, 1, 'the commit after a flush')
    assert.is(rel.queue.stats.draws, 0)
  } finally {
    rel.done()
  }
})

test.run()
