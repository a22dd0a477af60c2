/**
 * 2D view transforms: a gl-matrix `mat3` (column-major 2D affine) mapping a batcher's user
 * coordinates (data units, world units, scrolled content) to pixels of the pass target, origin
 * top-left, y down. Identity by default, so untransformed draws are in pixels.
 *
 * How it reaches the GPU: a draw is recorded with a transform (`queue.record(..., clip,
 * transform)`, or a batcher's `transform`); the queue never merges draws of different transforms
 * into one GL draw, and before each merged run writes the run's matrix (identity for null) into
 * the queue's view block (`view_transform`, beside `view_target`) and uploads it to the run's
 * program only when that program holds another matrix (the block's per-program shadow copy says
 * so). So pan and zoom upload 3 vec4 slots per program, not the geometry, and two batches that
 * share a program with different transforms each draw with their own. Shaders read it through
 * `VIEW_TRANSFORM_GLSL` (src/draw/view-transform.ts). The matrix read is the one the transform
 * holds at flush time: one transform object per view.
 *
 * What the transform moves: positions. Strokes and styling stay in pixels (line thickness, rect
 * border width and corner radius, anti-aliasing fringes), so a zoomed chart keeps 1 px lines.
 * Rects and sprites are transformed as geometry (a bar scales with zoom); text moves its anchor
 * through the transform and keeps its pixel size (labels stay readable at any zoom).
 *
 * Memory: `matrix` is a Float32Array(9) owned by the transform for its whole life; write it with
 * gl-matrix (`mat3.fromScaling(t.matrix, ...)`, `mat3.translate(t.matrix, t.matrix, v)`) or the
 * allocation-free setters here.
 */
import { mat3 } from 'gl-matrix'
import { ErrorCode, ValidationError } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'

export interface ViewTransformDesc {
  /** Initial matrix, 9 numbers, column-major (a gl-matrix `mat3`). Default identity. Copied. */
  matrix?: ArrayLike<number>
  /** Used in errors. Default 'transform'. */
  label?: string
}

/** A 2D view transform (see the file comment). Make one with `createViewTransform`. */
export class ViewTransform {
  /**
   * The gl-matrix `mat3`, column-major: pixel = matrix × (x, y, 1). Write it in place any time
   * before the flush; never replace it.
   */
  readonly matrix: Float32Array
  readonly label: string

  constructor(label: string) {
    this.matrix = mat3.create() as Float32Array
    this.label = label
  }

  /** Back to identity (user coordinates are pixels). Returns this. */
  identity(): this {
    mat3.identity(this.matrix)
    return this
  }

  /** pixel = (sx·x + tx, sy·y + ty): scale then translate, no rotation. Allocates nothing. Returns this. */
  setScaleTranslate(sx: number, sy: number, tx: number, ty: number): this {
    const m = this.matrix
    m[0] = sx; m[1] = 0; m[2] = 0
    m[3] = 0; m[4] = sy; m[5] = 0
    m[6] = tx; m[7] = ty; m[8] = 1
    return this
  }

  /**
   * Maps the data rectangle x0..x1, y0..y1 onto the pixel rectangle (left, top, width, height)
   * with y up, as a chart draws: (x0, y0) lands on the bottom-left corner, (x1, y1) on the
   * top-right. x0 === x1 or y0 === y1 is FL_OUT_OF_RANGE. Allocates nothing. Returns this.
   */
  fitRange(x0: number, x1: number, y0: number, y1: number, left: number, top: number, width: number, height: number): this {
    const dx = x1 - x0
    const dy = y1 - y0
    if (!(dx !== 0 && dy !== 0 && dx - dx === 0 && dy - dy === 0)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `transform "${this.label}" fitRange: the data range ${x0}..${x1} x ${y0}..${y1} must be finite and not empty`)
    }
    const sx = width / dx
    const sy = -height / dy
    return this.setScaleTranslate(sx, sy, left - x0 * sx, top + height - y0 * sy)
  }

  /** x in pixels of the user point (x, y). */
  mapX(x: number, y: number): number {
    const m = this.matrix
    return m[0]! * x + m[3]! * y + m[6]!
  }

  /** y in pixels of the user point (x, y). */
  mapY(x: number, y: number): number {
    const m = this.matrix
    return m[1]! * x + m[4]! * y + m[7]!
  }
}

const VIEW_TRANSFORM_KEYS = descKeys<ViewTransformDesc>({ matrix: true, label: true })

/** Creates a view transform (setup: always checked, FL_INVALID_DESC). */
export function createViewTransform(desc: ViewTransformDesc = {}): ViewTransform {
  checkDesc('createViewTransform', desc, VIEW_TRANSFORM_KEYS, true)
  const t = new ViewTransform(desc.label ?? 'transform')
  const m = desc.matrix
  if (m !== undefined) {
    if (m === null || typeof m !== 'object' || m.length !== 9) {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createViewTransform: matrix must hold 9 numbers (a gl-matrix mat3, column-major)')
    }
    for (let i = 0; i < 9; i++) {
      if (!Number.isFinite(m[i])) {
        throw new ValidationError(ErrorCode.INVALID_DESC, `createViewTransform: matrix[${i}] is ${String(m[i])}; pass finite numbers`)
      }
      t.matrix[i] = m[i]!
    }
  }
  return t
}
