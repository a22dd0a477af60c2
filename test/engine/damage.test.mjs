// Damage-aware redraw (engine/damage.ts, engine/damage-canvas.ts): panels are redrawn only when
// damaged and keep their pixels otherwise; draw calls are counted to prove the skips. Pixels are
// read back from a headless engine at chosen points.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine, createRectBatcher, createRectStyle, createClip, ErrorCode } from '../../dist/index.js'
import { assertAllocatesNothing } from '../support/heap.mjs'

const RED = [255, 0, 0, 255]
const GREEN = [0, 255, 0, 255]
const BLUE = [0, 0, 255, 255]
const GREY = [51, 51, 51, 255]

async function setup() {
  const engine = await createEngine({ headless: true, width: 200, height: 100, vblank: false, clearColor: [0.2, 0.2, 0.2, 1] })
  const rects = createRectBatcher(engine.queue)
  const px = (x, y) => Array.from(engine.device.readPixels(x, y, 1, 1))
  return { engine, rects, px }
}

/** A panel filling itself with `fills[key]` (changed between frames by the test), counting draws. */
function colourPanel(engine, rects, rect, fills, key, extra = {}) {
  const style = createRectStyle({ fill: fills[key] })
  return engine.createPanel({
    ...rect,
    label: key,
    draw: (frame, panel) => {
      style.fill = fills[key]
      // Deliberately larger than the panel: the canvas clips the draw to the panel's rectangle.
      rects.add(panel.x - 20, panel.y - 20, panel.w + 40, panel.h + 40, style)
    },
    ...extra,
  })
}

test('undamaged panels keep their pixels and are not redrawn; invalidated ones update, clipped to their rectangle', async () => {
  const { engine, rects, px } = await setup()
  try {
    const fills = { a: 0xff0000ff, b: 0x00ff00ff }
    const a = colourPanel(engine, rects, { x: 0, y: 0, w: 80, h: 100 }, fills, 'a')
    const b = colourPanel(engine, rects, { x: 100, y: 0, w: 80, h: 100 }, fills, 'b')
    engine.renderFrame()
    assert.is(a.drawCount, 1)
    assert.is(b.drawCount, 1)
    assert.equal(px(40, 50), RED)
    assert.equal(px(140, 50), GREEN)
    assert.equal(px(90, 50), GREY, 'between the panels: the clear colour (a\'s oversized rect was clipped)')
    assert.equal(px(190, 50), GREY)

    // Inputs change but nobody says so: nothing is redrawn, the old pixels stay.
    fills.a = 0x0000ffff
    for (let i = 0; i < 3; i++) engine.renderFrame()
    assert.is(a.drawCount, 1, 'a was not redrawn')
    assert.is(b.drawCount, 1, 'b was not redrawn')
    assert.equal(engine.damageStats.panelsDrawn, 0)
    assert.equal(engine.damageStats.panelsKept, 2)
    assert.equal(px(40, 50), RED, 'a keeps its pixels while not redrawn')
    assert.equal(px(140, 50), GREEN, 'b keeps its pixels while not redrawn')

    a.invalidate()
    engine.renderFrame()
    assert.is(a.drawCount, 2)
    assert.is(b.drawCount, 1, 'b is not redrawn when a is')
    assert.equal(px(40, 50), BLUE, 'a updated')
    assert.equal(px(140, 50), GREEN, 'b kept')
    assert.equal(px(90, 50), GREY, 'a\'s redraw stays inside its rectangle')
  } finally {
    engine.destroy()
  }
})

test('clips inside a panel are intersected with its rectangle, and unclipped draws after them stay inside it too', async () => {
  const { engine, px } = await setup()
  try {
    // A clip reaching far outside the panel (x 20..180), then an unclipped rect, both oversized.
    const clip = createClip({ x: 20, y: 0, w: 160, h: 50 })
    const clipped = createRectBatcher(engine.queue, { clip, sequenced: true })
    const free = createRectBatcher(engine.queue, { sequenced: true })
    const red = createRectStyle({ fill: 0xff0000ff })
    const blue = createRectStyle({ fill: 0x0000ffff })
    engine.createPanel({
      x: 60, y: 0, w: 80, h: 100,
      draw: (frame, panel) => {
        clipped.add(0, 0, 200, 100, red)
        free.add(0, 60, 200, 40, blue)
      },
    })
    engine.renderFrame()
    assert.equal(px(100, 25), RED, 'clipped draw inside clip and panel')
    assert.equal(px(30, 25), GREY, 'inside the clip but left of the panel: not drawn')
    assert.equal(px(160, 25), GREY, 'inside the clip but right of the panel: not drawn')
    assert.equal(px(100, 80), BLUE, 'unclipped draw inside the panel')
    assert.equal(px(30, 80), GREY, 'unclipped draw after a clipped one: still inside the panel')
    assert.equal(px(160, 80), GREY)
  } finally {
    engine.destroy()
  }
})

test('changed(frame) redraws in the same frame; engine.damage() redraws the panels it touches and clears the rest', async () => {
  const { engine, rects, px } = await setup()
  try {
    const fills = { a: 0xff0000ff, b: 0x00ff00ff }
    let dirty = false
    const a = colourPanel(engine, rects, { x: 0, y: 0, w: 80, h: 100 }, fills, 'a', { changed: () => dirty })
    const b = colourPanel(engine, rects, { x: 100, y: 0, w: 80, h: 100 }, fills, 'b')
    engine.renderFrame()
    fills.a = 0x0000ffff
    dirty = true
    engine.renderFrame()
    dirty = false
    assert.is(a.drawCount, 2)
    assert.equal(px(40, 50), BLUE, 'redrawn in the frame whose changed() said so')

    // Something drawn over the canvas outside the panels (onFrame) for one frame only.
    fills.b = 0xff0000ff
    engine.damage(150, 10, 45, 10)
    engine.renderFrame()
    assert.is(a.drawCount, 2, 'a is outside the damage')
    assert.is(b.drawCount, 2, 'b intersects the damage')
    assert.equal(px(140, 50), RED)
    assert.equal(px(190, 15), GREY)
  } finally {
    engine.destroy()
  }
})

test('a redrawn panel redraws the later panels it overlaps; destroy and setRect damage the old rectangle', async () => {
  const { engine, rects, px } = await setup()
  try {
    const fills = { under: 0xff0000ff, over: 0x00ff00ff, other: 0x0000ffff }
    const under = colourPanel(engine, rects, { x: 0, y: 0, w: 100, h: 100 }, fills, 'under')
    const over = colourPanel(engine, rects, { x: 50, y: 25, w: 100, h: 50 }, fills, 'over')
    const other = colourPanel(engine, rects, { x: 160, y: 0, w: 40, h: 100 }, fills, 'other')
    engine.renderFrame()
    assert.equal(px(60, 50), GREEN, 'the later panel is on top')
    under.invalidate()
    engine.renderFrame()
    assert.is(over.drawCount, 2, 'over was redrawn because under cleared the overlap')
    assert.is(other.drawCount, 1)
    assert.equal(px(60, 50), GREEN, 'still on top')
    assert.equal(px(20, 50), RED)

    over.destroy()
    engine.renderFrame()
    assert.ok(over.destroyed)
    assert.equal(px(60, 50), RED, 'under shows again where over was')
    assert.equal(px(120, 50), GREY, 'the rest of over\'s rectangle is cleared')
    other.setRect(110, 0, 40, 100)
    engine.renderFrame()
    assert.equal(px(130, 50), BLUE)
    assert.equal(px(180, 50), GREY, 'the old rectangle is cleared')
    try {
      over.setRect(0, 0, 1, 1)
      assert.unreachable()
    } catch (e) {
      assert.is(e.code, ErrorCode.RESOURCE_DESTROYED)
    }
  } finally {
    engine.destroy()
  }
})

test('a resize recreates the canvas and redraws every panel', async () => {
  const { engine, rects, px } = await setup()
  try {
    const fills = { a: 0xff0000ff, b: 0x00ff00ff }
    const a = colourPanel(engine, rects, { x: 0, y: 0, w: 80, h: 100 }, fills, 'a')
    const b = colourPanel(engine, rects, { x: 100, y: 0, w: 80, h: 100 }, fills, 'b')
    engine.renderFrame()
    engine.renderFrame()
    // What the window's resize handler does (engine.ts).
    engine.context.resize(240, 120)
    engine.device.resize(240, 120)
    engine.renderFrame()
    assert.is(a.drawCount, 2)
    assert.is(b.drawCount, 2)
    assert.is(engine.damageStats.canvasCreations, 2)
    assert.equal(px(40, 90), RED)
    assert.equal(px(140, 50), GREEN)
    assert.equal(px(40, 110), GREY, 'the new area is the clear colour')
    assert.equal(px(220, 50), GREY)
  } finally {
    engine.destroy()
  }
})

test('a panel whose draw throws fails the frame like a callback; the next frame is whole and retries it', async () => {
  const { engine, rects, px } = await setup()
  try {
    const fills = { a: 0xff0000ff, b: 0x00ff00ff }
    let throwing = false
    const style = createRectStyle({ fill: 0x0000ffff })
    const a = engine.createPanel({
      x: 0, y: 0, w: 80, h: 100, label: 'a',
      draw: (frame, panel) => {
        if (throwing) throw new Error('feed gone')
        rects.add(panel.x, panel.y, panel.w, panel.h, createRectStyle({ fill: fills.a }))
      },
    })
    // Drawn by a callback over the canvas, outside every panel: shows whether a scissor leaked.
    engine.onFrame(() => rects.add(185, 40, 15, 20, style))
    engine.renderFrame()
    throwing = true
    a.invalidate()
    try {
      engine.renderFrame()
      assert.unreachable('the frame should fail')
    } catch (e) {
      assert.is(e.code, ErrorCode.FRAME_CALLBACK)
      assert.is(e.cause.message, 'feed gone')
    }
    // No scissor is left behind on the context: a flush of your own right after draws unclipped.
    rects.add(185, 70, 15, 20, style)
    engine.queue.flush({ clearColor: [0.2, 0.2, 0.2, 1] })
    assert.equal(px(190, 80), BLUE, 'the GL scissor was switched off after the failed draw')
    throwing = false
    fills.a = 0x00ff00ff
    engine.renderFrame()
    assert.is(a.drawCount, 3, 'still damaged after the failed frame: drawn again')
    assert.equal(px(40, 50), GREEN)
    assert.equal(px(190, 50), BLUE, 'the callback\'s draw outside the panels is not clipped')
  } finally {
    engine.destroy()
  }
})

test('createPanel checks its desc', async () => {
  const { engine } = await setup()
  try {
    const bad = [
      { x: 0, y: 0, w: 0, h: 10, draw() {} },
      { x: 0, y: 0, w: 10, h: 10 },
      { x: 0, y: 0, w: 10, h: 10, draw() {}, background: '#fff' },
      { x: 0, y: 0, w: 10, h: 10, draw() {}, colour: 1 },
    ]
    for (const desc of bad) {
      try {
        engine.createPanel(desc)
        assert.unreachable(JSON.stringify(desc))
      } catch (e) {
        assert.is(e.code, ErrorCode.INVALID_DESC, e.message)
      }
    }
  } finally {
    engine.destroy()
  }
})

test('a frame with nothing damaged allocates nothing (test/support/heap.mjs)', async () => {
  const { engine, rects } = await setup()
  try {
    const fills = {}
    for (let i = 0; i < 8; i++) {
      fills[i] = 0x102030ff + i * 0x10000000
      colourPanel(engine, rects, { x: (i % 4) * 50, y: (i >> 2) * 50, w: 48, h: 48 }, fills, i, { changed: () => false })
    }
    engine.renderFrame()
    // The compose step the engine's frame runs before its callbacks (engine-frame.ts), measured
    // alone: the rest of renderFrame is not this module's (the queue flush it includes has its
    // own heap test, test/core/queue-heap.test.mjs).
    const runner = engine.runner
    const compose = () => runner.compose(runner.frame)
    // @kmamal/gl's bufferSubData allocates in its JS layer on every call (see
    // test/core/queue-heap.test.mjs): stubbed while measuring, so what is counted is framelatch's.
    const gl = engine.device.gl
    const real = gl.bufferSubData
    gl.bufferSubData = function stub() {}
    try {
      await assertAllocatesNothing('compose with 8 undamaged panels', compose, { frames: 1000, warmup: 500, limit: 16 })
    } finally {
      gl.bufferSubData = real
    }
    assert.is(engine.damageStats.panelsDrawn, 0)
    assert.is(engine.damageStats.panelsKept, 8)
  } finally {
    engine.destroy()
  }
})

test.run()
