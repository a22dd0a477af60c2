/**
 * Line batcher: segments and polylines with thickness, miter/bevel/round joins and optional
 * anti-aliasing, drawn as instanced segments through the draw queue. A polyline of N points is one
 * `queue.record` of N-1 instances, so a 100k-point price chart is one GL draw call (the queue
 * merges it with every other line recorded in the same layer and order).
 *
 * Coordinates are pixels of the pass target: x right, y down, origin top-left (the projection
 * reads the queue's view block, which `queue.flush` sets from the pass). The geometry and GLSL are
 * in shaders/line.ts; the program, pipeline and corner buffer are shared by every line batcher of
 * a queue (`queue.shared`) and freed by `queue.destroy()`.
 *
 * Hot path: `segment` and `polyline` are a `queue.record` plus typed-array writes; they allocate
 * nothing. Instance data is written straight into `queue.payload` and lives until the queue's next
 * flush. Validation that costs (NaN scans, type checks) runs only in debug mode (the queue's
 * `debug` by default), where bad input throws coded errors; in release a segment or polyline
 * holding NaN/Infinity is skipped and counted in `queue.stats.skipped`, never touching its
 * neighbours.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import {
  batcherLayer, createCornerPipeline, destroyCornerPipeline, recordInstances, type CornerPipeline,
} from './batcher-base.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import {
  JOIN_BEVEL, JOIN_MITER, JOIN_ROUND, LINE_CORNERS, LINE_FLOATS, LINE_FRAGMENT_SHADER, LINE_VERTICES,
  lineVertexShader,
} from './line-shader.js'
import { checkDesc, descKeys } from '../check.js'

export type LineJoin = 'miter' | 'bevel' | 'round'

/** Floats per segment in `lines.segments` data: x0, y0, x1, y1, thickness, r, g, b, a. */
export const SEGMENT_FLOATS = 9

export interface LineBatcherDesc {
  /** Sort layer of every line this batcher records, 0..255. Default 0. Change later with `layer`. */
  layer?: number
  /**
   * Record in sequence mode: submit order within the layer, whatever the batch (UI that
   * interleaves lines and text). Default false: lines sort as translucent draws of the layer, at
   * `depth`, and consecutive lines merge into one draw.
   */
  sequenced?: boolean
  /** Sort depth, 0 near .. 1 far (translucent draws of a layer go far to near). Default 0. Ignored when `sequenced`. */
  depth?: number
  /** Longest miter, in half-thicknesses, before a miter join turns into a bevel. Default 4 (SVG). */
  miterLimit?: number
  /** Anti-aliasing fringe in pixels; 0 = hard edges. Default 1. */
  antialias?: number
  /** Throw coded errors for bad arguments (NaN, negative counts, short arrays). Default: the queue's `debug`. */
  debug?: boolean
  /** Label of the queue batch, used in errors. Default 'lines'. */
  label?: string
}

/** The program, pipeline and corner buffer shared by every line batcher of a queue. */
function lineShared(queue: DrawQueue): CornerPipeline {
  const device = queue.device
  return queue.shared<CornerPipeline>('framelatch:lines', () => createCornerPipeline(device, {
    vertex: lineVertexShader(queue.view.glsl, 'view_target'), fragment: LINE_FRAGMENT_SHADER, name: 'lines',
  }, 16, LINE_FLOATS, [
    { name: 'a_corner', format: 'float4', buffer: 0, offset: 0 },
    { name: 'a_pp', format: 'float4', buffer: 1, offset: 0 },
    { name: 'a_pn', format: 'float4', buffer: 1, offset: 16 },
    { name: 'a_color', format: 'float4', buffer: 1, offset: 32 },
    { name: 'a_params', format: 'float4', buffer: 1, offset: 48 },
  ], LINE_CORNERS, 'line corners'), (v) => destroyCornerPipeline(device, v))
}

const JOIN_CODES: Readonly<Record<LineJoin, number>> = { miter: JOIN_MITER, bevel: JOIN_BEVEL, round: JOIN_ROUND }

function invalid(message: string, details?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message, details)
}

export class LineBatcher {
  /** Sort layer for the next records (0..255). */
  layer: number
  readonly sequenced: boolean
  readonly debug: boolean

  private readonly queue: DrawQueue
  private readonly batch: BatchId
  /** [depth, miterLimit, antialias] kept in a typed array so V8 never boxes them. */
  private readonly params = new Float64Array(3)
  private destroyed = false

  constructor(queue: DrawQueue, desc: LineBatcherDesc = {}) {
    this.queue = queue
    this.debug = desc.debug ?? queue.debug
    this.layer = batcherLayer(desc.layer, 'createLineBatcher', 'a whole number 0..255')
    this.sequenced = desc.sequenced ?? false
    this.depth = desc.depth ?? 0
    this.miterLimit = desc.miterLimit ?? 4
    this.antialias = desc.antialias ?? 1
    const label = desc.label ?? 'lines'

    const shared = lineShared(queue)
    this.batch = queue.createBatch({
      pipeline: shared.pipeline, geometry: shared.corners, vertexCount: LINE_VERTICES, floatsPerInstance: LINE_FLOATS,
      mode: 'instanced', blocks: [queue.view], translucent: true, label,
    })
  }

  /** Sort depth 0..1 ('state' order). */
  get depth(): number {
    return this.params[0]!
  }
  set depth(v: number) {
    if (!(v >= 0 && v <= 1)) throw invalid(`line batcher: depth ${String(v)} must be in 0..1`)
    this.params[0] = v
  }

  /** Longest miter in half-thicknesses before a miter join becomes a bevel (>= 1). */
  get miterLimit(): number {
    return this.params[1]!
  }
  set miterLimit(v: number) {
    if (!(v >= 1 && v < Infinity)) throw invalid(`line batcher: miterLimit ${String(v)} must be a finite number >= 1 (SVG's default is 4)`)
    this.params[1] = v
  }

  /** Anti-aliasing fringe in pixels (0 = hard edges). */
  get antialias(): number {
    return this.params[2]!
  }
  set antialias(v: number) {
    if (!(v >= 0 && v <= 8)) throw invalid(`line batcher: antialias ${String(v)} must be 0..8 pixels`)
    this.params[2] = v
  }

  /**
   * One segment from (x0, y0) to (x1, y1), `thickness` px wide, butt ends, colour 0..1 (not
   * premultiplied). Allocates nothing.
   */
  segment(x0: number, y0: number, x1: number, y1: number, thickness: number, r: number, g: number, b: number, a: number): void {
    if (this.debug) this.checkSegment(x0, y0, x1, y1, thickness)
    else {
      const sum = x0 + y0 + x1 + y1 + thickness
      if (sum - sum !== 0) {
        this.queue.skip(1)
        return
      }
    }
    const o = recordInstances(this.queue, this.batch, 1, this.layer, this.sequenced, this.params)
    const p = this.queue.payload
    p[o] = x0; p[o + 1] = y0; p[o + 2] = x0; p[o + 3] = y0
    p[o + 4] = x1; p[o + 5] = y1; p[o + 6] = x1; p[o + 7] = y1
    p[o + 8] = r; p[o + 9] = g; p[o + 10] = b; p[o + 11] = a
    p[o + 12] = thickness; p[o + 13] = JOIN_MITER; p[o + 14] = this.params[1]!; p[o + 15] = this.params[2]!
  }

  /**
   * `count` independent segments from `data` (SEGMENT_FLOATS = 9 floats each: x0, y0, x1, y1,
   * thickness, r, g, b, a; the caller keeps ownership, it is read now) in one queue record. For
   * many segments computed per frame (bars, ticks, grids): the caller fills a preallocated array
   * with typed-array stores, so no fractional number crosses a call boundary (V8 boxes those into
   * heap numbers when the callee is not inlined). Allocates nothing. Bad data: coded error in
   * debug; in release the whole call is skipped and counted.
   */
  segments(data: Float32Array, count: number): void {
    if (!(count >= 0) || (count | 0) !== count || count * SEGMENT_FLOATS > data.length) {
      if (this.debug) {
        throw new ValidationError(ErrorCode.OUT_OF_RANGE,
          `lines.segments: count ${count} needs ${count * SEGMENT_FLOATS} floats but data has ${data.length}; pass count <= data.length / ${SEGMENT_FLOATS}`)
      }
      this.queue.skip(1)
      return
    }
    if (count === 0) return
    let sum = 0
    for (let i = 0, n = count * SEGMENT_FLOATS; i < n; i += SEGMENT_FLOATS) sum += data[i]! + data[i + 1]! + data[i + 2]! + data[i + 3]! + data[i + 4]!
    if (sum - sum !== 0) {
      if (this.debug) {
        throw new ValidationError(ErrorCode.INVALID_DRAW, 'lines.segments: data holds a NaN or infinite coordinate or thickness; pass finite pixels')
      }
      this.queue.skip(1)
      return
    }
    const o0 = recordInstances(this.queue, this.batch, count, this.layer, this.sequenced, this.params)
    const p = this.queue.payload
    const limit = this.params[1]!
    const aa = this.params[2]!
    for (let i = 0, o = o0, k = 0; i < count; i++, o += LINE_FLOATS, k += SEGMENT_FLOATS) {
      const x0 = data[k]!, y0 = data[k + 1]!, x1 = data[k + 2]!, y1 = data[k + 3]!
      p[o] = x0; p[o + 1] = y0; p[o + 2] = x0; p[o + 3] = y0
      p[o + 4] = x1; p[o + 5] = y1; p[o + 6] = x1; p[o + 7] = y1
      p[o + 8] = data[k + 5]!; p[o + 9] = data[k + 6]!; p[o + 10] = data[k + 7]!; p[o + 11] = data[k + 8]!
      p[o + 12] = data[k + 4]!; p[o + 13] = JOIN_MITER; p[o + 14] = limit; p[o + 15] = aa
    }
  }

  /**
   * A polyline through `count` points read from `points` (x0, y0, x1, y1, ...; the caller keeps
   * ownership, it is read now and not kept). Recorded as `count - 1` segment instances in one
   * queue record. Joins: 'miter' (default; falls back to bevel past `miterLimit`), 'bevel' or
   * 'round' (round joins and caps). Fewer than 2 points draw nothing. Allocates nothing.
   * Consecutive duplicate points leave a gap at that joint (the zero-length segment has no direction).
   */
  polyline(points: Float32Array | Float64Array, count: number, thickness: number,
    r: number, g: number, b: number, a: number, join: LineJoin = 'miter'): void {
    if (this.debug) this.checkPolyline(points, count, thickness, join)
    else {
      if (!(count >= 0) || count * 2 > points.length || (count | 0) !== count) {
        this.queue.skip(1)
        return
      }
      if (count < 2) return
      let sum = thickness
      for (let i = 0, n = count * 2; i < n; i++) sum += points[i]!
      if (sum - sum !== 0) {
        this.queue.skip(1)
        return
      }
    }
    if (count < 2) return
    const joinCode = JOIN_CODES[join] ?? JOIN_MITER
    const n = count - 1
    const o0 = recordInstances(this.queue, this.batch, n, this.layer, this.sequenced, this.params)
    const p = this.queue.payload
    const limit = this.params[1]!
    const aa = this.params[2]!
    const last = n - 1
    for (let i = 0, o = o0; i < n; i++, o += LINE_FLOATS) {
      const k = i * 2
      const pk = i === 0 ? k : k - 2
      const nk = i === last ? k + 2 : k + 4
      p[o] = points[pk]!; p[o + 1] = points[pk + 1]!
      p[o + 2] = points[k]!; p[o + 3] = points[k + 1]!
      p[o + 4] = points[k + 2]!; p[o + 5] = points[k + 3]!
      p[o + 6] = points[nk]!; p[o + 7] = points[nk + 1]!
      p[o + 8] = r; p[o + 9] = g; p[o + 10] = b; p[o + 11] = a
      p[o + 12] = thickness; p[o + 13] = joinCode; p[o + 14] = limit; p[o + 15] = aa
    }
  }

  /** Frees the batcher's queue batch (the shared GL objects live until `queue.destroy()`). Idempotent. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.queue.destroyBatch(this.batch)
  }

  private checkSegment(x0: number, y0: number, x1: number, y1: number, thickness: number): void {
    if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `lines.segment: endpoints must be finite pixel coordinates, got (${x0}, ${y0}) - (${x1}, ${y1})`)
    }
    if (!(thickness >= 0 && thickness < Infinity)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `lines.segment: thickness ${thickness} must be a finite number >= 0 (pixels)`)
    }
  }

  private checkPolyline(points: Float32Array | Float64Array, count: number, thickness: number, join: LineJoin): void {
    if (!(points instanceof Float32Array || points instanceof Float64Array)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, 'lines.polyline: points must be a Float32Array (or Float64Array) of x, y pairs')
    }
    if (!Number.isInteger(count) || count < 0) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `lines.polyline: count ${count} must be a whole number of points >= 0`)
    }
    if (count * 2 > points.length) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `lines.polyline: count ${count} needs ${count * 2} floats but points has ${points.length}; pass count <= points.length / 2`)
    }
    if (!(thickness >= 0 && thickness < Infinity)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `lines.polyline: thickness ${thickness} must be a finite number >= 0 (pixels)`)
    }
    if (JOIN_CODES[join] === undefined) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `lines.polyline: join ${JSON.stringify(join)} must be 'miter', 'bevel' or 'round'`)
    }
    for (let i = 0; i < count * 2; i++) {
      if (!Number.isFinite(points[i]!)) {
        throw new ValidationError(ErrorCode.INVALID_DRAW,
          `lines.polyline: point ${i >> 1} has a non-finite ${i & 1 ? 'y' : 'x'} (${points[i]}); pass finite pixel coordinates`, { index: i >> 1 })
      }
    }
  }
}

const LINE_BATCHER_KEYS = descKeys<LineBatcherDesc>({ layer: true, sequenced: true, depth: true, miterLimit: true, antialias: true, debug: true, label: true })

/** Creates a line batcher on `queue`; it owns one queue batch until `destroy`. */
export function createLineBatcher(queue: DrawQueue, desc?: LineBatcherDesc): LineBatcher {
  checkDesc('createLineBatcher', desc, LINE_BATCHER_KEYS, desc?.debug ?? queue.debug)
  return new LineBatcher(queue, desc)
}
