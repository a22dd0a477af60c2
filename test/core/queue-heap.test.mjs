// Steady-state allocation of the draw queue: recording and flushing 100k sprites (one at a time
// with `add`, and in bulk with `reserve`/`commit`) and a rect allocates nothing per frame, measured
// by test/support/heap.mjs (bytes allocated between two heap readings plus everything collected in
// between; no gc() between the readings). To keep the file fast on llvmpipe (a CPU rasteriser
// whose triangle setup costs about 1 us per visible sprite), 4,096 sprites cover the 64x64 target
// and the other 95,904 are recorded, sorted, streamed and drawn just left of it, where the GPU
// clips them cheaply.
//
// @kmamal/gl 9.1.0 wraps the data of every `bufferSubData` in two short-lived Uint8Arrays (about
// 150-300 B a frame here, see src/gl/transient-ring.ts); that is the binding's allocation, not
// framelatch's, so the measured frames run with `gl.bufferSubData` stubbed out and the image is
// checked afterwards with the real one.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSpriteBatcher, createSpriteStyle, SPRITE_FLOATS } from '../../dist/draw/sprite-batcher.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { setup, px } from './queue-helpers.mjs'
import { assertAllocatesNothing } from '../support/heap.mjs'

const N = 100_000
const PASS = { clearColor: [0, 0, 0, 1] }

async function scene() {
  const t = await setup({ debug: false, queue: { payloadCapacity: N * 10 + 4096, ringSize: N * 40 + 65536 } })
  const sprites = createSpriteBatcher(t.queue, { translucent: false })
  const rects = createRectBatcher(t.queue, { translucent: false, layer: 1 })
  const pos = new Float32Array(N * 2)
  for (let i = 0; i < N; i++) {
    pos[i * 2] = i < 4096 ? i % 64 : -8 - (i % 64)
    pos[i * 2 + 1] = (i >> 6) % 64
  }
  return { t, sprites, rects, pos, red: createRectStyle({ fill: 0xff0000ff }), white: createSpriteStyle() }
}

/** Runs `fn` with the context's bufferSubData replaced by a no-op (see the file comment). */
async function withoutUploads(t, fn) {
  const gl = t.device.gl
  const real = gl.bufferSubData
  gl.bufferSubData = function stub() {}
  try {
    await fn()
  } finally {
    gl.bufferSubData = real
  }
}

function checkImage(t) {
  const q = t.queue
  assert.is(q.stats.draws, 2)
  assert.is(q.stats.glDrawCalls, 2)
  assert.is(q.stats.poolGrowths, 0)
  t.device.finish()
  const p = t.read()
  assert.equal(px(p, 64, 4, 4), [255, 0, 0, 255], 'the rect layer is on top')
  assert.equal(px(p, 64, 40, 40), [255, 255, 255, 255], 'sprites cover the rest')
}

test('100k sprites a frame with add(): no allocation per frame', async () => {
  const { t, sprites, rects, pos, red, white } = await scene()
  try {
    const q = t.queue
    // Moving sprites, by whole pixels: a fractional argument is boxed into a heap number by the
    // caller whenever V8 does not inline `add` into this loop, which is the call's cost, not an
    // allocation of the library (the bulk path below moves by quarter pixels and has no call).
    const frame = (f) => {
      const shift = f & 1
      for (let i = 0; i < N; i++) sprites.add(pos[i * 2] + shift, pos[i * 2 + 1], 1, 1, 0, white)
      rects.add(0, 0, 8, 8, red)
      q.flush(PASS)
    }
    await withoutUploads(t, () => assertAllocatesNothing('add + flush', frame, { frames: 50, warmup: 60 }))
    assert.is(q.stats.draws, N + 1)
    assert.is(q.stats.skipped, 0)
    assert.is(q.stats.glDrawCalls, 2)
    assert.is(q.stats.poolGrowths, 0)
    sprites.reserve(1) // one record each, to read a clean image
    sprites.commit(0)
    const w = sprites.reserve(1)
    w.floats.set([8, 0, 56, 64, 0, 0, 0, 1, 1], w.offset)
    w.uints[w.offset + 9] = 0xffffffff
    sprites.commit(1)
    rects.add(0, 0, 8, 8, red)
    q.flush(PASS)
    checkImage(t)
  } finally {
    t.done()
  }
})

test('100k sprites a frame with reserve()/commit(): no allocation per frame', async () => {
  const { t, sprites, rects, pos, red } = await scene()
  try {
    const q = t.queue
    const frame = (f) => {
      const shift = (f & 1) * 0.25
      const w = sprites.reserve(N)
      const d = w.floats
      const u = w.uints
      for (let i = 0, o = w.offset; i < N; i++, o += SPRITE_FLOATS) {
        d[o] = pos[i * 2] + shift; d[o + 1] = pos[i * 2 + 1]; d[o + 2] = 1; d[o + 3] = 1; d[o + 4] = 0
        d[o + 5] = 0; d[o + 6] = 0; d[o + 7] = 1; d[o + 8] = 1
        u[o + 9] = 0xffffffff
      }
      sprites.commit(N)
      rects.add(0, 0, 8, 8, red)
      q.flush(PASS)
    }
    await withoutUploads(t, () => assertAllocatesNothing('reserve/commit + flush', frame, { frames: 50, warmup: 60 }))
    assert.is(q.stats.draws, 2)
    assert.is(q.stats.skipped, 0)
    assert.is(q.stats.poolGrowths, 0)
    assert.ok(q.stats.bytesUploaded >= N * SPRITE_FLOATS * 4 + 32, "every instance streamed")
    frame(0)
    checkImage(t)
  } finally {
    t.done()
  }
})

test.run()
