/**
 * Line series: a time series retained on the GPU, appended to, and drawn as a line or a filled
 * area (under the line to a baseline, or stepped, for depth charts) through a 2D transform, so a
 * pan or a zoom sends no point data and an append sends only the new points.
 *
 *   const price = createLineSeries(queue, { capacity: 1_000_000 })
 *   price.appendMany(times, prices)                 // once; later append(t, p) as trades arrive
 *   const view = createChartView({ ... })           // or any gl-matrix mat3: user units -> pixels
 *   price.fill(view.matrix, areaStyle, x0, x1)      // every frame: a few instances, no points
 *   price.draw(view.matrix, lineStyle, x0, x1)
 *
 * Decimation: the series keeps a min/max pyramid of its points (series-pyramid.ts); a draw picks
 * the coarsest level whose blocks fit in a pixel column. Appending m points rebuilds about m/2
 * level texels on the CPU (one per level for a single point); every level is sent to the GPU
 * lazily, the dirty texels of a level just before a draw uses it.
 *
 * Memory: every level owns a float texture of 2 points a texel and its CPU mirror (all levels
 * together about 16 bytes a point of capacity, rounded up to a power of two, on each side), and
 * a queue batch. The mirrors are allocated at creation; a texture gets its size on the first draw
 * of its level, so levels never drawn cost one texture row. Both double when an append passes
 * the capacity (counted in `stats.growths`; a sized texture is then re-sent lazily). x is stored relative to `originX` in float32 (24 bits), so
 * keep x spans under about 10^7 of the smallest step you zoom to.
 *
 * Hot path: `draw` and `fill` do a binary search, pick a level and record one 16-float instance
 * per SERIES_CHUNK segments: they allocate nothing when no append is pending (an upload makes a
 * typed-array view per texture region). Bad arguments (a non-finite transform or range, a bad
 * style): coded INVALID_DRAW in debug, a counted skip in release. `append` always checks: x must
 * be finite and not decrease, y finite (INVALID_DRAW).
 */
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'
export { AreaStyle, createAreaStyle, type AreaStyleDesc } from './area-style.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import { checkDesc, descKeys } from '../check.js'
import { Batcher, recordInstances, sharedGL, type BatcherDesc } from './batcher-base.js'
import { createChunkPipeline, destroyChunkPipeline, type ChunkPipeline } from './series-pipeline.js'
import { channel } from './color.js'
import type { LineStyle } from './line-batcher.js'
import { stepMode, type AreaStyle } from './area-style.js'
import {
  MODE_LINE, SERIES_CHUNK, SERIES_CHUNK_ATTRIBUTES, SERIES_FLOATS, SERIES_FRAGMENT_SHADER, SERIES_INDICES,
  seriesChunkGeometry, seriesVertexShader,
} from './series-shader.js'
import { RetainedTexels, SERIES_TEXTURE_WIDTH } from './series-texels.js'
import { checkTransform, transformMatrix, type Transform2D } from './series-transform.js'
import { lowerBound, pickLevel, rebuildTexels, upperBound } from './series-pyramid.js'

export interface LineSeriesDesc extends BatcherDesc {
  /** Points held before the series grows (doubling; rounded up to a power of two, at least 1024). Default 4096. At most 2^24. */
  capacity?: number
  /** x subtracted before x is stored in float32 (see the file comment). Default: the first appended x. */
  originX?: number
  /** Anti-aliasing fringe of lines in pixels (0 = hard edges). Default 1. */
  antialias?: number
}

function invalidDesc(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message)
}

/** Figures of a series, updated in place. */
export interface LineSeriesStats {
  /** Bytes of point data sent to the GPU since creation. */
  bytesUploaded: number
  /** Times the capacity doubled. */
  growths: number
  /** Pyramid level and vertices (points) of the last draw or fill. */
  lastLevel: number
  lastPoints: number
}

/** The program, indexed pipeline, chunk corners and indices shared by every series of a queue. */
function seriesShared(queue: DrawQueue): ChunkPipeline {
  const device = queue.device
  return sharedGL<ChunkPipeline>(queue, 'line-series', () => createChunkPipeline(device, {
    vertex: seriesVertexShader(queue.view.glsl), fragment: SERIES_FRAGMENT_SHADER, name: 'line series', samplers: ['u_points'],
  }, 12, SERIES_FLOATS, [
    { name: 'a_v', format: 'float3', buffer: 0, offset: 0 },
    ...SERIES_CHUNK_ATTRIBUTES,
    { name: 'a_color', format: 'float4', buffer: 1, offset: 48 },
  ], seriesChunkGeometry(), SERIES_CHUNK, 'series chunk'), (v) => destroyChunkPipeline(device, v))
}

const MAX_POINTS = 1 << 24
/** Smallest capacity (a power of two): level 0 then fills one texture row. */
const MIN_CAPACITY = 2 * SERIES_TEXTURE_WIDTH

export class LineSeries extends Batcher {
  readonly stats: LineSeriesStats = { bytesUploaded: 0, growths: 0, lastLevel: 0, lastPoints: 0 }
  /** Level k (0 raw, k >= 1 the pyramid): its texels and its queue batch (level 0's is `this.batch`). */
  private levels: RetainedTexels[]
  private batches: BatchId[]
  /** Texels written per level. */
  private written: Int32Array
  /** Power-of-two point capacity; level k holds capacity >> (k + 1) texels. */
  private capacity: number
  private n = 0
  /** [originX, antialias, origin set (1) or not (0)], unboxed. */
  private readonly params = new Float64Array(3)
  private readonly fixedOrigin: boolean

  constructor(queue: DrawQueue, desc: LineSeriesDesc, capacity: number) {
    const levels: RetainedTexels[] = []
    const batches: BatchId[] = []
    super(queue, desc, 'line series', 'series', (label) => {
      for (let k = 0; k < Math.log2(capacity); k++) addLevel(queue, levels, batches, capacity, label)
      return batches[0]!
    })
    this.levels = levels
    this.batches = batches
    this.capacity = capacity
    this.written = new Int32Array(levels.length)
    this.fixedOrigin = desc.originX !== undefined
    this.params[0] = desc.originX ?? 0
    this.params[1] = desc.antialias ?? 1
    this.params[2] = desc.originX !== undefined ? 1 : 0
  }

  /** Points in the series. */
  get length(): number {
    return this.n
  }
  /** The x subtracted before storing (NaN until the first append when the desc gave none). */
  get originX(): number {
    return this.params[2] === 1 ? this.params[0]! : NaN
  }
  /** x of point i (as stored: float32 relative to originX, plus originX). */
  x(i: number): number {
    return this.levels[0]!.data[2 * i]! + this.params[0]!
  }
  y(i: number): number {
    return this.levels[0]!.data[2 * i + 1]!
  }

  /** Appends one point (x not below the last x; both finite). */
  append(x: number, y: number): void {
    this.check(x, y, this.n > 0 ? this.x(this.n - 1) : -Infinity, 0)
    if (this.params[2] === 0) this.setOrigin(x)
    this.reserve(this.n + 1)
    const d = this.levels[0]!.data
    const o = this.params[0]!
    d[2 * this.n] = x - o
    d[2 * this.n + 1] = y
    this.commit(this.n, this.n + 1)
  }

  /** Appends `count` points (default all of `xs`); x must not decrease, every value finite. Checked before anything is stored. */
  appendMany(xs: ArrayLike<number>, ys: ArrayLike<number>, count = xs.length): void {
    if (!(count >= 0 && count <= xs.length && count <= ys.length) || (count | 0) !== count) {
      throw new ValidationError(ErrorCode.DATA_SIZE_MISMATCH,
        `${this.where('appendMany')}: count ${count} must be a whole number <= xs.length (${xs.length}) and ys.length (${ys.length})`)
    }
    let last = this.n > 0 ? this.x(this.n - 1) : -Infinity
    for (let i = 0; i < count; i++) {
      const x = xs[i]!
      const y = ys[i]!
      if (!(x >= last) || x - x !== 0 || y - y !== 0) this.check(x, y, last, i)
      last = x
    }
    if (count === 0) return
    if (this.params[2] === 0) this.setOrigin(xs[0]!)
    this.reserve(this.n + count)
    const d = this.levels[0]!.data
    const o = this.params[0]!
    for (let i = 0, k = 2 * this.n; i < count; i++, k += 2) {
      d[k] = xs[i]! - o
      d[k + 1] = ys[i]!
    }
    this.commit(this.n, this.n + count)
  }

  /** Removes every point (keeps the storage; the origin resets unless the desc fixed it). For data rewritten whole, such as a depth chart. */
  clear(): void {
    this.n = 0
    this.written.fill(0)
    for (const level of this.levels) level.clearDirty()
    if (!this.fixedOrigin) this.params[2] = 0
  }

  /**
   * Draws the points with x in [x0, x1] (and one more on each side, so the line reaches the
   * plot's edges) as a line in `style` (colour and thickness; joins and caps are round),
   * through `transform` (gl-matrix mat3, column-major: user x, y to target pixels, origin
   * top-left). Clip to the plot with a scissor if the transform maps points outside it.
   */
  draw(transform: Transform2D | null, style: LineStyle, x0: number, x1: number): void {
    const thickness = style.thickness
    const color = style.color
    if (!(thickness >= 0 && thickness < Infinity) || color >>> 0 !== color) {
      this.bad('draw', `style thickness ${thickness} must be a finite number >= 0 and color ${color} a colour 0xRRGGBBAA`)
      return
    }
    this.emit(transform, x0, x1, MODE_LINE, thickness, color)
  }

  /** Fills the area between the series and `style.baseline` (or its steps) over [x0, x1], as `draw`. */
  fill(transform: Transform2D | null, style: AreaStyle, x0: number, x1: number): void {
    const mode = stepMode(style.step)
    const color = style.color
    const base = style.baseline
    if (mode < 0 || color >>> 0 !== color || base - base !== 0) {
      this.bad('fill', `style step ${JSON.stringify(style.step)} must be 'none', 'after' or 'before', baseline ${base} finite, color ${color} 0xRRGGBBAA`)
      return
    }
    this.emit(transform, x0, x1, mode, base, color)
  }

  /** Frees the textures and the batches. Idempotent. */
  override destroy(): void {
    if (this.levels.length === 0) return
    super.destroy()
    for (let k = 1; k < this.batches.length; k++) this.queue.destroyBatch(this.batches[k]!)
    for (const level of this.levels) level.destroy()
    this.levels = []
  }

  private emit(t: Transform2D | null, x0: number, x1: number, mode: number, param: number, color: number): void {
    const m = transformMatrix(t, this.transform)
    if (!checkTransform(m) || !(x1 > x0) || x0 - x0 !== 0 || x1 - x1 !== 0) {
      this.bad(mode === MODE_LINE ? 'draw' : 'fill', `transform must hold 9 finite numbers and x0 (${x0}) < x1 (${x1}) be finite`)
      return
    }
    const n = this.n
    if (n < 2) return
    const origin = this.params[0]!
    const raw = this.levels[0]!.data
    // Raw points [i0, i1): the visible ones and one neighbour on each side.
    let i0 = lowerBound(raw, n, x0 - origin) - 1
    if (i0 < 0) i0 = 0
    let i1 = upperBound(raw, n, x1 - origin) + 1
    if (i1 > n) i1 = n
    if (i1 - i0 < 2) return
    const sx = Math.abs(m[0]!) + Math.abs(m[1]!)
    const pixels = sx * (x1 - x0)
    const perPixel = (i1 - i0) / (pixels > 1 ? pixels : 1)
    const written = this.written
    const level = pickLevel(written, perPixel)
    let p0 = i0
    let p1 = i1
    if (level > 0) {
      const shift = level + 1
      p0 = 2 * (i0 >> shift)
      const j1 = ((i1 - 1) >> shift) + 1
      p1 = 2 * (j1 < written[level]! ? j1 : written[level]!)
    }
    const texels = this.levels[level]!
    const sent = texels.bytesUploaded
    texels.upload()
    this.stats.bytesUploaded += texels.bytesUploaded - sent
    const segments = p1 - p0 - 1
    this.stats.lastLevel = level
    this.stats.lastPoints = p1 - p0
    if (segments < 1) return
    const chunks = Math.ceil(segments / SERIES_CHUNK)
    const o0 = recordInstances(this.queue, this.batches[level]!, chunks, this.layer, this.sequenced, this.depthBox, this.clip, null)
    const p = this.queue.payload
    const tx = m[6]! + m[0]! * origin
    const ty = m[7]! + m[1]! * origin
    const r = channel(color, 24), g = channel(color, 16), b = channel(color, 8), a = channel(color, 0)
    const rows = texels.rows
    const aa = this.params[1]!
    for (let c = 0, o = o0; c < chunks; c++, o += SERIES_FLOATS) {
      const left = segments - c * SERIES_CHUNK
      p[o] = p0 + c * SERIES_CHUNK; p[o + 1] = left < SERIES_CHUNK ? left : SERIES_CHUNK; p[o + 2] = mode; p[o + 3] = rows
      p[o + 4] = m[0]!; p[o + 5] = m[1]!; p[o + 6] = m[3]!; p[o + 7] = m[4]!
      p[o + 8] = tx; p[o + 9] = ty; p[o + 10] = param; p[o + 11] = aa
      p[o + 12] = r; p[o + 13] = g; p[o + 14] = b; p[o + 15] = a
    }
  }

  private check(x: number, y: number, last: number, i: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y) || !(x >= last)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `${this.where('append')}: point ${i} (${x}, ${y}) must be finite with x not below the last x (${last}); sort points by x, and leave gaps out (or start a new series)`,
        { index: i })
    }
  }

  private setOrigin(x: number): void {
    this.params[0] = x
    this.params[2] = 1
  }

  /** Grows (doubling) to hold `points` points: every level's mirror (and sized texture) grows, new top levels are added. */
  private reserve(points: number): void {
    if (points <= this.capacity) return
    if (points > MAX_POINTS) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `${this.where('append')}: a series holds at most ${MAX_POINTS} points; start a new series`)
    }
    let capacity = this.capacity
    while (capacity < points) capacity *= 2
    const levels = this.levels
    for (let k = 0; k < levels.length; k++) {
      if (levels[k]!.ensure(capacity >> (k + 1))) levels[k]!.markDirty(0, this.written[k]!)
    }
    const before = levels.length
    for (let k = before; k < Math.log2(capacity); k++) addLevel(this.queue, levels, this.batches, capacity, this.label)
    const written = new Int32Array(levels.length)
    written.set(this.written)
    this.written = written
    this.capacity = capacity
    this.stats.growths++
  }

  /** Raw points [from, to) were written: pad an odd count, rebuild the levels above them, mark dirty. */
  private commit(from: number, to: number): void {
    const levels = this.levels
    const raw = levels[0]!.data
    if ((to & 1) === 1) {
      // The last texel's second point repeats its first, so the levels never read a stale point.
      raw[2 * to] = raw[2 * to - 2]!
      raw[2 * to + 1] = raw[2 * to - 1]!
    }
    this.n = to
    const written = this.written
    let lo = from >> 1
    let hi = (to + 1) >> 1
    written[0] = hi
    levels[0]!.markDirty(lo, hi)
    for (let k = 1; k < levels.length; k++) {
      const below = levels[k - 1]!.data
      const here = levels[k]!.data
      const belowCount = written[k - 1]!
      // A level a growth just added starts at texel 0 here too: its blocks (2^(k+1) >= twice the
      // old capacity) all begin before the appended range.
      lo >>= 1
      hi = (hi + 1) >> 1
      rebuildTexels(below, belowCount, here, lo, hi)
      written[k] = (belowCount + 1) >> 1
      levels[k]!.markDirty(lo, hi)
    }
  }
}

/** Adds level `levels.length` of a series of `capacity` points: its texels and its batch. */
function addLevel(queue: DrawQueue, levels: RetainedTexels[], batches: BatchId[], capacity: number, label: string): void {
  const k = levels.length
  const texels = new RetainedTexels(queue.device, Math.max(1, capacity >> (k + 1)), `${label} level ${k}`)
  const shared = seriesShared(queue)
  levels.push(texels)
  batches.push(queue.createBatch({
    pipeline: shared.pipeline, geometry: shared.corners, indexBuffer: shared.indices, vertexCount: SERIES_INDICES, floatsPerInstance: SERIES_FLOATS,
    mode: 'instanced', textures: [texels.texture], blocks: [queue.view], translucent: true, label: `${label} level ${k}`,
  }))
}

const LINE_SERIES_KEYS = descKeys<LineSeriesDesc>({
  layer: true, depth: true, sequenced: true, debug: true, label: true, clip: true, transform: true, capacity: true, originX: true, antialias: true,
})

/** Creates a line series on `queue`: its texture and one queue batch, until `destroy`. */
export function createLineSeries(queue: DrawQueue, desc: LineSeriesDesc = {}): LineSeries {
  checkDesc('createLineSeries', desc, LINE_SERIES_KEYS, true)
  const wanted = desc.capacity ?? 4096
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_POINTS) {
    throw invalidDesc(`createLineSeries: capacity ${String(wanted)} must be an integer in 1..${MAX_POINTS}`)
  }
  if (desc.originX !== undefined && !Number.isFinite(desc.originX)) throw invalidDesc(`createLineSeries: originX ${String(desc.originX)} must be finite`)
  const aa = desc.antialias ?? 1
  if (!(aa >= 0 && aa <= 8)) throw invalidDesc(`createLineSeries: antialias ${String(aa)} must be 0..8 pixels`)
  if (queue.device.caps.maxVertexTextureUnits < 1) {
    throw new EnvironmentError(ErrorCode.EXTENSION_MISSING, 'createLineSeries: this GPU cannot read textures in vertex shaders (MAX_VERTEX_TEXTURE_IMAGE_UNITS is 0); draw series with createLineBatcher and createSeries instead')
  }
  let capacity = MIN_CAPACITY
  while (capacity < wanted) capacity *= 2
  return new LineSeries(queue, desc, capacity)
}
