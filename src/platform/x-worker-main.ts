/**
 * Entry of the shared X worker thread (see x-worker.ts, its host side). Runs the services the
 * render thread asks for, each on its own X connection made with the pure-JS `x11` client:
 * 'vblank' (vblank-worker.ts) and 'doorbell' (input-doorbell-worker.ts). Messages in:
 * { type: 'start', id, kind, display, window, sab }, { type: 'stop', id }, { type: 'exit' };
 * out: x-worker.ts's XWorkerReply. Never imported by the render thread.
 */
import { parentPort } from 'node:worker_threads'
import { createRequire } from 'node:module'
import type { XWorkerReply } from './x-worker.js'
import type { X11Client, X11Module, XServiceContext, XServiceRunner } from './x11-types.js'
import { runVblank } from './vblank-worker.js'
import { runDoorbell } from './input-doorbell-worker.js'

interface StartMessage {
  type: 'start'
  id: number
  kind: 'vblank' | 'doorbell'
  display: string
  window: number
  sab: SharedArrayBuffer
}
type Message = StartMessage | { type: 'stop'; id: number } | { type: 'exit' }

const RUNNERS: Record<StartMessage['kind'], XServiceRunner> = { vblank: runVblank, doorbell: runDoorbell }

const require = createRequire(import.meta.url)
let x11: X11Module | null = null
let x11Error = ''

/** The services started and not stopped: their contexts, by id. */
const services = new Map<number, XServiceContext & { client: X11Client | null }>()

function reply(m: XWorkerReply): void {
  parentPort?.postMessage(m)
}

function start(m: StartMessage): void {
  let failed = false
  const ctx: XServiceContext & { client: X11Client | null } = {
    display: m.display, window: m.window, sab: m.sab, stopping: false, client: null,
    fail(reason) {
      if (failed || ctx.stopping) return
      failed = true
      reply({ type: 'error', id: m.id, message: reason })
    },
    ready() {
      if (!failed && !ctx.stopping) reply({ type: 'ready', id: m.id })
    },
  }
  services.set(m.id, ctx)
  const run = RUNNERS[m.kind]
  if (x11 === null && x11Error === '') {
    try {
      x11 = require('x11') as X11Module
    } catch (err) {
      x11Error = `the x11 package could not be loaded (${String(err)}); reinstall framelatch's dependencies with npm install`
    }
  }
  if (x11 === null) return ctx.fail(x11Error)
  const conn = x11.createClient({ display: m.display }, (err, display) => {
    if (err) return ctx.fail(`cannot connect to X display ${m.display}: ${err.message}`)
    ctx.client = display.client
    if (ctx.stopping) return close(ctx)
    const root = display.screen[0]?.root
    if (root === undefined) return ctx.fail(`the X display ${m.display} reports no screen`)
    run(ctx, display.client, root)
  })
  conn.on('error', (err) => ctx.fail(`X connection to ${m.display} failed: ${err.message}`))
}

function close(ctx: { stopping: boolean; client: X11Client | null }): void {
  ctx.stopping = true
  try {
    ctx.client?.terminate()
  } catch {
    // already closed
  }
}

parentPort?.on('message', (m: Message) => {
  if (m.type === 'start') start(m)
  else if (m.type === 'stop') {
    const ctx = services.get(m.id)
    services.delete(m.id)
    if (ctx) close(ctx)
    reply({ type: 'stopped', id: m.id })
  } else if (m.type === 'exit') {
    for (const ctx of services.values()) close(ctx)
    services.clear()
    parentPort?.close()
  }
})
