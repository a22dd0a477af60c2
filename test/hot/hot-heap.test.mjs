// Hot reload on allocates nothing per frame: the frame callbacks of an app under engine.hot (the
// session's overlay callback and a render module's callback drawing text with a watched font,
// whose batcher checks the font's revision on every call) are measured by the allocation harness,
// the queue flushed between rounds. (engine.renderFrame as a whole is not measured: its GL calls
// show a few hundred bytes a frame in this harness with or without hot reload.)
import { test } from 'uvu'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createEngine } from '../../dist/index.js'
import { BUNDLED_FONT_PATH } from '../../dist/text/font.js'
import { startHotApp } from '../../dist/hot/hot-session.js'
import { assertAllocatesNothing } from '../support/heap.mjs'

const dist = pathToFileURL(Path.resolve('dist/index.js')).href
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-hot-heap-'))
const font = Path.join(dir, 'ui.ttf')
Fs.copyFileSync(BUNDLED_FONT_PATH, font)
Fs.writeFileSync(Path.join(dir, 'render.mjs'), `
import { createTextBatcher, createTextStyle } from ${JSON.stringify(dist)}
export function setup(app) {
  const text = app.own(createTextBatcher(app.engine.queue, { font: app.loadFont({ file: ${JSON.stringify(font)} }), pixelSize: 12 }))
  const style = createTextStyle({ color: 0xffffffff })
  app.onFrame(() => { text.draw('hot 123', 4, 16, style) })
}
`)

test('a frame under engine.hot allocates nothing', async () => {
  const engine = await createEngine({ headless: true, width: 64, height: 32, vblank: false })
  const hot = await startHotApp(engine, { hot: true })
  engine.hot = hot.hot
  try {
    await hot.loadModule(Path.join(dir, 'render.mjs'))
    engine.renderFrame()
    const callbacks = engine.runner.callbacks
    const frame = engine.runner.frame
    if (callbacks.length !== 2) throw new Error(`expected the overlay's and the module's callbacks, got ${callbacks.length}`)
    const run = () => {
      for (let i = 0; i < callbacks.length; i++) callbacks[i](frame)
    }
    await assertAllocatesNothing('frame callbacks under engine.hot (overlay, text with a watched font)', run, {
      frames: 1000, warmup: 400, between: () => engine.queue.flush(),
    })
  } finally {
    hot.close()
    engine.destroy()
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
