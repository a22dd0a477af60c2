/**
 * The shader side of view transforms (src/core/view-transform.ts), the one convention every
 * batcher shader follows, and the one a shader of your own (or a retained-geometry drawer) should
 * follow too:
 *
 * - Attributes hold user coordinates. The vertex shader maps a point to target pixels with
 *   `flViewPoint(p)` (= `view_transform * vec3(p, 1)`; top-left origin, y down), a direction or
 *   size with `flViewVector(v)` (no translation), then to clip space with `flPixelToClip(px)`
 *   (`view_target` is the pass size in pixels). Work in pixels between the two for anything that
 *   must stay pixel-sized (line thickness, borders, anti-aliasing).
 * - The matrix lives in the queue's view block (`queue.view`, `u_FlView[4]`: slot 0 `.xy` the
 *   target size, slots 1..3 the mat3 columns). List `queue.view` in the batch's `blocks` and the
 *   queue sets it per run from the transform each draw was recorded with.
 * - `viewShaderGLSL(queue.view.glsl)` is the block declaration plus these functions; insert it
 *   after the precision statement of the vertex shader.
 *
 * Code that draws outside the queue (its own buffers and draw calls) can keep the same
 * convention with a block of the same schema, `createViewBlock()`, filled by `setViewBlock`.
 */
import { createUniformBlock, writeMat3, type UniformBlock } from '../gl/uniform-block.js'
import type { ViewTransform } from '../core/view-transform.js'

/** The GLSL functions of the convention; needs the view block (`view_target`, `view_transform`) declared before it. */
export const VIEW_TRANSFORM_GLSL = `#ifndef FL_VIEW_TRANSFORM
#define FL_VIEW_TRANSFORM 1
// User coordinates -> target pixels (top-left origin, y down).
// Written as two multiply-adds on the columns' x, y (the affine matrix's third row is 0, 0, 1):
// software GL (llvmpipe) runs this per vertex on the CPU, four times per line vertex.
vec2 flViewPoint(vec2 p) { return view_transform[0].xy * p.x + view_transform[1].xy * p.y + view_transform[2].xy; }
// A direction or size in user units -> pixels (the linear part only).
vec2 flViewVector(vec2 v) { return view_transform[0].xy * v.x + view_transform[1].xy * v.y; }
// Target pixels -> clip space.
vec4 flPixelToClip(vec2 px) { return vec4(px.x / view_target.x * 2.0 - 1.0, 1.0 - px.y / view_target.y * 2.0, 0.0, 1.0); }
#endif
`

/** The view block's declaration (`queue.view.glsl`) followed by `VIEW_TRANSFORM_GLSL`. */
export function viewShaderGLSL(viewBlockGLSL: string): string {
  return `${viewBlockGLSL}\n${VIEW_TRANSFORM_GLSL}`
}

/** A block with the queue view block's schema (`FlView`: `view_target`, `view_transform`), for drawing outside the queue. */
export type StandaloneViewBlock = UniformBlock<{ target: 'vec2'; transform: 'mat3' }>

/** Creates a view block of the queue's schema (identity transform, target 0x0 until `setViewBlock`). */
export function createViewBlock(): StandaloneViewBlock {
  const block = createUniformBlock({ name: 'FlView', prefix: 'view_', fields: { target: 'vec2', transform: 'mat3' } })
  block.views.transform[0] = 1
  block.views.transform[5] = 1
  block.views.transform[10] = 1
  return block
}

const IDENTITY = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1])

/** Writes the target size and `transform`'s matrix (identity for null) into a view block. Allocates nothing. */
export function setViewBlock(block: StandaloneViewBlock, width: number, height: number, transform: ViewTransform | null): void {
  block.views.target[0] = width
  block.views.target[1] = height
  writeMat3(block.views.transform, transform === null ? IDENTITY : transform.matrix)
}
