// Bad input to the queue and its batchers: coded errors in debug mode; in release the bad draw is
// skipped and counted, never a crash, and its neighbours still draw correctly (pixel checks).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createSpriteBatcher } from '../../dist/draw/sprite-batcher.js'
import { createRectBatcher } from '../../dist/draw/rect-batcher.js'
import { setup, px, codeOf, solidTexture, spriteStyle, rectStyle } from './queue-helpers.mjs'

const BLACK = { clearColor: [0, 0, 0, 1] }

test('debug mode: coded errors for bad batches, counts, layers, depths, floats and lengths', async () => {
  const t = await setup({ debug: true })
  try {
    const q = t.queue
    const tex = solidTexture(t.device, 255, 255, 255)
    const s = createSpriteBatcher(q, { texture: tex })
    const r = createRectBatcher(q)
    const gone = createSpriteBatcher(q)
    gone.destroy()
    assert.is(codeOf(() => q.record(999, 1)), ErrorCode.INVALID_HANDLE, 'unknown batch')
    assert.is(codeOf(() => q.record(gone.batch, 1)), ErrorCode.INVALID_HANDLE, 'destroyed batch')
    assert.is(codeOf(() => q.recordSequenced(gone.batch, 1)), ErrorCode.INVALID_HANDLE)
    assert.is(codeOf(() => q.record(s.batch, -1)), ErrorCode.INVALID_DRAW, 'negative count')
    assert.is(codeOf(() => q.record(s.batch, NaN)), ErrorCode.INVALID_DRAW, 'NaN count')
    assert.is(codeOf(() => q.record(s.batch, 1.5)), ErrorCode.INVALID_DRAW, 'fractional count')
    assert.is(codeOf(() => q.record(s.batch, 1, 256)), ErrorCode.OUT_OF_RANGE, 'layer past 255')
    assert.is(codeOf(() => q.record(s.batch, 1, 0, NaN)), ErrorCode.OUT_OF_RANGE, 'NaN depth')
    assert.is(codeOf(() => q.recordData(s.batch, new Float32Array(11))), ErrorCode.DATA_SIZE_MISMATCH, 'payload of the wrong length')
    assert.is(codeOf(() => q.recordData(s.batch, [0, 0, 1, 1, 0, 0, 0, 1, 1, Infinity])), ErrorCode.INVALID_DRAW, 'Infinity in data')
    assert.is(codeOf(() => s.add(NaN, 0, 1, 1, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW, 'NaN sprite x')
    assert.is(codeOf(() => s.add(0, 0, Infinity, 1, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))), ErrorCode.INVALID_DRAW, 'infinite sprite width')
    assert.is(codeOf(() => r.add(0, 0, 4, 4, rectStyle(1, 1, 1, 1, NaN, 0, 0, 0, 0))), ErrorCode.INVALID_DRAW, 'NaN border width')
    assert.is(codeOf(() => r.add(0, -Infinity, 4, 4, rectStyle(1, 1, 1, 1, 0, 0, 0, 0, 0))), ErrorCode.INVALID_DRAW)
    t.device.destroyTexture(tex)
    assert.is(codeOf(() => s.add(0, 0, 1, 1, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))), ErrorCode.RESOURCE_DESTROYED, 'batch whose texture was destroyed')
    assert.is(q.commandCount, 0, 'nothing was recorded by any rejected call')
    // Batch descs are checked in every mode.
    const { pipeline, geometry } = spritePipeline(q)
    assert.is(codeOf(() => q.createBatch({ pipeline, geometry, vertexCount: 4, floatsPerInstance: 9 })), ErrorCode.INVALID_DESC, 'stride mismatch')
    assert.is(codeOf(() => q.createBatch({ pipeline, vertexCount: 4, floatsPerInstance: 10 })), ErrorCode.INVALID_DESC, 'instanced without geometry')
    assert.is(codeOf(() => q.createBatch({ pipeline, geometry, vertexCount: 0, floatsPerInstance: 10 })), ErrorCode.INVALID_DESC)
    assert.is(codeOf(() => q.createBatch({ pipeline, geometry, vertexCount: 4, floatsPerInstance: 10, mode: 'vertices' })), ErrorCode.INVALID_DESC)
    assert.is(codeOf(() => q.createBatch({ pipeline: 12345, geometry, vertexCount: 4, floatsPerInstance: 10 })), ErrorCode.INVALID_HANDLE)
    // A batch destroyed between record and flush is a coded error at flush, and the queue recovers.
    const late = createRectBatcher(q)
    late.add(0, 0, 4, 4, rectStyle(1, 1, 1, 1, 0, 0, 0, 0, 0))
    late.destroy()
    assert.is(codeOf(() => q.flush(BLACK)), ErrorCode.INVALID_HANDLE)
    r.add(0, 0, 4, 4, rectStyle(1, 0, 0, 1, 0, 0, 0, 0, 0))
    q.flush(BLACK)
    assert.equal(px(t.read(), 64, 1, 1), [255, 0, 0, 255], 'the next frame draws normally')
  } finally {
    t.done()
  }
})

function spritePipeline(q) {
  const info = q.batchInfo(createSpriteBatcher(q).batch)
  return { pipeline: info.pipeline, geometry: info.geometry }
}

test('release mode: bad draws are skipped and counted; neighbours draw intact', async () => {
  const t = await setup({ debug: false })
  try {
    const q = t.queue
    const s = createSpriteBatcher(q, { translucent: false })
    const r = createRectBatcher(q, { translucent: false })
    const doomedTex = solidTexture(t.device, 255, 255, 0)
    const doomed = createSpriteBatcher(q, { texture: doomedTex, translucent: false })
    const gone = createSpriteBatcher(q)
    gone.destroy()
    // A caller that writes its floats wherever record() points, as batchers do.
    const writeAt = (off, n) => { for (let k = 0; k < n; k++) q.payload[off + k] = 1e9 }
    s.add(0, 0, 16, 16, 0, spriteStyle(0, 0, 1, 1, 1, 0, 0, 1)) // red: a good neighbour before
    writeAt(q.record(999, 3), 30) // unknown batch
    writeAt(q.record(gone.batch, 2), 20) // destroyed batch
    writeAt(q.record(s.batch, -5), 10) // negative count
    writeAt(q.record(s.batch, NaN), 10) // NaN count
    q.recordData(s.batch, new Float32Array(7)) // wrong length
    s.add(NaN, 0, 8, 8, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))
    s.add(0, 0, 8, Infinity, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))
    r.add(Infinity, 0, 8, 8, rectStyle(1, 1, 1, 1, 0, 0, 0, 0, 0))
    doomed.add(40, 40, 8, 8, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1)) // its texture dies before the flush
    doomed.add(50, 50, 8, 8, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))
    s.add(16, 0, 16, 16, 0, spriteStyle(0, 0, 1, 1, 0, 1, 0, 1)) // green: a good neighbour after
    r.add(0, 32, 16, 16, rectStyle(0, 0, 1, 1, 0, 0, 0, 0, 0)) // blue rect
    t.device.destroyTexture(doomedTex)
    q.flush(BLACK)
    const stats = q.stats
    assert.is(stats.skipped, 10, '8 bad records + 2 sprites of the batch whose texture died')
    assert.is(stats.draws, 3, 'the three good draws')
    assert.is(stats.glDrawCalls, 2)
    const p = t.read()
    assert.equal(px(p, 64, 8, 8), [255, 0, 0, 255], 'red neighbour intact')
    assert.equal(px(p, 64, 24, 8), [0, 255, 0, 255], 'green neighbour intact')
    assert.equal(px(p, 64, 8, 40), [0, 0, 255, 255], 'blue rect intact')
    assert.equal(px(p, 64, 44, 44), [0, 0, 0, 255], 'skipped sprites drew nothing')
    assert.equal(px(p, 64, 40, 8), [0, 0, 0, 255])
    // The next frame starts clean.
    s.add(0, 0, 4, 4, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))
    q.flush(BLACK)
    assert.is(q.stats.skipped, 0)
    assert.is(q.stats.draws, 1)
  } finally {
    t.done()
  }
})

test.run()
