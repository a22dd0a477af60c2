/**
 * The flush plan of a draw queue: sorts the frame's commands, splits them into runs (consecutive
 * commands of one batch and one scope, i.e. clip and transform, drawn with one GL call), and streams every run's floats into the
 * transient ring with one write in sorted order.
 *
 * When the sorted commands' payloads already follow each other in memory (the common case: one
 * batch recorded in a row, or batches recorded in the order they sort in), the ring is written
 * straight from the payload; otherwise the floats are first copied, in sorted order, into a
 * staging array owned by the plan. Copies go through Int32 views so packed colours (uint32 bit
 * patterns that may look like NaNs) keep their exact bits.
 *
 * Memory: the run arrays and the staging array grow by doubling and are reused every frame. The
 * run arrays are valid until the next `build`.
 */
import type { CommandPool } from './command-pool.js'
import type { RadixSorter } from './radix-sort.js'
import type { TransientRing } from '../gl/transient-ring.js'

export class RunPlan {
  /** Batch id of run r. */
  batch = new Int32Array(256)
  /** Scope word of run r (clip and transform slots, see queue-scope.ts). */
  scope = new Uint32Array(256)
  /** Byte offset of run r's first instance (or vertex) in the ring's current buffer. */
  byteOffset = new Int32Array(256)
  /** Instances ('instanced') or vertices ('vertices') of run r. */
  count = new Int32Array(256)
  /** Records merged into run r (for stats). */
  draws = new Int32Array(256)
  /** True when the last build wrote the ring straight from the payload (no staging copy). */
  lastContiguous = false

  private staging = new Float32Array(1024)
  private stagingI32 = new Int32Array(this.staging.buffer)
  private payloadI32: Int32Array | null = null

  /** Sorts, builds the runs and uploads their data; returns the number of runs. */
  build(pool: CommandPool, sorter: RadixSorter, ring: TransientRing): number {
    const n = pool.count
    const order = sorter.sort(pool.keyHi, pool.keyLo, n)
    if (this.batch.length < n) this.growRuns(n)
    const batches = pool.batch, offsets = pool.payloadOffset, lengths = pool.payloadLength
    const instances = pool.instanceCount, records = pool.records, scopes = pool.scope
    const runScope = this.scope
    const runBatch = this.batch, runFirst = this.byteOffset, runCount = this.count, runDraws = this.draws
    let runs = 0
    let total = 0
    let prev = -1
    let prevScope = -1
    let contiguous = true
    let start = 0
    let expect = 0
    for (let i = 0; i < n; i++) {
      const c = order[i]!
      const id = batches[c]!
      const scope = scopes[c]!
      const off = offsets[c]!
      if (i === 0) {
        start = off
        expect = off
      }
      if (off !== expect) contiguous = false
      expect = off + lengths[c]!
      if (id !== prev || scope !== prevScope) {
        runBatch[runs] = id
        runScope[runs] = scope
        runFirst[runs] = total
        runCount[runs] = 0
        runDraws[runs] = 0
        runs++
        prev = id
        prevScope = scope
      }
      runCount[runs - 1] = runCount[runs - 1]! + instances[c]!
      runDraws[runs - 1] = runDraws[runs - 1]! + records[c]!
      total += lengths[c]!
    }
    let base: number
    this.lastContiguous = contiguous
    if (contiguous) {
      base = ring.write(pool.payload, start, total)
    } else {
      if (this.staging.length < total) this.growStaging(total)
      const buf = pool.payload.buffer
      if (this.payloadI32 === null || this.payloadI32.buffer !== buf) this.payloadI32 = new Int32Array(buf)
      gather(order, n, offsets, lengths, this.payloadI32, this.stagingI32)
      base = ring.write(this.staging, 0, total)
    }
    for (let r = 0; r < runs; r++) runFirst[r] = base + runFirst[r]! * 4
    return runs
  }

  private growRuns(n: number): void {
    let cap = this.batch.length
    while (cap < n) cap *= 2
    this.batch = new Int32Array(cap)
    this.scope = new Uint32Array(cap)
    this.byteOffset = new Int32Array(cap)
    this.count = new Int32Array(cap)
    this.draws = new Int32Array(cap)
  }

  private growStaging(n: number): void {
    let cap = this.staging.length
    while (cap < n) cap *= 2
    this.staging = new Float32Array(cap)
    this.stagingI32 = new Int32Array(this.staging.buffer)
  }
}

/**
 * Copies each command's payload, in sorted order, into `dst` back to back. A small function of
 * its own so V8 optimises it apart from `build` (as radix-sort.ts does with its passes).
 */
function gather(order: Uint32Array, n: number, offsets: Uint32Array, lengths: Uint32Array, src: Int32Array, dst: Int32Array): void {
  let at = 0
  for (let i = 0; i < n; i++) {
    const c = order[i]!
    let off = offsets[c]!
    const end = at + lengths[c]!
    while (at < end) dst[at++] = src[off++]!
  }
}
