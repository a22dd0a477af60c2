// Fault suite, item 5: one writer and one reader per shared state, enforced across threads with
// FL_STATE_ROLE; the one supported reader never sees a torn snapshot while a writer publishes at
// full speed and other would-be readers and writers are turned away.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Worker } from 'node:worker_threads'
import { defineStateSchema, createSharedState, createLogicWorker } from '../../dist/index.js'
import { attachSharedState } from '../../dist/low-level.js'
import { errorCode } from '../support/errors.mjs'

const spec = { stamp: 'u32', data: { type: 'f64', length: 64 }, check: 'f64' }
const checksumWriter = new URL('../fixtures/workers/checksum-writer.mjs', import.meta.url)
const counter = new URL('../fixtures/workers/counter.mjs', import.meta.url)

test('a second writer or reader is FL_STATE_ROLE; close() gives the role back; takeOver replaces a dead holder', () => {
  const schema = defineStateSchema(spec)
  const st = createSharedState(schema)
  const w = st.writer()
  assert.is(errorCode(() => st.writer()), 'FL_STATE_ROLE')
  assert.is(errorCode(() => attachSharedState(schema, st.buffer).writer()), 'FL_STATE_ROLE', 'also through another attachment')
  const r = st.reader()
  assert.is(errorCode(() => st.reader()), 'FL_STATE_ROLE')
  assert.is(errorCode(() => st.reader({ interpolate: true })), 'FL_STATE_ROLE')
  w.close()
  r.close()
  const w2 = st.writer()
  const r2 = st.reader()
  w2.set('stamp', 5)
  w2.publish(1)
  assert.is(r2.read().views.stamp[0], 5)
  const w3 = st.writer({ takeOver: true }) // w2 stands for a writer whose thread died
  w3.set('stamp', 6)
  w3.publish(2)
  assert.is(r2.read().views.stamp[0], 6)
  w2.close() // a replaced writer's close() does not release the new holder's role
  assert.is(errorCode(() => st.writer()), 'FL_STATE_ROLE')
})

test('the reader role holds across threads: a reader in a worker is turned away while this thread reads', async () => {
  const st = createSharedState(defineStateSchema(spec))
  const r = st.reader()
  const ask = () => new Promise((resolve, reject) => {
    const t = new Worker(new URL('./fixtures/second-reader.mjs', import.meta.url), { workerData: { spec, buffer: st.buffer } })
    t.once('message', resolve)
    t.once('error', reject)
  })
  const m = await ask()
  assert.is(m.code, 'FL_STATE_ROLE')
  assert.match(m.message, /already has a reader/)
  r.close()
  assert.is((await ask()).code, 'no error')
})

test('a logic worker holds the writer role from start to stop(), across restarts', async () => {
  const st = createSharedState(defineStateSchema({ value: 'f64', dt: 'f64', fromData: 'f64' }))
  const a = await createLogicWorker({ module: counter, state: st, hz: 200 })
  let second = null
  try {
    await createLogicWorker({ module: counter, state: st, hz: 200 })
  } catch (e) {
    second = e
  }
  assert.is(second?.code, 'FL_STATE_ROLE')
  assert.match(second.message, /already has a writer/)
  assert.is(errorCode(() => st.writer()), 'FL_STATE_ROLE')
  await a.stop()
  const b = await createLogicWorker({ module: counter, state: st, hz: 200 })
  await b.stop()
  st.writer().close()
})

test('0 torn reads by the one supported reader while a writer publishes flat out and intruders are rejected', async () => {
  const st = createSharedState(defineStateSchema(spec))
  const reader = st.reader()
  const lw = await createLogicWorker({ module: checksumWriter, state: st, restart: 'off' })
  let reads = 0
  let torn = 0
  let distinct = 0
  let last = -1
  let rejected = 0
  try {
    while (reads < 500_000 || distinct < 500) {
      for (let i = 0; i < 25_000; i++) {
        const s = reader.read()
        if (s.seq !== 0) {
          const x = s.views.stamp[0]
          let ok = s.views.check[0] === x * 64
          for (let k = 0; k < 64 && ok; k++) ok = s.views.data[k] === x
          if (!ok) torn++
        }
        if (s.seq !== last) {
          distinct++
          last = s.seq
        }
        reads++
      }
      if (errorCode(() => st.reader()) === 'FL_STATE_ROLE') rejected++
      if (errorCode(() => st.writer()) === 'FL_STATE_ROLE') rejected++
      await new Promise((r) => setImmediate(r))
    }
  } finally {
    await lw.stop()
  }
  assert.is(torn, 0, 'torn snapshots')
  assert.ok(distinct >= 500, `distinct snapshots ${distinct}`)
  assert.is(rejected, 2 * Math.ceil(reads / 25_000), 'every intruder was rejected')
  console.log(`state roles: ${reads} reads, ${distinct} distinct snapshots, torn ${torn}, ${rejected} intruders rejected`)
})

test.run()
