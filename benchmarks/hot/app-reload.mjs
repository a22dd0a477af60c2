// Part of benchmarks/hot/reload.bench.mjs: hot reload of a logic worker and of the render module
// through engine.hot (the session runApp --hot starts), save to new pixels, a counter in the shared
// state checked across every reload, and 100 reloads in a row of each with heap and GL objects.
import Fs from 'node:fs'
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createEngine, createSharedState, defineStateSchema } from '../../dist/index.js'
import { startHotApp } from '../../dist/hot/hot-session.js'
import { createRenderHost } from '../../dist/hot/render-host.js'
import { createWorkerHost } from '../../dist/hot/worker-host.js'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const dist = pathToFileURL(Path.resolve(Path.dirname(new URL(import.meta.url).pathname), '../../dist/index.js')).href

const VS = 'attribute vec2 a_pos;\nvoid main() { gl_Position = vec4(a_pos, 0.0, 1.0); }\n'
const FS = 'precision mediump float;\nvoid main() { gl_FragColor = vec4(0.0); }\n'

/** The logic worker: counts steps; its colour (0xRRGGBB) is the version's constant. */
const logic = (rgb) => `
export function step(ctx) { ctx.views.counter[0] += 1; ctx.views.rgb[0] = ${rgb} }
export function dispose(ctx) { ctx.hot.data.last = ctx.views.counter[0] }
`
/**
 * The render module: clears to its own colour, or to the worker's when its constant is -1; owns a
 * rect batcher and a program from files (GL objects that must not pile up across reloads).
 */
const render = (rgb, dir) => `
import { createRectBatcher } from ${JSON.stringify(dist)}
export function setup(app) {
  app.own(createRectBatcher(app.engine.queue))
  app.createProgram({ vertexFile: ${JSON.stringify(Path.join(dir, 'b.vert'))}, fragmentFile: ${JSON.stringify(Path.join(dir, 'b.frag'))} })
  const own = ${rgb}
  app.onFrame((f) => {
    const c = own >= 0 ? own : (f.state ? f.state.views.rgb[0] : 0)
    app.engine.setClearColor(((c >> 16) & 255) / 255, ((c >> 8) & 255) / 255, (c & 255) / 255, 1)
    app.data.counter = f.state ? f.state.views.counter[0] : 0
  })
}
`

/** Renders frames (about one a millisecond) until the centre pixel is `rgb`; ms since `t0`. */
async function untilPixels(engine, rgb, t0, limitMs = 5000) {
  for (;;) {
    engine.renderFrame()
    const p = engine.device.readPixels(4, 4, 1, 1)
    if (((p[0] << 16) | (p[1] << 8) | p[2]) === rgb) return performance.now() - t0
    if (performance.now() - t0 > limitMs) throw new Error(`no new pixels within ${limitMs} ms of the save`)
    await sleep(1)
  }
}

const colour = (i, salt) => (((i * 37 + salt) & 255) << 16) | (((i * 91) & 255) << 8) | 77

/**
 * @returns {{ workerPixels: number[], renderPixels: number[], workerEventMs: number[], renderEventMs: number[],
 *   counter: { reloads: number, continued: boolean, first: number, last: number },
 *   flat: { worker: object, render: object } }}
 */
export async function runAppReloads({ dir, saves, heapMB }) {
  Fs.writeFileSync(Path.join(dir, 'b.vert'), VS)
  Fs.writeFileSync(Path.join(dir, 'b.frag'), FS)
  const logicFile = Path.join(dir, 'logic.mjs')
  const renderFile = Path.join(dir, 'render.mjs')
  Fs.writeFileSync(logicFile, logic(0))
  Fs.writeFileSync(renderFile, render(-1, dir))
  const state = createSharedState(defineStateSchema({ counter: 'f64', rgb: 'f64' }))
  const engine = await createEngine({ headless: true, width: 8, height: 8, state, vblank: false })
  const hot = await startHotApp(engine, { hot: true })
  engine.hot = hot.hot
  const workerEventMs = []
  const renderEventMs = []
  engine.hot.on((e) => (e.kind === 'worker' ? workerEventMs : renderEventMs).push(e.ms))
  let data = engine.hot.data // the running render module's app.data (it copies the counter each frame)
  const counterNow = () => data.counter ?? 0
  const counter = { reloads: 0, continued: true, first: 0, last: 0 }
  /** The counter the render thread sees must never go back across a reload. */
  const checkCounter = (before) => {
    counter.reloads++
    if (counterNow() < before) counter.continued = false
  }
  try {
    const worker = await engine.startLogic({ module: logicFile, hz: 1000 })
    await hot.loadModule(renderFile)
    await untilPixels(engine, 0, performance.now())
    while (counterNow() === 0) {
      await sleep(1)
      engine.renderFrame()
    }
    counter.first = counterNow()

    // ---- a logic worker: save → new pixels (the render module draws the worker's colour)
    const workerPixels = []
    for (let i = 1; i <= saves; i++) {
      const rgb = colour(i, 0)
      await sleep(5)
      const before = counterNow()
      const t0 = performance.now()
      Fs.writeFileSync(logicFile, logic(rgb))
      workerPixels.push(await untilPixels(engine, rgb, t0))
      checkCounter(before)
    }
    // ---- the render module: save → new pixels
    const renderPixels = []
    for (let i = 1; i <= saves; i++) {
      const rgb = colour(i, 101)
      await sleep(5)
      const before = counterNow()
      const t0 = performance.now()
      Fs.writeFileSync(renderFile, render(rgb, dir))
      renderPixels.push(await untilPixels(engine, rgb, t0))
      checkCounter(before)
    }
    // ---- 100 reloads in a row of each, without the watcher, a frame after each
    const d = engine.device
    const workers = createWorkerHost({ watch: false })
    workers.watch(worker)
    for (let i = 0; i < 10; i++) await workers.reload(worker)
    const w0 = { heap: heapMB(), live: { ...d.liveResources } }
    for (let i = 0; i < 100; i++) {
      const before = counterNow()
      const e = await workers.reload(worker)
      if (!e.ok) throw e.error
      engine.renderFrame()
      checkCounter(before)
    }
    const w1 = { heap: heapMB(), live: { ...d.liveResources } }
    workers.close()
    hot.close()
    engine.hot = null

    Fs.writeFileSync(renderFile, render(-1, dir))
    const renderHost = createRenderHost({ engine, module: renderFile })
    await renderHost.reload()
    data = renderHost.data
    engine.renderFrame()
    for (let i = 0; i < 10; i++) await renderHost.reload()
    engine.renderFrame()
    const r0 = { heap: heapMB(), live: { ...d.liveResources } }
    for (let i = 0; i < 100; i++) {
      const before = counterNow()
      const e = await renderHost.reload()
      if (!e.ok) throw e.error
      engine.renderFrame()
      checkCounter(before)
    }
    engine.renderFrame()
    const r1 = { heap: heapMB(), live: { ...d.liveResources } }
    renderHost.close()
    counter.last = counterNow()
    if (worker.restarts !== 0) counter.continued = false
    return { workerPixels, renderPixels, workerEventMs, renderEventMs, counter, flat: { worker: [w0, w1], render: [r0, r1] } }
  } finally {
    hot.close()
    await engine.stop()
    engine.destroy()
  }
}
