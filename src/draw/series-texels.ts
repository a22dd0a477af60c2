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
 * Memory and lifetime: `data` (the mirror) is owned by this object, allocated at creation for the
 * whole capacity and replaced when it grows (rows double). The texture is created at once as one
 * row (a batch needs a live handle) and given its real size only by the first `upload`: data
 * never drawn (a level of detail nobody zoomed to) costs no GPU memory and no upload. The handle
 * stays the same through both (`replaceTexture`), so the batch naming it keeps working. Writers
 * change `data` and name the texels with `markDirty(first, end)`; `upload()` sends the dirty
 * texels with at most three `texSubImage2D` calls (a partial first row, whole middle rows, a
 * partial last row), so an append sends only its own bytes. A growth of a texture already sized
 * replaces it with an empty one of the new size; the owner then marks everything it wrote dirty
 * again, sent by the next `upload`.
 */
import { ErrorCode, ResourceStateError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'

/** Texels per texture row (a power of two, so the shader's row/column split is exact in floats). */
export const SERIES_TEXTURE_WIDTH = 1024

export class RetainedTexels {
  readonly device: Device
  readonly texture: TextureHandle
  /** The mirror: 4 floats per texel, row-major, SERIES_TEXTURE_WIDTH texels a row. Replaced on growth. */
  data: Float32Array
  /** Rows of the mirror, and of the texture once it is sized (the shader needs them to address a texel). */
  rows: number
  /** Bytes sent by `upload` since creation. */
  bytesUploaded = 0
  /** Whether the texture has its real size (the first `upload` gives it). */
  private sized = false
  /** First dirty texel and end (exclusive); first >= end when clean. */
  private dirtyFirst = 0x7fffffff
  private dirtyEnd = 0
  private readonly label: string

  constructor(device: Device, texels: number, label: string) {
    this.device = device
    this.label = label
    this.rows = rowsFor(device, texels, label)
    this.data = new Float32Array(this.rows * SERIES_TEXTURE_WIDTH * 4)
    this.texture = device.createTexture({ width: SERIES_TEXTURE_WIDTH, height: 1, format: 'rgba32f', label })
  }

  /** Texels the mirror holds. */
  get capacity(): number {
    return this.rows * SERIES_TEXTURE_WIDTH
  }

  /** Marks texels [first, end) dirty (sent by the next `upload`). */
  markDirty(first: number, end: number): void {
    if (first < this.dirtyFirst) this.dirtyFirst = first
    if (end > this.dirtyEnd) this.dirtyEnd = end
  }

  /** Forgets the dirty range (the data was cleared). */
  clearDirty(): void {
    this.dirtyFirst = 0x7fffffff
    this.dirtyEnd = 0
  }

  /** Sizes the texture on first use, sends the dirty texels and marks them clean. Allocates nothing when clean. */
  upload(): void {
    if (!this.sized) {
      this.sized = true
      this.device.replaceTexture(this.texture, { width: SERIES_TEXTURE_WIDTH, height: this.rows, format: 'rgba32f', label: this.label })
    }
    const first = this.dirtyFirst
    const end = this.dirtyEnd
    if (first >= end) return
    this.clearDirty()
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
   * Makes room for `texels` texels: doubles the rows until they fit and copies the mirror; a
   * texture already sized is replaced by an empty one of the new size, and the dirty range is
   * forgotten. Returns whether it grew: then the owner marks what it has written dirty again.
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
    this.clearDirty()
    if (this.sized) this.device.replaceTexture(this.texture, { width: SERIES_TEXTURE_WIDTH, height: rows, format: 'rgba32f', label: this.label })
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
