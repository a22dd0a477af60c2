// The transient ring's 'orphan' strategy: every frame re-specifies the store unless the frame
// before was retired (`ring.retire()`: its draws no longer need the data). A retired ring's next
// frame appends behind the previous frame's data with plain bufferSubData, goes back to offset 0
// of the same store when a frame as large would not fit, and re-specifies the store only when a
// frame overflows mid-frame. The data drawn from an appended frame is the new frame's (pixels).
// A windowed engine retires the ring after every present, a headless one never (issue 8: a fresh
// 1 MB store cost an on-demand frame 4-12 ms in page faults). The store is made by the first
// write, fresh, so that write does not re-specify it; nothing streamed, no store.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { createEngine } from '../../dist/index.js'
import { setup, px, near } from '../core/queue-helpers.mjs'

/** Records every ring upload of `device` as { offset, orphan }. */
function spyUploads(device) {
  const calls = []
  const real = device.updateBuffer.bind(device)
  device.updateBuffer = (h, data, offset, orphan) => {
    calls.push({ offset, orphan: orphan === true })
    real(h, data, offset, orphan)
  }
  return calls
}

const PASS = { clearColor: [0, 0, 0, 1] }
const RED = [255, 0, 0, 255]
const GREEN = [0, 255, 0, 255]

test('the ring makes its GL buffer at the first write: a queue that streams nothing allocates no store', async () => {
  const t = await setup({ queue: { ringSize: 65536 } })
  try {
    const made = []
    const real = t.device.createBuffer.bind(t.device)
    t.device.createBuffer = (desc) => {
      made.push(desc.label)
      return real(desc)
    }
    const rects = createRectBatcher(t.queue, {})
    const red = createRectStyle({ fill: 0xff0000ff })
    const uploads = spyUploads(t.device)
    for (let i = 0; i < 3; i++) t.queue.flush(PASS)
    const ringStores = () => made.filter((l) => l === `${t.queue.label} ring`)
    assert.equal(ringStores(), [], 'no store while nothing is streamed')
    rects.add(0, 0, 8, 8, red)
    t.queue.flush(PASS)
    assert.is(ringStores().length, 1, 'one store, made by the first write')
    assert.equal(uploads, [{ offset: 0, orphan: false }], 'a fresh store is not re-specified')
    assert.ok(near(px(t.read(), 64, 4, 4), RED), 'and the rect is drawn from it')
  } finally {
    t.done()
  }
})

test('without retire(), every frame after the first orphans the store and starts at offset 0', async () => {
  const t = await setup({ queue: { ringSize: 65536 } })
  try {
    const rects = createRectBatcher(t.queue, {})
    const red = createRectStyle({ fill: 0xff0000ff })
    const uploads = spyUploads(t.device)
    for (let i = 0; i < 3; i++) {
      rects.add(0, 0, 8, 8, red)
      t.queue.flush(PASS)
    }
    assert.equal(uploads, [{ offset: 0, orphan: false }, { offset: 0, orphan: true }, { offset: 0, orphan: true }])
  } finally {
    t.done()
  }
})

test('after retire(), the next frame appends behind the last one without orphaning, and draws its own data', async () => {
  const t = await setup({ queue: { ringSize: 65536 } })
  try {
    const rects = createRectBatcher(t.queue, {})
    const red = createRectStyle({ fill: 0xff0000ff })
    const green = createRectStyle({ fill: 0x00ff00ff })
    const uploads = spyUploads(t.device)
    rects.add(0, 0, 32, 64, red)
    t.queue.flush(PASS)
    t.queue.ring.retire()
    rects.add(32, 0, 32, 64, green)
    t.queue.flush(PASS)
    assert.is(uploads.length, 2)
    assert.equal(uploads[0], { offset: 0, orphan: false }, 'the first write made the store')
    assert.is(uploads[1].orphan, false, 'a retired ring does not re-specify its store')
    assert.ok(uploads[1].offset > 0, `appended at ${uploads[1].offset}`)
    const pixels = t.read()
    // Only the second frame's rect is drawn (the pass cleared), in green, from the appended data.
    assert.ok(near(px(pixels, 64, 48, 32), GREEN), `right half ${px(pixels, 64, 48, 32)}`)
    assert.ok(near(px(pixels, 64, 16, 32), [0, 0, 0, 255]), `left half ${px(pixels, 64, 16, 32)}`)
    // retire() covers one frame: the next flush without it orphans again.
    rects.add(0, 0, 32, 64, red)
    t.queue.flush(PASS)
    assert.equal(uploads[2], { offset: 0, orphan: true })
    assert.ok(near(px(t.read(), 64, 16, 32), RED))
  } finally {
    t.done()
  }
})

test('a retired ring goes back to offset 0 of the same store when the next frame would not fit, and orphans only on a mid-frame overflow', async () => {
  const t = await setup({ queue: { ringSize: 8192 } })
  try {
    const rects = createRectBatcher(t.queue, {})
    const green = createRectStyle({ fill: 0x00ff00ff })
    const red = createRectStyle({ fill: 0xff0000ff })
    const uploads = spyUploads(t.device)
    for (let i = 0; i < 200; i++) {
      for (let k = 0; k < 40; k++) rects.add(0, 0, 64, 64, green) // 40 instances, 1280 B: 6 frames fill 8 KB
      t.queue.flush(PASS)
      t.queue.ring.retire()
    }
    assert.is(uploads.filter((u) => u.orphan).length, 0, 'no frame re-specifies the store (the first write made it)')
    const wraps = uploads.filter((u, i) => i > 0 && u.offset === 0)
    assert.ok(wraps.length > 20, `${wraps.length} frames went back to offset 0`)
    assert.ok(uploads.every((u) => u.offset + 1280 <= 8192))
    assert.ok(near(px(t.read(), 64, 32, 32), GREEN))
    // A frame much larger than the last one outgrows the space behind it mid-frame: that write orphans.
    uploads.length = 0
    for (let k = 0; k < 200; k++) rects.add(0, 0, 64, 64, red) // 6400 B
    t.queue.flush(PASS)
    assert.ok(uploads.some((u) => u.orphan && u.offset === 0), JSON.stringify(uploads))
    assert.ok(near(px(t.read(), 64, 32, 32), RED))
    assert.is(t.queue.ring.growths, 0)
  } finally {
    t.done()
  }
})

async function engineUploads(desc) {
  const engine = await createEngine({ ...desc, width: 32, height: 32 })
  try {
    const rects = createRectBatcher(engine.queue, {})
    const red = createRectStyle({ fill: 0xff0000ff })
    engine.onFrame(() => rects.add(0, 0, 8, 8, red))
    const uploads = spyUploads(engine.device)
    for (let i = 0; i < 4; i++) engine.renderFrame()
    return uploads
  } finally {
    engine.destroy()
  }
}

test('a windowed engine retires the ring after each present; a headless one orphans every frame', async () => {
  const windowed = await engineUploads({ window: { title: 'ring', width: 32, height: 32 }, vblank: false, inputDoorbell: false })
  assert.is(windowed.length, 4)
  assert.equal(windowed.map((u) => u.orphan), [false, false, false, false])
  assert.ok(windowed[1].offset > windowed[0].offset && windowed[2].offset > windowed[1].offset)
  const headless = await engineUploads({ headless: true })
  assert.equal(headless.map((u) => u.orphan), [false, true, true, true])
})

test.run()
