// Hot reload of logic workers follows their imports: the worker host learns the module's local
// import graph (transitively, across folders of the project, not node_modules) without running it
// again, a save of any imported file reloads the worker with that file fresh, the shared state
// goes on, and a broken imported file leaves the last good version stepping (FL_HOT_RELOAD).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createSharedState, defineStateSchema, createLogicWorker, setLogger } from '../../dist/index.js'
import { createWorkerHost } from '../../dist/hot/worker-host.js'
import { sleep, waitFor } from '../support/wait.mjs'

// A project: package.json at its top, the worker in src/, a helper beside it that imports a
// module from another folder, and a package in node_modules.
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-worker-imports-'))
const at = (name) => Path.join(dir, name)
const write = (name, text) => {
  Fs.mkdirSync(Path.dirname(at(name)), { recursive: true })
  Fs.writeFileSync(at(name), text)
}

write('package.json', '{ "name": "fl-worker-imports-test", "type": "module" }\n')
write('node_modules/dep/package.json', '{ "name": "dep", "type": "module", "exports": "./index.mjs" }\n')
write('node_modules/dep/index.mjs', 'export const DEP = 7\n')
write('src/logic.mjs', `
import { helperValue } from './helper.mjs'
import { DEP } from 'dep'
export function step(ctx) {
  ctx.views.counter[0] += 1
  ctx.views.step[0] = ctx.step
  ctx.views.value[0] = helperValue() + DEP
  ctx.views.evals[0] = globalThis.deepEvaluations
}
`)
const helper = (expr) => `import { DEEP } from '../shared/deep.mjs'\nexport const helperValue = () => ${expr}\n`
const deep = (v) => `globalThis.deepEvaluations = (globalThis.deepEvaluations ?? 0) + 1\nexport const DEEP = ${v}\n`
write('src/helper.mjs', helper('DEEP * 10'))
write('shared/deep.mjs', deep(1))

const spec = { counter: 'f64', step: 'f64', value: 'f64', evals: 'f64' }

function snapshotOf(reader) {
  const s = reader.read()
  return { counter: s.views.counter[0], step: s.views.step[0], value: s.views.value[0], evals: s.views.evals[0] }
}

test('a save of a file the worker imports reloads it; a broken import keeps the last good version', async () => {
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const worker = await createLogicWorker({ module: at('src/logic.mjs'), state, hz: 500 })
  const events = []
  const host = createWorkerHost({ onReload: (e) => events.push(e) })
  try {
    host.watch(worker)
    // The scan reports the whole local graph, across folders, and leaves node_modules out.
    await waitFor(() => host.files(worker), (f) => f.includes(at('shared/deep.mjs')), 'the import scan')
    assert.ok(host.files(worker).includes(at('src/helper.mjs')))
    assert.not.ok(host.files(worker).some((f) => f.includes('node_modules')), 'node_modules is not tracked')
    const before = await waitFor(() => snapshotOf(reader), (s) => s.counter > 20, 'steps of the first version')
    assert.is(before.value, 17)
    assert.is(before.evals, 1, 'the scan evaluated none of the imported files')

    // A save of the transitive import (another folder): the worker steps with its new code.
    write('shared/deep.mjs', deep(2))
    const after = await waitFor(() => snapshotOf(reader), (s) => s.value === 27, 'the new deep.mjs stepping')
    assert.ok(after.counter > before.counter, 'the counter went on from the shared state')
    assert.ok(after.step > before.step, 'ctx.step went on')
    await waitFor(() => events.length, (n) => n >= 1, 'the reload event')
    assert.ok(events[0].ok, String(events[0].error))
    assert.equal(events[0].files, [at('shared/deep.mjs')])

    // A broken imported file: FL_HOT_RELOAD, and the last good version keeps stepping.
    write('src/helper.mjs', helper('DEEP * * 100'))
    await waitFor(() => events.length, (n) => n >= 2, 'the failed reload event')
    const failed = events[1]
    assert.not.ok(failed.ok)
    assert.is(failed.error.code, 'FL_HOT_RELOAD')
    assert.is(failed.error.info.phase, 'load')
    assert.equal(failed.files, [at('src/helper.mjs')])
    // Node names no file for a syntax error in an imported module; the error does.
    assert.match(failed.error.message, `(at ${at('src/helper.mjs')}:2)`)
    assert.is(failed.error.info.at, `${at('src/helper.mjs')}:2`)
    assert.ok(logged.some((l) => l.level === 'error' && l.code === 'FL_HOT_RELOAD'), 'the error reached the terminal')
    const c0 = snapshotOf(reader).counter
    const kept = await waitFor(() => snapshotOf(reader), (s) => s.counter > c0 + 20, 'steps after the broken save')
    assert.is(kept.value, 27, 'the last good version keeps stepping')

    // Its fix loads.
    write('src/helper.mjs', helper('DEEP * 100'))
    const fixed = await waitFor(() => snapshotOf(reader), (s) => s.value === 207, 'the fixed helper stepping')
    assert.is(fixed.counter, fixed.step + 1, 'no step lost or repeated across the reloads')
    assert.is(host.lastError, null, 'the error cleared')
    assert.is(worker.restarts, 0, 'the same thread throughout')
  } finally {
    setLogger(null)
    host.close()
    await worker.stop()
  }
})

test('two hosts watching one worker both follow its imports; closing one leaves the other', async () => {
  write('shared/deep.mjs', deep(3))
  write('src/helper.mjs', helper('DEEP * 10'))
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const worker = await createLogicWorker({ module: at('src/logic.mjs'), state, hz: 500 })
  const events = []
  const first = createWorkerHost({ onReload: (e) => events.push(e) })
  const second = createWorkerHost({ watch: false })
  try {
    first.watch(worker)
    second.watch(worker)
    for (const [name, host] of [['first', first], ['second', second]]) {
      await waitFor(() => host.files(worker), (f) => f.includes(at('shared/deep.mjs')), `the ${name} host's scan`)
    }
    second.close()
    await waitFor(() => snapshotOf(reader), (s) => s.value === 37, 'the first version stepping')
    // A new import appears with a reload: the first host still hears of it and watches it.
    write('shared/extra.mjs', 'export const EXTRA = 1\n')
    write('src/helper.mjs', "import { EXTRA } from '../shared/extra.mjs'\n" + helper('DEEP * 10 + EXTRA'))
    await waitFor(() => snapshotOf(reader), (s) => s.value === 38, 'the helper with its new import stepping')
    await waitFor(() => first.files(worker), (f) => f.includes(at('shared/extra.mjs')), 'the new import reported')
    write('shared/extra.mjs', 'export const EXTRA = 5\n')
    await waitFor(() => snapshotOf(reader), (s) => s.value === 42, 'the new import saved and stepping')
    assert.ok(events.every((e) => e.ok), JSON.stringify(events.map((e) => String(e.error))))
  } finally {
    first.close()
    second.close()
    await worker.stop()
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
