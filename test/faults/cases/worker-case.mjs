// One worker fault per run: `node worker-case.mjs <scenario>`. Prints '@@' JSON lines and ends
// by itself (a hang is the parent's timeout, and a failure).
import { defineStateSchema, createSharedState, createLogicWorker } from '../../../dist/index.js'
import { fixture } from '../support.mjs'
import { until } from '../../support/wait.mjs'

const scenario = process.argv[2]
const out = (o) => console.log('@@' + JSON.stringify(o))
const state = createSharedState(defineStateSchema({ value: 'f64' }))
const reader = state.reader()
const brief = (e) => ({ code: e.code, message: e.message, info: e.info ?? null, cause: e.cause?.code ?? e.cause?.message ?? null })

async function loadFails(desc) {
  const t0 = Date.now()
  try {
    const w = await createLogicWorker({ state, ...desc })
    await w.stop()
    out({ resolved: true })
  } catch (e) {
    out({ ...brief(e), ms: Date.now() - t0 })
  }
}

async function faults(desc, doneWhen) {
  const errors = []
  const w = await createLogicWorker({
    state, hz: 1000, restart: 'immediate', ...desc,
    onError: (e, restartInMs) => errors.push({ ...brief(e), restartInMs }),
  })
  let minValue = Infinity
  const watch = setInterval(() => (minValue = Math.min(minValue, reader.read().views.value[0])), 1)
  await until(() => doneWhen(w, errors), 'the case to finish', 50_000) // under the parent's 60 s
  clearInterval(watch)
  const stepsAtEnd = w.steps
  await new Promise((r) => setTimeout(r, 100))
  out({ errors, status: w.status, restarts: w.restarts, minValue, value: reader.read().views.value[0], stepsGrew: w.steps > stepsAtEnd, lastError: w.lastError?.code ?? null })
  await w.stop()
  out({ stopped: w.status })
}

switch (scenario) {
  case 'init-never-settles':
    await loadFails({ module: fixture('init-never-settles.mjs') })
    break
  case 'init-hangs':
    await loadFails({ module: fixture('init-hangs.mjs'), initTimeoutMs: 300 })
    break
  case 'stall-loop':
  case 'stall-wait':
    await faults({ module: fixture('step-stalls.mjs'), stepTimeoutMs: 200, data: { at: 20, how: scenario.slice(6), times: 1 } },
      (w, errors) => errors.length >= 1 && w.status === 'running' && reader.read().views.value[0] > 40)
    break
  case 'oom':
    await faults({ module: fixture('allocates.mjs'), restart: 'off', resourceLimits: { maxOldGenerationSizeMb: 32 } },
      (w) => w.status === 'failed')
    break
  case 'crash-loop':
    await faults({ module: fixture('crash-at.mjs'), data: { at: 50 }, crashLoop: { crashes: 3, windowMs: 60_000 } },
      (w) => w.status === 'failed')
    break
  case 'exit':
    await faults({ module: fixture('exits.mjs'), restart: 'off', data: { at: 5 } }, (w) => w.status === 'failed')
    break
  default:
    throw new Error(`unknown scenario ${scenario}`)
}
out({ done: true })
