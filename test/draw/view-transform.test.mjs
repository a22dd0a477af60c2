// 2D view transforms (src/core/view-transform.ts, src/draw/view-transform.ts): pan and zoom of
// rects, sprites and lines (strokes stay in pixels), text anchors, two batches sharing one
// program with different transforms in one frame and across frames, a transform per draw, the
// matrix being the only thing a pan uploads to the view block, and the setters' arithmetic.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mat3 } from 'gl-matrix'
import { createViewTransform } from '../../dist/core/view-transform.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { createSpriteBatcher } from '../../dist/draw/sprite-batcher.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { createTextBatcher } from '../../dist/draw/text-batcher.js'
import { setup, px, codeOf } from '../core/queue-helpers.mjs'

const RED = [255, 0, 0, 255], GREEN = [0, 255, 0, 255], BLACK = [0, 0, 0, 255], WHITE = [255, 255, 255, 255]
const PASS = { clearColor: [0, 0, 0, 1] }

/** Columns (or rows) of a read-back where channel `c` of row (column) `at` is over 128. */
function litRange(p, { row, col, c = 0 }) {
  const lit = []
  for (let i = 0; i < 64; i++) {
    const v = row !== undefined ? px(p, 64, i, row)[c] : px(p, 64, col, i)[c]
    if (v > 128) lit.push(i)
  }
  return lit.length ? [lit[0], lit[lit.length - 1]] : null
}

test('pan and zoom move and scale rects and sprites; border width stays in pixels', async () => {
  const t = await setup()
  try {
    const view = createViewTransform().setScaleTranslate(2, 2, 4, 8) // pixel = 2 * user + (4, 8)
    const rects = createRectBatcher(t.queue, { transform: view })
    rects.add(0, 0, 10, 5, createRectStyle({ fill: 0x00ff00ff, border: 0xff0000ff, borderWidth: 1 }))
    const sprites = createSpriteBatcher(t.queue, { transform: view, layer: 1 })
    sprites.add(20, 20, 4, 4, 0) // white, pixels 44..52 x 48..56
    t.queue.flush(PASS)
    let p = t.read()
    assert.equal(litRange(p, { row: 12, c: 1 }), [5, 22], 'fill spans x 4..24 minus a 1 px border')
    assert.equal(px(p, 64, 4, 12), RED, 'border, 1 px wide at 2x zoom')
    assert.equal(px(p, 64, 5, 12), GREEN)
    assert.equal(px(p, 64, 23, 12), RED)
    assert.equal(px(p, 64, 24, 12), BLACK)
    assert.equal(px(p, 64, 10, 8), RED, 'top border at y 8')
    assert.equal(px(p, 64, 10, 17), RED, 'bottom border at y 17 (8 + 2 * 5 - 1)')
    assert.equal(px(p, 64, 10, 18), BLACK)
    assert.equal(px(p, 64, 44, 48), WHITE, 'sprite top-left at 2 * 20 + 4, 2 * 20 + 8')
    assert.equal(px(p, 64, 51, 55), WHITE)
    assert.equal(px(p, 64, 52, 55), BLACK)
    assert.equal(px(p, 64, 43, 50), BLACK)

    // Pan by 10 px: only the matrix changes.
    view.setScaleTranslate(2, 2, 14, 8)
    rects.add(0, 0, 10, 5, createRectStyle({ fill: 0x00ff00ff }))
    t.queue.flush(PASS)
    p = t.read()
    assert.equal(litRange(p, { row: 12, c: 1 }), [14, 33], 'panned 10 px right')
  } finally {
    t.done()
  }
})

test('lines go through the transform and keep their pixel thickness', async () => {
  const t = await setup()
  try {
    // Data x 0..100, y 0..10 onto the whole 64x64 target, y up.
    const view = createViewTransform().fitRange(0, 100, 0, 10, 0, 0, 64, 64)
    const lines = createLineBatcher(t.queue, { transform: view, antialias: 0 })
    const pts = new Float32Array([0, 5, 100, 5]) // y 5 is the middle row: pixel y 32
    lines.polyline(pts, 2, createLineStyle({ color: 0xff0000ff, thickness: 2 }))
    lines.segment(50, 0, 50, 10, createLineStyle({ color: 0x00ff00ff, thickness: 4 })) // x 50: pixel 32
    t.queue.flush(PASS)
    const p = t.read()
    assert.equal(litRange(p, { col: 8, c: 0 }), [31, 32], 'horizontal line at y 32, 2 px thick (not 2 * 6.4)')
    assert.equal(litRange(p, { row: 8, c: 1 }), [30, 33], 'vertical line at x 32, 4 px thick (not 4 * 0.64)')
  } finally {
    t.done()
  }
})

test('two batches sharing one program draw with their own transforms, in one frame and the next', async () => {
  const t = await setup()
  try {
    const a = createViewTransform().setScaleTranslate(1, 1, 0, 0)
    const b = createViewTransform().setScaleTranslate(1, 1, 32, 0)
    const ra = createRectBatcher(t.queue, { transform: a, translucent: false })
    const rb = createRectBatcher(t.queue, { transform: b, translucent: false })
    assert.is.not(ra.batch, rb.batch)
    assert.is(t.queue.batchInfo(ra.batch).program, t.queue.batchInfo(rb.batch).program, 'one shared program')
    const red = createRectStyle({ fill: 0xff0000ff }), green = createRectStyle({ fill: 0x00ff00ff })
    const frame = () => {
      ra.add(0, 0, 16, 16, red)
      rb.add(0, 20, 16, 16, green)
      ra.add(0, 40, 16, 16, red)
      t.queue.flush(PASS)
      return t.read()
    }
    let p = frame()
    assert.equal(px(p, 64, 8, 8), RED)
    assert.equal(px(p, 64, 40, 28), GREEN, 'b is offset by 32')
    assert.equal(px(p, 64, 8, 28), BLACK)
    assert.equal(px(p, 64, 8, 48), RED, 'a again after b')
    // Next frame: swap the offsets. A per-frame upload of the block would leave one stale.
    a.setScaleTranslate(1, 1, 32, 0)
    b.setScaleTranslate(1, 1, 0, 0)
    p = frame()
    assert.equal(px(p, 64, 40, 8), RED)
    assert.equal(px(p, 64, 8, 8), BLACK)
    assert.equal(px(p, 64, 8, 28), GREEN)
    assert.equal(px(p, 64, 40, 48), RED)
    // A third frame with nothing changed uploads no matrix slot.
    const view = t.queue.view
    const slotsBefore = view.stats.slotsUploaded
    frame()
    const slotsSame = view.stats.slotsUploaded - slotsBefore
    assert.ok(slotsSame <= 6, `steady frame: at most the two matrix switches (${slotsSame} slots)`)
  } finally {
    t.done()
  }
})

test('a transform per draw on one batcher; a pan uploads the matrix slots, not the target', async () => {
  const t = await setup()
  try {
    const left = createViewTransform()
    const right = createViewTransform().setScaleTranslate(1, 1, 40, 0)
    const rects = createRectBatcher(t.queue, { translucent: false })
    const red = createRectStyle({ fill: 0xff0000ff })
    rects.transform = left
    rects.add(0, 0, 8, 8, red)
    rects.transform = right
    rects.add(0, 0, 8, 8, red)
    t.queue.flush(PASS)
    let p = t.read()
    assert.equal(px(p, 64, 4, 4), RED)
    assert.equal(px(p, 64, 44, 4), RED)
    assert.equal(px(p, 64, 24, 4), BLACK)
    assert.is(t.queue.stats.glDrawCalls, 2)

    // Only `left` in the next frames; panning it changes matrix slots 1..3 only.
    rects.transform = left
    rects.add(0, 0, 8, 8, red)
    t.queue.flush(PASS)
    const view = t.queue.view
    left.setScaleTranslate(1, 1, 20, 0)
    rects.add(0, 0, 8, 8, red)
    t.queue.flush(PASS)
    assert.ok(view.stats.lastFirstSlot >= 1 && view.stats.lastFirstSlot + view.stats.lastSlotCount <= 4,
      `the pan sent matrix slots only (first ${view.stats.lastFirstSlot}, ${view.stats.lastSlotCount} slots)`)
    p = t.read()
    assert.equal(px(p, 64, 24, 4), RED)
    assert.equal(px(p, 64, 4, 4), BLACK)
  } finally {
    t.done()
  }
})

test('text moves its anchor through the transform and keeps its pixel size', async () => {
  const t = await setup()
  try {
    const plain = createTextBatcher(t.queue, { pixelSize: 14 })
    plain.draw('H', 4, 20)
    t.queue.flush(PASS)
    const base = litRange(t.read(), { row: 15 })
    const zoom = createViewTransform().setScaleTranslate(3, 3, 10, 0) // anchor (4, 20) -> (22, 60)
    const text = createTextBatcher(t.queue, { pixelSize: 14, transform: zoom })
    text.draw('H', 4, 20)
    t.queue.flush(PASS)
    const moved = litRange(t.read(), { row: 55 })
    assert.ok(base !== null && moved !== null, 'both drawn')
    assert.is(moved[0] - base[0], 18, 'anchor moved by 3 * 4 + 10 - 4 px')
    assert.is(moved[1] - moved[0], base[1] - base[0], 'glyph width unchanged')
  } finally {
    t.done()
  }
})

test('setters, gl-matrix writes and bad transforms', () => {
  const v = createViewTransform().fitRange(10, 20, 100, 200, 0, 0, 640, 480)
  const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-3, `${what}: ${a} vs ${b}`) // float32 matrix
  close(v.mapX(10, 100), 0, 'x0 at the left')
  close(v.mapY(10, 100), 480, 'y0 at the bottom')
  close(v.mapX(20, 200), 640, 'x1 at the right')
  close(v.mapY(20, 200), 0, 'y1 at the top')
  mat3.fromTranslation(v.matrix, [5, 6])
  assert.is(v.mapX(1, 1), 6)
  assert.is(v.mapY(1, 1), 7)
  assert.is(v.identity().mapX(3, 4), 3)
  assert.equal([...createViewTransform({ matrix: [2, 0, 0, 0, 2, 0, 1, 1, 1] }).matrix], [2, 0, 0, 0, 2, 0, 1, 1, 1])
  assert.is(codeOf(() => createViewTransform({ matrix: [1, 0, 0] })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createViewTransform({ matrix: [1, 0, 0, 0, NaN, 0, 0, 0, 1] })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createViewTransform({ matrx: [] })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createViewTransform().fitRange(1, 1, 0, 1, 0, 0, 10, 10)), 'FL_OUT_OF_RANGE')
})

test.run()
