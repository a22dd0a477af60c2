// ctx.hot.data survives a crash restart: a thread that supervision restarts after a crash gets, in
// its init, a structured clone of what the newest reload's dispose(ctx) left in ctx.hot.data (and
// ctx.hot.generation goes on). Data that cannot be cloned is not kept: a warning says why and the
// restart starts from an empty ctx.hot.data.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createSharedState, defineStateSchema, createLogicWorker, setLogger } from '../../dist/index.js'
import { createWorkerHost } from '../../dist/hot/worker-host.js'
import { sleep, waitFor } from '../support/wait.mjs'

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-worker-restart-data-'))

const spec = { counter: 'f64', version: 'f64', handed: 'f64', listed: 'f64', generation: 'f64', restarts: 'f64' }

/**
 * Version `v` of a worker module. Its dispose hands `{ n: v * 100, list: [v] }` over (plus a
 * function when `uncloneable`); with `crash`, its first thread throws a few steps after a reload
 * swapped it in (a restarted thread, ctx.restarts > 0, does not).
 */
const moduleText = (v, { crash = false, uncloneable = false } = {}) => `
let stepsHere = 0
export function init(ctx) {
  ctx.views.version[0] = ${v}
  ctx.views.handed[0] = ctx.hot.data.handed?.n ?? -1
  ctx.views.listed[0] = ctx.hot.data.handed?.list?.[0] ?? -1
  ctx.views.generation[0] = ctx.hot.generation
  ctx.views.restarts[0] = ctx.restarts
}
export function step(ctx) {
  ctx.views.counter[0] += 1
  if (${crash} && ctx.restarts === 0 && ctx.hot.generation > 0 && ++stepsHere > 50) throw new Error('crash on purpose')
}
export function dispose(ctx) {
  ctx.hot.data.handed = { n: ${v * 100}, list: [${v}]${uncloneable ? ', fn: () => 1' : ''} }
}
`

function snapshotOf(reader) {
  const s = reader.read()
  return Object.fromEntries(Object.keys(spec).map((k) => [k, s.views[k][0]]))
}

/** Starts version 1, reloads version 2 (which crashes once), and returns the state after the restart. */
async function reloadThenCrash(name, options) {
  const file = Path.join(dir, name)
  Fs.writeFileSync(file, moduleText(1, options))
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const errors = []
  const worker = await createLogicWorker({ module: file, state, hz: 500, restart: 'immediate', onError: (e) => errors.push(e) })
  const host = createWorkerHost({ watch: false })
  try {
    host.watch(worker)
    await waitFor(() => snapshotOf(reader), (s) => s.counter > 5, 'version 1 stepping')
    Fs.writeFileSync(file, moduleText(2, { ...options, crash: true }))
    const r = await host.reload(worker)
    assert.ok(r.ok, String(r.error))
    const swapped = await waitFor(() => snapshotOf(reader), (s) => s.version === 2, "version 2 stepping")
    const restarted = await waitFor(() => snapshotOf(reader), (s) => s.restarts === 1, 'the crash restart')
    assert.is(errors.length, 1)
    assert.is(errors[0].code, 'FL_WORKER_CRASHED')
    assert.is(worker.restarts, 1)
    return { swapped, restarted }
  } finally {
    host.close()
    await worker.stop()
  }
}

test("a crash restart's init gets the ctx.hot.data the last reload's dispose left", async () => {
  const { swapped, restarted } = await reloadThenCrash('cloneable.mjs', {})
  assert.is(swapped.handed, 100, 'the reload handed the data over in the thread')
  assert.is(restarted.version, 2, 'the restart loaded the file on disk')
  assert.is(restarted.handed, 100, 'the restarted init got the data')
  assert.is(restarted.listed, 1, 'nested data is cloned whole')
  assert.is(restarted.generation, 1, 'ctx.hot.generation went on')
})

test('data that cannot be structured-cloned is not kept: a warning, and the restart starts from {}', async () => {
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  try {
    const { swapped, restarted } = await reloadThenCrash('uncloneable.mjs', { uncloneable: true })
    assert.is(swapped.handed, 100, 'within the thread ctx.hot.data may hold anything')
    assert.is(restarted.handed, -1, 'the restart got an empty ctx.hot.data')
    assert.ok(logged.some((l) => l.level === 'warn' && l.code === 'FL_HOT_RELOAD' && /structured-clone/.test(l.message)), JSON.stringify(logged))
  } finally {
    setLogger(null)
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
