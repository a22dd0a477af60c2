#!/usr/bin/env node
// A reference target for the probe, with no GL and no toolkit: a plain X11 window (core protocol
// through the `x11` package) that flips black/white a fixed delay after each key press or button
// press reaches it, and follows the pointer with a 16x16 white marker. The delay is waited with
// Atomics.wait and the last millisecond spun, so the app adds exactly `--delay-ms` on top of the
// X server delivering the event; the probe's reading minus that delay is the probe's own error.
//
// `--log` prints each key and button press as a JSON line on stdout (the driver's tests read it).
// With FRAMELATCH_TRACE set (framelatch latency sets it) each flip is written as a frame-trace
// line like a framelatch engine's (src/engine/trace-export.ts): input-arrival = the event reached
// this app, input-latch = the delay ended, swap-return = the fill request was sent. The probe's
// breakdown then splits the reading into X delivery (deliver), the delay (wait) and the probe's
// own detection after the paint (display).
//
//   node benchmarks/probe/apps/x11-delay.mjs [--delay-ms 10] [--title NAME] [--size 200] [--log]
import { createRequire } from 'node:module'
import Fs from 'node:fs'

const require = createRequire(import.meta.url)
const x11 = require('x11')

const argv = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : fallback
}
const delayMs = Number(flag('--delay-ms', '0'))
const title = flag('--title', 'x11-delay')
const size = Number(flag('--size', '200'))
const logEvents = argv.includes('--log')
const monoMs = () => Number(process.hrtime.bigint()) / 1e6
let traceFd = null
if (process.env.FRAMELATCH_TRACE) {
  traceFd = Fs.openSync(process.env.FRAMELATCH_TRACE, 'a')
  Fs.writeSync(traceFd, JSON.stringify({ framelatch: 'trace', version: 1, pid: process.pid, clock: 'monotonic-ms' }) + '\n')
}
let flips = 0

const sleeper = new Int32Array(new SharedArrayBuffer(4))
function waitUntil(t) {
  for (;;) {
    const left = t - performance.now()
    if (left <= 0) return
    if (left > 1) Atomics.wait(sleeper, 0, 0, left - 1)
  }
}

x11.createClient((err, display) => {
  if (err) {
    console.error(`x11-delay: ${err.message}`)
    process.exit(1)
  }
  const X = display.client
  const screen = display.screen[0]
  const wid = X.AllocID()
  const { KeyPress, ButtonPress, PointerMotion, Exposure } = x11.eventMask
  X.CreateWindow(wid, screen.root, 0, 0, size, size, 0, 0, 0, 0, {
    backgroundPixel: screen.black_pixel,
    eventMask: KeyPress | ButtonPress | PointerMotion | Exposure,
  })
  X.ChangeProperty(0, wid, X.atoms.WM_NAME, X.atoms.STRING, 8, title)
  X.InternAtom(false, '_NET_WM_PID', (e, pidAtom) => {
    if (!e) X.ChangeProperty(0, wid, pidAtom, X.atoms.CARDINAL, 32, [process.pid])
    X.MapWindow(wid)
  })
  const black = X.AllocID()
  const white = X.AllocID()
  X.CreateGC(black, wid, { foreground: screen.black_pixel })
  X.CreateGC(white, wid, { foreground: screen.white_pixel })
  let on = false
  let marker = null
  const paint = () => {
    X.PolyFillRectangle(wid, on ? white : black, [0, 0, size, size])
    if (marker) X.PolyFillRectangle(wid, on ? black : white, [marker[0] - 8, marker[1] - 8, 16, 16])
  }
  X.on('event', (ev) => {
    const arrived = performance.now()
    const arrivedMono = monoMs()
    if (ev.name === 'KeyPress' || ev.name === 'ButtonPress') {
      if (logEvents) process.stdout.write(JSON.stringify({ event: ev.name, detail: ev.keycode, state: ev.buttons, x: ev.x, y: ev.y }) + '\n')
      if (delayMs > 0) waitUntil(arrived + delayMs)
      const latched = monoMs()
      on = !on
      paint()
      if (traceFd !== null) {
        Fs.writeSync(traceFd, JSON.stringify({ frame: flips++, 'input-arrival': arrivedMono, 'input-latch': latched, 'swap-return': monoMs() }) + '\n')
      }
    } else if (ev.name === 'MotionNotify') {
      marker = [ev.x, ev.y]
      paint()
    } else if (ev.name === 'Expose') {
      paint()
    }
  })
  X.on('error', (e) => console.error(`x11-delay: ${e.message}`))
  process.on('SIGTERM', () => process.exit(0))
  process.on('SIGINT', () => process.exit(0))
})
