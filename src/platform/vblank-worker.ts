/**
 * Worker-thread entry of the vblank source (see vblank-source.ts, which also owns the shared-memory
 * layout). Connects to the X server with the pure-JS `x11` client, asks the Present extension for a CompleteNotify at every vblank
 * (`NotifyMSC` for msc + 1, re-armed on each event) and publishes the newest UST/MSC through a
 * seqlock in the SharedArrayBuffer it was given. Never imported by the render thread.
 *
 * Only notifications for the vblank that was asked for are published: a NotifyMSC whose target
 * has already passed completes at once with the *current* time, not a vblank time.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { VBLANK_LAYOUT as L } from './vblank-source.js'

interface WorkerInput {
  display: string
  window: number
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
  AllocID(): number
  require(extension: 'present', onLoad: (err: Error | null, present: PresentExtension | undefined) => void): void
  on(event: 'event', listener: (ev: X11Event) => void): unknown
  terminate(): void
}
interface PresentExtension {
  EventMask: { CompleteNotify: number }
  CompleteKind: { NotifyMSC: number }
  SelectInput(eventId: number, window: number, mask: number): void
  NotifyMSC(window: number, serial: number, targetMsc: number, divisor: number, remainder: number): void
}
interface X11Event {
  name: string
  kind?: number
  msc: number
  ust: number
}

const input = workerData as WorkerInput
const i32 = new Int32Array(input.sab, 0, L.INTS)
const f64 = new Float64Array(input.sab, L.FLOAT_OFFSET, L.FLOATS)
const require = createRequire(import.meta.url)

function fail(reason: string): void {
  Atomics.store(i32, L.STATE, L.STATE_FAILED)
  Atomics.notify(i32, L.SEQ)
  parentPort?.postMessage({ type: 'error', message: reason })
}

let x11: X11Module | null = null
try {
  x11 = require('x11') as X11Module
} catch (err) {
  fail(`the x11 package could not be loaded (${String(err)}); install it with npm install x11`)
}

let client: X11Client | null = null
let stopping = false

parentPort?.on('message', (msg: { type: string }) => {
  if (msg.type !== 'stop') return
  stopping = true
  Atomics.store(i32, L.STATE, L.STATE_STOPPED)
  try {
    client?.terminate()
  } catch {
    // already closed
  }
  parentPort?.close()
})

if (x11) {
  const conn = x11.createClient({ display: input.display }, (err, display) => {
    if (err) return fail(`cannot connect to X display ${input.display}: ${err.message}`)
    const X = display.client
    client = X
    const root = display.screen[0]?.root
    if (root === undefined) return fail(`the X display ${input.display} reports no screen`)
    const target = input.window > 0 ? input.window : root
    X.require('present', (perr, Present) => {
      if (perr || !Present) return fail(`the X server on ${input.display} has no Present extension (${perr?.message ?? 'missing'})`)
      const eid = X.AllocID()
      Present.SelectInput(eid, target, Present.EventMask.CompleteNotify)
      let wanted = -1
      X.on('event', (ev) => {
        if (stopping || ev.name !== 'PresentCompleteNotify' || ev.kind !== Present.CompleteKind.NotifyMSC) return
        const msc: number = ev.msc
        if (wanted >= 0 && msc === wanted) {
          // seqlock: odd while writing, so readers retry instead of seeing a torn pair
          Atomics.add(i32, L.SEQ, 1)
          f64[L.UST] = ev.ust
          f64[L.MSC] = msc
          f64[L.COUNT] = (f64[L.COUNT] as number) + 1
          Atomics.add(i32, L.SEQ, 1)
          if (Atomics.load(i32, L.STATE) !== L.STATE_RUNNING) Atomics.store(i32, L.STATE, L.STATE_RUNNING)
          Atomics.notify(i32, L.SEQ)
        }
        wanted = msc + 1
        Present.NotifyMSC(target, wanted >>> 0, wanted, 0, 0)
      })
      // Target 0 completes at once with the current MSC: the starting point of the chain.
      Present.NotifyMSC(target, 0, 0, 0, 0)
    })
  })
  conn.on('error', (err) => {
    if (!stopping) fail(`X connection to ${input.display} failed: ${err.message}`)
  })
}
