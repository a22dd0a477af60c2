// The render module of examples/hot-shader.mjs (the render-module contract: export setup(app)).
// With --hot, a save of this file (or of a file it imports) sets the new version up on the same
// engine: what the old one made through app.own / app.createProgram is freed, app.data is kept.
import { createRectBatcher, createRectStyle, createTextBatcher, createTextStyle } from 'framelatch'

/** A triangle that covers the clip square. */
const FULL_SCREEN = new Float32Array([-1, -1, 3, -1, -1, 3])

export function setup(app) {
  const { engine } = app
  const device = engine.device
  const queue = engine.queue
  // The shader lives in two files; with --hot a save recompiles it under the same handle.
  const program = app.createProgram({
    vertexFile: new URL('./hot-shader.vert', import.meta.url),
    fragmentFile: new URL('./hot-shader.frag', import.meta.url),
  })
  const pipeline = device.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }], label: 'hot-shader' })
  app.own({ destroy: () => device.destroyPipeline(pipeline) })
  const batch = queue.createBatch({ pipeline, mode: 'vertices', vertexCount: 3, floatsPerInstance: 2, label: 'hot-shader' })
  app.own({ destroy: () => queue.destroyBatch(batch) })
  const rects = app.own(createRectBatcher(queue, { layer: 1 }))
  const text = app.own(createTextBatcher(queue, { layer: 2, pixelSize: 14 }))
  const panel = createRectStyle({ fill: 0x000000b0, radius: 4 })
  const white = createTextStyle({ color: 0xffffffff, anchor: 'top' })
  // Kept across reloads of this module: the frames this app has drawn, whichever version drew them.
  app.data.frames ??= 0
  app.onFrame((f) => {
    app.data.frames++
    queue.recordData(batch, FULL_SCREEN, 0)
    rects.add(8, 8, f.width - 16, 24, panel)
    text.draw('edit examples/hot-shader.frag', 14, 13, white)
    // The worker's count is live data: only windows show it (the headless image is compared with a reference).
    if (!engine.headless && f.state) text.draw(`logic steps ${f.state.views.steps[0]}`, 14, f.height - 24, white)
  })
}
