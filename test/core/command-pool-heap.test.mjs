// Heap: once warmed, 1,000 frames of reset + 100k recorded draws (reserve payload, push, encode
// key) + radix sort grow neither the JS heap nor array-buffer memory by 1 MB (--expose-gc).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CommandPool } from '../../dist/core/command-pool.js'
import { RadixSorter } from '../../dist/core/radix-sort.js'
import { encodeStateKey, encodeSequenceKey } from '../../dist/core/sort-key.js'

const DRAWS = 100_000
const FRAMES = 1000

test('1,000 frames of reset + 100k pushes + sort allocate < 1 MB once warmed', () => {
  assert.type(global.gc, 'function', 'run with node --expose-gc')
  const pool = new CommandPool({ capacity: 1024, payloadCapacity: 4096, label: 'heap test' })
  const sorter = new RadixSorter()
  let checksum = 0
  function frame(f) {
    pool.reset()
    for (let i = 0; i < DRAWS; i++) {
      const off = pool.reserveFloats(4)
      const payload = pool.payload
      payload[off] = i; payload[off + 1] = f; payload[off + 2] = 0.5; payload[off + 3] = 1
      const c = pool.push(0, 0, 0x50010001, i & 63, 0, 6, 1, off, 4, 0)
      if ((i & 7) === 0) encodeSequenceKey(pool.keyHi, pool.keyLo, c, 9, false, i)
      else encodeStateKey(pool.keyHi, pool.keyLo, c, 2, false, (i * 2654435761) & 15, i & 63, ((i * 40503) & 0xffff) / 0xffff)
    }
    const order = sorter.sort(pool.keyHi, pool.keyLo, pool.count)
    checksum += order[0] + order[DRAWS - 1]
  }
  for (let f = 0; f < 20; f++) frame(f) // warm: growth to 131072 commands, JIT
  const arrays = [pool.keyHi, pool.payload]
  global.gc()
  const before = process.memoryUsage()
  for (let f = 0; f < FRAMES; f++) frame(f)
  global.gc()
  const after = process.memoryUsage()
  const heap = after.heapUsed - before.heapUsed
  const buffers = after.arrayBuffers - before.arrayBuffers
  console.log(`heap growth ${(heap / 1024).toFixed(1)} KB, array buffers ${(buffers / 1024).toFixed(1)} KB over ${FRAMES} frames`)
  assert.ok(heap < 1024 * 1024, `heap grew ${heap} bytes`)
  assert.ok(buffers < 1024 * 1024, `array buffers grew ${buffers} bytes`)
  assert.ok(arrays[0] === pool.keyHi && arrays[1] === pool.payload, 'no growth after warm-up')
  assert.is(pool.count, DRAWS)
  assert.ok(checksum > 0)
})

test.run()
