/**
 * What the four batchers (rect, sprite, line, text) share: `Batcher`, the base class holding the
 * desc fields every batcher has (queue, batch, layer, depth, sequenced, debug, label), the one way
 * a bad draw is reported (coded error in debug, counted skip in release), `destroy`, and the bulk
 * path (`reserve` / `commit`) of instanced batchers; plus the GL setup helpers (unit-quad
 * pipelines of the rect and sprite batchers, the alpha-blended corner pipeline, indexed or not, of
 * the line, text and series batchers).
 *
 * The per-draw record goes through the free function `recordInstances`, which takes every value
 * as an argument: its property loads stay monomorphic whichever batcher calls it. The sort depth
 * travels in the batcher's Float64Array and is read there, so no fractional number crosses a call
 * (V8 boxes those when the callee is not inlined).
 *
 * Shared GL objects live in `queue.shared` under the key `framelatch:<kind>` and are freed by
 * `queue.destroy()`; the batch belongs to the batcher until `destroy`.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { BufferHandle, PipelineHandle, ProgramHandle, TextureHandle } from '../gl/handles.js'
import type { ProgramDesc, VertexAttributeDesc } from '../gl/types.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import { Clip } from '../core/clip.js'
import { ViewTransform } from '../core/view-transform.js'

/** Desc fields every batcher takes. */
export interface BatcherDesc {
  /** Sort layer, 0..255. Default 0. Change later with `batcher.layer`. */
  layer?: number
  /** Sort depth, 0 near .. 1 far. Default 0. Ignored when `sequenced`. Change later with `batcher.depth`. */
  depth?: number
  /**
   * Record in sequence mode: submit order within the layer, whatever the batch (UI that
   * interleaves panels, lines and text). Default false: draws sort by state and depth, and
   * consecutive draws of one batcher merge into one GL draw.
   */
  sequenced?: boolean
  /** Throw coded errors for bad draws instead of skipping and counting them. Default: the queue's `debug`. */
  debug?: boolean
  /** Used in errors and GL labels. Default: the batcher's kind ('rects', 'sprites', 'lines', 'text'). */
  label?: string
  /**
   * Clip rectangle of later draws (`createClip`): nothing is drawn outside it. Default null (no
   * scissor). Change later with `batcher.clip`; each draw keeps the clip it was recorded with.
   */
  clip?: Clip | null
  /**
   * View transform of later draws (`createViewTransform`): maps the coordinates you pass to
   * target pixels. Default null (identity: pixels). Change later with `batcher.transform`.
   */
  transform?: ViewTransform | null
}

/**
 * Where a bulk write goes (`batcher.reserve(n)`): instance i of the reservation starts at float
 * `offset + i * stride` of `floats` (and of `uints`, an unsigned view of the same memory for
 * packed colours). One object per batcher, reused by every `reserve`; its arrays are the queue's
 * payload, valid until `commit` (any other record on the queue may replace or overwrite them).
 */
export interface InstanceWriter {
  floats: Float32Array
  uints: Uint32Array
  /** Float offset of the first reserved instance. */
  offset: number
  /** Floats per instance. */
  readonly stride: number
  /** Instances reserved (0 when the reservation was refused). */
  count: number
}

const MAX_INSTANCES = 0x1000000

/**
 * The base of every batcher: the common desc fields, error reporting and `destroy`; for instanced
 * batchers with a fixed instance layout (rect, sprite) also the bulk path.
 */
export abstract class Batcher {
  readonly queue: DrawQueue
  readonly batch: BatchId
  /** Sort layer of later draws, 0..255 (checked by the queue: coded error in debug, counted skip in release). */
  layer: number
  readonly sequenced: boolean
  readonly debug: boolean
  readonly label: string
  /** Clip rectangle of later draws, or null (see BatcherDesc.clip). Read at each draw. */
  clip: Clip | null
  /** View transform of later draws, or null (see BatcherDesc.transform). Read at each draw. */
  transform: ViewTransform | null
  /** Sort depth, kept in a typed array so a fractional value is never boxed per call. */
  protected readonly depthBox = new Float64Array(1)
  private readonly kind: string
  private destroyed = false

  /**
   * Checks the common desc fields, then calls `createBatch(label)` for the batcher's queue batch.
   * `kind` names the batcher in errors ('rect' gives 'rect batcher "<label>" add: ...'),
   * `defaultLabel` is the label when the desc has none.
   */
  protected constructor(queue: DrawQueue, desc: BatcherDesc, kind: string, defaultLabel: string,
    createBatch: (label: string) => BatchId) {
    this.queue = queue
    this.kind = kind
    this.label = desc.label ?? defaultLabel
    const layer = desc.layer ?? 0
    if (!Number.isInteger(layer) || layer < 0 || layer > 255) {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `${this.where('create')}: layer ${String(layer)} must be an integer in 0..255`, { layer })
    }
    const depth = desc.depth ?? 0
    if (!(depth >= 0 && depth <= 1)) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.where('create')}: depth ${String(depth)} must be in 0..1 (0 near, 1 far)`, { depth })
    }
    const clip = desc.clip ?? null
    if (clip !== null && !(clip instanceof Clip)) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.where('create')}: clip must be a Clip from createClip (or null)`)
    }
    const transform = desc.transform ?? null
    if (transform !== null && !(transform instanceof ViewTransform)) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.where('create')}: transform must be a ViewTransform from createViewTransform (or null)`)
    }
    this.clip = clip
    this.transform = transform
    this.layer = layer
    this.depthBox[0] = depth
    this.sequenced = desc.sequenced ?? false
    this.debug = desc.debug ?? queue.debug
    this.batch = createBatch(this.label)
  }

  /** Sort depth of later draws, 0 near .. 1 far (checked by the queue at each draw). */
  get depth(): number {
    return this.depthBox[0]!
  }
  set depth(v: number) {
    this.depthBox[0] = v
  }

  /** Frees the batcher's queue batch (shared GL objects live until `queue.destroy()`); its draws this frame are skipped at flush. Idempotent. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.queue.destroyBatch(this.batch)
  }

  /** A bad draw: a coded INVALID_DRAW error in debug, a skip counted in `queue.stats.skipped` in release. */
  protected bad(call: string, message: string, details?: Record<string, unknown>): void {
    if (this.debug) throw new ValidationError(ErrorCode.INVALID_DRAW, `${this.where(call)}: ${message}`, details)
    this.queue.skip(1)
  }

  /** `<kind> batcher "<label>" <call>`, the prefix of every error of this batcher. */
  protected where(call: string): string {
    return `${this.kind} batcher "${this.label}" ${call}`
  }
}

/**
 * A batcher whose instances have a fixed layout of `stride` floats (rect, sprite): adds the bulk
 * path, `reserve` / `commit`, which writes instances straight into the queue's payload.
 */
export abstract class InstanceBatcher extends Batcher {
  private readonly writer: InstanceWriter
  /** Payload offset and frame of the open reservation; reservedCount -1 = none. */
  private reservedAt = 0
  private reservedFrame = 0
  private reservedCount = -1
  /** Bit k set: float k of an instance is a float (debug `commit` checks it is finite); clear: a packed colour. */
  private readonly floatSlots: number

  /** As Batcher's; `stride` floats per instance, `floatSlots` marks which are floats (not packed colours). */
  protected constructor(queue: DrawQueue, desc: BatcherDesc, kind: string, defaultLabel: string, stride: number,
    floatSlots: number, createBatch: (label: string) => BatchId) {
    super(queue, desc, kind, defaultLabel, createBatch)
    this.floatSlots = floatSlots
    this.writer = { floats: queue.payload, uints: queue.payloadU32, offset: 0, stride, count: 0 }
  }

  /**
   * Bulk path: makes room for `count` instances straight in the queue's payload and returns where
   * to write them (see InstanceWriter; the layout is the batcher's instance layout, colours packed
   * by `packColor` / `packHexColor`). Nothing is recorded until `commit(n)`; record nothing else
   * on this queue in between. Allocates nothing unless the payload must grow (counted and
   * reported once, as any growth). A bad count: coded error in debug, a writer with count 0 (and
   * a counted skip at commit) in release.
   */
  reserve(count: number): InstanceWriter {
    const w = this.writer
    const q = this.queue
    if (!(count >= 0 && count <= MAX_INSTANCES) || (count | 0) !== count) {
      if (this.debug) {
        throw new ValidationError(ErrorCode.INVALID_DRAW,
          `${this.where('reserve')}: count ${count} must be an integer in 0..${MAX_INSTANCES}`, { count })
      }
      count = 0
    }
    w.offset = q.makeRoom(count * w.stride)
    w.floats = q.payload
    w.uints = q.payloadU32
    w.count = count
    this.reservedAt = w.offset
    this.reservedFrame = q.frame
    this.reservedCount = count
    return w
  }

  /**
   * Records the first `count` instances written since `reserve` (0..the reserved count) as one
   * draw. Debug: throws for a count out of range, a missing reservation, another record in
   * between, or a non-finite float in the committed instances; release skips and counts those
   * (no scan: a NaN written in bulk reaches the GPU, which drops its triangles).
   */
  commit(count: number): void {
    const q = this.queue
    const reserved = this.reservedCount
    this.reservedCount = -1
    let problem = ''
    if (reserved < 0) problem = 'no open reservation; call reserve(n) first'
    else if (!(count >= 0 && count <= reserved) || (count | 0) !== count) problem = `count ${count} must be an integer in 0..${reserved} (the reserved count)`
    else if (q.payloadUsed !== this.reservedAt || q.frame !== this.reservedFrame) {
      problem = 'something else was recorded (or the queue flushed) between reserve and commit; commit before recording anything else'
    }
    if (problem !== '') {
      this.bad('commit', problem, { count, reserved })
      return
    }
    if (count === 0) return
    if (this.debug) this.checkBulk(count)
    recordInstances(q, this.batch, count, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
  }

  private checkBulk(count: number): void {
    const p = this.queue.payload
    const stride = this.writer.stride
    const mask = this.floatSlots
    for (let i = 0; i < count; i++) {
      const o = this.reservedAt + i * stride
      for (let k = 0; k < stride; k++) {
        if ((mask & (1 << k)) !== 0 && !Number.isFinite(p[o + k]!)) {
          throw new ValidationError(ErrorCode.INVALID_DRAW,
            `${this.where('commit')}: instance ${i} float ${k} is ${p[o + k]}; write finite numbers`, { instance: i, float: k })
        }
      }
    }
  }
}


/**
 * Records `count` instances of `batch` in `layer`, inside `clip` and through `transform`: in
 * submit order when `sequenced` (`queue.recordSequenced`), else state-sorted at depth
 * `depthBox[0]` (`queue.record`). Returns the payload offset where the caller writes its floats.
 * Allocates nothing.
 */
export function recordInstances(queue: DrawQueue, batch: BatchId, count: number, layer: number,
  sequenced: boolean, depthBox: Float64Array, clip: Clip | null, transform: ViewTransform | null): number {
  return sequenced
    ? queue.recordSequenced(batch, count, layer, clip, transform)
    : queue.record(batch, count, layer, depthBox[0], clip, transform)
}

/** The unit quad as a triangle strip: (0,0) (1,0) (0,1) (1,1); y grows down the screen. */
export const UNIT_QUAD_STRIP = new Float32Array([0, 0, 1, 0, 0, 1, 1, 1])

/** GL objects of a unit-quad batcher: one pipeline per blend mode over a triangle-strip quad. */
export interface QuadPipelines {
  program: ProgramHandle
  opaque: PipelineHandle
  blended: PipelineHandle
  quad: BufferHandle
}

/**
 * Pipelines of `program` without blending (labelled `${name} (opaque)`) and with alpha blending
 * (`${name} (alpha)`), both reading the unit quad at slot 0 and `floatsPerInstance` floats per
 * instance at slot 1 through `attributes`, and the unit quad buffer (`quadLabel`). Setup work,
 * once per queue (`queue.shared`); free them with `destroyQuadPipelines`.
 */
export function createQuadPipelines(device: Device, program: ProgramHandle, floatsPerInstance: number,
  attributes: VertexAttributeDesc[], name: string, quadLabel: string): QuadPipelines {
  const layout = {
    program,
    primitive: 'triangle-strip' as const,
    buffers: [{ step: 'vertex' as const }, { step: 'instance' as const, stride: floatsPerInstance * 4 }],
    attributes,
  }
  return {
    program,
    opaque: device.createPipeline({ ...layout, blend: 'none', label: `${name} (opaque)` }),
    blended: device.createPipeline({ ...layout, blend: 'alpha', label: `${name} (alpha)` }),
    quad: device.createBuffer({ data: UNIT_QUAD_STRIP, label: quadLabel }),
  }
}

/** Destroys what `createQuadPipelines` made. */
export function destroyQuadPipelines(device: Device, s: QuadPipelines): void {
  device.destroyPipeline(s.opaque)
  device.destroyPipeline(s.blended)
  device.destroyProgram(s.program)
  device.destroyBuffer(s.quad)
}

/** The desc fields `createQuadBatch` reads. */
export interface QuadBatchOptions {
  /** Alpha-blend and sort after opaque draws of the layer. Default true. */
  translucent?: boolean
  /** Instances expected per frame; grows the queue's payload up front. Default 0 (no hint). */
  capacity?: number
}

/** The shared GL objects of `kind` on `queue` ('framelatch:<kind>'), made by `create` on first use, freed by `queue.destroy()`. */
export function sharedGL<T>(queue: DrawQueue, kind: string, create: () => T, destroy: (v: T) => void): T {
  return queue.shared<T>(`framelatch:${kind}`, create, destroy)
}

/**
 * Creates the queue batch of a unit-quad batcher (4-vertex triangle strip, one instance of
 * `floatsPerInstance` floats per quad, the queue's view block, `texture` on unit 0 if given) and
 * reserves payload for `desc.capacity` instances.
 */
export function createQuadBatch(queue: DrawQueue, s: QuadPipelines, floatsPerInstance: number,
  desc: QuadBatchOptions, label: string, texture?: TextureHandle): BatchId {
  const translucent = desc.translucent ?? true
  const batch = queue.createBatch({
    pipeline: translucent ? s.blended : s.opaque,
    geometry: s.quad,
    vertexCount: 4,
    floatsPerInstance,
    textures: texture === undefined ? undefined : [texture],
    blocks: [queue.view],
    translucent,
    label,
  })
  if (desc.capacity) queue.reserve(desc.capacity * floatsPerInstance)
  return batch
}

/** GL objects shared by every line (or text) batcher of a queue: program, alpha pipeline, corners, optional indices. */
export interface CornerPipeline {
  program: ProgramHandle
  pipeline: PipelineHandle
  corners: BufferHandle
  /** Static uint16 index buffer naming the corners of one instance; absent or 0 when the pipeline draws the corners as they are. */
  indices?: BufferHandle | 0
}

/** The static index buffer of an indexed corner pipeline: uint16 indices and its GL label. */
export interface CornerIndices {
  data: Uint16Array
  label: string
}

/**
 * Compiles `program` and makes its alpha-blended pipeline (labelled with the program's name):
 * per-vertex corners of `cornerStride` bytes at slot 0 (a buffer made from `corners`, labelled
 * `cornersLabel`), `floatsPerInstance` floats per instance at slot 1, read through `attributes`.
 * With `indices` the pipeline is indexed (uint16) and draws the corners `indices.data` names: on
 * llvmpipe a corner named twice is shaded once (its vertex shader runs on the calling thread), so
 * a quad is 4 vertex invocations instead of 6. Give the batch `indexBuffer: indices` and
 * `vertexCount: indices.data.length`. Setup work, once per queue (`queue.shared`); free it with
 * `destroyCornerPipeline`.
 */
export function createCornerPipeline(device: Device, program: ProgramDesc, cornerStride: number, floatsPerInstance: number,
  attributes: VertexAttributeDesc[], corners: Float32Array, cornersLabel: string, indices: CornerIndices | null = null): CornerPipeline {
  const handle = device.createProgram(program)
  const pipeline = device.createPipeline({
    program: handle,
    buffers: [{ step: 'vertex', stride: cornerStride }, { step: 'instance', stride: floatsPerInstance * 4 }],
    attributes,
    blend: 'alpha',
    indexType: indices === null ? 'none' : 'uint16',
    label: program.name,
  })
  return {
    program: handle,
    pipeline,
    corners: device.createBuffer({ data: corners, label: cornersLabel }),
    indices: indices === null ? 0 : device.createBuffer({ type: 'index', indexType: 'uint16', data: indices.data, label: indices.label }),
  }
}

/** Destroys what `createCornerPipeline` made. */
export function destroyCornerPipeline(device: Device, v: CornerPipeline): void {
  device.destroyPipeline(v.pipeline)
  device.destroyProgram(v.program)
  device.destroyBuffer(v.corners)
  if (v.indices !== undefined && v.indices !== 0) device.destroyBuffer(v.indices)
}
