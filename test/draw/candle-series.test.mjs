// Candle series pixel tests: bodies span open..close in the up or down colour, wicks high..low,
// a doji stays 1 px tall, volume bars rise from 0 in another transform, an append or a live
// update sends only its candle's two texels, and bad input is a coded error or a counted skip.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createCandleSeries, createCandleStyle } from '../../dist/draw/candle-series.js'
import { errorCode } from '../support/errors.mjs'

const W = 96
const H = 64
const BLACK = [0, 0, 0, 255]
const GREEN = [0, 255, 0, 255]
const RED = [255, 0, 0, 255]

function setup(desc = {}, debug = true) {
  const context = createContext({ width: W, height: H })
  const device = createDevice(context.gl, { debug, width: W, height: H })
  const queue = createQueue(device)
  const candles = createCandleSeries(queue, desc)
  const destroy = () => { candles.destroy(); queue.destroy(); device.destroy(); context.destroy() }
  return { queue, candles, device, destroy }
}

const px = (p, x, y) => Array.from(p.subarray((y * W + x) * 4, (y * W + x) * 4 + 4))
const affine = (sx, sy, tx, ty) => new Float64Array([sx, 0, 0, 0, sy, 0, tx, ty, 1])
function flushAndRead(queue, device) {
  queue.flush({ clearColor: [0, 0, 0, 1] })
  return device.readPixels(0, 0, W, H)
}

// Candle times 1000, 1010, 1020 (x = t - 990 → pixels 10, 20, 30 at 1 px a unit); price y → 60 - y.
const style = createCandleStyle({ up: 0x00ff00ff, down: 0xff0000ff, width: 6, wick: 1 })
const prices = affine(1, -1, -990, 60)

test('candles: up bodies green, down red, wicks from high to low, a doji 1 px tall', () => {
  const { queue, candles, device, destroy } = setup()
  try {
    candles.append(1000, 20, 40, 10, 30, 5) // up: body rows 30..40, wick rows 20..50
    candles.append(1010, 30, 35, 15, 20, 8) // down: body rows 40..30, wick rows 25..45
    candles.append(1020, 25, 28, 22, 25, 1) // doji at 25: body row 35 only
    candles.draw(prices, style, 990, 1030)
    const p = flushAndRead(queue, device)
    assert.equal(px(p, 8, 35), GREEN, 'up body, left part')
    assert.equal(px(p, 12, 35), GREEN, 'up body, right part')
    assert.equal(px(p, 6, 35), BLACK, 'left of the 6-unit body')
    assert.equal(px(p, 13, 35), BLACK, 'right of the body')
    assert.equal(px(p, 10, 22), GREEN, 'wick above the body')
    assert.equal(px(p, 8, 22), BLACK, 'the wick is 1 px wide')
    assert.equal(px(p, 10, 48), GREEN, 'wick below the body')
    assert.equal(px(p, 10, 18), BLACK, 'above the high')
    assert.equal(px(p, 10, 52), BLACK, 'below the low')
    assert.equal(px(p, 18, 35), RED, 'down body')
    assert.equal(px(p, 20, 27), RED, 'down wick')
    assert.equal(px(p, 18, 28), BLACK, 'above the down body')
    let doji = 0
    for (let y = 0; y < H; y++) if (px(p, 27, y)[1] > 0) doji++
    assert.is(doji, 1, 'a doji body is one row tall')
  } finally {
    destroy()
  }
})

test('volume bars rise from 0 through their own transform; a live update and an append send one candle each', () => {
  const { queue, candles, device, destroy } = setup()
  try {
    candles.append(1000, 20, 40, 10, 30, 5)
    candles.append(1010, 30, 35, 15, 20, 8)
    const volumes = affine(1, -2, -990, 60) // volume v → rows 60 - 2v .. 60
    candles.drawVolume(volumes, style, 990, 1030)
    let p = flushAndRead(queue, device)
    assert.is(candles.bytesUploaded, 2 * 32, 'two candles of 32 bytes')
    assert.equal(px(p, 10, 55), GREEN, 'up volume bar')
    assert.equal(px(p, 10, 48), BLACK, 'above volume 5 (row 50)')
    assert.equal(px(p, 20, 46), RED, 'down volume bar up to row 44')
    assert.equal(px(p, 10, 30), BLACK, 'no wick in volume mode')
    candles.setLast(30, 35, 15, 34, 9) // the live candle turns up
    candles.draw(prices, style, 990, 1030)
    p = flushAndRead(queue, device)
    assert.is(candles.bytesUploaded, 3 * 32, 'the update sent one candle')
    assert.equal(px(p, 18, 28), GREEN, 'the updated candle is up, body rows 26..30')
    candles.append(1020, 34, 36, 30, 31, 2)
    candles.draw(affine(1, -1, -995, 60), style, 995, 1030) // a pan
    p = flushAndRead(queue, device)
    assert.is(candles.bytesUploaded, 4 * 32, 'the append sent one candle, the pan none')
    assert.equal(px(p, 25, 28), RED, 'the new candle (body rows 26..29), panned 5 px left')
  } finally {
    destroy()
  }
})

test('bad candles and draws: coded errors in debug, counted skips in release', () => {
  const dbg = setup()
  const rel = setup({}, false)
  try {
    for (const { candles } of [dbg, rel]) {
      assert.is(errorCode(() => candles.setLast(1, 2, 0, 1, 1)), ErrorCode.INVALID_DRAW, 'setLast on an empty series')
      candles.append(1000, 20, 40, 10, 30, 5)
      assert.is(errorCode(() => candles.append(999, 20, 40, 10, 30, 5)), ErrorCode.INVALID_DRAW, 't going back')
      assert.is(errorCode(() => candles.append(1001, 20, 15, 10, 30, 5)), ErrorCode.INVALID_DRAW, 'high below close')
      assert.is(errorCode(() => candles.append(1001, 20, 40, 10, 30, -1)), ErrorCode.INVALID_DRAW, 'negative volume')
      assert.is(candles.length, 1)
    }
    assert.is(errorCode(() => dbg.candles.draw(affine(NaN, 1, 0, 0), style, 0, 1)), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => dbg.candles.draw(prices, Object.assign(createCandleStyle(), { width: 0 }), 990, 1030)), ErrorCode.INVALID_DRAW)
    rel.candles.draw(affine(NaN, 1, 0, 0), style, 0, 1)
    rel.candles.draw(prices, style, 990, 1030)
    rel.queue.flush()
    assert.is(rel.queue.stats.skipped, 1)
    assert.is(rel.queue.stats.draws, 1)
    assert.is(errorCode(() => createCandleStyle({ width: -1 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createCandleStyle({ colour: 1 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createCandleSeries(dbg.queue, { capacity: 1.5 })), ErrorCode.INVALID_DESC)
  } finally {
    dbg.destroy()
    rel.destroy()
  }
})

test('a series grown past its capacity draws every candle', () => {
  const { queue, candles, device, destroy } = setup({ capacity: 4 })
  try {
    for (let i = 0; i < 3000; i++) candles.append(i, 10, 20, 5, 15, 1)
    const p0 = flushAndRead(queue, device)
    assert.equal(px(p0, 5, 45), BLACK)
    // Show candles 2940..2999 over 60 px: every column of the body band is green.
    candles.draw(affine(1, -1, -2940 + 20, 60), createCandleStyle({ up: 0x00ff00ff, width: 1 }), 2940, 3000)
    const p = flushAndRead(queue, device)
    for (let x = 20; x < 80; x++) assert.equal(px(p, x, 47), GREEN, `candle ${2940 + x - 20}`)
  } finally {
    destroy()
  }
})

test.run()
