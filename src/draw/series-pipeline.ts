/**
 * The indexed chunk pipeline of the series batchers (line-series.ts, candle-series.ts): a static
 * chunk of quads, 4 corners each (one per-vertex buffer at slot 0), drawn through an index buffer
 * of two triangles a quad, with one instance per chunk streamed by the queue (slot 1).
 *
 * Why indexed: llvmpipe shades vertices (and the series' texel fetches) on the calling thread,
 * and a corner that two indices name is shaded once, so a quad costs 4 vertex invocations instead
 * of the 6 of two unindexed triangles (the series pan measured about 30% less CPU a frame).
 *
 * One per queue and kind (`sharedGL`), freed by `queue.destroy()`.
 */
import type { Device } from '../gl/device.js'
import type { ProgramDesc, VertexAttributeDesc } from '../gl/types.js'
import { createCornerPipeline, destroyCornerPipeline, type CornerPipeline } from './batcher-base.js'

/** A corner pipeline made indexed by `createChunkPipeline`. */
export type ChunkPipeline = CornerPipeline

/**
 * Indices of `quads` quads whose corners come 4 a quad in the order (0, 0), (1, 0), (0, 1),
 * (1, 1): triangles (0, 1, 3) and (0, 3, 2), both wound the same way, split along the diagonal
 * from corner 0 to corner 3. At most 16,384 quads (uint16 indices).
 */
export function quadIndices(quads: number): Uint16Array {
  const out = new Uint16Array(quads * 6)
  for (let q = 0, o = 0; q < quads; q++, o += 6) {
    const v = 4 * q
    out[o] = v; out[o + 1] = v + 1; out[o + 2] = v + 3
    out[o + 3] = v; out[o + 4] = v + 3; out[o + 5] = v + 2
  }
  return out
}

/** Creates the program, the alpha-blended indexed pipeline, the corner buffer and the index buffer of `quads` quads (`createCornerPipeline`). */
export function createChunkPipeline(device: Device, program: ProgramDesc, cornerStride: number, floatsPerInstance: number,
  attributes: VertexAttributeDesc[], corners: Float32Array, quads: number, label: string): ChunkPipeline {
  return createCornerPipeline(device, program, cornerStride, floatsPerInstance, attributes, corners, `${label} corners`,
    { data: quadIndices(quads), label: `${label} indices` })
}

/** Destroys what `createChunkPipeline` made. */
export const destroyChunkPipeline: (device: Device, v: ChunkPipeline) => void = destroyCornerPipeline
