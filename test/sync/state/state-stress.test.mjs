// Tear tests: a real writer thread publishing as fast as it can while this thread reads and checks
// every snapshot's checksum; writers killed mid-write (deliberately, and at arbitrary points).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Worker } from 'node:worker_threads'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState } from '../../../dist/sync/state/shared-state.js'
import { createLogicWorker } from '../../../dist/sync/worker/logic-worker.js'
import { until } from '../../support/wait.mjs'

const spec = { stamp: 'u32', data: { type: 'f64', length: 64 }, check: 'f64' }
const fixture = (name) => new URL(`../../fixtures/workers/${name}`, import.meta.url)

// Returns 0 for a consistent snapshot, 1 for a torn one. seq 0 is the zero-filled initial copy.
function torn(s) {
  const v = s.views
  if (s.seq === 0) return 0
  const x = v.stamp[0]
  const d = v.data
  for (let i = 0; i < d.length; i++) if (d[i] !== x) return 1
  return v.check[0] === x * d.length ? 0 : 1
}

test('no torn snapshot in >= 1,000,000 reads against a free-running writer worker', async () => {
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const lw = await createLogicWorker({ module: fixture('checksum-writer.mjs'), state, restart: 'off' })
  let reads = 0
  let bad = 0
  let distinct = 0
  let last = -1
  let backwards = 0
  try {
    // Read in slices so the event loop can run between them (worker messages).
    // Runs until both hold; a starved writer makes this slower, never a failure (the runner's
    // per-file limit is the hang guard).
    while (reads < 1_000_000 || distinct < 1000) {
      for (let i = 0; i < 50_000; i++) {
        const s = reader.read()
        bad += torn(s)
        if (s.seq !== last) {
          if (s.seq < last) backwards++
          distinct++
          last = s.seq
        }
        reads++
      }
      await new Promise((r) => setImmediate(r))
    }
  } finally {
    await lw.stop()
  }
  assert.ok(reads >= 1e6, `reads ${reads}`)
  assert.is(bad, 0, 'torn snapshots')
  assert.is(backwards, 0, 'sequence never goes backwards')
  assert.ok(distinct >= 1000, `distinct sequence numbers seen: ${distinct}`)
  assert.ok(lw.steps >= distinct - 1)
  console.log(`stress: ${reads} reads, ${distinct} distinct snapshots, ${lw.steps} steps published, torn ${bad}`)
})

test('a writer killed mid-write never exposes its half-written snapshot', async () => {
  const state = createSharedState(defineStateSchema(spec))
  const reader = state.reader()
  const flag = new SharedArrayBuffer(8)
  const errors = []
  const lw = await createLogicWorker({
    module: fixture('half-writer.mjs'), state, restart: 'off', data: { flag, good: 20 }, stopTimeoutMs: 50,
    onError: (e) => errors.push(e),
  })
  const f = new Int32Array(flag)
  await until(() => Atomics.load(f, 0) !== 0, 'the worker to stop mid-snapshot')
  // The worker is now blocked in the middle of a snapshot: half of `data` is -7 in its back copy.
  const raw = new Float64Array(state.buffer)
  assert.ok(raw.includes(-7), 'the half-written values really are in the shared buffer')
  const before = reader.read()
  assert.is(torn(before), 0)
  await lw.stop() // terminates the blocked thread
  const after = reader.read()
  assert.is(torn(after), 0)
  assert.is(after.seq, 21, 'init snapshot + 20 good steps')
  assert.is(after.views.stamp[0], 20)
  assert.ok(!after.views.data.includes(-7))
  assert.is(errors.length, 0)
})

test('writers terminated at arbitrary points, then replaced, never expose a torn snapshot', async () => {
  const schema = defineStateSchema(spec)
  const state = createSharedState(schema)
  const reader = state.reader()
  let bad = 0
  let lastSeq = 0
  let reads = 0
  for (let round = 0; round < 12; round++) {
    const started = new SharedArrayBuffer(4)
    const w = new Worker(fixture('raw-writer.mjs'), { workerData: { spec, buffer: state.buffer, started } })
    const st = new Int32Array(started)
    while (Atomics.load(st, 0) === 0) await new Promise((r) => setTimeout(r, 1))
    // Read while it writes, for a varying number of reads, then kill it wherever it is.
    const n = 20_000 + round * 7_919
    for (let i = 0; i < n; i++) {
      const s = reader.read()
      bad += torn(s)
      reads++
    }
    await w.terminate()
    const s = reader.read()
    bad += torn(s)
    assert.ok(s.seq >= lastSeq, 'sequence numbers continue across replacement writers')
    lastSeq = s.seq
  }
  assert.is(bad, 0)
  assert.ok(lastSeq > 12)
  console.log(`kill rounds: ${reads} reads, last seq ${lastSeq}, torn ${bad}`)
})

test.run()
