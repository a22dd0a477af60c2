// Hot reload of the render module on a headless engine: a change in the module or in a file it
// imports is drawn by the next frame, state in app.data carries over, the old version's frame
// callbacks and resources are gone, and a broken version leaves the last good one drawing (a syntax
// error in an imported file named by file and line).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createEngine } from '../../dist/index.js'
import { createRenderHost } from '../../dist/hot/render-host.js'

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-render-host-'))
const write = (name, text) => Fs.writeFileSync(Path.join(dir, name), text)

// The render module: clears to the colour its imported palette names, counts frames in app.data,
// and owns a resource whose destroy() is recorded on globalThis.
write('palette.mjs', 'export const clear = [1, 0, 0]\n')
const moduleText = (extra = '') => `
import { clear } from './palette.mjs'
export function setup(app) {
  app.data.frames ??= 0
  app.data.setups = (app.data.setups ?? 0) + 1
  app.own({ destroy() { globalThis.__destroyed = (globalThis.__destroyed ?? 0) + 1 } })
  app.onFrame(() => { app.data.frames++ ; app.engine.setClearColor(clear[0], clear[1], clear[2], 1) })
  app.dispose((data) => { data.disposed = (data.disposed ?? 0) + 1 })
  ${extra}
}
`
write('render.mjs', moduleText())

async function centre(engine) {
  engine.renderFrame() // the callback sets the clear colour this frame; the next frame shows it
  engine.renderFrame()
  const px = engine.device.readPixels(engine.width >> 1, engine.height >> 1, 1, 1)
  return [px[0], px[1], px[2]]
}

test('reloads the module and its changed imports, keeps data, removes the old version', async () => {
  const engine = await createEngine({ headless: true, width: 64, height: 64 })
  const events = []
  const host = createRenderHost({ engine, module: Path.join(dir, 'render.mjs'), onReload: (e) => events.push(e) })
  try {
    const first = await host.reload()
    assert.ok(first.ok, String(first.error))
    assert.equal(await centre(engine), [255, 0, 0])
    const framesBefore = host.data.frames

    write('palette.mjs', 'export const clear = [0, 0, 1]\n') // a dependency changes
    const second = await host.reload()
    assert.ok(second.ok, String(second.error))
    assert.equal(await centre(engine), [0, 0, 255], 'the changed import is drawn')
    assert.is(host.data.frames, framesBefore + 2, 'one callback a frame: the old one was removed, the count went on')
    assert.is(host.data.setups, 2)
    assert.is(host.data.disposed, 1)
    assert.is(globalThis.__destroyed, 1, 'the old version\'s resource was destroyed')
    assert.is(events.length, 2)
  } finally {
    host.close()
    engine.destroy()
  }
})

test('a broken module keeps the last good version drawing, and its fix loads', async () => {
  write('palette.mjs', 'export const clear = [0, 1, 0]\n')
  write('render.mjs', moduleText())
  const engine = await createEngine({ headless: true, width: 64, height: 64 })
  const host = createRenderHost({ engine, module: Path.join(dir, 'render.mjs') })
  try {
    assert.ok((await host.reload()).ok)
    assert.equal(await centre(engine), [0, 255, 0])

    write('render.mjs', moduleText().replace('export function setup', 'export function setup(')) // syntax error
    const broken = await host.reload()
    assert.not.ok(broken.ok)
    assert.is(broken.error.code, 'FL_HOT_RELOAD')
    assert.equal(await centre(engine), [0, 255, 0], 'the last good version still draws')

    write('render.mjs', moduleText())
    write('palette.mjs', 'export const clear = [0, 0, 1\n') // a syntax error in an import: Node names no file
    const brokenImport = await host.reload()
    assert.not.ok(brokenImport.ok)
    assert.match(brokenImport.error.message, /palette\.mjs:\d+/, 'the error names the broken import')
    assert.match(String(brokenImport.error.info.at), /palette\.mjs:\d+$/)
    assert.equal(await centre(engine), [0, 255, 0], 'the last good version still draws')
    write('palette.mjs', 'export const clear = [0, 1, 0]\n')

    write('render.mjs', moduleText("throw new Error('setup failed')")) // throws in setup
    const throws = await host.reload()
    assert.not.ok(throws.ok)
    assert.match(throws.error.message, /setup failed/)
    const frames = host.data.frames
    assert.equal(await centre(engine), [0, 255, 0], 'the last good version was set up again')
    assert.is(host.data.frames, frames + 2, 'with exactly one frame callback')

    write('render.mjs', 'export const nothing = 1\n')
    assert.is((await host.reload()).error.code, 'FL_HOT_RELOAD', 'no setup export')

    write('palette.mjs', 'export const clear = [1, 1, 1]\n')
    write('render.mjs', moduleText())
    assert.ok((await host.reload()).ok, 'the fixed file loads')
    assert.equal(await centre(engine), [255, 255, 255])
  } finally {
    host.close()
    engine.destroy()
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
