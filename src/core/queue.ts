/**
 * The draw queue: record draws as a few typed-array writes, then `flush` sorts them by key,
 * merges consecutive draws of the same batch into one GL draw, streams their data through a
 * transient ring and draws. This file is the recording side; queue-flush.ts is the GPU side (ring,
 * view block, stats, the flush itself), handed this frame's commands at every flush; see
 * queue-batch.ts for what a batch is.
 *
 * Recording. `record(batch, count, layer, depth)` reserves `count * floatsPerInstance` floats in
 * `queue.payload` and returns the offset of the first; the caller writes them there. A record
 * that names the same batch with the same key as the command recorded just before it extends
 * that command instead of adding one, so the common case (many instances of one batch in a row)
 * costs a key compare and a reservation, and its payload is already contiguous.
 *
 * Sort keys (sort-key.ts): `record` uses state mode (layer, pipeline, batch, depth front to back)
 * for opaque batches and back-to-front mode (layer, depth far first, pipeline, batch) for
 * translucent ones, so within a layer every opaque draw comes before every translucent one.
 * `recordSequenced` keeps submit order within the layer (for UI). Give a layer one kind of
 * recording: sequence-mode keys sort between the two.
 *
 * Scope. Every record may name a clip rectangle (clip.ts) and a view transform
 * (view-transform.ts); null (the default) is no scissor and the identity. They are not part of
 * the sort key but of the command's scope word (queue-scope.ts).
 *
 * Memory and lifetime:
 * - `queue.payload` (and `queue.payloadU32`, an unsigned view of the same memory for packed
 *   colours) is owned by the queue and replaced when it grows: re-read it after every `record`.
 *   What you write there is valid until the next `flush`.
 * - Streamed data lives in the transient ring (transient-ring.ts), valid until the next frame.
 * - Growth of the command pool, the payload or the ring allocates, keeps every command, is
 *   counted in `stats.poolGrowths` and reported once through the logger. A steady frame
 *   allocates nothing in framelatch.
 *
 * Bad input. With `debug: true`, `record` throws coded errors for an unknown or destroyed batch
 * (INVALID_HANDLE), a count that is not a non-negative integer (INVALID_DRAW), a layer outside
 * 0..255 or a depth that is not finite (OUT_OF_RANGE), a dead resource (RESOURCE_DESTROYED) and
 * a `recordData` of the wrong length (DATA_SIZE_MISMATCH). In release the draw is skipped and
 * counted in `stats.skipped` (a bad layer or a NaN depth included): `record` then returns an
 * offset past every reserved float, so the caller's writes land in scratch space (or past the
 * array, where typed arrays drop them) and never in a neighbour's data. A batch whose resources were destroyed is skipped at flush.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { PassDesc } from '../gl/types.js'
import { CommandPool } from './command-pool.js'
import {
  checkFiniteData, checkRecord, dataSizeError, recordError, type BatchDesc, type BatchId, type BatchRecord,
} from './queue-batch.js'
import { BatchTable } from './batch-table.js'
import { SharedValues } from './shared-values.js'
import { QueueFlush, type QueueStats, type RecordedFrame, type ViewBlock } from './queue-flush.js'
import { encodeDepthKey, encodeSequenceKey, encodeStateKey } from './sort-key.js'
import { ScopeTable } from './queue-scope.js'
import type { Clip } from './clip.js'
import type { ViewTransform } from './view-transform.js'
import type { TransientRing } from '../gl/transient-ring.js'
import { checkDesc } from '../check.js'
import { QUEUE_KEYS, type QueueDesc } from './queue-desc.js'

export type { BatchDesc, BatchId } from './queue-batch.js'
export type { QueueStats, ViewBlock } from './queue-flush.js'

const MAX_COUNT = 0x1000000

export class DrawQueue {
  readonly device: Device
  readonly debug: boolean
  readonly label: string
  /** Figures of the last flush (owned by the flush, updated in place). */
  readonly stats: QueueStats
  /**
   * A uniform block holding the current pass's size (`view_target`, pixels), set by `flush`
   * before any draw. Batchers insert `queue.view.glsl` in their shaders and list it in `blocks`.
   */
  readonly view: ViewBlock
  /** Flush counter; passed to `block.upload` as the frame. */
  frame = 0
  readonly ring: TransientRing

  private readonly pool: CommandPool
  private readonly flusher: QueueFlush
  private readonly batchTable: BatchTable
  /** `batchTable.records`: read by id on every record. */
  private readonly batches: (BatchRecord | null)[]
  /** The one thing recording and flushing share: this frame's commands and the batches they name. */
  private readonly recorded: RecordedFrame
  private readonly scopes = new ScopeTable()
  /** Scope word of the command being recorded (travels beside keyScratch). */
  private scope = 0
  private seq = 0
  private pendingSkipped = 0
  private pendingDraws = 0
  // The last `record` (release mode), for its fast path; lastBatch -1 = none.
  private lastBatch = -1
  private lastLayer = 0
  private lastFloats = 0
  private lastClip: Clip | null = null
  private lastTransform: ViewTransform | null = null
  private readonly lastDepth = new Float64Array(1)
  private readonly keyScratch = new Uint32Array(2)
  private readonly keyHiView: Uint32Array
  private readonly keyLoView: Uint32Array
  private readonly sharedValues = new SharedValues()
  private destroyed = false

  constructor(device: Device, desc: QueueDesc = {}) {
    this.device = device
    this.debug = desc.debug ?? device.debug
    this.label = desc.label ?? 'draw queue'
    const payloadCapacity = desc.payloadCapacity ?? 262144
    this.batchTable = new BatchTable(device, this.label, this.debug)
    this.batches = this.batchTable.records
    this.pool = new CommandPool({ capacity: desc.capacity ?? 4096, payloadCapacity, label: this.label, debug: this.debug })
    this.recorded = { pool: this.pool, batches: this.batches, scopes: this.scopes }
    this.flusher = new QueueFlush(device, {
      ringSize: desc.ringSize ?? Math.max(4096, payloadCapacity * 4), ringStrategy: desc.ringStrategy ?? 'orphan',
      commands: this.pool.capacity, label: this.label, debug: this.debug,
    })
    this.stats = this.flusher.stats
    this.ring = this.flusher.ring
    this.view = this.flusher.view
    this.keyHiView = this.keyScratch.subarray(0, 1)
    this.keyLoView = this.keyScratch.subarray(1, 2)
  }

  /** Payload floats of this frame. Replaced on growth: re-read after every record. Valid until `flush`. */
  get payload(): Float32Array {
    return this.pool.payload
  }

  /** Unsigned 32-bit view of `payload`'s memory (packed colours). Re-read after every record. */
  get payloadU32(): Uint32Array {
    return this.pool.payloadU32
  }

  /** Payload floats reserved since the last flush: the offset where the next record's floats start. */
  get payloadUsed(): number {
    return this.pool.payloadUsed
  }

  /**
   * Makes room for `floats` more payload floats past `payloadUsed`, growing the payload if needed
   * (counted in `stats.poolGrowths` and reported once, as any growth), and returns `payloadUsed`.
   * Reserves nothing: the next record starts there. For bulk writes (`batcher.reserve`).
   */
  makeRoom(floats: number): number {
    return this.pool.makeRoom(floats)
  }

  /** Commands recorded since the last flush (after merging). */
  get commandCount(): number {
    return this.pool.count
  }

  // ------------------------------------------------------------------ batches

  /** Creates a batch; throws coded errors for a bad desc or dead handles (always checked). */
  createBatch(desc: BatchDesc): BatchId {
    this.alive('createBatch')
    return this.batchTable.create(desc)
  }

  /**
   * Destroys a batch. Commands already recorded for it this frame are skipped at flush. Ids are
   * handed out in increasing order and reused only after 65535 have been issued, so a stale id
   * is detected until then.
   */
  destroyBatch(id: BatchId): void {
    if (this.batchTable.destroy(id)) this.lastBatch = -1
  }

  /** The batch's desc-derived record, or null (unknown or destroyed). */
  batchInfo(id: BatchId): BatchRecord | null {
    return this.batches[id] ?? null
  }

  /**
   * A value shared by all batchers of this queue under `key` (programs, pipelines, a unit quad),
   * made by `create` on first use and passed to `destroy` by `queue.destroy()`.
   */
  shared<T>(key: string, create: () => T, destroy?: (v: T) => void): T {
    return this.sharedValues.get(key, create, destroy)
  }

  // ------------------------------------------------------------------ recording

  /**
   * Records `count` instances (or vertices, 'vertices' mode) of `batch`, state-sorted in `layer`
   * (0..255, default 0) at `depth` (0 near .. 1 far, default 0), inside `clip` and through
   * `transform` (default null: no scissor, identity). Returns the float offset in
   * `queue.payload` where the caller writes `count * floatsPerInstance` floats.
   */
  record(batch: BatchId, count: number, layer = 0, depth = 0, clip: Clip | null = null, transform: ViewTransform | null = null): number {
    // Fast path (release): the same batch, layer, depth and scope as the record just before, which
    // made or extended the last command: extend it again without looking anything up or encoding a key.
    if (batch === this.lastBatch && layer === this.lastLayer && depth === this.lastDepth[0] &&
      clip === this.lastClip && transform === this.lastTransform &&
      count >= 1 && count <= MAX_COUNT && (count | 0) === count) {
      const pool = this.pool
      const i = pool.count - 1
      const floats = count * this.lastFloats
      pool.instanceCount[i] = pool.instanceCount[i]! + count
      pool.payloadLength[i] = pool.payloadLength[i]! + floats
      pool.records[i] = pool.records[i]! + 1
      this.pendingDraws++
      return pool.reserveFloats(floats)
    }
    return this.recordKeyed(batch, count, layer, depth, clip, transform)
  }

  /** `record` without the fast path: validates, encodes the key, extends or pushes a command. */
  private recordKeyed(batch: BatchId, count: number, layer: number, depth: number, clip: Clip | null, transform: ViewTransform | null): number {
    const b = this.batches[batch]
    if (b === undefined || b === null || !(count >= 0 && count <= MAX_COUNT) || (count | 0) !== count) {
      return this.reject(b, batch, count, 'record')
    }
    if (this.debug) checkRecord(this.device, b, count, layer, depth, 'record')
    else if ((layer & 0xff) !== layer || depth - depth !== 0) return this.skipRecord()
    if (count === 0) return this.pool.payloadUsed
    this.scope = this.scopes.of(clip, transform)
    if (b.translucent) {
      encodeDepthKey(this.keyHiView, this.keyLoView, 0, layer, true, true, depth, b.pipelineId, batch)
    } else {
      encodeStateKey(this.keyHiView, this.keyLoView, 0, layer, false, b.pipelineId, batch, depth)
    }
    const off = this.append(b, count)
    if (!this.debug) {
      this.lastBatch = batch
      this.lastLayer = layer
      this.lastDepth[0] = depth
      this.lastFloats = b.floatsPerInstance
      this.lastClip = clip
      this.lastTransform = transform
    }
    return off
  }

  /**
   * Records in sequence mode: within `layer` draws run in submit order, whatever their batch
   * (translucency does not reorder them), inside `clip` and through `transform` as `record`.
   * Returns the payload offset as `record` does.
   */
  recordSequenced(batch: BatchId, count: number, layer = 0, clip: Clip | null = null, transform: ViewTransform | null = null): number {
    const b = this.batches[batch]
    if (b === undefined || b === null || !(count >= 0 && count <= MAX_COUNT) || (count | 0) !== count) {
      return this.reject(b, batch, count, 'recordSequenced')
    }
    if (this.debug) checkRecord(this.device, b, count, layer, 0, 'recordSequenced')
    else if ((layer & 0xff) !== layer) return this.skipRecord()
    if (count === 0) return this.pool.payloadUsed
    this.lastBatch = -1
    const pool = this.pool
    const n = pool.count
    encodeSequenceKey(this.keyHiView, this.keyLoView, 0, layer, false, this.seq)
    const hi = this.keyScratch[0]!
    const scope = this.scope = this.scopes.of(clip, transform)
    // The previous command continues in submit order: extend it rather than add a sequence number.
    if (n > 0 && pool.batch[n - 1] === batch && pool.keyHi[n - 1] === hi && pool.scope[n - 1] === scope) return this.extend(b, n - 1, count)
    this.seq++
    return this.push(b, count)
  }

  /**
   * Records `data.length / floatsPerInstance` instances and copies `data` into the payload.
   * A length that is not a multiple of the batch's `floatsPerInstance` is DATA_SIZE_MISMATCH in
   * debug (which also rejects NaN/Infinity), skipped and counted in release. `clip` and
   * `transform` as `record`.
   */
  recordData(batch: BatchId, data: ArrayLike<number>, layer = 0, depth = 0, sequenced = false,
    clip: Clip | null = null, transform: ViewTransform | null = null): void {
    const b = this.batches[batch]
    const fpi = b ? b.floatsPerInstance : 1
    const count = data.length / fpi
    if (b && (count | 0) !== count) {
      if (this.debug) throw dataSizeError(b, data.length)
      this.pendingSkipped++
      return
    }
    if (this.debug && b) checkFiniteData(b, data)
    const used = this.pool.payloadUsed
    const off = sequenced ? this.recordSequenced(batch, count, layer, clip, transform) : this.record(batch, count, layer, depth, clip, transform)
    if (off === this.pool.payloadUsed && off === used) return // skipped (or empty): nothing reserved
    const p = this.pool.payload
    for (let i = 0; i < data.length; i++) p[off + i] = data[i]!
  }

  /**
   * Grows the payload to hold `payloadFloats` floats and the pool to hold `commands` commands up
   * front (never shrinks, never warns), so a known peak frame records without growth.
   */
  reserve(payloadFloats: number, commands = 0): void {
    this.pool.ensureCapacity(commands, payloadFloats)
  }

  /** Counts `n` draws as skipped (batchers call it for bad floats in release mode). */
  skip(n = 1): void {
    this.pendingSkipped += n
  }

  // The key of the command being recorded travels in keyScratch, never as arguments: a uint32 key
  // word above 2^31 is not a small integer, and V8 boxes it into a heap number when it crosses a
  // call that is not inlined (that was 30-40 bytes per new command).

  /** Extends the last command when it has the batch and the key in keyScratch, else pushes a new one. */
  private append(b: BatchRecord, count: number): number {
    const pool = this.pool
    const n = pool.count
    const ks = this.keyScratch
    if (n > 0 && pool.batch[n - 1] === b.id && pool.keyHi[n - 1] === ks[0] && pool.keyLo[n - 1] === ks[1] && pool.scope[n - 1] === this.scope) {
      return this.extend(b, n - 1, count)
    }
    return this.push(b, count)
  }

  private extend(b: BatchRecord, i: number, count: number): number {
    const pool = this.pool
    const floats = count * b.floatsPerInstance
    if (pool.payloadOffset[i]! + pool.payloadLength[i]! !== pool.payloadUsed) {
      // Its payload is no longer the last: a new command with the same key.
      this.keyScratch[0] = pool.keyHi[i]!
      this.keyScratch[1] = pool.keyLo[i]!
      return this.push(b, count)
    }
    pool.instanceCount[i] = pool.instanceCount[i]! + count
    pool.payloadLength[i] = pool.payloadLength[i]! + floats
    pool.records[i] = pool.records[i]! + 1
    this.pendingDraws++
    return pool.reserveFloats(floats)
  }

  /** Pushes a command of `count` instances of `b` with the key in keyScratch. */
  private push(b: BatchRecord, count: number): number {
    const pool = this.pool
    const floats = count * b.floatsPerInstance
    const off = pool.reserveFloats(floats)
    const i = pool.push(0, 0, b.id, count, off, floats, 1)
    pool.keyHi[i] = this.keyScratch[0]!
    pool.keyLo[i] = this.keyScratch[1]!
    pool.scope[i] = this.scope
    this.pendingDraws++
    return off
  }

  /** Release: skip and count; debug: throw. Returns a scratch offset past every reserved float. */
  private reject(b: BatchRecord | null | undefined, batch: number, count: number, call: string): number {
    if (this.debug) throw recordError(b, batch, count, MAX_COUNT, call)
    return this.skipRecord()
  }

  /** Release: counts a skipped record and returns a scratch offset past every reserved float. */
  private skipRecord(): number {
    this.pendingSkipped++
    return this.pool.payloadUsed
  }

  // ------------------------------------------------------------------ flush

  /**
   * Begins `pass` (default: the default framebuffer, no clear), sorts this frame's commands,
   * merges consecutive commands of the same batch into one draw, streams their data through the
   * ring in one upload, uploads dirty uniform blocks and draws; then ends the pass and resets
   * the queue for the next frame (also when a debug error is thrown).
   */
  flush(pass?: PassDesc): void {
    this.alive('flush')
    try {
      this.flusher.run(this.recorded, this.pendingDraws, this.pendingSkipped, pass, this.frame)
    } finally {
      this.pool.reset()
      this.scopes.reset()
      this.lastBatch = -1
      this.seq = 0
      this.pendingSkipped = 0
      this.pendingDraws = 0
      this.frame++
    }
  }

  // ------------------------------------------------------------------ teardown

  /** Frees the ring and shared batcher resources; the queue cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.sharedValues.destroyAll()
    this.flusher.destroy()
    this.batchTable.clear()
  }

  private alive(call: string): void {
    if (this.destroyed) {
      throw new ValidationError(ErrorCode.RESOURCE_DESTROYED, `${call}: this draw queue was destroyed; create a new one with createQueue()`)
    }
  }
}

/** Creates a draw queue drawing with `device` (see the file comment). */
export function createQueue(device: Device, desc?: QueueDesc): DrawQueue {
  checkDesc('createQueue', desc, QUEUE_KEYS, desc?.debug ?? device.debug)
  return new DrawQueue(device, desc)
}
