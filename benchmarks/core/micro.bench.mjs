// Micro-benchmarks for the command pool, sort keys and radix sort (tinybench).
// Run directly: `node benchmarks/micro.bench.mjs [--quick]` prints the markdown section;
// `benchmarks/run.mjs` imports `run` and collects the section into BENCHMARKS.md.
import { Bench } from 'tinybench'
import { pathToFileURL } from 'node:url'
import { CommandPool } from '../../dist/core/command-pool.js'
import { RadixSorter } from '../../dist/core/radix-sort.js'
import { encodeStateKey } from '../../dist/core/sort-key.js'
import { mulberry32 } from '../../test/support/prng.mjs'

const RECORD_N = 10_000
const SORT_N = 65_536

/** Per-draw inputs precomputed so the record loop measures recording, not input generation. */
function drawInputs(n) {
  const next = mulberry32(7)
  const pipe = new Uint32Array(n), mat = new Uint32Array(n), depth = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    pipe[i] = next() & 15
    mat[i] = next() & 255
    depth[i] = next() / 4294967296
  }
  return { pipe, mat, depth }
}

/** Two key sets: full-entropy 64-bit keys, and a typical frame (one layer, state mode). */
function sortKeys(n, kind) {
  const next = mulberry32(kind === 'random' ? 1 : 2)
  const hi = new Uint32Array(n), lo = new Uint32Array(n)
  const { pipe, mat, depth } = drawInputs(n)
  for (let i = 0; i < n; i++) {
    if (kind === 'random') { hi[i] = next(); lo[i] = next() } else encodeStateKey(hi, lo, i, 2, false, pipe[i], mat[i], depth[i])
  }
  const big = new BigUint64Array(n)
  const signed = new BigInt64Array(n)
  for (let i = 0; i < n; i++) {
    big[i] = (BigInt(hi[i]) << 32n) | BigInt(lo[i])
    signed[i] = BigInt.asIntN(64, big[i])
  }
  return { hi, lo, big, signed }
}

function fmtNs(ns) {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1)
}

export async function run({ quick = false } = {}) {
  const opts = quick ? { time: 150, warmupTime: 50, iterations: 5 } : { time: 1000, warmupTime: 200, iterations: 20 }

  // ---------------------------------------------------------------- recording
  const inputs = drawInputs(RECORD_N)
  const pool = new CommandPool({ capacity: RECORD_N, payloadCapacity: RECORD_N * 4 })
  const objects = []
  let sink = 0
  const record = new Bench({ name: 'record', ...opts })
  record.add('CommandPool.push + encodeStateKey', () => {
    const { pipe, mat, depth } = inputs
    pool.reset()
    for (let i = 0; i < RECORD_N; i++) {
      const c = pool.push(0, 0, mat[i], 1, 0, 0)
      encodeStateKey(pool.keyHi, pool.keyLo, c, 2, false, pipe[i], mat[i], depth[i])
    }
    sink += pool.count
  })
  record.add('CommandPool.push + encodeStateKey + 4 payload floats', () => {
    const { pipe, mat, depth } = inputs
    pool.reset()
    for (let i = 0; i < RECORD_N; i++) {
      const off = pool.reserveFloats(4)
      const p = pool.payload
      p[off] = i; p[off + 1] = 1; p[off + 2] = 2; p[off + 3] = 3
      const c = pool.push(0, 0, mat[i], 1, off, 4)
      encodeStateKey(pool.keyHi, pool.keyLo, c, 2, false, pipe[i], mat[i], depth[i])
    }
    sink += pool.count
  })
  record.add('alternative: array of command objects (BigInt key, 4 floats)', () => {
    const { pipe, mat, depth } = inputs
    objects.length = 0
    for (let i = 0; i < RECORD_N; i++) {
      const key = (2n << 56n) | (BigInt(pipe[i]) << 41n) | (BigInt(mat[i]) << 25n) | BigInt(Math.round(depth[i] * 0x1ffffff))
      objects.push({ key, pipeline: 0x50010001, bindings: mat[i], first: 0, count: 6, instances: 1, payload: [i, 1, 2, 3] })
    }
    sink += objects.length
  })
  await record.run()

  // ---------------------------------------------------------------- sorting
  const sorter = new RadixSorter({ capacity: SORT_N })
  const indices = new Array(SORT_N)
  const bigScratch = new BigUint64Array(SORT_N)
  const signedScratch = new BigInt64Array(SORT_N)
  const sets = { random: sortKeys(SORT_N, 'random'), frame: sortKeys(SORT_N, 'frame') }
  const sortBench = new Bench({ name: 'sort', ...opts })
  for (const kind of ['frame', 'random']) {
    const { hi, lo, big, signed } = sets[kind]
    sortBench.add(`${kind}: RadixSorter.sort`, () => {
      sink += sorter.sort(hi, lo, SORT_N)[0]
    })
    sortBench.add(`${kind}: Array.prototype.sort of indices, comparator on (hi, lo)`, () => {
      for (let i = 0; i < SORT_N; i++) indices[i] = i
      indices.sort((a, b) => (hi[a] - hi[b]) || (lo[a] - lo[b]))
      sink += indices[0]
    })
    sortBench.add(`${kind}: BigUint64Array.prototype.sort (keys only)`, () => {
      bigScratch.set(big)
      bigScratch.sort()
      sink += Number(bigScratch[0] & 1n)
    })
    sortBench.add(`${kind}: BigInt64Array.prototype.sort (keys only, signed)`, () => {
      signedScratch.set(signed)
      signedScratch.sort()
      sink += Number(signedScratch[0] & 1n)
    })
  }
  await sortBench.run()
  if (sink === -1) console.log(sink) // keep results observable

  const med = (t) => t.result.latency.p50 * 1e6 // ns
  const rme = (t) => t.result.latency.rme
  const samples = (t) => t.result.latency.samplesCount

  const rt = record.tasks
  const recBase = med(rt[0])
  let md = `Recording a draw into a \`CommandPool\` (push + 64-bit state key encoded in place, optionally 4 payload floats) ` +
    `versus the object-per-draw alternative (an array of command objects with a BigInt key and a float array), ` +
    `${RECORD_N.toLocaleString('en-US')} draws per sample; then sorting ${SORT_N.toLocaleString('en-US')} keys: ` +
    '`RadixSorter` (stable, produces the permutation) versus `Array.prototype.sort` of an index array with a comparator ' +
    'on the two uint32 words (also a permutation), and versus the built-in sort of a `BigUint64Array` / `BigInt64Array` ' +
    'copy of the keys (keys only, no permutation; the signed sort is in the wrong order for layers >= 128 and is shown ' +
    'for reference). "frame" keys are one layer in state mode (16 pipelines, 256 materials, random depth); "random" keys ' +
    `use all 64 bits. Medians from tinybench (${quick ? 'quick run' : `${opts.time} ms per task`}); ratio = time / time of the first row of its group.\n\n`
  md += '| recording | ns per draw (median) | ± rme | samples | ratio |\n|---|---:|---:|---:|---:|\n'
  for (const t of rt) {
    const ns = med(t) / RECORD_N
    md += `| ${t.name} | ${fmtNs(ns)} | ${rme(t).toFixed(1)}% | ${samples(t)} | ${(med(t) / recBase).toFixed(2)}x |\n`
  }
  md += '\n| sort of 64k keys | ms per sort (median) | ns per key | ± rme | samples | ratio vs radix |\n|---|---:|---:|---:|---:|---:|\n'
  const st = sortBench.tasks
  for (let g = 0; g < st.length; g += 4) {
    const base = med(st[g])
    for (let k = g; k < g + 4; k++) {
      const t = st[k]
      md += `| ${t.name} | ${(med(t) / 1e6).toFixed(3)} | ${fmtNs(med(t) / SORT_N)} | ${rme(t).toFixed(1)}% | ${samples(t)} | ${(med(t) / base).toFixed(2)}x |\n`
    }
  }
  md += `\nRadix passes run for the frame keys: ${(sorter.sort(sets.frame.hi, sets.frame.lo, SORT_N), sorter.lastPasses)} of 6 ` +
    `(digits constant across all keys are skipped); random keys: ${(sorter.sort(sets.random.hi, sets.random.lo, SORT_N), sorter.lastPasses)} of 6.\n`
  return { title: 'Micro: command recording and key sorting', markdown: md }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
}
