// Shared-state publish of 1 MB versus the floor (a plain Float32Array.set of 1 MB), tinybench.
// Run directly: `node benchmarks/publish.bench.mjs [--quick]` prints the markdown section;
// `benchmarks/run.mjs` imports `run` and collects the section into BENCHMARKS.md.
import { Bench } from 'tinybench'
import { pathToFileURL } from 'node:url'
import { defineStateSchema } from '../../dist/sync/state/state-schema.js'
import { createSharedState } from '../../dist/sync/state/shared-state.js'

const FLOATS = (1024 * 1024) / 4 // 1 MB of f32

function fmt(ns) {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1)
}

export async function run({ quick = false } = {}) {
  const opts = quick ? { time: 200, warmupTime: 50, iterations: 10 } : { time: 1500, warmupTime: 300, iterations: 50 }
  const src = new Float32Array(FLOATS)
  for (let i = 0; i < FLOATS; i++) src[i] = i * 0.5

  // The floor: one 1 MB copy between two ordinary (non-shared) arrays.
  const plainDst = new Float32Array(FLOATS)
  // The same copy into SharedArrayBuffer memory, to separate "shared memory" from "protocol" cost.
  const sharedDst = new Float32Array(new SharedArrayBuffer(FLOATS * 4))

  const schema = defineStateSchema({ payload: { type: 'f32', length: FLOATS } })
  const stNoCarry = createSharedState(schema)
  const wNoCarry = stNoCarry.writer({ carry: false })
  const rNoCarry = stNoCarry.reader()
  const stCarry = createSharedState(schema)
  const wCarry = stCarry.writer() // default carry: begin() first copies the last snapshot
  const rCarry = stCarry.reader()
  let t = 0

  const bench = new Bench({ name: 'publish', ...opts })
  bench
    .add('Float32Array.set 1 MB (floor)', () => {
      plainDst.set(src)
    })
    .add('Float32Array.set 1 MB into SharedArrayBuffer', () => {
      sharedDst.set(src)
    })
    .add('shared state: write 1 MB + publish (carry: false)', () => {
      wNoCarry.begin().payload.set(src)
      wNoCarry.publish(++t)
    })
    .add('shared state: write 1 MB + publish + read (carry: false)', () => {
      wNoCarry.begin().payload.set(src)
      wNoCarry.publish(++t)
      rNoCarry.read()
    })
    .add('shared state: write 1 MB + publish + read (carry: true, default)', () => {
      wCarry.begin().payload.set(src)
      wCarry.publish(++t)
      rCarry.read()
    })
  await bench.run()

  const med = (task) => task.result.latency.p50 * 1e6
  const rme = (task) => task.result.latency.rme
  const samples = (task) => task.result.latency.samplesCount
  const floor = med(bench.tasks[0])
  // sanity: the last published snapshot really holds the payload
  if (rNoCarry.read().views.payload[FLOATS - 1] !== src[FLOATS - 1]) throw new Error('publish benchmark: payload mismatch')

  const rows = bench.tasks.map((task) => `| ${task.name} | ${fmt(med(task))} | ±${rme(task).toFixed(1)}% | ${samples(task)} | ${(med(task) / floor).toFixed(2)}x |`)
  const markdown = [
    'Cost of publishing 1 MB of state through `createSharedState` (writer copies a 1 MB Float32Array into its back copy, ' +
      'then `publish()` swaps it in with one compare-and-swap), against the floor: a plain `Float32Array.set` of 1 MB ' +
      'between ordinary arrays, and the same copy into SharedArrayBuffer memory. `read` adds the reader taking the new ' +
      'snapshot; `carry: true` (the default) also copies the last snapshot into the back copy in `begin()`. ' +
      'Median ns per operation (tinybench), ratio against the floor measured in the same run.',
    '',
    '| operation | median ns/op | rme (mean) | samples | vs floor |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n')
  return { title: 'Shared-state publish (1 MB)', markdown }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run({ quick: process.argv.includes('--quick') })
  console.log(`## ${r.title}\n\n${r.markdown}`)
}
