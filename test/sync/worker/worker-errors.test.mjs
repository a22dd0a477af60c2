import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { pathToFileURL } from 'node:url'
import Path from 'node:path'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState } from '../../../dist/sync/state/shared-state.js'
import { createLogicWorker } from '../../../dist/sync/worker/logic-worker.js'
import { until } from '../../support/wait.mjs'

const fixturePath = (name) => new URL(`../../fixtures/workers/${name}`, import.meta.url).pathname
const spec = { value: 'f64', check: 'f64', inits: 'u32' }
const newState = () => createSharedState(defineStateSchema(spec))

async function loadError(module) {
  try {
    const lw = await createLogicWorker({ module, state: newState(), restart: 'off' })
    await lw.stop()
  } catch (e) {
    return e
  }
  return null
}

test('a missing module gives FL_WORKER_LOAD naming the file (path and file URL)', async () => {
  const missing = Path.join(Path.dirname(fixturePath('x')), 'does-not-exist.mjs')
  for (const m of [missing, pathToFileURL(missing), pathToFileURL(missing).href]) {
    const e = await loadError(m)
    assert.ok(e, 'rejected')
    assert.is(e.code, 'FL_WORKER_LOAD')
    assert.is(e.name, 'WorkerError')
    assert.match(e.message, /does-not-exist\.mjs/)
    assert.is(e.info.file, missing)
  }
})

test('a module that throws at load gives FL_WORKER_LOAD with the file and the worker stack', async () => {
  const e = await loadError(fixturePath('throws-at-load.mjs'))
  assert.is(e?.code, 'FL_WORKER_LOAD')
  assert.match(e.message, /throws-at-load\.mjs/)
  assert.match(e.message, /refuses to load/)
  assert.match(e.workerStack, /throws-at-load\.mjs/)
})

test('a module without step() and one whose init() throws give FL_WORKER_LOAD', async () => {
  const e1 = await loadError(fixturePath('no-step.mjs'))
  assert.is(e1?.code, 'FL_WORKER_LOAD')
  assert.match(e1.message, /no-step\.mjs/)
  assert.match(e1.message, /step\(ctx\)/)
  const e2 = await loadError(fixturePath('init-throws.mjs'))
  assert.is(e2?.code, 'FL_WORKER_LOAD')
  assert.match(e2.message, /init-throws\.mjs/)
  assert.match(e2.message, /init failed on purpose/)
  assert.match(e2.workerStack, /init-throws\.mjs/)
})

test('bad descriptors are rejected before a thread starts', async () => {
  const state = newState()
  for (const desc of [
    { module: fixturePath('counter.mjs'), state, hz: -1 },
    { module: fixturePath('counter.mjs'), state, restart: 'sometimes' },
    { module: 'https://example.com/x.mjs', state },
    { module: fixturePath('counter.mjs') },
  ]) {
    try {
      await createLogicWorker(desc)
      assert.unreachable('should reject')
    } catch (e) {
      assert.is(e.code, 'FL_INVALID_DESC')
    }
  }
})

test('a worker that throws in step is reported with its stack; the last good snapshot stays readable', async () => {
  const state = newState()
  const reader = state.reader()
  const errors = []
  const lw = await createLogicWorker({
    module: fixturePath('crashy.mjs'), state, hz: 500, restart: 'off',
    data: { crashAt: 10, crashTimes: 1 }, onError: (e) => errors.push(e),
  })
  await until(() => errors.length > 0, 'the crash report')
  const e = errors[0]
  assert.is(e.code, 'FL_WORKER_CRASHED')
  assert.is(e.name, 'WorkerError')
  assert.match(e.message, /crashy\.mjs/)
  assert.match(e.message, /boom at step 10/)
  assert.match(e.workerStack, /explode/)
  assert.match(e.workerStack, /crashy\.mjs/)
  assert.is(e.info.step, 10)
  // Rendering continues from the last good snapshot: step 9 wrote value 10.
  for (let i = 0; i < 1000; i++) {
    const s = reader.read()
    assert.is(s.views.value[0], 10)
    assert.is(s.views.check[0], 20)
  }
  await new Promise((r) => setTimeout(r, 20))
  assert.is(lw.status, 'failed')
  assert.is(lw.restarts, 0)
  assert.is(lw.lastError, e)
  await lw.stop()
  assert.is(lw.status, 'stopped')
  assert.is(reader.read().views.value[0], 10)
})

test.run()
