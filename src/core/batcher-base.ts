/**
 * Plumbing shared by the batchers (rect, sprite, line, text): the desc's layer check, the
 * instanced unit-quad batch of the rect and sprite batchers, and the per-draw record that picks
 * sequence or state mode.
 *
 * Plain functions, not a base class: each batcher keeps its own fields and public shape, and the
 * per-draw helper takes every value as an argument, so its property loads stay monomorphic
 * whichever batcher calls it. The sort depth travels in the batcher's Float64Array and is read
 * here, so no fractional number crosses the call (V8 boxes those when the callee is not inlined).
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { BufferHandle, PipelineHandle, TextureHandle } from '../gl/handles.js'
import type { BatchId, DrawQueue } from './queue.js'

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

/** GL objects of a unit-quad batcher: one pipeline per blend mode over a triangle-strip quad. */
export interface QuadPipelines {
  opaque: PipelineHandle
  blended: PipelineHandle
  quad: BufferHandle
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
