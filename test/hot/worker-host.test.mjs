// Hot reload of logic workers: a save swaps the module in the running thread; the shared state,
// ctx.step and ctx.time go on; dispose(ctx) hands ctx.hot.data to the next init(ctx); a changed
// import reloads the module; a broken version (syntax error, throw at load, throw in init,
// no step) leaves the last good one running and reports FL_HOT_RELOAD; its fix then loads.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createSharedState, defineStateSchema, createLogicWorker, setLogger } from '../../dist/index.js'
import { createWorkerHost } from '../../dist/hot/worker-host.js'
import { sleep, waitFor } from '../support/wait.mjs'

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-worker-host-'))
const file = Path.join(dir, 'logic.mjs')
const write = (name, text) => Fs.writeFileSync(Path.join(dir, name), text)

// The state: a counter every version increments (it must never restart), the version that wrote
// the last step, the step index and logic time it saw, and what init found in ctx.hot.data.
const spec = { counter: 'f64', version: 'f64', step: 'f64', time: 'f64', handed: 'f64', generation: 'f64' }

/** A worker module of version `v` (its step adds 1 to the counter; the version comes from an import). */
const logic = (extra = '') => `
import { VERSION } from './version.mjs'
export function init(ctx) {
  ctx.views.handed[0] = ctx.hot.data.handed ?? -1
  ctx.views.generation[0] = ctx.hot.generation
  ${extra}
}
export function step(ctx) {
  ctx.views.counter[0] += 1
  ctx.views.version[0] = VERSION
  ctx.views.step[0] = ctx.step
  ctx.views.time[0] = ctx.time
}
export function dispose(ctx) { ctx.hot.data.handed = VERSION * 100 }
`
write('version.mjs', 'export const VERSION = 1\n')
write('logic.mjs', logic())

function snapshotOf(reader) {
  const s = reader.read()
  return { counter: s.views.counter[0], version: s.views.version[0], step: s.views.step[0], time: s.views.time[0], handed: s.views.handed[0], generation: s.views.generation[0] }
}

test('a save swaps the module in the running worker, keeping state, step and time', async () => {
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const worker = await createLogicWorker({ module: file, state, hz: 500 })
  const events = []
  const host = createWorkerHost({ onReload: (e) => events.push(e) })
  try {
    host.watch(worker)
    const before = await waitFor(() => snapshotOf(reader), (s) => s.counter > 20, 'steps of version 1')
    assert.is(before.version, 1)
    assert.is(before.handed, -1, 'first init: no data yet')

    await waitFor(() => host.files(worker), (f) => f.includes(Path.join(dir, 'version.mjs')), 'the import scan')
    write('version.mjs', 'export const VERSION = 2\n') // an import's save reloads the module (worker-imports.test.mjs has more)
    const after = await waitFor(() => snapshotOf(reader), (s) => s.version === 2, 'version 2 stepping')
    assert.ok(after.counter > before.counter, 'the counter went on from the shared state')
    assert.ok(after.step > before.step, 'ctx.step went on')
    assert.ok(after.time > before.time, 'ctx.time went on')
    assert.is(after.handed, 100, "dispose's ctx.hot.data reached the new init")
    assert.is(after.generation, 1)
    await waitFor(() => events.length, (n) => n >= 1, 'the reload event')
    assert.is(events[0].kind, 'worker')
    assert.ok(events[0].ok, String(events[0].error))
    assert.equal(events[0].files, [Path.join(dir, 'version.mjs')])
    assert.is(worker.status, 'running')
    assert.is(worker.restarts, 0, 'the same thread: no restart')
    // The counter is one sequence: no step was lost or repeated around the swap.
    const s = snapshotOf(reader)
    assert.is(s.counter, s.step + 1, 'counter == steps taken')
  } finally {
    host.close()
    await worker.stop()
  }
})

test('a broken module leaves the last good worker running; its fix loads', async () => {
  write('version.mjs', 'export const VERSION = 3\n')
  write('logic.mjs', logic())
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const worker = await createLogicWorker({ module: file, state, hz: 500 })
  const host = createWorkerHost({ watch: false })
  try {
    host.watch(worker)
    await waitFor(() => snapshotOf(reader), (s) => s.counter > 5, 'version 3 stepping')
    const cases = [
      ['syntax error', logic().replace('export function step(ctx) {', 'export function step(ctx) {{'), 'load', /logic\.mjs/],
      ['throw at load', logic() + "\nthrow new Error('refuses to load')\n", 'load', /refuses to load/],
      ['no step', 'export function init() {}\n', 'load', /step\(ctx\)/],
      ['throw in init', logic("throw new Error('init failed on purpose')"), 'init', /init failed on purpose/],
    ]
    for (const [i, [what, text, phase, message]] of cases.entries()) {
      write('version.mjs', `export const VERSION = ${10 + i}\n`) // what a wrongly kept new version would write
      write('logic.mjs', text)
      const e = await host.reload(worker)
      assert.not.ok(e.ok, what)
      assert.is(e.error.code, 'FL_HOT_RELOAD', what)
      assert.is(e.error.info.phase, phase, what)
      assert.match(e.error.message, message, what)
      const c0 = snapshotOf(reader).counter
      const s = await waitFor(() => snapshotOf(reader), (v) => v.counter > c0 + 5, `steps after the ${what}`)
      assert.is(s.version, 3, `the last good version keeps stepping after the ${what}`)
      assert.is(host.lastError, e.error)
    }
    assert.ok(logged.some((l) => l.level === 'error' && l.code === 'FL_HOT_RELOAD' && /init failed on purpose/.test(l.message)), 'the error reached the terminal')
    const afterInitThrow = snapshotOf(reader)
    assert.is(afterInitThrow.handed, 300, 'the old version was set up again from the data its dispose left')

    write('version.mjs', 'export const VERSION = 4\n')
    write('logic.mjs', logic())
    const fixed = await host.reload(worker)
    assert.ok(fixed.ok, String(fixed.error))
    const s = await waitFor(() => snapshotOf(reader), (v) => v.version === 4, 'the fix stepping')
    assert.is(s.counter, s.step + 1, 'no step lost across five reload attempts')
    assert.is(host.lastError, null, 'the error cleared')
    assert.is(worker.restarts, 0)
  } finally {
    setLogger(null)
    host.close()
    await worker.stop()
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
