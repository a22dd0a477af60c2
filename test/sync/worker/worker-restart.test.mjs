import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState } from '../../../dist/sync/state/shared-state.js'
import { createLogicWorker } from '../../../dist/sync/worker/logic-worker.js'
import { createInputRing, InputKind } from '../../../dist/sync/input/input-ring.js'
import { until } from '../../support/wait.mjs'

const fixturePath = (name) => new URL(`../../fixtures/workers/${name}`, import.meta.url).pathname
const spec = { value: 'f64', check: 'f64', inits: 'u32' }

test("restart 'immediate': crashes are reported, the worker restarts and continues from the last good state", async () => {
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const errors = []
  const lw = await createLogicWorker({
    module: fixturePath('crashy.mjs'), state, hz: 1000, restart: 'immediate',
    data: { crashAt: 5, crashTimes: 3 }, onError: (e) => errors.push(e),
  })
  await until(() => errors.length >= 3 && lw.status === 'running' && reader.read().views.value[0] > 20, 'three crashes and the worker stepping again')
  await lw.stop()
  assert.is(errors.length, 3)
  assert.ok(errors.every((e) => e.code === 'FL_WORKER_CRASHED'))
  assert.is(lw.restarts, 3)
  const s = reader.read()
  assert.is(s.views.check[0], s.views.value[0] * 2, 'never the scribbled -1 / 12345')
  assert.is(s.views.inits[0], 4, 'init ran once per start, state carried across restarts')
  assert.is(lw.status, 'stopped')
})

test("restart 'backoff': delays follow initialMs * factor^(n-1), capped at maxMs", async () => {
  const state = createSharedState(defineStateSchema(spec))
  const errors = []
  const delays = []
  const lw = await createLogicWorker({
    module: fixturePath('crashy.mjs'), state, hz: 1000, restart: 'backoff',
    backoff: { initialMs: 10, factor: 3, maxMs: 50 },
    data: { crashAt: 2, crashTimes: 4 },
    onError: (e, restartInMs) => {
      errors.push(e)
      delays.push(restartInMs)
    },
  })
  await until(() => errors.length >= 4 && lw.status === 'running', 'a fourth crash and a restart')
  await lw.stop()
  assert.is(lw.lastRestartDelayMs, 50)
  assert.equal(delays, [10, 30, 50, 50])
  assert.is(lw.restarts, 4)
})

test("restart 'off' and maxRestarts: the worker stays down with status 'failed'", async () => {
  const state = createSharedState(defineStateSchema(spec))
  const errors = []
  const lw = await createLogicWorker({
    module: fixturePath('crashy.mjs'), state, hz: 1000, restart: 'immediate', maxRestarts: 2,
    data: { crashAt: 1, crashTimes: 100 }, onError: (e, restartInMs) => errors.push(restartInMs),
  })
  await until(() => lw.status === 'failed', 'the worker to fail')
  assert.equal(errors, [0, 0, null], 'immediate restarts, then none once maxRestarts is reached')
  assert.is(lw.restarts, 2)
  const steps = lw.steps
  await new Promise((r) => setTimeout(r, 30))
  assert.is(lw.steps, steps, 'no more steps once failed')
  await lw.stop()
})

test('fixed-hz worker gets dt = 1000/hz, data, and reads the input ring with its own cursor', async () => {
  const ring = createInputRing({ capacity: 64 })
  const state = createSharedState(defineStateSchema({ keyDowns: 'u32', lastCode: 'i32' }))
  const reader = state.reader()
  const lw = await createLogicWorker({ module: fixturePath('input-counter.mjs'), state, hz: 200, input: ring })
  const latchReader = ring.reader() // a second, independent reader
  for (let i = 0; i < 10; i++) ring.push(InputKind.KeyDown, 4 + i, 0, 0, 0, 0, 0, performance.now())
  ring.push(InputKind.KeyUp, 4, 0, 0, 0, 0, 0, performance.now())
  await until(() => reader.read().views.keyDowns[0] === 10, '10 key downs published')
  assert.is(reader.read().views.lastCode[0], 13)
  assert.is(latchReader.pending(), 11, 'the worker consuming events does not move other cursors')
  await lw.stop()

  const s2 = createSharedState(defineStateSchema({ value: 'f64', dt: 'f64', fromData: 'f64' }))
  const r2 = s2.reader()
  const c = await createLogicWorker({ module: fixturePath('counter.mjs'), state: s2, hz: 250, data: { start: 42 } })
  await until(() => r2.read().views.value[0] >= 3, 'the new state to be stepped')
  await c.stop()
  const s = r2.read()
  assert.is(s.views.dt[0], 4)
  assert.is(s.views.fromData[0], 42)
  assert.ok(s.time > 0)
})

test('stop() ends the thread cleanly: a process that only starts and stops a worker exits with code 0', async () => {
  const script = `
    import { defineStateSchema } from './dist/sync/state/state-schema.js'
    import { createSharedState } from './dist/sync/state/shared-state.js'
    import { createLogicWorker } from './dist/sync/worker/logic-worker.js'
    const state = createSharedState(defineStateSchema({ value: 'f64', dt: 'f64', fromData: 'f64' }))
    const a = await createLogicWorker({ module: ${JSON.stringify(fixturePath('counter.mjs'))}, state, hz: 120 })
    await new Promise((r) => setTimeout(r, 30))
    await a.stop()
    console.log('stopped', a.status, state.reader().read().views.value[0] > 0)
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../../..', import.meta.url).pathname })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  // Safety net only (a hang fails instead of blocking the suite); not a timing assertion.
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise((r) => child.on('close', r))
  clearTimeout(kill)
  assert.is(code, 0, out)
  assert.match(out, /stopped stopped true/)
})

test.run()
