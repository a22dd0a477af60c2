// Clip rectangles (src/core/clip.ts): pixels inside and outside nested clips, a clip changed
// between frames, top-left origin against GL's bottom-left scissor, viewports and render targets
// of other sizes, per-draw clips of one batcher, empty clips, and the scissor being off again for
// the next pass's clear.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createClip, resolveClip } from '../../dist/core/clip.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { createTextBatcher } from '../../dist/draw/text-batcher.js'
import { setup, px, codeOf } from '../core/queue-helpers.mjs'

const RED = [255, 0, 0, 255], GREEN = [0, 255, 0, 255], BLUE = [0, 0, 255, 255], BLACK = [0, 0, 0, 255]
const PASS = { clearColor: [0, 0, 0, 1] }

test('a nested clip draws only inside its own rectangle and its parent\'s', async () => {
  const t = await setup()
  try {
    const panel = createClip({ x: 10, y: 10, w: 40, h: 40 })
    const inner = createClip({ x: 30, y: 4, w: 40, h: 20, parent: panel }) // sticks out right and up
    const rects = createRectBatcher(t.queue, { clip: inner, translucent: false })
    rects.add(0, 0, 64, 64, createRectStyle({ fill: 0xff0000ff }))
    t.queue.flush(PASS)
    const p = t.read()
    assert.equal(px(p, 64, 30, 10), RED, 'top-left of the intersection')
    assert.equal(px(p, 64, 49, 23), RED, 'bottom-right of the intersection (x < 50, y < 24)')
    assert.equal(px(p, 64, 29, 15), BLACK, 'left of the inner clip, inside the panel')
    assert.equal(px(p, 64, 40, 9), BLACK, 'inside the inner clip, above the panel')
    assert.equal(px(p, 64, 50, 15), BLACK, 'inside the inner clip, right of the panel')
    assert.equal(px(p, 64, 40, 24), BLACK, 'below the inner clip')
    const r = new Int32Array(4)
    resolveClip(inner, r)
    assert.equal([...r], [30, 10, 50, 24])
  } finally {
    t.done()
  }
})

test('the clip uses a top-left origin and follows clip.set from one frame to the next', async () => {
  const t = await setup()
  try {
    const clip = createClip({ x: 0, y: 0, w: 64, h: 16 })
    const rects = createRectBatcher(t.queue, { clip })
    const green = createRectStyle({ fill: 0x00ff00ff })
    rects.add(0, 0, 64, 64, green)
    t.queue.flush(PASS)
    let p = t.read()
    assert.equal(px(p, 64, 5, 0), GREEN, 'top row drawn')
    assert.equal(px(p, 64, 5, 15), GREEN)
    assert.equal(px(p, 64, 5, 16), BLACK, 'rows below the clip are not')
    assert.equal(px(p, 64, 5, 63), BLACK, 'bottom row (GL y 0) not drawn')

    clip.set(40, 20, 10, 30)
    rects.add(0, 0, 64, 64, green)
    t.queue.flush(PASS)
    p = t.read()
    assert.equal(px(p, 64, 5, 5), BLACK, 'the old rectangle is gone')
    assert.equal(px(p, 64, 40, 20), GREEN)
    assert.equal(px(p, 64, 49, 49), GREEN)
    assert.equal(px(p, 64, 50, 30), BLACK)
    assert.equal(px(p, 64, 45, 50), BLACK)
  } finally {
    t.done()
  }
})

test('one batcher with a clip per draw, null clips and the next pass\'s clear are unclipped', async () => {
  const t = await setup()
  try {
    const left = createClip({ x: 0, y: 0, w: 20, h: 64 })
    const right = createClip({ x: 44, y: 0, w: 20, h: 64 })
    const rects = createRectBatcher(t.queue, { translucent: false })
    const lines = createLineBatcher(t.queue, { clip: right, antialias: 0 })
    rects.clip = left
    rects.add(0, 0, 64, 10, createRectStyle({ fill: 0xff0000ff }))
    rects.clip = right
    rects.add(0, 10, 64, 10, createRectStyle({ fill: 0x0000ffff }))
    rects.clip = null
    rects.add(0, 20, 64, 10, createRectStyle({ fill: 0x00ff00ff }))
    lines.segment(0, 40, 64, 40, createLineStyle({ color: 0xff0000ff, thickness: 4 }))
    t.queue.flush(PASS)
    let p = t.read()
    assert.equal(px(p, 64, 5, 5), RED)
    assert.equal(px(p, 64, 30, 5), BLACK, 'first draw clipped to the left')
    assert.equal(px(p, 64, 50, 15), BLUE)
    assert.equal(px(p, 64, 30, 15), BLACK, 'second draw clipped to the right')
    assert.equal(px(p, 64, 30, 25), GREEN, 'null clip: no scissor')
    assert.equal(px(p, 64, 50, 40), RED, 'line inside its batcher clip')
    assert.equal(px(p, 64, 10, 40), BLACK, 'line outside it')
    assert.is(t.queue.stats.glDrawCalls, 4, 'the three clips of one batch are three GL draws (+ the line)')
    // A flush that clears with nothing recorded must clear the whole target.
    t.queue.flush({ clearColor: [0, 0, 1, 1] })
    p = t.read()
    assert.equal(px(p, 64, 30, 5), BLUE, 'clear after a clipped flush covers everything')
    assert.equal(px(p, 64, 30, 60), BLUE)
  } finally {
    t.done()
  }
})

test('clips in a viewport and in a render target of another size', async () => {
  const t = await setup()
  try {
    const clip = createClip({ x: 0, y: 0, w: 16, h: 8 })
    const rects = createRectBatcher(t.queue, { clip })
    const red = createRectStyle({ fill: 0xff0000ff })
    // A 32x32 viewport whose bottom-left is GL (16, 16): top-left of the target is (16, 16) too.
    rects.add(0, 0, 32, 32, red)
    t.queue.flush({ clearColor: [0, 0, 0, 1], viewport: [16, 16, 32, 32] })
    let p = t.read()
    assert.equal(px(p, 64, 16, 16), RED, 'clip origin at the viewport\'s top-left')
    assert.equal(px(p, 64, 31, 23), RED)
    assert.equal(px(p, 64, 32, 20), BLACK, 'right of the clip')
    assert.equal(px(p, 64, 20, 24), BLACK, 'below the clip')

    const target = t.device.createRenderTarget({ width: 40, height: 20 })
    clip.set(0, 12, 40, 8) // the bottom 8 rows of the 20-row target
    rects.add(0, 0, 40, 20, red)
    t.queue.flush({ target, clearColor: [0, 0, 0, 1] })
    p = t.device.readPixels(0, 0, 40, 20, undefined, target)
    assert.equal(px(p, 40, 5, 12), RED)
    assert.equal(px(p, 40, 39, 19), RED)
    assert.equal(px(p, 40, 5, 11), BLACK, 'rows above the clip in the target')
    assert.equal(px(p, 40, 5, 0), BLACK)
  } finally {
    t.done()
  }
})

test('an empty clip draws nothing and is counted; text honours its batcher clip', async () => {
  const t = await setup()
  try {
    const panel = createClip({ x: 0, y: 0, w: 20, h: 20 })
    const scrolledOut = createClip({ x: 0, y: 40, w: 20, h: 20, parent: panel })
    const rects = createRectBatcher(t.queue, { clip: scrolledOut })
    rects.add(0, 0, 64, 64)
    rects.add(0, 0, 64, 64)
    const text = createTextBatcher(t.queue, { clip: createClip({ x: 0, y: 0, w: 64, h: 20 }), pixelSize: 14 })
    text.draw('HHHH', 2, 22, undefined) // baseline at 22: the glyphs span the clip's bottom edge
    t.queue.flush(PASS)
    const p = t.read()
    assert.equal(px(p, 64, 10, 50), BLACK, 'the empty clip drew nothing')
    assert.is(t.queue.stats.clipped, 2, 'both rect records counted as clipped')
    let above = 0, below = 0
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) if (px(p, 64, x, y)[0] > 128) (y < 20 ? above++ : below++)
    assert.ok(above > 20, `text drawn inside the clip (${above} px)`)
    assert.is(below, 0, 'no text pixel below the clip')
  } finally {
    t.done()
  }
})

test('bad clips are coded errors', () => {
  assert.is(codeOf(() => createClip({ x: 0, y: 0, w: -1, h: 1 })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createClip({ x: NaN })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createClip({ parent: {} })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createClip({ widht: 3 })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createClip().set(0, 0, Infinity, 1)), 'FL_INVALID_DESC')
})

test('a batcher refuses a clip or transform that is not one', async () => {
  const t = await setup()
  try {
    assert.is(codeOf(() => createRectBatcher(t.queue, { clip: { x: 0, y: 0, w: 1, h: 1 } })), 'FL_INVALID_DESC')
    assert.is(codeOf(() => createRectBatcher(t.queue, { transform: new Float32Array(9) })), 'FL_INVALID_DESC')
  } finally {
    t.done()
  }
})

test.run()
