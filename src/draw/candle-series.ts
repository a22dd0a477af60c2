/**
 * Candle series: OHLC candles (and their volume bars) retained on the GPU, appended to, the live
 * candle updated in place, and drawn as instanced candles through a 2D transform (see
 * series-transform.ts), so a pan or a zoom sends no candle data and an append or an update sends
 * only its own two texels.
 *
 *   const candles = createCandleSeries(queue, { capacity: 10_000 })
 *   const style = createCandleStyle({ up: 0x26a69aff, down: 0xef5350ff, width: 60_000 * 0.7 })
 *   candles.append(t, open, high, low, close, volume)    // a new minute
 *   candles.setLast(open, high, low, close, volume)      // a trade in the current minute
 *   candles.draw(priceView.matrix, style, t0, t1)        // every frame
 *   candles.drawVolume(volumeView.matrix, style, t0, t1)
 *
 * A draw records one 24-float instance per CANDLE_CHUNK visible candles (binary search for the
 * visible range), so its cost follows the visible candles: aggregate trades into candles no
 * narrower than a pixel or two at the zoom you show. Memory: 32 bytes a candle of capacity in a
 * float texture and its CPU mirror, doubling when an append passes the capacity. t is stored
 * relative to `originT` in float32, like a line series' x.
 *
 * Hot path: `draw` and `drawVolume` allocate nothing when no append is pending. Bad arguments:
 * coded INVALID_DRAW in debug, a counted skip in release. `append` and `setLast` always check
 * (finite values, t not decreasing, low <= open, close <= high).
 */
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'
import type { DrawQueue } from '../core/queue.js'
import { checkDesc, descKeys } from '../check.js'
import { Batcher, recordInstances, sharedGL, type BatcherDesc } from './batcher-base.js'
import { createChunkPipeline, destroyChunkPipeline, type ChunkPipeline } from './series-pipeline.js'
import { channel, isColor } from './color.js'
import { CANDLE_CHUNK, CANDLE_FLOATS, CANDLE_FRAGMENT_SHADER, CANDLE_INDICES, CANDLE_QUADS, candleChunkGeometry, candleVertexShader } from './candle-shader.js'
import { RetainedTexels } from './series-texels.js'
import { SERIES_CHUNK_ATTRIBUTES } from './series-shader.js'
import { checkTransform, transformMatrix, type Transform2D } from './series-transform.js'

export interface CandleSeriesDesc extends BatcherDesc {
  /** Candles held before the series grows (doubling). Default 4096. At most 2^22. */
  capacity?: number
  /** t subtracted before t is stored in float32. Default: the first candle's t. */
  originT?: number
}

export interface CandleStyleDesc {
  /** Colour of a candle closing at or above its open, 0xRRGGBBAA. Default 0x26a69aff (green). */
  up?: number
  /** Colour of a candle closing below its open. Default 0xef5350ff (red). */
  down?: number
  /** Body (and volume bar) width in user x units, e.g. 0.7 × the candle interval. Default 1. */
  width?: number
  /** Wick width in pixels (at least 1 is drawn). Default 1. */
  wick?: number
}

/** How candles look; reusable and mutable (read at every draw). Make one with `createCandleStyle`. */
export class CandleStyle {
  up: number
  down: number
  width: number
  wick: number
  constructor(up: number, down: number, width: number, wick: number) {
    this.up = up
    this.down = down
    this.width = width
    this.wick = wick
  }
}

const CANDLE_STYLE_KEYS = descKeys<CandleStyleDesc>({ up: true, down: true, width: true, wick: true })

/** Creates a candle style (setup: checked always, coded INVALID_DESC errors). */
export function createCandleStyle(desc: CandleStyleDesc = {}): CandleStyle {
  checkDesc('createCandleStyle', desc, CANDLE_STYLE_KEYS, true)
  const s = new CandleStyle(desc.up ?? 0x26a69aff, desc.down ?? 0xef5350ff, desc.width ?? 1, desc.wick ?? 1)
  if (!isColor(s.up) || !isColor(s.down)) throw invalidDesc(`createCandleStyle: up ${String(s.up)} and down ${String(s.down)} must be colours 0xRRGGBBAA`)
  if (!(s.width > 0 && s.width < Infinity)) throw invalidDesc(`createCandleStyle: width ${String(s.width)} must be a finite number > 0 (user x units)`)
  if (!(s.wick >= 0 && s.wick < Infinity)) throw invalidDesc(`createCandleStyle: wick ${String(s.wick)} must be a finite number of pixels >= 0`)
  return s
}

function invalidDesc(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message)
}

/** The program, indexed pipeline, chunk corners and indices shared by every candle series of a queue. */
function candleShared(queue: DrawQueue): ChunkPipeline {
  const device = queue.device
  return sharedGL<ChunkPipeline>(queue, 'candle-series', () => createChunkPipeline(device, {
    vertex: candleVertexShader(queue.view.glsl), fragment: CANDLE_FRAGMENT_SHADER, name: 'candle series', samplers: ['u_points'],
  }, 16, CANDLE_FLOATS, [
    { name: 'a_v', format: 'float4', buffer: 0, offset: 0 },
    ...SERIES_CHUNK_ATTRIBUTES,
    { name: 'a_up', format: 'float4', buffer: 1, offset: 48 },
    { name: 'a_down', format: 'float4', buffer: 1, offset: 64 },
  ], candleChunkGeometry(), CANDLE_QUADS, 'candle chunk'), (v) => destroyChunkPipeline(device, v))
}

const MAX_CANDLES = 1 << 22

export class CandleSeries extends Batcher {
  private readonly texels: RetainedTexels
  private n = 0
  /** [originT, origin set (1) or not (0)], unboxed. */
  private readonly params = new Float64Array(2)
  private readonly fixedOrigin: boolean

  constructor(queue: DrawQueue, desc: CandleSeriesDesc, texels: RetainedTexels) {
    super(queue, desc, 'candle series', 'candles', (label) => {
      const shared = candleShared(queue)
      return queue.createBatch({
        pipeline: shared.pipeline, geometry: shared.corners, indexBuffer: shared.indices, vertexCount: CANDLE_INDICES, floatsPerInstance: CANDLE_FLOATS,
        mode: 'instanced', textures: [texels.texture], blocks: [queue.view], translucent: true, label,
      })
    })
    this.texels = texels
    this.fixedOrigin = desc.originT !== undefined
    this.params[0] = desc.originT ?? 0
    this.params[1] = desc.originT !== undefined ? 1 : 0
  }

  /** Candles in the series. */
  get length(): number {
    return this.n
  }
  /** Bytes of candle data sent to the GPU since creation. */
  get bytesUploaded(): number {
    return this.texels.bytesUploaded
  }
  /** t of candle i (float32 relative to originT, plus originT). */
  t(i: number): number {
    return this.texels.data[8 * i]! + this.params[0]!
  }

  /** Appends a candle; t must not be below the last candle's t. */
  append(t: number, open: number, high: number, low: number, close: number, volume: number): void {
    const last = this.n > 0 ? this.t(this.n - 1) : -Infinity
    if (!Number.isFinite(t) || !(t >= last)) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `${this.where('append')}: t ${t} must be finite and not below the last candle's t (${last})`)
    }
    checkCandle(this.where('append'), open, high, low, close, volume)
    if (this.params[1] === 0) {
      this.params[0] = t
      this.params[1] = 1
    }
    if (this.n >= MAX_CANDLES) throw new ValidationError(ErrorCode.OUT_OF_RANGE, `${this.where('append')}: a series holds at most ${MAX_CANDLES} candles; start a new series`)
    // A grown texture starts empty: every candle is sent again, lazily, by the next draw.
    if (this.texels.ensure(2 * (this.n + 1))) this.texels.markDirty(0, 2 * this.n)
    this.n++
    this.texels.data[8 * (this.n - 1)] = t - this.params[0]!
    this.write(open, high, low, close, volume)
  }

  /** Rewrites the last candle's values (the live candle, as trades arrive); its t stays. */
  setLast(open: number, high: number, low: number, close: number, volume: number): void {
    if (this.n === 0) throw new ValidationError(ErrorCode.INVALID_DRAW, `${this.where('setLast')}: the series is empty; append a candle first`)
    checkCandle(this.where('setLast'), open, high, low, close, volume)
    this.write(open, high, low, close, volume)
  }

  /** Removes every candle (keeps the storage; the origin resets unless the desc fixed it). */
  clear(): void {
    this.n = 0
    this.texels.clearDirty()
    if (!this.fixedOrigin) this.params[1] = 0
  }

  /** Draws the candles with t in [t0, t1] (and one more on each side) through `transform`. */
  draw(transform: Transform2D | null, style: CandleStyle, t0: number, t1: number): void {
    this.emit(transform, style, t0, t1, 0)
  }

  /** Draws their volume bars (0..volume, the candles' colours and width) through `transform` (usually another panel's). */
  drawVolume(transform: Transform2D | null, style: CandleStyle, t0: number, t1: number): void {
    this.emit(transform, style, t0, t1, 1)
  }

  /** Frees the texture and the batch. Idempotent. */
  override destroy(): void {
    super.destroy()
    this.texels.destroy()
  }

  /** Writes the last candle's values (checked by the caller) and marks its texels dirty. */
  private write(open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.n - 1
    const d = this.texels.data
    const o = 8 * i
    d[o + 1] = open; d[o + 2] = high; d[o + 3] = low
    d[o + 4] = close; d[o + 5] = volume
    this.texels.markDirty(2 * i, 2 * i + 2)
  }

  private emit(t: Transform2D | null, style: CandleStyle, t0: number, t1: number, mode: number): void {
    const m = transformMatrix(t, this.transform)
    const up = style.up
    const down = style.down
    const width = style.width
    const wick = style.wick
    if (!checkTransform(m) || !(t1 > t0) || t0 - t0 !== 0 || t1 - t1 !== 0 || up >>> 0 !== up || down >>> 0 !== down ||
      !(width > 0 && width < Infinity) || !(wick >= 0 && wick < Infinity)) {
      this.bad(mode === 0 ? 'draw' : 'drawVolume', 'transform must hold 9 finite numbers, t0 < t1 be finite, and the style hold colours 0xRRGGBBAA, width > 0 and wick >= 0')
      return
    }
    const n = this.n
    if (n === 0) return
    const origin = this.params[0]!
    let i0 = this.lowerBound(t0 - origin) - 1
    if (i0 < 0) i0 = 0
    let i1 = this.lowerBound(t1 - origin) + 1
    if (i1 > n) i1 = n
    if (i1 <= i0) return
    this.texels.upload()
    const count = i1 - i0
    const chunks = Math.ceil(count / CANDLE_CHUNK)
    const o0 = recordInstances(this.queue, this.batch, chunks, this.layer, this.sequenced, this.depthBox, this.clip, null)
    const p = this.queue.payload
    const tx = m[6]! + m[0]! * origin
    const ty = m[7]! + m[1]! * origin
    const rows = this.texels.rows
    for (let c = 0, o = o0; c < chunks; c++, o += CANDLE_FLOATS) {
      const left = count - c * CANDLE_CHUNK
      p[o] = i0 + c * CANDLE_CHUNK; p[o + 1] = left < CANDLE_CHUNK ? left : CANDLE_CHUNK; p[o + 2] = mode; p[o + 3] = rows
      p[o + 4] = m[0]!; p[o + 5] = m[1]!; p[o + 6] = m[3]!; p[o + 7] = m[4]!
      p[o + 8] = tx; p[o + 9] = ty; p[o + 10] = width * 0.5; p[o + 11] = wick
      p[o + 12] = channel(up, 24); p[o + 13] = channel(up, 16); p[o + 14] = channel(up, 8); p[o + 15] = channel(up, 0)
      p[o + 16] = channel(down, 24); p[o + 17] = channel(down, 16); p[o + 18] = channel(down, 8); p[o + 19] = channel(down, 0)
      p[o + 20] = 0; p[o + 21] = 0; p[o + 22] = 0; p[o + 23] = 0
    }
  }

  /** First candle with stored t >= t (n when none). */
  private lowerBound(t: number): number {
    const d = this.texels.data
    let lo = 0
    let hi = this.n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (d[8 * mid]! < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function checkCandle(where: string, open: number, high: number, low: number, close: number, volume: number): void {
  const sum = open + high + low + close + volume
  if (sum - sum !== 0 || !(low <= open && low <= close && high >= open && high >= close) || volume < 0) {
    throw new ValidationError(ErrorCode.INVALID_DRAW,
      `${where}: candle (open ${open}, high ${high}, low ${low}, close ${close}, volume ${volume}) must be finite with low <= open, close <= high and volume >= 0`)
  }
}

const CANDLE_SERIES_KEYS = descKeys<CandleSeriesDesc>({ layer: true, depth: true, sequenced: true, debug: true, label: true, clip: true, transform: true, capacity: true, originT: true })

/** Creates a candle series on `queue`: its texture and one queue batch, until `destroy`. */
export function createCandleSeries(queue: DrawQueue, desc: CandleSeriesDesc = {}): CandleSeries {
  checkDesc('createCandleSeries', desc, CANDLE_SERIES_KEYS, true)
  const capacity = desc.capacity ?? 4096
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CANDLES) {
    throw invalidDesc(`createCandleSeries: capacity ${String(capacity)} must be an integer in 1..${MAX_CANDLES}`)
  }
  if (desc.originT !== undefined && !Number.isFinite(desc.originT)) throw invalidDesc(`createCandleSeries: originT ${String(desc.originT)} must be finite`)
  if (queue.device.caps.maxVertexTextureUnits < 1) {
    throw new EnvironmentError(ErrorCode.EXTENSION_MISSING, 'createCandleSeries: this GPU cannot read textures in vertex shaders (MAX_VERTEX_TEXTURE_IMAGE_UNITS is 0); draw candles with createRectBatcher instead')
  }
  return new CandleSeries(queue, desc, new RetainedTexels(queue.device, 2 * capacity, desc.label ?? 'candles'))
}
