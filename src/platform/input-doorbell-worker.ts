/**
 * Worker-thread entry of the input doorbell (see input-doorbell.ts, which owns the layout). Opens
 * its own X connection with the pure-JS `x11` client, selects XInput2 raw key, button and motion
 * events on the root window for all devices, and on each one bumps the shared counter and wakes
 * whoever waits on it. Never imported by the render thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { DOORBELL_LAYOUT as L } from './input-doorbell.js'

interface WorkerInput {
  display: string
  sab: SharedArrayBuffer
}

/** The subset of the untyped `x11` package this worker uses (x11 4.x). */
interface X11Module {
  createClient(options: { display: string }, onConnect: (err: Error | null, display: X11Display) => void): X11Connection
}
interface X11Connection {
  on(event: 'error', listener: (err: Error) => void): unknown
}
interface X11Display {
  client: X11Client
  screen: { root: number }[]
}
interface X11Client {
  require(extension: 'xinput', onLoad: (err: Error | null, xi: XInputExtension | undefined) => void): void
  on(event: 'event', listener: (ev: { name: string }) => void): unknown
  on(event: 'error', listener: (err: Error) => void): unknown
  GetInputFocus(cb: (err: Error | null) => void): void
  terminate(): void
}
interface XInputExtension {
  xi2: unknown
  AllDevices: number
  XISelectEvents(window: number, masks: { deviceId: number; mask: string[] }): void
}

const RAW_EVENTS = ['RawKeyPress', 'RawKeyRelease', 'RawButtonPress', 'RawButtonRelease', 'RawMotion']
const RAW_NAMES = new Set(RAW_EVENTS.map((n) => `XI${n}`))

const input = workerData as WorkerInput
const cell = new Int32Array(input.sab, 0, L.INTS)
const require = createRequire(import.meta.url)
let client: X11Client | null = null
let stopping = false
let ready = false

function fail(reason: string): void {
  Atomics.store(cell, L.STATE, L.STATE_FAILED)
  parentPort?.postMessage({ type: 'error', message: reason })
}

parentPort?.on('message', (msg: { type: string }) => {
  if (msg.type !== 'stop') return
  stopping = true
  Atomics.store(cell, L.STATE, L.STATE_STOPPED)
  try {
    client?.terminate()
  } catch {
    // already closed
  }
  parentPort?.close()
})

let x11: X11Module | null = null
try {
  x11 = require('x11') as X11Module
} catch (err) {
  fail(`the x11 package could not be loaded (${String(err)})`)
}

if (x11) {
  const conn = x11.createClient({ display: input.display }, (err, display) => {
    if (err) return fail(`cannot connect to X display ${input.display}: ${err.message}`)
    const X = display.client
    client = X
    const root = display.screen[0]?.root
    if (root === undefined) return fail(`the X display ${input.display} reports no screen`)
    X.on('error', (e) => {
      if (!ready && !stopping) fail(`the X server refused the raw-event selection: ${e.message}`)
    })
    X.require('xinput', (xerr, xi) => {
      if (xerr || !xi || !xi.xi2) return fail(`the X server on ${input.display} has no XInput2 (${xerr?.message ?? 'missing'})`)
      X.on('event', (ev) => {
        if (stopping || !RAW_NAMES.has(ev.name)) return
        Atomics.add(cell, L.RINGS, 1)
        Atomics.notify(cell, L.RINGS)
      })
      xi.XISelectEvents(root, { deviceId: xi.AllDevices, mask: RAW_EVENTS })
      // A round trip: an error for the selection arrives before this reply.
      X.GetInputFocus((gerr) => {
        if (gerr) return fail(`X round trip failed: ${gerr.message}`)
        if (Atomics.load(cell, L.STATE) === L.STATE_FAILED) return
        ready = true
        Atomics.store(cell, L.STATE, L.STATE_RUNNING)
        parentPort?.postMessage({ type: 'ready' })
      })
    })
  })
  conn.on('error', (err) => {
    if (!stopping) fail(`X connection to ${input.display} failed: ${err.message}`)
  })
}
