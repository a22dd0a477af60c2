// One engine lifecycle fault per run: `node engine-case.mjs <scenario>`; prints '@@' JSON lines.
import { createEngine, createRectBatcher, createRectStyle, createSharedState, defineStateSchema, setLogger } from '../../../dist/index.js'

const RED = createRectStyle({ fill: 0xff0000ff })
import { fixture } from '../support.mjs'
import { until } from '../../support/wait.mjs'

const scenario = process.argv[2]
const out = (o) => console.log('@@' + JSON.stringify(o))
const logs = []
setLogger((level, code, message) => logs.push({ level, code, message }))
const codeOf = async (fn) => {
  try {
    await fn()
    return 'no error'
  } catch (e) {
    return e.code ?? `uncoded ${e.name}: ${e.message}`
  }
}
const engineDesc = { headless: true, width: 32, height: 32, hz: 240, vblank: false }

switch (scenario) {
  case 'run-after-stop': {
    const engine = await createEngine(engineDesc)
    let frames = 0
    engine.onFrame(() => frames++)
    const first = engine.run()
    await until(() => frames >= 3, '3 frames', 50_000) // under the parent's timeout
    await engine.stop()
    await first
    const afterFirst = frames
    await engine.run({ frames: 5 })
    const afterSecond = frames
    const third = engine.run()
    await until(() => frames >= afterSecond + 2, '2 more frames', 50_000)
    await engine.stop()
    await third
    out({ afterFirst, afterSecond, afterThird: frames })
    engine.destroy()
    break
  }
  case 'after-destroy': {
    const state = createSharedState(defineStateSchema({ value: 'f64' }))
    const engine = await createEngine({ ...engineDesc, state })
    engine.renderFrame()
    const device = engine.device
    const buffer = device.createBuffer({ data: new Float32Array(4) })
    engine.destroy()
    const calls = {
      onFrame: () => engine.onFrame(() => {}),
      setClearColor: () => engine.setClearColor(1, 0, 0, 1),
      renderFrame: () => engine.renderFrame(),
      run: () => engine.run({ frames: 1 }),
      startLogic: () => engine.startLogic({ module: fixture('crash-at.mjs') }),
      screenshot: () => engine.screenshot(),
      present: () => engine.present(),
      'device.readPixels': () => device.readPixels(0, 0, 1, 1),
      'device.screenshot': () => device.screenshot(),
      'device.finish': () => device.finish(),
      'device.createBuffer': () => device.createBuffer({ size: 16 }),
      'device.createTexture': () => device.createTexture({ width: 2, height: 2 }),
      'device.updateBuffer': () => device.updateBuffer(buffer, new Float32Array(4)),
      'device.beginPass': () => device.beginPass({}),
    }
    const codes = {}
    for (const [name, fn] of Object.entries(calls)) codes[name] = await codeOf(fn)
    out({ codes, stop: await codeOf(() => engine.stop()), destroy: await codeOf(() => engine.destroy()) })
    break
  }
  case 'onframe-stop':
  case 'onframe-skip': {
    const skip = scenario === 'onframe-skip'
    const engine = await createEngine({ ...engineDesc, onFrameError: skip ? 'skip' : 'stop' })
    const rects = createRectBatcher(engine.queue)
    let calls = 0
    const remove = engine.onFrame((f) => {
      calls++
      rects.add(0, 0, 32, 32, RED)
      if (f.index === 2 || f.index === 3) throw new TypeError(`kaboom in frame ${f.index}`)
    })
    let rejected = null
    try {
      await engine.run({ frames: 8 })
    } catch (e) {
      rejected = { code: e.code, cause: e.cause?.message ?? null, causeType: e.cause?.name ?? null, frame: e.info?.frame ?? null, message: e.message }
    }
    const callsAfterRun = calls
    remove()
    // The engine goes on: a later run renders frames.
    await engine.run({ frames: 2 })
    out({ rejected, callsAfterRun, frameErrors: engine.frameErrors, logs: logs.filter((l) => l.code === 'FL_FRAME_CALLBACK').map((l) => l.message.split('\n')[0]), frameCount: engine.frameCount })
    engine.destroy()
    break
  }
  case 'renderframe-throws': {
    const engine = await createEngine({ ...engineDesc, clearColor: [0, 0, 1, 1] })
    const rects = createRectBatcher(engine.queue)
    const remove = engine.onFrame(() => {
      rects.add(0, 0, 32, 32, RED)
      throw new Error('half a frame')
    })
    const code = await codeOf(() => engine.renderFrame())
    remove()
    engine.renderFrame()
    const px = [...engine.device.readPixels(16, 16, 1, 1)]
    out({ code, px })
    engine.destroy()
    break
  }
  case 'stop-during-init': {
    const state = createSharedState(defineStateSchema({ value: 'f64' }))
    const engine = await createEngine({ ...engineDesc, state })
    const started = engine.startLogic({ module: fixture('init-hangs.mjs'), initTimeoutMs: 600_000 })
    const settled = started.then(() => 'resolved', (e) => e.code)
    await new Promise((r) => setTimeout(r, 300))
    await engine.stop()
    engine.destroy()
    out({ startLogic: await settled })
    break
  }
  default:
    throw new Error(`unknown scenario ${scenario}`)
}
out({ done: true })
