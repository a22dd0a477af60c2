// Line batcher pixel tests: segments cover exactly their pixels, joins fill (miter) or cut
// (bevel, round, miter past its limit) the outer corner, a 100k-point polyline is one GL draw,
// and bad input is a coded error in debug and a counted skip in release.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { rgba } from '../../dist/draw/color.js'
import { errorCode } from '../support/errors.mjs'

const W = 96
const H = 64
const BLACK = [0, 0, 0, 255]

// A headless context and device (test/run.mjs provides the X display).
async function setup(desc = {}, debug = true, queueDesc = {}) {
  const context = createContext({ width: W, height: H })
  const device = createDevice(context.gl, { debug, width: W, height: H })
  const queue = createQueue(device, queueDesc)
  const lines = createLineBatcher(queue, desc)
  const engine = { destroy: () => { queue.destroy(); device.destroy(); context.destroy() } }
  return { engine, queue, lines, device }
}

function flushAndRead(queue, device) {
  queue.flush({ clearColor: [0, 0, 0, 1] })
  return device.readPixels(0, 0, W, H)
}

/**
 * A line style from thickness, channels 0..1 and join. Fields are set after creation, so a test
 * can hand a batcher values createLineStyle would refuse (styles are mutable; draws check them).
 */
function style(thickness, r, g, b, a, join = 'miter') {
  return Object.assign(createLineStyle(), { thickness, color: rgba(r, g, b, a), join })
}

const px = (p, x, y) => Array.from(p.subarray((y * W + x) * 4, (y * W + x) * 4 + 4))

test('horizontal and vertical segments of thickness 4 cover exactly their pixels', async () => {
  const { engine, queue, lines, device } = await setup()
  try {
    lines.segment(10, 20, 50, 20, style(4, 1, 0, 0, 1)) // rows 18..21, columns 10..49
    lines.segment(70, 10, 70, 50, style(4, 0, 1, 0, 1)) // columns 68..71, rows 10..49
    const p = flushAndRead(queue, device)
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < 60; x++) {
        const inside = y >= 18 && y <= 21 && x >= 10 && x <= 49
        assert.equal(px(p, x, y), inside ? [255, 0, 0, 255] : BLACK, `horizontal: pixel ${x},${y} ${inside ? 'inside' : 'outside'}`)
      }
      for (let x = 60; x < W; x++) {
        const inside = x >= 68 && x <= 71 && y >= 10 && y <= 49
        assert.equal(px(p, x, y), inside ? [0, 255, 0, 255] : BLACK, `vertical: pixel ${x},${y} ${inside ? 'inside' : 'outside'}`)
      }
    }
    assert.is(queue.stats.glDrawCalls, 1, 'both segments in one draw')
  } finally {
    engine.destroy()
  }
})

test('a hard-edged (antialias 0) diagonal segment stays within its thickness', async () => {
  const { engine, queue, lines, device } = await setup({ antialias: 0 })
  try {
    lines.segment(10, 10, 50, 50, style(6, 1, 1, 1, 1))
    const p = flushAndRead(queue, device)
    let inked = 0
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = p[(y * W + x) * 4]
        assert.ok(v === 0 || v === 255, 'no partial coverage without anti-aliasing')
        if (v === 0) continue
        inked++
        // Distance of the pixel centre from the line y = x must be within half the thickness.
        const d = Math.abs((x + 0.5) - (y + 0.5)) / Math.SQRT2
        assert.ok(d <= 3 + 1e-3, `pixel ${x},${y} is ${d.toFixed(2)} px from the centre line`)
      }
    }
    assert.ok(inked > 40 * 6 * Math.SQRT2 * 0.9, `the segment is drawn (${inked} pixels)`)
  } finally {
    engine.destroy()
  }
})

// An L: right along y = 40 to x = 60, then up to y = 10; thickness 8. The outer corner of the
// join is the square x 60..63, y 40..43.
const L = new Float32Array([20, 40, 60, 40, 60, 10])

test('miter join fills the outer corner of a right angle', async () => {
  const { engine, queue, lines, device } = await setup()
  try {
    lines.polyline(L, 3, style(8, 1, 1, 0, 1, 'miter'))
    const p = flushAndRead(queue, device)
    for (let y = 36; y < 44; y++) for (let x = 56; x < 64; x++) assert.equal(px(p, x, y), [255, 255, 0, 255], `corner pixel ${x},${y}`)
    assert.equal(px(p, 64, 44), BLACK, 'nothing beyond the miter')
    assert.equal(px(p, 30, 40), [255, 255, 0, 255], 'first segment')
    assert.equal(px(p, 60, 20), [255, 255, 0, 255], 'second segment')
    assert.equal(px(p, 30, 45), BLACK)
    assert.equal(px(p, 65, 20), BLACK)
    assert.equal(px(p, 60, 9), BLACK, 'butt end at the last point')
    assert.equal(px(p, 19, 40), BLACK, 'butt end at the first point')
  } finally {
    engine.destroy()
  }
})

test('bevel and round joins cut the outer corner; the joint itself stays filled', async () => {
  for (const join of ['bevel', 'round']) {
    const { engine, queue, lines, device } = await setup()
    try {
      lines.polyline(L, 3, style(8, 1, 1, 1, 1, join))
      const p = flushAndRead(queue, device)
      assert.equal(px(p, 63, 43), BLACK, `${join}: the outer corner pixel is cut`)
      assert.equal(px(p, 60, 40), [255, 255, 255, 255], `${join}: joint filled`)
      assert.equal(px(p, 61, 41), [255, 255, 255, 255], `${join}: inside the cut`)
      assert.equal(px(p, 57, 37), [255, 255, 255, 255], `${join}: inner corner`)
      if (join === 'round') {
        assert.equal(px(p, 60, 7), [255, 255, 255, 255], 'round cap past the last point')
        assert.equal(px(p, 17, 40), [255, 255, 255, 255], 'round cap before the first point')
      }
    } finally {
      engine.destroy()
    }
  }
})

test('a sharp miter past the limit becomes a bevel; a high limit keeps the spike', async () => {
  // A hairpin: right to (60, 30), then back left and slightly down. The miter tip lies far right.
  const hairpin = new Float32Array([10, 30, 60, 30, 10, 40])
  const tip = async (miterLimit) => {
    const { engine, queue, lines, device } = await setup({ miterLimit })
    try {
      lines.polyline(hairpin, 3, style(6, 1, 1, 1, 1, 'miter'))
      const p = flushAndRead(queue, device)
      return { far: px(p, 72, 29)[0], joint: px(p, 58, 31)[0] }
    } finally {
      engine.destroy()
    }
  }
  const limited = await tip(4)
  assert.is(limited.far, 0, 'default limit: no spike')
  assert.is(limited.joint, 255, 'the bevel still covers the joint')
  const unlimited = await tip(100)
  assert.is(unlimited.far, 255, 'limit 100: the miter spike reaches far past the joint')
})

test('a 100,000-point polyline is recorded and flushed as one GL draw call', async () => {
  // Preallocated so the frame does not grow the payload and ring (which would log a warning).
  const { engine, queue, lines, device } = await setup({}, false, { payloadCapacity: 1_700_000, ringSize: 1_700_000 * 4 })
  try {
    const n = 100_000
    const pts = new Float32Array(n * 2)
    for (let i = 0; i < n; i++) {
      pts[i * 2] = 2 + (i / (n - 1)) * (W - 4)
      pts[i * 2 + 1] = 32 + 10 * Math.sin(i / 5000)
    }
    lines.polyline(pts, n, style(3, 0, 1, 1, 1))
    lines.segment(0, 2, W, 2, style(2, 1, 0, 0, 1))
    const p = flushAndRead(queue, device)
    assert.is(queue.stats.draws, 2)
    assert.is(queue.stats.glDrawCalls, 1, 'the polyline and the segment merge into one instanced draw')
    assert.is(queue.stats.skipped, 0)
    assert.ok(queue.stats.bytesUploaded >= (n - 1) * 64, 'every segment instance was streamed')
    assert.equal(px(p, 2, 32), [0, 255, 255, 255], 'start of the chart')
    const xEnd = W - 3
    const yEnd = Math.floor(32 + 10 * Math.sin((n - 1) / 5000))
    const end = px(p, xEnd, yEnd)
    assert.ok(end[0] === 0 && end[1] > 200 && end[2] > 200, `end of the chart is inked (${end})`)
    assert.equal(px(p, 48, 1), [255, 0, 0, 255])
  } finally {
    engine.destroy()
  }
})

test('debug: bad input throws coded errors naming the problem', async () => {
  const { engine, queue, lines } = await setup({}, true)
  try {
    assert.is(errorCode(() => lines.segment(0, NaN, 10, 10, style(2, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => lines.segment(0, 0, 10, 10, style(-1, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => lines.polyline(new Float32Array([0, 0, 1, Infinity]), 2, style(2, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => lines.polyline(new Float32Array(4), 3, style(2, 1, 1, 1, 1))), ErrorCode.OUT_OF_RANGE)
    assert.is(errorCode(() => lines.polyline(new Float32Array(4), -1, style(2, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => lines.polyline(new Float32Array(4), 2, style(2, 1, 1, 1, 1, 'sharp'))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => lines.segment(0, 0, 10, 10, style(2, 1, 1, 1, 1))), 'no error')
    assert.is(errorCode(() => lines.polyline([0, 0, 10, 10], 2, style(2, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW, 'a plain Array')
    assert.is(errorCode(() => lines.segment(0, 0, 10, 10, Object.assign(style(2, 1, 1, 1, 1), { color: NaN }))), ErrorCode.INVALID_DRAW, 'NaN colour')
    lines.depth = NaN
    assert.is(errorCode(() => lines.segment(0, 0, 10, 10, style(2, 1, 1, 1, 1))), ErrorCode.OUT_OF_RANGE, 'NaN depth')
    lines.depth = 0
    assert.is(errorCode(() => lines.segments(new Float32Array(9).fill(-1), 1)), ErrorCode.INVALID_DRAW, 'negative thickness in segments')
    assert.is(errorCode(() => (lines.miterLimit = 0.5)), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createLineBatcher(queue, { layer: 300 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createLineStyle({ thickness: -1 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createLineStyle({ color: NaN })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createLineStyle({ join: 'sharp' })), ErrorCode.INVALID_DESC)
  } finally {
    engine.destroy()
  }
})

test('release: every bad segment and polyline is skipped and counted; neighbours still draw', async () => {
  const { engine, queue, lines, device } = await setup({}, false)
  try {
    lines.segment(10, 20, 50, 20, style(4, 1, 0, 0, 1))
    lines.segment(10, NaN, 50, 30, style(4, 0, 1, 0, 1))
    lines.polyline(new Float32Array([0, 0, NaN, 5, 10, 10]), 3, style(4, 0, 0, 1, 1))
    lines.polyline(new Float32Array([0, 0, 10, 10]), 5, style(4, 0, 0, 1, 1)) // count past the array
    lines.polyline([0, 0, 10, 10], 2, style(4, 0, 0, 1, 1)) // a plain Array
    lines.polyline(new Float32Array([0, 0, 10, 10]), 2, style(-1, 0, 0, 1, 1)) // thickness -1
    lines.segment(0, 0, 10, 10, Object.assign(style(4, 0, 0, 1, 1), { color: NaN })) // NaN colour
    lines.polyline(new Float32Array([0, 0, 10, 10]), 2, style(4, 0, 0, 1, 1, 'sharp')) // unknown join
    lines.segments(new Float32Array([0, 0, 10, 10, -1, 1, 1, 1, 1]), 1) // thickness -1 in bulk
    lines.depth = NaN
    lines.segment(0, 0, 10, 10, style(4, 0, 0, 1, 1)) // NaN depth
    lines.depth = 0
    lines.segment(10, 40, 50, 40, style(4, 1, 1, 1, 1))
    const p = flushAndRead(queue, device)
    assert.is(queue.stats.skipped, 9)
    assert.is(queue.stats.draws, 2)
    assert.equal(px(p, 30, 20), [255, 0, 0, 255])
    assert.equal(px(p, 30, 40), [255, 255, 255, 255])
    assert.equal(px(p, 5, 5), BLACK, 'nothing from the skipped polylines')
  } finally {
    engine.destroy()
  }
})

test.run()
