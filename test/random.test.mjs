// The seeded generator (src/random.ts): the numbers are mulberry32's, bit for bit (reference
// images, fixed test cases and replayed mouse paths depend on them), both forms give the same
// numbers, the state form allocates nothing, and the module loads nothing else (worker threads
// import it alone).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRandomState, mulberry32, mulberry32Float, nextRandom, nextRandomU32 } from '../dist/random.js'
import { assertAllocatesNothing } from './support/heap.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')

// The first numbers of each seed, from the copies of mulberry32 this module replaced.
const FIRST = [
  [1, [2693262067, 11749833, 2265367787, 4213581821, 4159151403]],
  [0xdeadbeef, [4043151706, 1147597007, 3315858022, 1538288752, 2042435954]],
  [-5, [2078107854, 227493659, 4033117029, 3420415754, 4193201262]],
]

test('the numbers are mulberry32\'s, as integers and as floats', () => {
  for (const [seed, want] of FIRST) {
    const ints = mulberry32(seed)
    const floats = mulberry32Float(seed)
    const state = createRandomState(seed)
    for (const w of want) {
      assert.is(ints(), w, `seed ${seed}`)
      assert.is(floats(), w / 4294967296, `seed ${seed}`)
      assert.is(nextRandomU32(state), w, `seed ${seed}`)
    }
  }
})

test('the closure and the state form give the same sequence', () => {
  for (const seed of [0, 7, 0x5eed ^ 1, 2 ** 31 + 5, -1]) {
    const next = mulberry32Float(seed)
    const state = createRandomState(seed)
    for (let i = 0; i < 10_000; i++) {
      const a = next()
      const b = nextRandom(state)
      if (a !== b) assert.unreachable(`seed ${seed}, draw ${i}: ${a} vs ${b}`)
      if (!(b >= 0 && b < 1)) assert.unreachable(`seed ${seed}, draw ${i}: ${b} outside [0, 1)`)
    }
  }
})

test('nextRandom allocates nothing', async () => {
  const state = createRandomState(3)
  const sum = new Float64Array(1)
  await assertAllocatesNothing('1000 nextRandom calls', () => {
    for (let i = 0; i < 1000; i++) sum[0] += nextRandom(state)
  }, { limit: 16 })
  assert.ok(sum[0] > 0)
})

test('the module imports nothing', () => {
  const text = Fs.readFileSync(Path.join(root, 'dist/random.js'), 'utf8')
  assert.not.match(text, /\bimport\b|\bfrom\s*['"]|\brequire\s*\(/)
})

test.run()
