// Heap: once warmed, frames of reset + 100k recorded draws (reserve payload, push, encode key) +
// radix sort allocate nothing, measured by test/support/heap.mjs (bytes allocated between two
// heap readings plus everything collected in between; no gc() between the readings).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CommandPool } from '../../dist/core/command-pool.js'
import { RadixSorter } from '../../dist/core/radix-sort.js'
import { encodeStateKey, encodeSequenceKey } from '../../dist/core/sort-key.js'
import { assertAllocatesNothing } from '../support/heap.mjs'

const DRAWS = 100_000

test('reset + 100k pushes + sort allocate nothing per frame once warmed', async () => {
  const pool = new CommandPool({ capacity: 1024, payloadCapacity: 4096, label: 'heap test' })
  const sorter = new RadixSorter()
  const checksum = new Float64Array(1) // not a closure variable: a boxed number would allocate per +=
  function frame(f) {
    pool.reset()
    for (let i = 0; i < DRAWS; i++) {
      const off = pool.reserveFloats(4)
      const payload = pool.payload
      payload[off] = i; payload[off + 1] = f; payload[off + 2] = 0.5; payload[off + 3] = 1
      const c = pool.push(0, 0, i & 63, 1, off, 4)
      if ((i & 7) === 0) encodeSequenceKey(pool.keyHi, pool.keyLo, c, 9, false, i)
      else encodeStateKey(pool.keyHi, pool.keyLo, c, 2, false, (i * 2654435761) & 15, i & 63, ((i * 40503) & 0xffff) / 0xffff)
    }
    const order = sorter.sort(pool.keyHi, pool.keyLo, pool.count)
    checksum[0] += order[0] + order[DRAWS - 1]
  }
  for (let f = 0; f < 3; f++) frame(f) // growth to 131072 commands before the harness warms up
  const arrays = [pool.keyHi, pool.payload]
  await assertAllocatesNothing('pool + sort', frame, { frames: 30, warmup: 20 })
  assert.ok(arrays[0] === pool.keyHi && arrays[1] === pool.payload, 'no growth after warm-up')
  assert.is(pool.count, DRAWS)
  assert.ok(checksum[0] > 0)
})

test.run()
