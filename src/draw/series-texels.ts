/**
 * Retained GPU data of the series batchers (line-series.ts, candle-series.ts): a float texture of
 * RGBA32F texels, SERIES_TEXTURE_WIDTH texels a row, that the vertex shaders read (vertex texture
 * fetch), with a CPU mirror of the same layout.
 *
 * Why a texture and not a vertex buffer: a draw queue batch streams its instances through the
 * queue's ring and binds one static per-vertex buffer; retained data that every draw reads at an
 * index range it chooses fits that model only as a texture the shader indexes. The queue then
 * sorts, merges and layers series draws like every other draw, and a draw streams only one small
 * instance per chunk of segments (the range, the transform and the style).
 *
 * Memory and lifetime: `data` (the mirror) is owned by this object and replaced when the texture
 * grows (rows double); the texture handle stays the same through growth (`replaceTexture`), so the
 * batch that names it keeps working. Writers change `data` and name the texels with
 * `markDirty(first, end)`; `upload(first, end)` sends the dirty texels inside [first, end) with at
 * most three `texSubImage2D` calls (a partial first row, whole middle rows, a partial last row), so
 * an append sends only its own bytes. Growth replaces the texture with an empty one of the new
 * size and marks every written texel dirty again: nothing is sent until a draw needs it.
 */
import { ErrorCode, ResourceStateError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'

/** Texels per texture row (a power of two, so the shader's row/column split is exact in floats). */
export const SERIES_TEXTURE_WIDTH = 1024

/** Dirty texel ranges, one per region of the texture (a line series keeps one per pyramid level). */
export class RetainedTexels {
  readonly device: Device
  readonly texture: TextureHandle
  /** The mirror: 4 floats per texel, row-major, SERIES_TEXTURE_WIDTH texels a row. Replaced on growth. */
  data: Float32Array
  /** Texture rows (the shader needs them to address a texel). */
  rows: number
  /** Bytes sent by `upload` since creation. */
  bytesUploaded = 0
  /** Per region: first dirty texel and end (exclusive); first >= end when clean. */
  readonly dirtyFirst: Int32Array
  readonly dirtyEnd: Int32Array
  private readonly label: string

  constructor(device: Device, texels: number, regions: number, label: string) {
    this.device = device
    this.label = label
    this.rows = rowsFor(device, texels, label)
    this.data = new Float32Array(this.rows * SERIES_TEXTURE_WIDTH * 4)
    this.texture = device.createTexture({ width: SERIES_TEXTURE_WIDTH, height: this.rows, format: 'rgba32f', label })
    this.dirtyFirst = new Int32Array(regions).fill(0x7fffffff)
    this.dirtyEnd = new Int32Array(regions)
  }

  /** Texels the texture holds. */
  get capacity(): number {
    return this.rows * SERIES_TEXTURE_WIDTH
  }

  /** Marks texels [first, end) of `region` dirty (sent by the next `upload` of that region). */
  markDirty(region: number, first: number, end: number): void {
    if (first < this.dirtyFirst[region]!) this.dirtyFirst[region] = first
    if (end > this.dirtyEnd[region]!) this.dirtyEnd[region] = end
  }

  /** Forgets every dirty range (the owner re-marks after a growth moved its regions). */
  clearDirty(): void {
    this.dirtyFirst.fill(0x7fffffff)
    this.dirtyEnd.fill(0)
  }

  /** Sends the dirty texels of `region` and marks it clean. Allocates nothing when it is clean. */
  upload(region: number): void {
    const first = this.dirtyFirst[region]!
    const end = this.dirtyEnd[region]!
    if (first >= end) return
    this.dirtyFirst[region] = 0x7fffffff
    this.dirtyEnd[region] = 0
    const w = SERIES_TEXTURE_WIDTH
    let t = first
    while (t < end) {
      const row = (t / w) | 0
      const col = t - row * w
      if (col !== 0 || end - t < w) {
        // A partial row: from `col` to the row's end or to `end`.
        const n = Math.min(w - col, end - t)
        this.send(col, row, n, 1, t)
        t += n
      } else {
        const rows = ((end - t) / w) | 0
        this.send(0, row, w, rows, t)
        t += rows * w
      }
    }
  }

  /**
   * Makes room for `texels` texels: doubles the rows until they fit, copies the mirror and
   * replaces the texture with an empty one. Returns whether it grew; then the owner marks what it
   * has written dirty again (where it lives may have moved).
   */
  ensure(texels: number): boolean {
    if (texels <= this.capacity) return false
    let rows = this.rows
    while (rows * SERIES_TEXTURE_WIDTH < texels) rows *= 2
    rows = rowsFor(this.device, rows * SERIES_TEXTURE_WIDTH, this.label)
    const data = new Float32Array(rows * SERIES_TEXTURE_WIDTH * 4)
    data.set(this.data)
    this.data = data
    this.rows = rows
    this.device.replaceTexture(this.texture, { width: SERIES_TEXTURE_WIDTH, height: rows, format: 'rgba32f', label: this.label })
    return true
  }

  destroy(): void {
    this.device.destroyTexture(this.texture)
  }

  private send(x: number, y: number, width: number, height: number, firstTexel: number): void {
    const view = this.data.subarray(firstTexel * 4, (firstTexel + width * height) * 4)
    this.device.updateTexture(this.texture, view, { x, y, width, height })
    this.bytesUploaded += view.byteLength
  }
}

/** Rows for `texels` texels, checked against the device's largest texture. */
function rowsFor(device: Device, texels: number, label: string): number {
  const rows = Math.max(1, Math.ceil(texels / SERIES_TEXTURE_WIDTH))
  if (rows > device.caps.maxTextureSize) {
    throw new ResourceStateError(ErrorCode.RESOURCE_TOO_LARGE,
      `${label}: ${texels} texels need ${rows} texture rows but this GPU allows ${device.caps.maxTextureSize}; ` +
      'keep fewer points in one series (split it by time range)', { texels, rows })
  }
  return rows
}
