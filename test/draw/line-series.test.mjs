// Line series pixel tests: points retained in a float texture and drawn through a transform
// (pan moves the pixels, nothing re-sent), appends send only the new texels, the min/max pyramid
// draws about 2-4 × width vertices of a dense series with the data's envelope, areas and steps
// fill to their baseline, bad input is a coded error (debug) or a counted skip (release), and a
// panning frame allocates nothing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode, createClip, createViewTransform } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createLineStyle } from '../../dist/draw/line-batcher.js'
import { createLineSeries, createAreaStyle } from '../../dist/draw/line-series.js'
import { errorCode } from '../support/errors.mjs'
import { assertAllocatesNothing } from '../support/heap.mjs'

const W = 96
const H = 64
const BLACK = [0, 0, 0, 255]
const RED = [255, 0, 0, 255]

function setup(desc = {}, debug = true) {
  const context = createContext({ width: W, height: H })
  const device = createDevice(context.gl, { debug, width: W, height: H })
  const queue = createQueue(device)
  const series = createLineSeries(queue, desc)
  const destroy = () => { series.destroy(); queue.destroy(); device.destroy(); context.destroy() }
  return { queue, series, device, destroy }
}

function flushAndRead(queue, device) {
  queue.flush({ clearColor: [0, 0, 0, 1] })
  return device.readPixels(0, 0, W, H)
}

const px = (p, x, y) => Array.from(p.subarray((y * W + x) * 4, (y * W + x) * 4 + 4))
/** A column-major mat3: pixel = (sx·x + tx, sy·y + ty). */
const affine = (sx, sy, tx, ty) => new Float64Array([sx, 0, 0, 0, sy, 0, tx, ty, 1])
const line = (thickness, color) => createLineStyle({ thickness, color })

test('a horizontal series covers its row through the transform, and a pan moves it without sending points', () => {
  const { queue, series, device, destroy } = setup({ antialias: 0 })
  try {
    // y = 5 everywhere; x 0..100. Transform: pixel x = x - 10 (window 10..90), pixel y = 40 - 4y = 20.
    const xs = Array.from({ length: 101 }, (_, i) => i)
    series.appendMany(xs, xs.map(() => 5))
    let p
    queue.flush({ clearColor: [0, 0, 0, 1] })
    series.draw(affine(1, -4, -10, 40), line(2, 0xff0000ff), 10, 90)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 30, 19), RED, 'row 19 inked')
    assert.equal(px(p, 30, 20), RED, 'row 20 inked')
    assert.equal(px(p, 30, 17), BLACK, 'above the line')
    assert.equal(px(p, 30, 22), BLACK, 'below the line')
    const sent = series.stats.bytesUploaded
    assert.ok(sent >= 101 * 8, `the points were sent once (${sent} bytes)`)
    // Pan: the same points 8 px lower (ty 48) and shifted.
    series.draw(affine(1, -4, -10, 48), line(2, 0xff0000ff), 10, 90)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 30, 19), BLACK, 'the old row is empty after the pan')
    assert.equal(px(p, 30, 27), RED, 'row 27 inked after the pan')
    assert.equal(px(p, 30, 28), RED, 'row 28 inked after the pan')
    assert.is(series.stats.bytesUploaded, sent, 'the pan sent no point data')
  } finally {
    destroy()
  }
})


/** Rows inked (red channel > 0) in column x. */
function inkedRows(p, x) {
  const rows = []
  for (let y = 0; y < H; y++) if (p[(y * W + x) * 4] > 0) rows.push(y)
  return rows
}

test('the batchers\' convention: a ViewTransform per draw or as the series\' transform (null), clipped by the series\' clip', () => {
  const { queue, series, device, destroy } = setup({ antialias: 0 })
  try {
    const xs = Array.from({ length: 101 }, (_, i) => i)
    series.appendMany(xs, xs.map(() => 5))
    // fitRange: x 0..96 onto columns 0..96, y 0..20 onto rows 60..20 (y up): y 5 is row 50.
    const view = createViewTransform().fitRange(0, 96, 0, 20, 0, 20, 96, 40)
    series.draw(view, line(2, 0xff0000ff), 0, 96)
    let p = flushAndRead(queue, device)
    assert.equal(px(p, 30, 49), RED, 'a ViewTransform passed to draw')
    assert.equal(px(p, 30, 46), BLACK)
    series.transform = view
    series.clip = createClip({ x: 20, y: 0, w: 40, h: H })
    series.draw(null, line(2, 0xff0000ff), 0, 96)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 30, 49), RED, 'null draws through series.transform, inside the clip')
    assert.equal(px(p, 10, 49), BLACK, 'left of the clip')
    assert.equal(px(p, 70, 49), BLACK, 'right of the clip')
  } finally {
    destroy()
  }
})

test('appends send only the new points: 100 points are 800 bytes, a pan sends none', () => {
  const { queue, series, device, destroy } = setup({ capacity: 4096 })
  try {
    const xs = Array.from({ length: 1000 }, (_, i) => i)
    series.appendMany(xs, xs.map((x) => x % 7))
    const view = affine(1, -2, 0, 60)
    const style = line(1, 0xff0000ff)
    // A 90-unit window over 96 px: under 4 points a pixel, so the raw level is drawn.
    series.draw(view, style, 0, 90)
    queue.flush()
    assert.is(series.stats.lastLevel, 0, 'raw points drawn')
    const sent = series.stats.bytesUploaded
    assert.is(sent, 1000 * 8, 'the first draw sent the 1000 points (8 bytes each)')
    const device0 = device.stats.bytesUploaded
    for (let i = 1000; i < 1100; i++) series.append(i, i % 7)
    series.draw(view, style, 1000, 1090)
    queue.flush()
    assert.is(series.stats.bytesUploaded - sent, 800, 'the append sent its 100 points only')
    assert.is(device.stats.bytesUploaded - device0 - queue.stats.bytesUploaded, 800,
      'the device saw 800 bytes of texture upload besides the streamed instances')
    const device1 = device.stats.bytesUploaded
    series.draw(affine(1, -2, -5, 60), style, 1005, 1095)
    queue.flush()
    assert.is(series.stats.bytesUploaded - sent, 800, 'a pan sends no point data')
    assert.is(device.stats.bytesUploaded - device1, queue.stats.bytesUploaded, 'only the instances were streamed')
    // One 16-float instance; the ring rounds its upload up to a 4 KB page.
    assert.ok(queue.stats.bytesUploaded <= 4096, `one instance streamed (${queue.stats.bytesUploaded} bytes, page-rounded)`)
  } finally {
    destroy()
  }
})

test('a growth past the capacity keeps every point and level, and builds the levels it adds (pixels equal a series made big enough)', () => {
  const a = setup({ capacity: 1024, antialias: 0 })
  const b = setup({ capacity: 8192, antialias: 0 })
  try {
    const xs = Array.from({ length: 5000 }, (_, i) => i)
    const ys = xs.map((x) => 20 + 15 * Math.sin(x / 40) + (x === 2500 ? 25 : 0))
    a.series.appendMany(xs.slice(0, 700), ys.slice(0, 700))
    a.series.draw(affine(96 / 5000, -1, 0, 62), line(1, 0xff0000ff), 0, 5000) // sends the small texture
    a.queue.flush()
    a.series.appendMany(xs.slice(700), ys.slice(700))
    b.series.appendMany(xs, ys)
    assert.is(a.series.stats.growths, 1, '2048 -> 8192 points in one growth')
    // The last window squeezes everything into 1 px: a level the growth added (blocks of 4096).
    for (const [x0, x1, px] of [[0, 5000, 96], [2000, 3000, 96], [2480, 2520, 96], [0, 5000, 1]]) {
      const view = affine(px / (x1 - x0), -1, 40 - px * x0 / (x1 - x0), 62)
      a.series.draw(view, line(1, 0xff0000ff), x0, x1)
      b.series.draw(view, line(1, 0xff0000ff), x0, x1)
      const pa = flushAndRead(a.queue, a.device)
      const pb = flushAndRead(b.queue, b.device)
      assert.is(a.series.stats.lastLevel, b.series.stats.lastLevel, `same level for ${x0}..${x1}`)
      assert.ok(pa.some((v, i) => i % 4 === 0 && v > 0), `the grown series draws ${x0}..${x1}`)
      assert.equal(Array.from(pa), Array.from(pb), `grown and pre-sized series draw the same pixels for ${x0}..${x1}`)
    }
    assert.ok(a.series.stats.lastLevel >= 11, `the squeezed window drew level ${a.series.stats.lastLevel}, added by the growth`)
  } finally {
    a.destroy()
    b.destroy()
  }
})

test('zoomed out, 200,000 points draw from a pyramid level: 2-4 × width vertices, and a one-point spike still shows', () => {
  const { queue, series, device, destroy } = setup({ capacity: 1 << 18, antialias: 0 })
  try {
    const n = 200_000
    const xs = new Float64Array(n)
    const ys = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      xs[i] = 1.7e12 + i * 10 // epoch milliseconds: the origin keeps them exact enough
      ys[i] = 10 + (i % 2) // a 1-unit zigzag
    }
    ys[123_457] = 50 // one spike
    series.appendMany(xs, ys)
    const x0 = xs[0]
    const x1 = xs[n - 1]
    const sx = W / (x1 - x0)
    series.draw(affine(sx, -1, -sx * x0, 60), line(1, 0xff0000ff), x0, x1)
    const p = flushAndRead(queue, device)
    assert.ok(series.stats.lastLevel > 0, `a pyramid level was drawn (level ${series.stats.lastLevel})`)
    assert.ok(series.stats.lastPoints >= 2 * W && series.stats.lastPoints <= 4 * W + 4,
      `${series.stats.lastPoints} points for ${W} columns`)
    assert.ok(series.stats.bytesUploaded < 4 * W * 8 + 64, `only the drawn level was sent (${series.stats.bytesUploaded} bytes)`)
    const spikeColumn = Math.floor((xs[123_457] - x0) * sx)
    const top = (x) => inkedRows(p, x)[0] ?? H
    assert.ok(top(spikeColumn) <= 11 || top(spikeColumn + 1) <= 11 || top(spikeColumn - 1) <= 11,
      `the spike (row 10) is drawn at column ${spikeColumn} (top inked rows ${top(spikeColumn - 1)}, ${top(spikeColumn)}, ${top(spikeColumn + 1)})`)
    for (const x of [5, 30, 70, 90]) {
      const rows = inkedRows(p, x)
      assert.ok(rows.length >= 1 && rows[0] >= 48 && rows[rows.length - 1] <= 51, `column ${x}: the zigzag band rows 49..50, inked ${rows}`)
    }
  } finally {
    destroy()
  }
})

test('anti-aliasing: coverage falls from 1 to 0 over `antialias` px centred on the edge, the whole fringe drawn', () => {
  const { queue, series, device, destroy } = setup({ antialias: 2 })
  try {
    // y = 10 on pixel row edge 30 (pixel y = 40 - y), 2 px thick: half width 1, fringe 2 px, so
    // coverage = clamp((1 - d) / 2 + 0.5) at distance d from the axis: rows 29 and 30 (d 0.5)
    // 0.75, rows 28 and 31 (d 1.5) 0.25, rows 27 and 32 (d 2.5) 0. The quad must reach d = 2.
    series.appendMany([0, 100], [10, 10])
    series.draw(affine(1, -1, 0, 40), line(2, 0xff0000ff), 0, 100)
    const p = flushAndRead(queue, device)
    const red = (y) => px(p, 48, y)[0]
    for (const [y, want] of [[27, 0], [28, 64], [29, 191], [30, 191], [31, 64], [32, 0]]) {
      assert.ok(Math.abs(red(y) - want) <= 3, `row ${y}: red ${red(y)}, want about ${want}`)
    }
  } finally {
    destroy()
  }
})

test('the level drawn is the coarsest whose blocks fit in one pixel column: 1 to 2 blocks a column, 2-4 × width points', () => {
  const { queue, series, destroy } = setup({ capacity: 1 << 18 }, false)
  try {
    const n = 200_000
    const xs = new Float64Array(n)
    const ys = new Float64Array(n)
    for (let i = 0; i < n; i++) { xs[i] = i; ys[i] = Math.sin(i / 50) }
    series.appendMany(xs, ys)
    const seen = new Set()
    for (const span of [200, 390, 700, 1500, 3000, 9000, 25_000, 61_000, 130_000, n - 1]) {
      const x0 = Math.floor((n - 1 - span) / 3)
      const x1 = x0 + span
      const sx = W / span
      series.draw(affine(sx, -10, -sx * x0, 30), line(1, 0xff0000ff), x0, x1)
      // The visible points and one neighbour on each side, per pixel column.
      const perColumn = (span + 3) / W
      const level = series.stats.lastLevel
      seen.add(level)
      if (perColumn < 4) {
        assert.is(level, 0, `${perColumn.toFixed(1)} points a column: the raw points`)
        continue
      }
      // Level L's blocks hold 2^(L+1) raw points (drawn as their min and max).
      const blocksPerColumn = perColumn / 2 ** (level + 1)
      assert.ok(blocksPerColumn >= 1, `span ${span}: level ${level}'s blocks (${2 ** (level + 1)} points) fit in a column of ${perColumn.toFixed(1)} points`)
      assert.ok(blocksPerColumn < 2, `span ${span}: level ${level} is the coarsest that fits (${blocksPerColumn.toFixed(2)} blocks a column)`)
      assert.ok(series.stats.lastPoints >= 2 * W - 4 && series.stats.lastPoints <= 4 * W + 4, `span ${span}: ${series.stats.lastPoints} points for ${W} columns`)
    }
    assert.ok(seen.size >= 7, `the spans drew several levels (${[...seen]})`)
    queue.flush()
  } finally {
    destroy()
  }
})

test('an area fills from the line to the baseline; steps hold y until the next point (after) or from the previous (before)', () => {
  const { queue, series, device, destroy } = setup()
  try {
    // Points (0, 10), (40, 30), (80, 10); pixel = (x + 8, 60 - y).
    series.appendMany([0, 40, 80], [10, 30, 10])
    const view = affine(1, -1, 8, 60)
    series.fill(view, createAreaStyle({ color: 0xff0000ff, baseline: 0 }), 0, 80)
    let p = flushAndRead(queue, device)
    assert.equal(px(p, 48, 31), RED, 'under the peak')
    assert.equal(px(p, 48, 28), BLACK, 'above the peak')
    assert.equal(px(p, 28, 45), RED, 'under the rising edge')
    assert.equal(px(p, 28, 36), BLACK, 'above the rising edge (y 20 at x 20 is row 40)')
    assert.equal(px(p, 48, 59), RED, 'down to the baseline')
    assert.equal(px(p, 48, 61), BLACK, 'not past the baseline')
    assert.equal(px(p, 4, 55), BLACK, 'nothing left of the first point')
    series.fill(view, createAreaStyle({ color: 0xff0000ff, baseline: 0, step: 'after' }), 0, 80)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 40, 55), RED, 'step after: x 32 holds y 10 (rows 50..59)')
    assert.equal(px(p, 40, 40), BLACK, 'step after: nothing above y 10 before x 40')
    assert.equal(px(p, 60, 35), RED, 'step after: x 52 holds y 30')
    series.fill(view, createAreaStyle({ color: 0xff0000ff, baseline: 0, step: 'before' }), 0, 80)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 40, 35), RED, 'step before: x 32 already at y 30')
    assert.equal(px(p, 60, 55), RED, 'step before: x 52 at y 10')
    assert.equal(px(p, 60, 45), BLACK, 'step before: x 52 not above y 10')
    // The baseline may be above the data: the area hangs down to it.
    series.fill(view, createAreaStyle({ color: 0xff0000ff, baseline: 40 }), 0, 80)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 28, 25), RED, 'between the line and a baseline above it')
    assert.equal(px(p, 28, 45), BLACK, 'nothing below the line when the baseline is above')
  } finally {
    destroy()
  }
})

test('bad draws: coded INVALID_DRAW in debug, counted skips in release; bad appends and descs always throw', () => {
  const dbg = setup()
  const rel = setup({}, false)
  try {
    for (const { series } of [dbg, rel]) series.appendMany([0, 1, 2], [1, 2, 3])
    const ok = affine(1, 1, 0, 0)
    const nan = affine(NaN, 1, 0, 0)
    assert.is(errorCode(() => dbg.series.draw(nan, line(1, 0xffffffff), 0, 2)), ErrorCode.INVALID_DRAW, 'NaN transform')
    assert.is(errorCode(() => dbg.series.draw(ok, line(1, 0xffffffff), 2, 0)), ErrorCode.INVALID_DRAW, 'x0 > x1')
    assert.is(errorCode(() => dbg.series.fill(ok, Object.assign(createAreaStyle(), { step: 'up' }), 0, 2)), ErrorCode.INVALID_DRAW, 'bad step')
    assert.is(errorCode(() => dbg.series.draw(ok, Object.assign(line(1, 0), { color: -1 }), 0, 2)), ErrorCode.INVALID_DRAW, 'bad colour')
    rel.series.draw(nan, line(1, 0xffffffff), 0, 2)
    rel.series.draw(ok, line(1, 0xffffffff), 2, 0)
    rel.series.draw(ok, line(1, 0xffffffff), 0, 2)
    rel.queue.flush()
    assert.is(rel.queue.stats.skipped, 2, 'two skipped')
    assert.is(rel.queue.stats.draws, 1, 'the good draw drawn')
    for (const { series } of [dbg, rel]) {
      assert.is(errorCode(() => series.append(1, 0)), ErrorCode.INVALID_DRAW, 'x going back')
      assert.is(errorCode(() => series.append(5, NaN)), ErrorCode.INVALID_DRAW, 'NaN y')
      assert.is(errorCode(() => series.appendMany([5, 4], [0, 0])), ErrorCode.INVALID_DRAW, 'decreasing x in a batch')
      assert.is(series.length, 3, 'a rejected batch stores nothing')
      assert.is(errorCode(() => series.appendMany([5], [0], 2)), ErrorCode.DATA_SIZE_MISMATCH, 'count past the arrays')
    }
    assert.is(errorCode(() => createLineSeries(dbg.queue, { capacity: 0 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createLineSeries(dbg.queue, { capacty: 10 })), ErrorCode.INVALID_DESC, 'misspelt key')
    assert.is(errorCode(() => createAreaStyle({ step: 'sideways' })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createAreaStyle({ color: '#fff' })), ErrorCode.INVALID_DESC)
  } finally {
    dbg.destroy()
    rel.destroy()
  }
})

test('clear() then append rewrites the series (a depth chart redrawn from scratch)', () => {
  const { queue, series, device, destroy } = setup()
  try {
    series.appendMany([0, 10, 20], [5, 5, 5])
    series.fill(affine(2, -1, 0, 60), createAreaStyle({ color: 0xff0000ff }), 0, 20)
    let p = flushAndRead(queue, device)
    assert.equal(px(p, 20, 57), RED, 'first data drawn')
    series.clear()
    assert.is(series.length, 0)
    series.appendMany([100, 110, 120], [20, 20, 20])
    series.fill(affine(2, -1, -200, 60), createAreaStyle({ color: 0xff0000ff }), 100, 120)
    p = flushAndRead(queue, device)
    assert.equal(px(p, 20, 45), RED, 'the new data from its own origin')
    assert.equal(px(p, 20, 35), BLACK)
  } finally {
    destroy()
  }
})

test('panning a 200,000-point series allocates nothing per frame (recording; the flush is the queue\'s own test)', async () => {
  const { queue, series, destroy } = setup({ capacity: 1 << 18 }, false)
  try {
    const n = 200_000
    const xs = new Float64Array(n)
    const ys = new Float64Array(n)
    for (let i = 0; i < n; i++) { xs[i] = i; ys[i] = Math.sin(i / 100) }
    series.appendMany(xs, ys)
    const view = new Float64Array([1, 0, 0, 0, -10, 0, 0, 30, 1])
    const style = line(1, 0xff0000ff)
    const area = createAreaStyle({ color: 0xff000040 })
    const span = new Float64Array([0, 50_000])
    // A frame pans and zooms (the window width changes, so the level changes too); every draw
    // picks a level and records instances. The queue is flushed between rounds: a flush
    // allocates a few bytes inside @kmamal/gl's wrappers whatever was drawn (a line batcher's
    // segment measured the same 145 B/frame here), which the queue's heap tests cover.
    const frame = (i) => {
      span[0] = (i * 97) % 150_000
      span[1] = span[0] + 2_000 + (i % 7) * 8_000
      view[0] = W / (span[1] - span[0])
      view[6] = -view[0] * span[0]
      series.fill(view, area, span[0], span[1])
      series.draw(view, style, span[0], span[1])
    }
    const levels = new Set()
    for (let i = 0; i < 7; i++) { frame(i); levels.add(series.stats.lastLevel) }
    assert.ok(levels.size >= 3, `the frames draw several levels (${[...levels]})`)
    queue.flush()
    await assertAllocatesNothing('line series pan and zoom', frame, { frames: 2000, between: () => queue.flush() })
  } finally {
    destroy()
  }
})

test.run()
