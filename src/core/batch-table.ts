/**
 * The batch ids of a draw queue: issues them (1..65535, in increasing order, reused only after
 * 65535 have been issued, so a stale id is detected until then), builds each batch's record
 * (queue-batch.ts) and retires it. `records` is indexed by id and read directly by the queue's
 * recording and its flush; null marks a destroyed id. The table and its records live as long as
 * the queue.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import { BatchRecord, checkBatchDesc, type BatchDesc, type BatchId } from './queue-batch.js'
import { checkDesc, descKeys } from '../check.js'

const BATCH_KEYS = descKeys<BatchDesc>({ pipeline: true, geometry: true, indexBuffer: true, vertexCount: true, floatsPerInstance: true, mode: true, textures: true, blocks: true, translucent: true, label: true })

export class BatchTable {
  /** Record of batch id k (index 0 and destroyed ids: null). */
  readonly records: (BatchRecord | null)[] = [null]
  private nextId = 1
  private readonly freeIds: number[] = []

  /** `label` names the queue in errors; `debug` checks desc key types (see check.ts). */
  constructor(private readonly device: Device, private readonly label: string, private readonly debug: boolean) {}

  /** Creates a batch (the queue binds the transient ring to its streamed slot at each draw); throws coded errors for a bad desc or dead handles (always checked). */
  create(desc: BatchDesc): BatchId {
    checkDesc('createBatch', desc, BATCH_KEYS, this.debug)
    const id = this.nextId <= 0xffff ? this.nextId : this.freeIds.shift()
    if (id === undefined) {
      throw new ValidationError(ErrorCode.POOL_EXHAUSTED, `${this.label}: 65535 live batches; destroy batches you no longer use`)
    }
    const program = checkBatchDesc(this.device, desc, desc?.label ?? `batch ${id}`)
    if (id === this.nextId) this.nextId++
    this.records[id] = new BatchRecord(id, desc, program)
    return id
  }

  /** Retires `id`; false when it was not a live batch. */
  destroy(id: BatchId): boolean {
    const b = this.records[id]
    if (b === undefined || b === null) return false
    this.records[id] = null
    this.freeIds.push(id)
    return true
  }

  /** Forgets every batch (the queue is being destroyed). */
  clear(): void {
    this.records.length = 1
  }
}
