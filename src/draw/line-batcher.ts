/**
 * Line batcher: segments and polylines with thickness, miter/bevel/round joins and optional
 * anti-aliasing, drawn as instanced segments through the draw queue. A polyline of N points is one
 * `queue.record` of N-1 instances, so a 100k-point price chart is one GL draw call (the queue
 * merges it with every other line recorded in the same layer and order).
 *
 * Coordinates are pixels of the pass target: x right, y down, origin top-left (the projection
 * reads the queue's view block, which `queue.flush` sets from the pass). A draw is its points plus
 * a reusable style made once:
 *
 *   const price = createLineStyle({ color: 0x4dd980ff, thickness: 1.5, join: 'bevel' })
 *   lines.polyline(points, count, price)
 *
 * A style is a plain mutable object (colour 0xRRGGBBAA, thickness in pixels, join); every draw
 * reads it. The geometry and GLSL are in line-shader.ts; the program, pipeline, corner and index
 * buffers are shared by every line batcher of a queue and freed by `queue.destroy()`.
 *
 * Hot path: `segment` and `polyline` are a `queue.record` plus typed-array writes; they allocate
 * nothing. Instance data is written straight into `queue.payload` and lives until the queue's next
 * flush. Bad input (NaN or infinite coordinates, a negative thickness, a colour that is not
 * 0xRRGGBBAA, an unknown join, points that are not a Float32Array or Float64Array, a count out of
 * range) throws INVALID_DRAW or OUT_OF_RANGE in debug (the queue's `debug` by default); in release
 * the draw is skipped and counted in `queue.stats.skipped`, never touching its neighbours.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import {
  Batcher, createCornerPipeline, destroyCornerPipeline, recordInstances, sharedGL, type BatcherDesc, type CornerPipeline,
} from './batcher-base.js'
import type { DrawQueue } from '../core/queue.js'
import { channel, isColor, parseColor, type ColorValue } from './color.js'
import {
  JOIN_BEVEL, JOIN_MITER, JOIN_ROUND, LINE_CORNER_INDICES, LINE_CORNERS, LINE_FLOATS, LINE_FRAGMENT_SHADER, LINE_INDICES,
  lineVertexShader,
} from './line-shader.js'
import { checkDesc, descKeys } from '../check.js'

export type LineJoin = 'miter' | 'bevel' | 'round'

/** Floats per segment in `lines.segments` data: x0, y0, x1, y1, thickness, r, g, b, a. */
export const SEGMENT_FLOATS = 9

export interface LineBatcherDesc extends BatcherDesc {
  /** Longest miter, in half-thicknesses, before a miter join turns into a bevel. Default 4 (SVG). */
  miterLimit?: number
  /** Anti-aliasing fringe in pixels; 0 = hard edges. Default 1. */
  antialias?: number
}

export interface LineStyleDesc {
  /** Colour, 0xRRGGBBAA or a CSS string (color.ts), not premultiplied. Default 0xffffffff. */
  color?: ColorValue
  /** Thickness in pixels, >= 0. Default 1. */
  thickness?: number
  /** Joins of a polyline: 'miter' (falls back to bevel past `miterLimit`), 'bevel' or 'round' (round joins and caps). Default 'miter'. */
  join?: LineJoin
}

/** How a line looks; reusable and mutable (see the file comment). Make one with `createLineStyle`. */
export class LineStyle {
  /** Colour, 0xRRGGBBAA. */
  color: number
  /** Thickness in pixels. */
  thickness: number
  /** Polyline joins (segments have butt ends). */
  join: LineJoin

  constructor(color: number, thickness: number, join: LineJoin) {
    this.color = color
    this.thickness = thickness
    this.join = join
  }
}

/** Style options checked at creation: unknown keys always throw INVALID_DESC (styles are made at setup). */
const LINE_STYLE_KEYS = descKeys<LineStyleDesc>({ color: true, thickness: true, join: true })

/** Creates a line style (setup: checked always, coded INVALID_DESC errors). */
export function createLineStyle(desc: LineStyleDesc = {}): LineStyle {
  checkDesc('createLineStyle', desc, LINE_STYLE_KEYS, true)
  const color = parseColor(desc.color ?? 0xffffffff, 'createLineStyle: color')
  const thickness = desc.thickness ?? 1
  const join = desc.join ?? 'miter'
  if (!(thickness >= 0 && thickness < Infinity)) throw invalid(`createLineStyle: thickness ${String(thickness)} must be a finite number of pixels >= 0`)
  if (joinCode(join) < 0) throw invalid(`createLineStyle: join ${JSON.stringify(join)} must be 'miter', 'bevel' or 'round'`)
  return new LineStyle(color, thickness, join)
}

/** The style of draws that pass none: white, 1 px, miter joins (not exported, never changed). */
const PLAIN = new LineStyle(0xffffffff, 1, 'miter')

/** The shader's code of `join`, or -1 for anything else. */
function joinCode(join: LineJoin): number {
  return join === 'miter' ? JOIN_MITER : join === 'bevel' ? JOIN_BEVEL : join === 'round' ? JOIN_ROUND : -1
}

/** The program, indexed pipeline, corner and index buffers shared by every line batcher of a queue. */
function lineShared(queue: DrawQueue): CornerPipeline {
  const device = queue.device
  return sharedGL<CornerPipeline>(queue, 'lines', () => createCornerPipeline(device, {
    vertex: lineVertexShader(queue.view.glsl, 'view_target'), fragment: LINE_FRAGMENT_SHADER, name: 'lines',
  }, 16, LINE_FLOATS, [
    { name: 'a_corner', format: 'float4', buffer: 0, offset: 0 },
    { name: 'a_pp', format: 'float4', buffer: 1, offset: 0 },
    { name: 'a_pn', format: 'float4', buffer: 1, offset: 16 },
    { name: 'a_color', format: 'float4', buffer: 1, offset: 32 },
    { name: 'a_params', format: 'float4', buffer: 1, offset: 48 },
  ], LINE_CORNERS, 'line corners', { data: LINE_CORNER_INDICES, label: 'line indices' }), (v) => destroyCornerPipeline(device, v))
}

function invalid(message: string, details?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message, details)
}

export class LineBatcher extends Batcher {
  /** [miterLimit, antialias] kept in a typed array so V8 never boxes them. */
  private readonly params = new Float64Array(2)

  constructor(queue: DrawQueue, desc: LineBatcherDesc = {}) {
    super(queue, desc, 'line', 'lines', (label) => {
      const shared = lineShared(queue)
      return queue.createBatch({
        pipeline: shared.pipeline, geometry: shared.corners, indexBuffer: shared.indices, vertexCount: LINE_INDICES, floatsPerInstance: LINE_FLOATS,
        mode: 'instanced', blocks: [queue.view], translucent: true, label,
      })
    })
    this.miterLimit = desc.miterLimit ?? 4
    this.antialias = desc.antialias ?? 1
  }

  /** Longest miter in half-thicknesses before a miter join becomes a bevel (>= 1). */
  get miterLimit(): number {
    return this.params[0]!
  }
  set miterLimit(v: number) {
    if (!(v >= 1 && v < Infinity)) throw invalid(`${this.where('miterLimit')}: ${String(v)} must be a finite number >= 1 (SVG's default is 4)`)
    this.params[0] = v
  }

  /** Anti-aliasing fringe in pixels (0 = hard edges). */
  get antialias(): number {
    return this.params[1]!
  }
  set antialias(v: number) {
    if (!(v >= 0 && v <= 8)) throw invalid(`${this.where('antialias')}: ${String(v)} must be 0..8 pixels`)
    this.params[1] = v
  }

  /**
   * One segment from (x0, y0) to (x1, y1) in `style` (its colour and thickness; butt ends).
   * Allocates nothing.
   */
  segment(x0: number, y0: number, x1: number, y1: number, style: LineStyle = PLAIN): void {
    const thickness = style.thickness
    const color = style.color
    const sum = x0 + y0 + x1 + y1 + thickness
    if (sum - sum !== 0 || thickness < 0 || color >>> 0 !== color) {
      this.badSegment(x0, y0, x1, y1, style)
      return
    }
    const o = recordInstances(this.queue, this.batch, 1, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
    const p = this.queue.payload
    p[o] = x0; p[o + 1] = y0; p[o + 2] = x0; p[o + 3] = y0
    p[o + 4] = x1; p[o + 5] = y1; p[o + 6] = x1; p[o + 7] = y1
    p[o + 8] = channel(color, 24); p[o + 9] = channel(color, 16); p[o + 10] = channel(color, 8); p[o + 11] = channel(color, 0)
    p[o + 12] = thickness; p[o + 13] = JOIN_MITER; p[o + 14] = this.params[0]!; p[o + 15] = this.params[1]!
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
    if (!(data instanceof Float32Array) || !(count >= 0) || (count | 0) !== count || count * SEGMENT_FLOATS > data.length) {
      if (this.debug) {
        throw new ValidationError(ErrorCode.OUT_OF_RANGE,
          `${this.where('segments')}: count ${count} needs ${count * SEGMENT_FLOATS} floats of a Float32Array but data has ` +
            `${String(data?.length)}; pass count <= data.length / ${SEGMENT_FLOATS}`)
      }
      this.queue.skip(1)
      return
    }
    if (count === 0) return
    let sum = 0
    let negative = false
    for (let i = 0, n = count * SEGMENT_FLOATS; i < n; i += SEGMENT_FLOATS) {
      sum += data[i]! + data[i + 1]! + data[i + 2]! + data[i + 3]! + data[i + 4]! + data[i + 5]! + data[i + 6]! + data[i + 7]! + data[i + 8]!
      if (data[i + 4]! < 0) negative = true
    }
    if (sum - sum !== 0 || negative) {
      this.bad('segments', 'data holds a NaN or infinite number or a negative thickness; pass finite pixels, thicknesses >= 0 and channels 0..1')
      return
    }
    const o0 = recordInstances(this.queue, this.batch, count, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
    const p = this.queue.payload
    const limit = this.params[0]!
    const aa = this.params[1]!
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
   * ownership, it is read now and not kept) in `style`. Recorded as `count - 1` segment instances
   * in one queue record. Fewer than 2 points draw nothing. Allocates nothing. Consecutive
   * duplicate points leave a gap at that joint (the zero-length segment has no direction).
   */
  polyline(points: Float32Array | Float64Array, count: number, style: LineStyle = PLAIN): void {
    const thickness = style.thickness
    const color = style.color
    const join = joinCode(style.join)
    if (!(points instanceof Float32Array || points instanceof Float64Array) || !(count >= 0) ||
      count * 2 > points.length || (count | 0) !== count) {
      this.badPoints(points, count)
      return
    }
    let sum = thickness
    for (let i = 0, n = count * 2; i < n; i++) sum += points[i]!
    if (sum - sum !== 0 || thickness < 0 || color >>> 0 !== color || join < 0) {
      this.badPolyline(points, count, style)
      return
    }
    if (count < 2) return
    const n = count - 1
    const o0 = recordInstances(this.queue, this.batch, n, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
    const p = this.queue.payload
    const limit = this.params[0]!
    const aa = this.params[1]!
    const r = channel(color, 24), g = channel(color, 16), b = channel(color, 8), a = channel(color, 0)
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
      p[o + 12] = thickness; p[o + 13] = join; p[o + 14] = limit; p[o + 15] = aa
    }
  }

  private badSegment(x0: number, y0: number, x1: number, y1: number, s: LineStyle): void {
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    this.bad('segment', `(${x0}, ${y0}) - (${x1}, ${y1}) with thickness ${s.thickness}, color ${s.color} needs finite pixel ` +
      'coordinates, a thickness >= 0 and a colour 0xRRGGBBAA')
  }

  private badPoints(points: unknown, count: number): void {
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    if (!(points instanceof Float32Array || points instanceof Float64Array)) {
      this.bad('polyline', 'points must be a Float32Array (or Float64Array) of x, y pairs')
    }
    const length = (points as Float32Array).length
    if (!Number.isInteger(count) || count < 0) this.bad('polyline', `count ${count} must be a whole number of points >= 0`)
    throw new ValidationError(ErrorCode.OUT_OF_RANGE,
      `${this.where('polyline')}: count ${count} needs ${count * 2} floats but points has ${length}; pass count <= points.length / 2`)
  }

  private badPolyline(points: Float32Array | Float64Array, count: number, s: LineStyle): void {
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    if (!(s.thickness >= 0 && s.thickness < Infinity)) this.bad('polyline', `thickness ${s.thickness} must be a finite number >= 0 (pixels)`)
    if (!isColor(s.color)) this.bad('polyline', `color ${s.color} must be a colour 0xRRGGBBAA`)
    if (joinCode(s.join) < 0) this.bad('polyline', `join ${JSON.stringify(s.join)} must be 'miter', 'bevel' or 'round'`)
    for (let i = 0; i < count * 2; i++) {
      if (!Number.isFinite(points[i]!)) {
        this.bad('polyline', `point ${i >> 1} has a non-finite ${i & 1 ? 'y' : 'x'} (${points[i]}); pass finite pixel coordinates`, { index: i >> 1 })
      }
    }
  }
}

const LINE_BATCHER_KEYS = descKeys<LineBatcherDesc>({ layer: true, sequenced: true, depth: true, miterLimit: true, antialias: true, debug: true, label: true, clip: true, transform: true })

/** Creates a line batcher on `queue`; it owns one queue batch until `destroy`. */
export function createLineBatcher(queue: DrawQueue, desc?: LineBatcherDesc): LineBatcher {
  checkDesc('createLineBatcher', desc, LINE_BATCHER_KEYS, desc?.debug ?? queue.debug)
  return new LineBatcher(queue, desc)
}
