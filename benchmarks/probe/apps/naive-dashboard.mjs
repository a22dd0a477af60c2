#!/usr/bin/env node
// The hello-dashboard scene (examples/hello-dashboard.mjs: the same setup, batchers, window size
// and HUD) driven the way a naive user drives a render loop: `setInterval(render, 1000 / 60)`
// calling `engine.renderFrame()`, and the key press applied in SDL's keyDown listener (a 64x64
// square at the top-left, black/white flipped on every press, coloured on the CPU when the frame
// is recorded, like the naive reference app's). No ticker, no input wake-up, no late latch, no
// input doorbell, no vblank clock: what framelatch's low-latency mode is compared against in
// benchmarks/probe/latency.bench.mjs ("at every percentile", issue 8).
//
//   node benchmarks/probe/apps/naive-dashboard.mjs
import { createEngine, createRectBatcher, createRectStyle } from 'framelatch'
import { dashboard } from '../../../examples/hello-dashboard.mjs'

const SIZE = 64 // the probe square, like --latency-probe's

const engine = await createEngine({
  ...dashboard.engine,
  window: { title: `${dashboard.title} (naive setInterval loop)`, width: dashboard.width, height: dashboard.height },
  inputDoorbell: false,
  vblank: false,
})
dashboard.setup(engine, { headless: false })
let flips = 0
const square = createRectBatcher(engine.queue, { layer: 255 })
const black = createRectStyle({ fill: 0x000000ff })
const white = createRectStyle({ fill: 0xffffffff })
engine.onFrame(() => square.add(0, 0, SIZE, SIZE, flips & 1 ? white : black))
engine.window.on('keyDown', (e) => {
  if (!e.repeat) flips++
})
let timer = null
const stop = () => {
  clearInterval(timer)
  if (!engine.destroyed) engine.destroy()
  process.exit(0)
}
// The window closed (the engine frees itself then): end like the naive reference app.
const render = () => (engine.destroyed ? stop() : engine.renderFrame())
render()
timer = setInterval(render, 1000 / 60)
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
