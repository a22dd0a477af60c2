/**
 * Plumbing shared by the batchers (rect, sprite, line, text): the desc's layer check, the
 * unit-quad pipelines and batch of the rect and sprite batchers, the alpha-blended pipeline of the
 * line and text batchers, and the per-draw record that picks sequence or state mode.
 *
 * Plain functions, not a base class: each batcher keeps its own fields and public shape, and the
 * per-draw helper takes every value as an argument, so its property loads stay monomorphic
 * whichever batcher calls it. The sort depth travels in the batcher's Float64Array and is read
 * here, so no fractional number crosses the call (V8 boxes those when the callee is not inlined).
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { BufferHandle, PipelineHandle, ProgramHandle, TextureHandle } from '../gl/handles.js'
import type { ProgramDesc, VertexAttributeDesc } from '../gl/types.js'
import type { BatchId, DrawQueue } from '../core/queue.js'

/** A depth box that always holds 0, for batchers without a sort depth. Never written. */
export const ZERO_DEPTH = new Float64Array(1)

/**
 * The desc's `layer` (default 0), checked to be an integer 0..255; anything else throws
 * INVALID_DESC with the message `${where}: layer ${layer} must be ${expected}`.
 */
export function batcherLayer(layer: number | undefined, where: string, expected: string): number {
  const l = layer ?? 0
  if (!Number.isInteger(l) || l < 0 || l > 255) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `${where}: layer ${String(l)} must be ${expected}`)
  }
  return l
}

/**
 * Records `count` instances of `batch` in `layer`: in submit order when `sequenced`
 * (`queue.recordSequenced`), else state-sorted at depth `depthBox[0]` (`queue.record`). Returns
 * the payload offset where the caller writes its floats. Allocates nothing.
 */
export function recordInstances(queue: DrawQueue, batch: BatchId, count: number, layer: number,
  sequenced: boolean, depthBox: Float64Array): number {
  return sequenced ? queue.recordSequenced(batch, count, layer) : queue.record(batch, count, layer, depthBox[0])
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

/** GL objects shared by every line (or text) batcher of a queue: program, alpha pipeline, corners. */
export interface CornerPipeline {
  program: ProgramHandle
  pipeline: PipelineHandle
  corners: BufferHandle
}

/**
 * Compiles `program` and makes its alpha-blended pipeline (labelled with the program's name):
 * per-vertex corners of `cornerStride` bytes at slot 0 (a buffer made from `corners`, labelled
 * `cornersLabel`), `floatsPerInstance` floats per instance at slot 1, read through `attributes`.
 * Setup work, once per queue (`queue.shared`); free it with `destroyCornerPipeline`.
 */
export function createCornerPipeline(device: Device, program: ProgramDesc, cornerStride: number, floatsPerInstance: number,
  attributes: VertexAttributeDesc[], corners: Float32Array, cornersLabel: string): CornerPipeline {
  const handle = device.createProgram(program)
  const pipeline = device.createPipeline({
    program: handle,
    buffers: [{ step: 'vertex', stride: cornerStride }, { step: 'instance', stride: floatsPerInstance * 4 }],
    attributes,
    blend: 'alpha',
    label: program.name,
  })
  return { program: handle, pipeline, corners: device.createBuffer({ data: corners, label: cornersLabel }) }
}

/** Destroys what `createCornerPipeline` made. */
export function destroyCornerPipeline(device: Device, v: CornerPipeline): void {
  device.destroyPipeline(v.pipeline)
  device.destroyProgram(v.program)
  device.destroyBuffer(v.corners)
}
