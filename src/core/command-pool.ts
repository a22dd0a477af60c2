/**
 * A frame's draw commands as struct-of-arrays in preallocated typed arrays, plus a float payload
 * pool for the per-instance or per-vertex data of those draws. Recording a draw writes a few
 * typed-array slots and allocates nothing; the pool is reused every frame after `reset()`.
 *
 * Ownership and lifetime:
 * - The pool owns every array. Command `i` is stored at index `i` of each field array
 *   (`keyHi[i]`, `batch[i]`, ...). Entries at and past `count` are stale (not zero-initialised).
 * - Every column is read at flush (queue-plan.ts): the key sorts, `batch` names what to draw,
 *   `instanceCount` and the payload range say how much, `records` feeds `stats.merged`.
 * - Commands and payload written during a frame are valid until the next `reset()`.
 * - When full, the pool grows by doubling: it allocates larger arrays, copies every command and
 *   every reserved float, and replaces its array fields. So any field array or `payload` you
 *   copied into a local variable must be re-read from the pool after a `push` or
 *   `reserveFloats` (or index through the pool: `pool.payload[off + k] = x`). Nothing is ever
 *   dropped. The first growth of each pool is reported once through the logger (`FL_POOL_GREW`)
 *   with the new size; preallocate with `capacity` / `payloadCapacity` in the desc to avoid it.
 *
 * Validation of draw fields runs only with `debug: true` (the queue passes its own `debug`): it
 * catches a queue bug (a count or payload range the queue should never produce) at the push that
 * made it; in release the fields are stored as given.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { warnOnce } from '../log.js'

export interface CommandPoolDesc {
  /** Commands held before the first growth. Default 4096. Set it to your peak draws per frame. */
  capacity?: number
  /** Payload floats held before the first growth. Default 65536 (256 KB). */
  payloadCapacity?: number
  /** Name used in warnings and errors. Default 'command pool'. */
  label?: string
  /** Validate every `push` and `reserveFloats` and throw coded errors. Default false (the queue passes its `debug`). */
  debug?: boolean
}

let nextPoolId = 1

function checkCapacity(label: string, field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1 || v > 0x40000000) {
    throw new ValidationError(ErrorCode.INVALID_DESC,
      `${label}: ${field} ${v} must be an integer in 1..2^30; omit it for the default`, { field, value: v })
  }
  return v
}

export class CommandPool {
  /** Commands recorded since the last `reset()`. */
  count = 0
  /** Commands the field arrays hold; doubles on growth. */
  capacity: number
  /** Sort key, high word (see sort-key.ts). Replaced on growth: re-read after `push`. */
  keyHi: Uint32Array
  /** Sort key, low word. */
  keyLo: Uint32Array
  /** Batch id of the draw (the material of its sort key; see queue-batch.ts). */
  batch: Uint32Array
  /** Instances ('instanced' batches) or vertices ('vertices' batches) of the draw. */
  instanceCount: Int32Array
  /** Start of this draw's floats in `payload`. */
  payloadOffset: Uint32Array
  /** Number of floats of this draw in `payload` (0 when it has none). */
  payloadLength: Uint32Array
  /**
   * Records merged into this command: 1 when pushed, +1 each time a later record of the same
   * batch and key extends it. Summed per run at flush into `stats.draws` / `stats.merged`.
   */
  records: Uint32Array
  /**
   * Draw scope: (clip slot << 16) | transform slot, indices into the queue's per-frame clip and
   * transform tables (0 = none). Commands of different scopes never merge. `push` writes 0.
   */
  scope: Uint32Array
  /**
   * Payload floats for all draws of the frame; `payloadUsed` of them are reserved. Replaced on
   * growth: re-read `pool.payload` after every `reserveFloats`.
   */
  payload: Float32Array
  /** Floats reserved since the last `reset()`. */
  payloadUsed = 0
  // `payloadU32`'s view and the payload it was made over (remade after a growth).
  private u32: Uint32Array
  private u32Source: Float32Array
  /** Times the command arrays or the payload grew (for stats); growth allocates. */
  growths = 0
  readonly label: string
  readonly debug: boolean
  private readonly id = nextPoolId++

  constructor(desc: CommandPoolDesc = {}) {
    this.label = desc.label ?? 'command pool'
    this.debug = desc.debug ?? false
    const cap = checkCapacity(this.label, 'capacity', desc.capacity ?? 4096)
    const floats = checkCapacity(this.label, 'payloadCapacity', desc.payloadCapacity ?? 65536)
    this.capacity = cap
    this.keyHi = new Uint32Array(cap)
    this.keyLo = new Uint32Array(cap)
    this.batch = new Uint32Array(cap)
    this.instanceCount = new Int32Array(cap)
    this.payloadOffset = new Uint32Array(cap)
    this.payloadLength = new Uint32Array(cap)
    this.records = new Uint32Array(cap)
    this.scope = new Uint32Array(cap)
    this.payload = new Float32Array(floats)
    this.u32Source = this.payload
    this.u32 = new Uint32Array(this.payload.buffer)
  }

  /** Unsigned 32-bit view of `payload`'s memory (packed colours); replaced with it on growth. */
  get payloadU32(): Uint32Array {
    const p = this.payload
    if (p !== this.u32Source) {
      this.u32Source = p
      this.u32 = new Uint32Array(p.buffer)
    }
    return this.u32
  }

  /**
   * Records one draw and returns its command index (0, 1, 2, ... in submit order since `reset`).
   * Writes typed arrays only. The key may be passed as 0, 0 and encoded afterwards in place:
   * `encodeStateKey(pool.keyHi, pool.keyLo, i, ...)`. `records` defaults to 1.
   */
  push(keyHi: number, keyLo: number, batch: number, instanceCount: number,
    payloadOffset: number, payloadLength: number, records = 1): number {
    if (this.debug) this.validate(instanceCount, payloadOffset, payloadLength, records)
    const i = this.count
    if (i === this.capacity) this.growCommands(i + 1)
    this.keyHi[i] = keyHi
    this.keyLo[i] = keyLo
    this.batch[i] = batch
    this.instanceCount[i] = instanceCount
    this.payloadOffset[i] = payloadOffset
    this.payloadLength[i] = payloadLength
    this.records[i] = records
    this.scope[i] = 0
    this.count = i + 1
    return i
  }

  /**
   * Reserves `n` consecutive floats in `payload` and returns the offset of the first. The floats
   * are not cleared. Growth replaces `payload`: read `pool.payload` after this call.
   */
  reserveFloats(n: number): number {
    if (this.debug) this.checkFloats(n)
    const off = this.payloadUsed
    const end = off + n
    if (end > this.payload.length) this.growPayload(end)
    this.payloadUsed = end
    return off
  }

  /**
   * Makes room for `n` more floats past `payloadUsed` (growing as `reserveFloats` would, counted
   * and reported once) without reserving them, and returns `payloadUsed`.
   */
  makeRoom(n: number): number {
    const end = this.payloadUsed + n
    if (end > this.payload.length) this.growPayload(end)
    return this.payloadUsed
  }

  /** Forgets every command and payload float of the frame; keeps the arrays for reuse. */
  reset(): void {
    this.count = 0
    this.payloadUsed = 0
  }

  /**
   * Grows the pool up front (never shrinks, never warns) so a known peak frame records without
   * growth. Keeps everything recorded so far.
   */
  ensureCapacity(commands: number, payloadFloats = 0): void {
    if (commands > this.capacity) this.resizeCommands(commands)
    if (payloadFloats > this.payload.length) this.resizePayload(payloadFloats)
  }

  // ------------------------------------------------------------ cold paths

  // Cold checks live in methods of their own: `reserveFloats` runs for every draw and stays small
  // enough for V8 to inline it into the batchers' per-draw calls.
  private checkFloats(n: number): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `${this.label}: reserveFloats(${n}) needs a non-negative integer count of floats`, { floats: n })
    }
  }

  private validate(instanceCount: number, payloadOffset: number, payloadLength: number, records: number): void {
    const bad = !Number.isInteger(instanceCount) || instanceCount < 0 ? 'instanceCount'
      : !Number.isInteger(records) || records < 1 ? 'records'
        : ''
    if (bad !== '') {
      const value = bad === 'instanceCount' ? instanceCount : records
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `${this.label}: draw ${this.count} has ${bad} ${value}; ${bad === 'records' ? 'it must be an integer >= 1' : 'counts must be non-negative integers'}`,
        { field: bad, value, command: this.count })
    }
    if (!Number.isInteger(payloadOffset) || !Number.isInteger(payloadLength) || payloadOffset < 0 || payloadLength < 0 ||
      payloadOffset + payloadLength > this.payloadUsed) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `${this.label}: draw ${this.count} names payload floats ${payloadOffset}..${payloadOffset + payloadLength} ` +
          `but only ${this.payloadUsed} are reserved this frame; get the offset from reserveFloats() first`,
        { payloadOffset, payloadLength, payloadUsed: this.payloadUsed, command: this.count })
    }
  }

  private growCommands(min: number): void {
    const from = this.capacity
    let cap = from
    while (cap < min) cap *= 2
    this.resizeCommands(cap)
    this.growths++
    warnOnce(`command-pool#${this.id}:commands`, ErrorCode.POOL_GREW,
      `${this.label} grew from ${from} to ${cap} commands and kept every command; growing allocates ` +
        `mid-frame, so pass { capacity: ${cap} } (or your peak draws per frame) in its desc to preallocate. ` +
        'Further growth of this pool is not reported.')
  }

  private growPayload(min: number): void {
    const from = this.payload.length
    let cap = from
    while (cap < min) cap *= 2
    this.resizePayload(cap)
    this.growths++
    warnOnce(`command-pool#${this.id}:payload`, ErrorCode.POOL_GREW,
      `${this.label} payload grew from ${from} to ${cap} floats and kept every float; growing allocates ` +
        `mid-frame, so pass { payloadCapacity: ${cap} } in its desc to preallocate. ` +
        'Further growth of this payload is not reported.')
  }

  private resizeCommands(cap: number): void {
    const n = this.count
    this.keyHi = copyU32(this.keyHi, cap, n)
    this.keyLo = copyU32(this.keyLo, cap, n)
    this.batch = copyU32(this.batch, cap, n)
    this.instanceCount = copyI32(this.instanceCount, cap, n)
    this.payloadOffset = copyU32(this.payloadOffset, cap, n)
    this.payloadLength = copyU32(this.payloadLength, cap, n)
    this.records = copyU32(this.records, cap, n)
    this.scope = copyU32(this.scope, cap, n)
    this.capacity = cap
  }

  private resizePayload(cap: number): void {
    const next = new Float32Array(cap)
    next.set(this.payload.subarray(0, this.payloadUsed))
    this.payload = next
  }
}

function copyU32(old: Uint32Array, cap: number, n: number): Uint32Array {
  const next = new Uint32Array(cap)
  next.set(old.subarray(0, n))
  return next
}

function copyI32(old: Int32Array, cap: number, n: number): Int32Array {
  const next = new Int32Array(cap)
  next.set(old.subarray(0, n))
  return next
}
