#!/usr/bin/env node
/**
 * Reference apps for latency comparisons: bare @kmamal/sdl + @kmamal/gl, no framelatch engine.
 * Each opens an 800x600 window (the size of a framelatch `runApp` with no size given), clears it
 * dark and draws a 64x64 square at the top-left that flips black/white on every key press (not
 * repeats), like `--latency-probe`. Run as a script:
 *
 *   node dist/platform/reference-app.js --style floor     polls SDL itself in a setImmediate loop
 *                                                          and renders only when something changed
 *   node dist/platform/reference-app.js --style keydown   renders inside SDL's keyDown listener
 *   node dist/platform/reference-app.js --style naive     setInterval(render, 1000 / 60); input
 *                                                          applied in the listener
 *
 * The floor is the lowest latency this stack allows: what an engine adds is measured against it
 * (`framelatch latency`, `framelatch bench`, benchmarks/probe/latency.bench.mjs).
 */
import { pumpSdlEvents } from './sdl-events.js'
import { loadGL, loadSDL } from './native.js'

interface BareGL {
  enable(cap: number): void
  disable(cap: number): void
  scissor(x: number, y: number, w: number, h: number): void
  clearColor(r: number, g: number, b: number, a: number): void
  clear(mask: number): void
  swap(): void
  SCISSOR_TEST: number
  COLOR_BUFFER_BIT: number
}

const SIZE = 64
const WIDTH = 800
const HEIGHT = 600

function main(): void {
  const argv = process.argv.slice(2)
  const style = argv[argv.indexOf('--style') + 1] ?? 'floor'
  if (!['floor', 'keydown', 'naive'].includes(style)) {
    process.stderr.write(`reference-app: --style must be floor, keydown or naive, got ${style}\n`)
    process.exit(2)
  }
  const sdl = loadSDL()
  const win = sdl.video.createWindow({ title: `framelatch reference: ${style}`, width: WIDTH, height: HEIGHT, opengl: true })
  const gl = loadGL()(win.pixelWidth, win.pixelHeight, { window: win.native, antialias: false, alpha: true, depth: false }) as BareGL
  let flips = 0
  const render = (): void => {
    gl.disable(gl.SCISSOR_TEST)
    gl.clearColor(0.06, 0.07, 0.09, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    const c = flips & 1
    gl.enable(gl.SCISSOR_TEST)
    gl.scissor(0, win.pixelHeight - SIZE, SIZE, SIZE) // GL's origin is bottom-left
    gl.clearColor(c, c, c, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    gl.swap()
  }
  let stopped = false
  const stop = (): void => {
    stopped = true
    if (timer) clearInterval(timer)
    win.destroy()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  win.on('close', stop)
  let timer: NodeJS.Timeout | null = null
  render()
  if (style === 'floor') {
    win.on('keyDown', (e) => {
      if (!e.repeat) flips++
    })
    let drawn = flips
    const loop = (): void => {
      if (stopped) return
      pumpSdlEvents()
      if (flips !== drawn) {
        drawn = flips
        render()
      }
      setImmediate(loop)
    }
    loop()
  } else if (style === 'keydown') {
    win.on('keyDown', (e) => {
      if (e.repeat) return
      flips++
      render()
    })
  } else {
    win.on('keyDown', (e) => {
      if (!e.repeat) flips++
    })
    timer = setInterval(render, 1000 / 60)
  }
}

main()
