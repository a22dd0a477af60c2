// Resize events (src/engine/engine-resize.ts): a headless engine's resize(w, h) and a real SDL
// window under the test runner's Xvfb resized with setSize both emit { width, height } once,
// after the drawing buffer, the device and the next frame's size follow, so a frame drawn right
// after covers the new area and a read-back has the new size.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine } from '../../dist/engine/engine.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { decodePNG } from '../../dist/platform/png.js'
import { pumpSdlEvents } from '../../dist/platform/sdl-events.js'
import { until } from '../support/wait.mjs'

function pixel(img, x, y) {
  const i = (y * img.width + x) * 4
  return [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]]
}

test('a headless engine resizes its drawing buffer and emits one resize event', async () => {
  const engine = await createEngine({ headless: true, width: 64, height: 48, debug: true })
  try {
    const events = []
    const off = engine.onResize((e) => events.push(e))
    const rects = createRectBatcher(engine.queue)
    const red = createRectStyle({ fill: 'red' })
    let size = null
    engine.onFrame((f) => {
      size = [f.width, f.height]
      rects.add(f.width - 10, f.height - 10, 10, 10, red) // bottom-right corner of whatever size
    })
    engine.resize(100, 40)
    assert.equal(events, [{ width: 100, height: 40 }])
    assert.is(engine.width, 100)
    engine.renderFrame()
    assert.equal(size, [100, 40], 'the frame sees the new size')
    const img = decodePNG(await engine.screenshot())
    assert.is(img.width, 100)
    assert.is(img.height, 40)
    assert.equal(pixel(img, 95, 35), [255, 0, 0, 255], 'drawn at the new bottom-right corner')
    assert.equal(pixel(img, 85, 35), [0, 0, 0, 255])
    off()
    engine.resize(50, 50)
    assert.is(events.length, 1, 'a removed listener hears nothing')
    assert.is(engine.width, 50)
    assert.ok(['FL_INVALID_DESC', 'FL_OUT_OF_RANGE'].includes(codeOf(() => engine.resize(0, 10))), 'bad size is a coded error')
  } finally {
    engine.destroy()
  }
})

function codeOf(fn) {
  try { fn() } catch (e) { return e.code ?? String(e) }
  return 'no error'
}

test('a resizable window emits a resize event with its new pixel size', async () => {
  const engine = await createEngine({ window: { title: 'framelatch resize test', width: 64, height: 48, resizable: true }, vblank: false })
  try {
    const events = []
    engine.onResize((e) => events.push(e))
    for (let i = 0; i < 20; i++) { pumpSdlEvents(); await new Promise((r) => setTimeout(r, 5)) }
    assert.equal(events, [], 'no event for the size the window opened with')
    engine.window.setSize(96, 80)
    // Polls until SDL delivers the event; the cap is a hang guard, not a timing assertion.
    await until(() => events.length > 0 || (pumpSdlEvents(), false), 'the resize event', 10_000)
    assert.equal(events, [{ width: engine.window.pixelWidth, height: engine.window.pixelHeight }])
    assert.equal([engine.width, engine.height], [events[0].width, events[0].height])
    assert.is(engine.context.gl.drawingBufferWidth, events[0].width, 'drawing-buffer size updated (DEVELOPERS.md quirk)')
    const rects = createRectBatcher(engine.queue)
    engine.onFrame((f) => rects.add(f.width - 8, f.height - 8, 8, 8, createRectStyle({ fill: 'lime' })))
    const img = decodePNG(await engine.screenshot()) // the first frame after the resize
    assert.equal([img.width, img.height], [events[0].width, events[0].height])
    assert.equal(pixel(img, img.width - 4, img.height - 4), [0, 255, 0, 255], 'the first frame draws in the newly exposed corner')
  } finally {
    engine.destroy()
  }
})

test.run()
