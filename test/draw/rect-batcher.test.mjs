// Rect batcher: pixels (fill, border band width, rounded corners, translucent fill), styles,
// the bulk path, and bad input (coded errors in debug, counted skips in release).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createRectBatcher, createRectStyle, RECT_FLOATS } from '../../dist/draw/rect-batcher.js'
import { packHexColor } from '../../dist/draw/color.js'
import { setup, px, near, codeOf } from '../core/queue-helpers.mjs'

test('fill and border land on the expected pixels', async () => {
  const t = await setup()
  try {
    const r = createRectBatcher(t.queue)
    r.add(10, 10, 20, 12, createRectStyle({ fill: 0x00ff00ff, border: 0xff0000ff, borderWidth: 2 }))
    r.add(40, 10, 10, 10, createRectStyle({ fill: 0x0000ffff })) // no border
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
    const style = createRectStyle({ radius: 10 }) // white by default
    r.add(0, 0, 32, 32, style)
    style.fill = 0xff000080 // a style is mutable: 50% red for the next add
    style.radius = 0
    r.add(40, 0, 20, 20, style)
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

test('solid batcher: the same pixels as the default for opaque whole-pixel rects, hard fractional edges, no border or radius', async () => {
  const t = await setup()
  try {
    const plain = createRectBatcher(t.queue, { translucent: false })
    const solid = createRectBatcher(t.queue, { translucent: false, solid: true, layer: 1 })
    const faint = createRectBatcher(t.queue, { solid: true, layer: 2 })
    const green = createRectStyle({ fill: 0x20c060ff })
    plain.add(2, 2, 13, 9, green)
    solid.add(20, 2, 13, 9, green)
    faint.add(40.25, 2, 2, 2, createRectStyle({ fill: 0xff000080 }))
    t.queue.flush({ clearColor: [0, 0, 0, 1] })
    const p = t.read()
    for (let y = 0; y < 14; y++) {
      for (let x = 0; x < 18; x++) assert.equal(px(p, 64, 18 + x, y), px(p, 64, x, y), `(${18 + x}, ${y}) as the default draws (${x}, ${y})`)
    }
    assert.equal(px(p, 64, 20, 2), [0x20, 0xc0, 0x60, 255], 'the first pixel is the fill')
    assert.equal(px(p, 64, 32, 10), [0x20, 0xc0, 0x60, 255], 'the last pixel (20 + 13 - 1, 2 + 9 - 1)')
    assert.equal(px(p, 64, 33, 10), [0, 0, 0, 255])
    assert.equal(px(p, 64, 32, 11), [0, 0, 0, 255])
    // x 40.25..42.25: pixel centres 40.5 and 41.5 are inside, both the whole 50% fill (no partial edge).
    assert.ok(near(px(p, 64, 40, 2), [128, 0, 0, 255], 1), `edge pixel ${px(p, 64, 40, 2)}`)
    assert.equal(px(p, 64, 40, 2), px(p, 64, 41, 3))
    assert.equal(px(p, 64, 42, 2), [0, 0, 0, 255], 'centre 42.5 is outside')
    assert.is(codeOf(() => solid.add(0, 0, 4, 4, createRectStyle({ borderWidth: 1 }))), 'FL_INVALID_DRAW', 'a border on a solid batcher')
    assert.is(codeOf(() => solid.add(0, 0, 4, 4, createRectStyle({ radius: 2 }))), 'FL_INVALID_DRAW', 'a radius on a solid batcher')
    t.queue.flush()
  } finally {
    t.done()
  }
  const rel = await setup({ debug: false })
  try {
    const solid = createRectBatcher(rel.queue, { solid: true })
    solid.add(0, 0, 4, 4, createRectStyle({ borderWidth: 1 }))
    rel.queue.flush()
    assert.is(rel.queue.stats.skipped, 1, 'skipped and counted in release')
  } finally {
    rel.done()
  }
})

test('bulk path: reserve + commit draws the same pixels as add, in one command', async () => {
  const t = await setup()
  try {
    const r = createRectBatcher(t.queue, { translucent: false })
    const w = r.reserve(3)
    assert.is(w.stride, RECT_FLOATS)
    assert.is(w.count, 3)
    const colours = [0xff0000ff, 0x00ff00ff, 0x0000ffff]
    for (let i = 0, o = w.offset; i < 2; i++, o += RECT_FLOATS) { // reserve 3, write and commit 2
      w.floats[o] = i * 20; w.floats[o + 1] = 0; w.floats[o + 2] = 10; w.floats[o + 3] = 10
      w.uints[o + 4] = packHexColor(colours[i]); w.uints[o + 5] = 0
      w.floats[o + 6] = 0; w.floats[o + 7] = 0
    }
    r.commit(2)
    r.add(40, 0, 10, 10, createRectStyle({ fill: colours[2] }))
    t.queue.flush({ clearColor: [0, 0, 0, 1] })
    assert.is(t.queue.stats.commands, 1, 'the add extends the committed command')
    assert.is(t.queue.stats.draws, 2)
    const p = t.read()
    assert.equal(px(p, 64, 5, 5), [255, 0, 0, 255])
    assert.equal(px(p, 64, 25, 5), [0, 255, 0, 255])
    assert.equal(px(p, 64, 45, 5), [0, 0, 255, 255])
    assert.equal(px(p, 64, 15, 5), [0, 0, 0, 255])
  } finally {
    t.done()
  }
})

test('bad styles and draws: coded errors in debug, counted skips in release', async () => {
  const style = createRectStyle()
  assert.is(codeOf(() => createRectStyle({ fill: 0.5 })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createRectStyle({ border: -1 })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createRectStyle({ radius: NaN })), 'FL_INVALID_DESC')
  const dbg = await setup()
  try {
    const r = createRectBatcher(dbg.queue)
    assert.is(codeOf(() => r.add(NaN, 0, 1, 1, style)), 'FL_INVALID_DRAW')
    style.fill = NaN
    assert.is(codeOf(() => r.add(0, 0, 1, 1, style)), 'FL_INVALID_DRAW', 'NaN colour')
    style.fill = 0xffffffff
    style.borderWidth = -1
    assert.is(codeOf(() => r.add(0, 0, 1, 1, style)), 'FL_INVALID_DRAW', 'negative border')
    style.borderWidth = 0
    r.depth = NaN
    assert.is(codeOf(() => r.add(0, 0, 1, 1, style)), 'FL_OUT_OF_RANGE', 'NaN depth')
    r.depth = 0
    assert.match(String(codeOf(() => createRectBatcher(dbg.queue, { layer: 256 }))), 'FL_INVALID_DESC')
    assert.is(codeOf(() => r.commit(1)), 'FL_INVALID_DRAW', 'commit without reserve')
    r.reserve(2)
    r.add(0, 0, 1, 1, style)
    assert.is(codeOf(() => r.commit(2)), 'FL_INVALID_DRAW', 'a record between reserve and commit')
    dbg.queue.flush()
  } finally {
    dbg.done()
  }
  const rel = await setup({ debug: false })
  try {
    const r = createRectBatcher(rel.queue)
    r.add(Infinity, 0, 1, 1, style)
    style.fill = NaN
    r.add(0, 0, 1, 1, style) // NaN colour
    style.fill = 0xffffffff
    style.radius = -1
    r.add(0, 0, 1, 1, style)
    style.radius = 0
    r.depth = NaN
    r.add(0, 0, 1, 1, style) // NaN depth
    r.depth = 0
    r.layer = 300
    r.add(0, 0, 1, 1, style) // layer out of range
    r.layer = 0
    r.commit(1) // no reservation
    r.reserve(1)
    r.commit(2) // more than reserved
    r.add(0, 0, 4, 4, style) // the one good draw
    rel.queue.flush({ clearColor: [0, 0, 0, 1] })
    assert.is(rel.queue.stats.skipped, 7)
    assert.is(rel.queue.stats.draws, 1)
    assert.equal(px(rel.read(), 64, 1, 1), [255, 255, 255, 255])
  } finally {
    rel.done()
  }
})

test.run()
