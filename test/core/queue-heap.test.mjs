// Steady-state allocation: recording and flushing 100k sprites for 1,000 frames grows the heap
// by less than 1 MB. Measured with --expose-gc after a warm-up (V8 optimisation allocates), not
// with time. To keep the file fast on llvmpipe (a CPU rasteriser whose triangle setup costs about
// 1 us per visible sprite), 4,096 sprites cover the 64x64 target and the other 95,904 are
// recorded, sorted, streamed and drawn just left of it, where the GPU clips them cheaply.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSpriteBatcher } from '../../dist/draw/sprite-batcher.js'
import { createRectBatcher } from '../../dist/draw/rect-batcher.js'
import { setup, px } from './queue-helpers.mjs'

const N = 100_000
const FRAMES = 1000
const PASS = { clearColor: [0, 0, 0, 1] }

function measure() {
  global.gc()
  global.gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers }
}

test('100k sprites for 1,000 steady frames grow the heap by less than 1 MB', async () => {
  assert.type(global.gc, 'function', 'run with node --expose-gc (test/run.mjs does)')
  const t = await setup({ debug: false, queue: { payloadCapacity: N * 10 + 4096, ringSize: N * 40 + 65536 } })
  try {
    const q = t.queue
    const sprites = createSpriteBatcher(q, { translucent: false })
    const rects = createRectBatcher(q, { translucent: false, layer: 1 })
    const pos = new Float32Array(N * 2)
    for (let i = 0; i < N; i++) {
      pos[i * 2] = i < 4096 ? i % 64 : -8 - (i % 64)
      pos[i * 2 + 1] = (i >> 6) % 64
    }
    const frame = (f) => {
      for (let i = 0; i < N; i++) {
        // Moving sprites; fractional numbers flow through arguments and typed arrays only.
        sprites.add(pos[i * 2] + (f & 1) * 0.25, pos[i * 2 + 1], 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1)
      }
      rects.add(0, 0, 8, 8, 1, 0, 0, 1, 0, 0, 0, 0, 0)
      q.flush(PASS)
    }
    for (let f = 0; f < 100; f++) frame(f)
    t.device.finish()
    const before = measure()
    for (let f = 0; f < FRAMES; f++) frame(f)
    t.device.finish()
    const after = measure()
    const heapGrowth = after.heap - before.heap
    const abGrowth = after.arrayBuffers - before.arrayBuffers
    console.log(`heap growth over ${FRAMES} frames: ${heapGrowth} B heap, ${abGrowth} B array buffers`)
    assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} bytes`)
    assert.ok(abGrowth < 1 << 20, `array buffers grew ${abGrowth} bytes`)
    assert.is(q.stats.draws, N + 1)
    assert.is(q.stats.glDrawCalls, 2)
    assert.is(q.stats.poolGrowths, 0)
    assert.is(q.frame, 1100)
    const p = t.read()
    assert.equal(px(p, 64, 4, 4), [255, 0, 0, 255], 'the rect layer is on top')
    assert.equal(px(p, 64, 40, 40), [255, 255, 255, 255], 'sprites cover the rest')
  } finally {
    t.done()
  }
})

test.run()
