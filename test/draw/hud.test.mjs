// HUD: bars land in the expected columns with the expected heights and colours for known inputs,
// the number formatter writes the right characters, and push + draw allocate nothing
// (test/support/heap.mjs).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { assertAllocatesNothing } from '../support/heap.mjs'
import { ErrorCode } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createHud, formatFixed } from '../../dist/draw/hud.js'

const W = 256
const H = 200

function setup(hudDesc, debug = true, queueDesc = {}) {
  const context = createContext({ width: W, height: H })
  const device = createDevice(context.gl, { debug, width: W, height: H })
  const queue = createQueue(device, queueDesc)
  const hud = createHud(queue, hudDesc)
  return { queue, hud, device, destroy: () => { hud.destroy(); queue.destroy(); device.destroy(); context.destroy() } }
}

const GREEN = [64, 217, 89]
const YELLOW = [242, 204, 51]
const RED = [242, 77, 64]
const near = (a, b) => Math.abs(a[0] - b[0]) <= 2 && Math.abs(a[1] - b[1]) <= 2 && Math.abs(a[2] - b[2]) <= 2

test('bars sit in the expected columns with heights and colours from the pushed frame times', () => {
  // 1 ms per pixel: maxMs 40 over a 40 px graph; 10 slots of 4 px.
  const { queue, hud, device, destroy } = setup({ frames: 10, barWidth: 4, graphHeight: 40, maxMs: 40 })
  try {
    const values = [5, 10, 20, 40, 55] // 55 is clipped to the top of the graph
    for (const v of values) hud.push(v, 3)
    assert.is(hud.samples, 5)
    const X = 10
    const Y = 8
    hud.draw(X, Y)
    queue.flush({ clearColor: [0, 0, 0, 1] })
    assert.is(queue.stats.glDrawCalls, 2, 'panel, bars, guides and polyline in one draw; the text in another')
    const p = device.readPixels(0, 0, W, H)
    const px = (x, y) => Array.from(p.subarray((y * W + x) * 4, (y * W + x) * 4 + 3))
    const bottom = Y + hud.frameGraphY + hud.graphHeight
    const guides = new Set([bottom - 9, bottom - 17]) // rows of the 8.3 and 16.7 ms guide lines
    const colours = [GREEN, YELLOW, RED, RED, RED]
    for (let k = 0; k < values.length; k++) {
      const slot = hud.frames - values.length + k // newest at the right edge
      const h = Math.min(values[k], 40)
      for (let col = 0; col < 4; col++) {
        const x = X + hud.graphX + slot * 4 + col
        for (let y = bottom - 45; y < bottom + 2; y++) {
          if (guides.has(y)) continue
          const inBar = y >= bottom - h && y < bottom
          const c = px(x, y)
          assert.is(near(c, colours[k]), inBar, `bar ${k} (${values[k]} ms) column ${x} row ${y}: ${c} ${inBar ? 'is' : 'is not'} the bar colour`)
        }
      }
    }
    // Empty slots (no samples yet) draw no bar.
    const emptyX = X + hud.graphX + 2
    for (let y = bottom - 40; y < bottom; y++) {
      if (guides.has(y)) continue
      const c = px(emptyX, y)
      assert.ok(!near(c, GREEN) && !near(c, YELLOW) && !near(c, RED), `empty slot row ${y}`)
    }
    // The panel is drawn (not the black clear colour) and ends where it says.
    assert.not.equal(px(X + 1, Y + 1), [0, 0, 0])
    assert.equal(px(X + hud.panelWidth + 1, Y + 1), [0, 0, 0])
    assert.equal(px(X + 1, Y + hud.panelHeight + 1), [0, 0, 0])
    // The text lines have ink (bright pixels) in the band above the graphs.
    let ink = 0
    for (let y = Y; y < Y + hud.frameGraphY - hud.padding; y++) for (let x = X; x < X + hud.panelWidth; x++) if (px(x, y)[0] > 200) ink++
    assert.ok(ink > 50, `text drawn (${ink} bright pixels)`)
  } finally {
    destroy()
  }
})

test('the ring keeps the last N samples: the newest is always the rightmost bar', () => {
  const { queue, hud, device, destroy } = setup({ frames: 4, barWidth: 4, graphHeight: 40, maxMs: 40 })
  try {
    for (const v of [30, 30, 30, 30, 30, 2]) hud.push(v, 1)
    assert.is(hud.samples, 4)
    hud.draw(0, 0)
    queue.flush({ clearColor: [0, 0, 0, 1] })
    const p = device.readPixels(0, 0, W, H)
    const bottom = hud.frameGraphY + hud.graphHeight
    const at = (slot, up) => Array.from(p.subarray(((bottom - up) * W + hud.graphX + slot * 4 + 1) * 4, ((bottom - up) * W + hud.graphX + slot * 4 + 1) * 4 + 3))
    assert.ok(near(at(3, 1), GREEN), 'newest (2 ms) on the right')
    assert.ok(!near(at(3, 5), GREEN), 'and only 2 px tall')
    assert.ok(near(at(0, 25), RED), 'older 30 ms samples to its left')
  } finally {
    destroy()
  }
})

test('formatFixed right-aligns numbers into character codes', () => {
  const buf = new Uint16Array(8)
  const str = (width) => String.fromCharCode(...buf.subarray(0, width))
  const cases = [
    [16.667, 2, 6, ' 16.67'], [0, 2, 6, '  0.00'], [8.3, 1, 6, '   8.3'], [59.94, 1, 6, '  59.9'],
    [1234.5, 0, 6, '  1235'], [-3.25, 2, 6, ' -3.25'], [0.05, 1, 4, ' 0.1'], [123456, 2, 6, '     -'], [NaN, 2, 6, '     -'],
  ]
  for (const [value, decimals, width, want] of cases) {
    formatFixed(buf, 0, width, value, decimals)
    assert.is(str(width), want, `${value} with ${decimals} decimals in ${width}`)
  }
})

test('bad pushes: coded error in debug, clamped to 0 in release', () => {
  const dbg = setup({ frames: 8 }, true)
  try {
    let err
    try {
      dbg.hud.push(NaN, 1)
    } catch (e) {
      err = e
    }
    assert.is(err?.code, ErrorCode.INVALID_DRAW)
    let descErr
    try {
      createHud(dbg.queue, { frames: 1 })
    } catch (e) {
      descErr = e
    }
    assert.is(descErr?.code, ErrorCode.INVALID_DESC)
  } finally {
    dbg.destroy()
  }
  const rel = setup({ frames: 8 }, false)
  try {
    rel.hud.push(-5, Infinity)
    assert.is(rel.hud.samples, 1)
    rel.hud.draw(0, 0)
    rel.queue.flush({ clearColor: [0, 0, 0, 1] })
    assert.is(rel.queue.stats.skipped, 0, 'a clamped sample draws normally')
  } finally {
    rel.destroy()
  }
})

test('push + draw allocate nothing once warm (test/support/heap.mjs)', async () => {
  const FRAMES = 1000
  // Room for every record of a round (and its warm-up) so the pools never grow while measuring.
  const { queue, hud, destroy } = setup({ frames: 120 }, false, { payloadCapacity: 4 * FRAMES * 6000, capacity: 4 * FRAMES * 8, ringSize: 32 * 1024 * 1024 })
  try {
    const frame = (i) => {
      hud.push(4 + (i % 17) * 1.37, 1 + (i % 5) * 0.61)
      hud.draw(8.5, 4)
    }
    // Flushed before each round (not inside it: a flush draws, which is the GPU's time, and the
    // flush path has its own heap test in test/core/queue-heap.test.mjs).
    // Limit 16 B/frame (measured 3.6): even one small object a frame (about 50 B) fails.
    await assertAllocatesNothing('HUD push + draw', frame, { frames: FRAMES, warmup: FRAMES, limit: 16, between: () => queue.flush() })
    // Each frame: one segments record (panel, bars, guides), one polyline, three text lines.
    assert.ok(queue.commandCount >= FRAMES, `every frame recorded (${queue.commandCount} commands)`)
    queue.flush()
    assert.ok(queue.stats.draws >= FRAMES * 5 && queue.stats.draws % 5 === 0, `${queue.stats.draws} draws`)
    assert.is(queue.stats.skipped, 0)
    assert.is(queue.stats.poolGrowths, 0)
  } finally {
    destroy()
  }
})

test.run()
