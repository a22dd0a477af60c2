// engine.hot through runApp --hot, on a running headless app: saves of the render module, of a
// file it imports, of its shader and of the logic worker each give one reload event (kind, files,
// ms, error) and new pixels or new logic, a save of a file the worker imports names that file; engine.hot.data and a counter in the shared state go on
// across every reload; a broken render module leaves the last good one drawing with the error on
// the overlay, and its fix loads. Without --hot: engine.hot is null and nothing is watched.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runApp, createSharedState, defineStateSchema, decodePNG, setLogger } from '../../dist/index.js'
import { hookRegistrations } from '../../dist/hot/module-host.js'
import { sleep, until } from '../support/wait.mjs'

const dist = pathToFileURL(Path.resolve('dist/index.js')).href
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-engine-hot-'))
const at = (name) => Path.join(dir, name)
const write = (name, text) => Fs.writeFileSync(at(name), text)

write('quad.vert', 'attribute vec2 a_pos;\nvoid main() { gl_Position = vec4(a_pos, 0.0, 1.0); }\n')
const frag = (r, g, b) => `precision mediump float;\nvoid main() { gl_FragColor = vec4(${r}.0, ${g}.0, ${b}.0, 1.0); }\n`
write('quad.frag', frag(1, 0, 0))
write('layout.mjs', 'export const HALF = 0\n') // 0: the quad covers the whole frame; 1: the left half only
// The render module: a full-screen (or left-half) quad in the shader's colour; counts frames in app.data.
const render = (extra = '') => `
import { HALF } from './layout.mjs'
export function setup(app) {
  const d = app.engine.device, q = app.engine.queue
  const program = app.createProgram({ vertexFile: ${JSON.stringify(at('quad.vert'))}, fragmentFile: ${JSON.stringify(at('quad.frag'))} })
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
  app.own({ destroy: () => d.destroyPipeline(pipeline) })
  const batch = q.createBatch({ pipeline, mode: 'vertices', vertexCount: 6, floatsPerInstance: 2 })
  app.own({ destroy: () => q.destroyBatch(batch) })
  const x1 = HALF ? 0 : 1
  const quad = new Float32Array([-1, -1, x1, -1, x1, 1, -1, -1, x1, 1, -1, 1])
  app.data.frames ??= 0
  app.data.setups = (app.data.setups ?? 0) + 1
  app.onFrame(() => { app.data.frames++; q.recordData(batch, quad, 0) })
  ${extra}
}
`
write('render.mjs', render())
write('logic-extra.mjs', 'export const EXTRA = 0\n')
const logic = (add) => `
import { EXTRA } from './logic-extra.mjs'
export function init(ctx) { ctx.views.inits[0] += 1 }
export function step(ctx) { ctx.views.counter[0] += 1; ctx.views.add[0] = ${add} + EXTRA }
export function dispose(ctx) { ctx.hot.data.from = ${add} }
`
write('logic.mjs', logic(1))

const spec = { counter: 'f64', add: 'f64', inits: 'f64' }

/** Runs the app with `argv` and `drive(engine)` beside its loop; resolves with what drive returned. */
async function withApp(argv, drive) {
  let result
  let failure = null
  await runApp({
    width: 64, height: 32,
    engine: { state: createSharedState(defineStateSchema(spec)), vblank: false },
    module: at('render.mjs'),
    async setup(engine) {
      engine.onFrame((f) => {
        if (f.state) latest = { counter: f.state.views.counter[0], add: f.state.views.add[0], inits: f.state.views.inits[0] }
      })
      await engine.startLogic({ module: at('logic.mjs'), hz: 200 })
      void (async () => {
        try {
          // stop() before run() would be undone by run(): start driving once the loop runs.
          while (!engine.isRunning) await sleep(1)
          result = await drive(engine)
        } catch (e) {
          failure = e
        } finally {
          void engine.stop()
        }
      })()
    },
  }, argv)
  if (failure) throw failure
  return result
}

/** (r, g, b) at a pixel of the newest frame. */
async function pixel(engine, x, y) {
  const img = decodePNG(await engine.screenshot())
  const i = (y * img.width + x) * 4
  return [img.data[i], img.data[i + 1], img.data[i + 2]]
}

/** The shared state as the newest frame read it. */
let latest = { counter: 0, add: 0, inits: 0 }
const counter = () => latest

test('--hot: every kind reloads on save, with events, state kept and the last good version on errors', async () => {
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  try {
    await withApp(['--headless', '--hot'], async (engine) => {
      assert.ok(engine.hot, 'engine.hot is on')
      const events = []
      engine.hot.on((e) => events.push(e))
      engine.hot.data.mine = 'kept'
      const next = async (what, n) => until(() => events.length >= n && events[n - 1], `${what} event`)

      await until(() => engine.frameCount > 2, 'the first frames')
      assert.equal(await pixel(engine, 48, 16), [255, 0, 0])

      // A file the render module imports: the left half only.
      write('layout.mjs', 'export const HALF = 1\n')
      let e = await next('layout', 1)
      assert.is(e.kind, 'render')
      assert.ok(e.ok, String(e.error))
      assert.ok(e.files.includes(at('layout.mjs')), 'the saved import is named')
      assert.type(e.ms, 'number')
      const f0 = engine.frameCount
      await until(() => engine.frameCount > f0 + 2, 'a frame of the new version')
      assert.equal(await pixel(engine, 48, 16), [0, 0, 0], 'the right half is clear now')
      assert.is(engine.hot.data.mine, 'kept', 'engine.hot.data survives a render reload')
      assert.is(engine.hot.data.setups, 2)

      // The shader.
      write('quad.frag', frag(0, 1, 0))
      e = await next('shader', 2)
      assert.is(e.kind, 'shader')
      assert.ok(e.ok)
      const f1 = engine.frameCount
      await until(() => engine.frameCount > f1 + 2, 'a frame')
      assert.equal(await pixel(engine, 16, 16), [0, 255, 0])

      // The logic worker: the counter goes on, init ran once more, the new step writes 2.
      const c0 = counter(engine)
      write('logic.mjs', logic(2))
      e = await next('worker', 3)
      assert.is(e.kind, 'worker')
      assert.ok(e.ok, String(e.error))
      assert.equal(e.files, [at('logic.mjs')])
      const c1 = await until(() => { const c = counter(engine); return c.add === 2 && c }, 'version 2 stepping')
      assert.ok(c1.counter > c0.counter, 'the counter in the shared state continued')
      assert.is(c1.inits, c0.inits + 1)

      // A file the logic worker imports: the event names that file, the worker steps with it.
      write('logic-extra.mjs', 'export const EXTRA = 10\n')
      e = await next('worker import', 4)
      assert.is(e.kind, 'worker')
      assert.ok(e.ok, String(e.error))
      assert.equal(e.files, [at('logic-extra.mjs')], 'the saved import is named')
      await until(() => counter(engine).add === 12, 'the new import stepping')

      // A broken render module: the last good one keeps drawing, the overlay shows the error.
      write('render.mjs', render("throw new Error('broken on purpose')"))
      e = await next('broken render', 5)
      assert.not.ok(e.ok)
      assert.is(e.error.code, 'FL_HOT_RELOAD')
      assert.match(e.error.message, /broken on purpose/)
      assert.is(engine.hot.lastError, e.error)
      const f2 = engine.frameCount
      await until(() => engine.frameCount > f2 + 2, 'frames after the error')
      const [, g] = await pixel(engine, 16, 16)
      assert.ok(g > 0, 'the last good version draws (under the overlay panel)')
      assert.ok(engine.hot.overlayLines().some((l) => /broken on purpose/.test(l)), 'the overlay shows the error')
      assert.ok(logged.some((l) => l.code === 'FL_HOT_RELOAD' && /broken on purpose/.test(l.message)), 'the error reached the terminal')

      // The fix: the error clears.
      write('render.mjs', render())
      e = await next('fixed render', 6)
      assert.ok(e.ok, String(e.error))
      assert.is(engine.hot.lastError, null)
      assert.is(engine.hot.reloads, 6)
      assert.ok(engine.hot.data.frames > 0)
      assert.ok(counter(engine).counter >= c1.counter, 'the counter never went back')
    })
  } finally {
    setLogger(null)
  }
})

test('without --hot, hot reload costs nothing: engine.hot is null, no watch, no loader hooks, the module imported once', async () => {
  write('layout.mjs', 'export const HALF = 0\n')
  write('quad.frag', frag(0, 0, 1))
  write('render.mjs', render('globalThis.__renderUrl = import.meta.url'))
  const Fs2 = (await import('node:fs')).default
  const realWatch = Fs2.watch
  let watches = 0
  Fs2.watch = (...args) => {
    watches++
    return realWatch(...args)
  }
  const hooks0 = hookRegistrations()
  try {
    await withApp(['--headless'], async (engine) => {
      assert.is(engine.hot, null)
      await until(() => engine.frameCount > 2, 'frames')
      assert.equal(await pixel(engine, 16, 16), [0, 0, 255], 'the render module and its shader file were loaded')
      write('quad.frag', frag(1, 1, 1))
      await sleep(200)
      const f = engine.frameCount
      await until(() => engine.frameCount > f + 2, 'frames')
      assert.equal(await pixel(engine, 16, 16), [0, 0, 255], 'a save changes nothing')
    })
    assert.is(watches, 0, 'no fs.watch')
    assert.not.match(globalThis.__renderUrl, /fl-hot/, 'a plain import of the render module')
    assert.is(hookRegistrations(), hooks0, 'no loader hooks registered')
  } finally {
    Fs2.watch = realWatch
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
