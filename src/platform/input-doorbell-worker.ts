/**
 * The input-doorbell service of the shared X worker thread (x-worker-main.ts; input-doorbell.ts
 * owns the layout). Selects XInput2 raw key, button and motion events on the root window for all
 * devices, and on each one bumps the shared counter and wakes whoever waits on it. Never
 * imported by the render thread.
 */
import { DOORBELL_LAYOUT as L } from './input-doorbell.js'
import type { XServiceRunner } from './x11-types.js'

const RAW_EVENTS = ['RawKeyPress', 'RawKeyRelease', 'RawButtonPress', 'RawButtonRelease', 'RawMotion']
const RAW_NAMES = new Set(RAW_EVENTS.map((n) => `XI${n}`))

export const runDoorbell: XServiceRunner = (ctx, X, root) => {
  const cell = new Int32Array(ctx.sab, 0, L.INTS)
  let ready = false
  const fail = (reason: string): void => {
    Atomics.store(cell, L.STATE, L.STATE_FAILED)
    ctx.fail(reason)
  }
  X.on('error', (e) => {
    if (!ready && !ctx.stopping) fail(`the X server refused the raw-event selection: ${e.message}`)
  })
  X.require('xinput', (xerr, xi) => {
    if (xerr || !xi || !xi.xi2) return fail(`the X server on ${ctx.display} has no XInput2 (${xerr?.message ?? 'missing'})`)
    X.on('event', (ev) => {
      if (ctx.stopping || !RAW_NAMES.has(ev.name)) return
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
      ctx.ready()
    })
  })
}
