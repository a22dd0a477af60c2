// Line series pixel tests: points retained in a float texture and drawn through a transform
// (pan moves the pixels, nothing re-sent), appends send only the new texels, the min/max pyramid
// draws about 2-4 × width vertices of a dense series with the data's envelope, areas and steps
// fill to their baseline, bad input is a coded error (debug) or a counted skip (release), and a
// panning frame allocates nothing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createLineStyle } from '../../dist/draw/line-batcher.js'
import { createLineSeries, createAreaStyle } from '../../dist/draw/line-series.js'
import { errorCode } from '../support/errors.mjs'
import { measureAllocation } from '../support/heap.mjs'

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

test.run()
