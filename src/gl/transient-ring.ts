/**
 * A per-frame transient vertex buffer that never stalls on the GPU: the draw queue streams each
 * frame's instance and vertex data through it.
 *
 * Strategies (`TransientRingDesc.strategy`):
 * - 'orphan' (default): one GL buffer. The first write of a frame, and any write that does not
 *   fit behind the previous one, re-specifies the whole store first (`bufferData(size, null)`,
 *   "orphaning"), so the driver hands out fresh memory while draws already issued keep reading
 *   the old one. Writes inside a frame append at increasing offsets. After `retire()` (every
 *   draw issued so far has finished) the next frame does not orphan: it appends behind the
 *   previous frame's data with plain `bufferSubData`, going back to offset 0 of the same store
 *   when a frame as large as the previous one would not fit behind it; the store is orphaned
 *   only when a frame outgrows the space left mid-frame.
 * - 'rotate': `buffers` GL buffers used round-robin, one per frame, written with plain
 *   `bufferSubData`. A buffer is rewritten `buffers` frames after it was drawn from, by which
 *   time a GPU that keeps at most `buffers - 1` frames in flight has finished with it.
 *
 * Measured on ANGLE over llvmpipe (issue 8): orphaning never stalled, but each re-specification
 * is a fresh allocation (1 MB: 0.36 ms in isolation); 'rotate' made the windowed latency
 * probe's flush 0.05 ms cheaper, yet doubled the headless trading terminal's frame (9.3 → 18.0
 * ms: a headless present does not wait, so rewriting a buffer from three frames ago waits for
 * llvmpipe, where orphaning lets recording overlap rasterisation). 'orphan' stays the default.
 * But a fresh store is fresh memory: a 1 MB re-specification took 4-12 ms whenever the
 * allocator handed out pages not touched before (exactly 256 minor page faults, 1 MB of 4 KB
 * pages, counted around the call), which happened in most of the first ~20 frames of an
 * on-demand app and now and then after, and 0.1 ms otherwise (issue 8). So the engine calls
 * `retire()` after each window swap (on llvmpipe it returns after rasterising), and a windowed
 * frame re-specifies the store only when it overflows mid-frame; headless frames still orphan every frame.
 *
 * Lifetime: data written in a frame is valid until the next `beginFrame()` (the queue calls it
 * at every flush), that is, until the next frame. Offsets returned by `write` are byte offsets
 * into `buffer` (the current frame's buffer), aligned to `alignment`.
 *
 * The GL buffers are made on first use (the first `write`, or `buffer`), not at construction:
 * an engine that never streams data allocates none (1 MB of store cost every engine 3.5 ms of
 * start-up), and a store made up front was re-specified by the first frame's write anyway. A
 * store made by a write is fresh, so that write does not orphan it.
 *
 * Growth: a write larger than the ring replaces the buffer(s) with ones twice as large (or as
 * large as needed): the handle changes, `growths` counts it and the first growth is reported
 * once through the logger (`FL_POOL_GREW`). Preallocate with `size` to avoid it.
 *
 * Allocation: `write` takes (array, first float, float count) rather than a view so the caller
 * need not allocate a subarray per frame; the ring caches the views it hands to GL, rounding
 * the length up to whole 4 KB pages (the padding is uploaded too and never drawn from), so a
 * steady frame allocates nothing in framelatch. (@kmamal/gl 9.1.0 itself wraps the data of every
 * `bufferSubData` in two short-lived Uint8Array objects.)
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { warnOnce } from '../log.js'
import type { Device } from './device.js'
import type { BufferHandle } from './handles.js'

export interface TransientRingDesc {
  /** Bytes per buffer. Default 1 MB (4 MB for 100k 10-float sprites). Grows when a frame needs more. */
  size?: number
  /** 'orphan' (default) or 'rotate' (see the file comment). */
  strategy?: 'orphan' | 'rotate'
  /** Buffers in rotation for 'rotate'. Default 3. Ignored for 'orphan'. */
  buffers?: number
  /** Used in warnings. Default 'transient ring'. */
  label?: string
}

/** Floats per page: views and uploads are rounded up to whole pages (4 KB). */
const PAGE_FLOATS = 1024
const VIEW_CACHE_MAX = 256

export class TransientRing {
  readonly strategy: 'orphan' | 'rotate'
  readonly label: string
  /** Bytes per buffer (grows). */
  size: number
  /** Times the ring grew. */
  growths = 0
  /** Bytes uploaded since creation. */
  bytesUploaded = 0
  /** Bytes written in the current frame. */
  used = 0

  private readonly device: Device
  private readonly handles: BufferHandle[] = []
  private readonly bufferCount: number
  /** The GL buffers exist (made on first use; see the file comment), or the ring was destroyed. */
  private made = false
  private current = 0
  private orphanNext = true
  /** Byte offset in the store where the current frame's data begins (0 after an orphan). */
  private frameStart = 0
  /** `retire()` was called since the last `beginFrame()`. */
  private retired = false
  private viewSource: Float32Array | null = null
  private readonly views = new Map<number, Float32Array>()

  constructor(device: Device, desc: TransientRingDesc = {}) {
    this.device = device
    this.label = desc.label ?? 'transient ring'
    const size = desc.size ?? 1 << 20
    const strategy = desc.strategy ?? 'orphan'
    const count = strategy === 'rotate' ? desc.buffers ?? 3 : 1
    if (!Number.isInteger(size) || size < 4096 || size > 0x40000000) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.label}: size ${size} must be an integer number of bytes in 4096..2^30; omit it for 1 MB`)
    }
    if (strategy !== 'orphan' && strategy !== 'rotate') {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.label}: strategy must be 'orphan' or 'rotate', got ${String(strategy)}`)
    }
    if (!Number.isInteger(count) || count < 1 || count > 16) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `${this.label}: buffers must be an integer in 1..16, got ${count}`)
    }
    this.strategy = strategy
    this.size = size
    this.bufferCount = count
  }

  /** The buffer the current frame's writes went to. Changes every frame with 'rotate', and on growth. */
  get buffer(): BufferHandle {
    if (!this.made) this.makeBuffers()
    return this.handles[this.current]!
  }

  /**
   * No draw issued so far needs the ring's data any more (the caller knows: a window swap on
   * llvmpipe returns after rasterising; see engine-frame.ts). The next frame then appends
   * behind the data in the store instead of re-specifying it (see the file comment). Applies to
   * the next `beginFrame()` only; 'rotate' ignores it.
   */
  retire(): void {
    this.retired = true
  }

  /** Starts a frame: earlier data may be overwritten from now on. */
  beginFrame(): void {
    if (this.strategy === 'rotate') this.current = (this.current + 1) % this.bufferCount
    if (this.strategy === 'orphan' && this.retired) {
      // The previous frame's data is consumed: append behind it, no re-specification. When a frame
      // as large as it would not fit behind it, start again at 0 of the same (warm) store: every
      // draw that read it has finished, and a re-specified store would be fresh pages again.
      const next = this.frameStart + this.used
      this.frameStart = next + this.used > this.size ? 0 : next
      this.orphanNext = false
    } else {
      this.frameStart = 0
      this.orphanNext = true
    }
    this.retired = false
    this.used = 0
  }

  /**
   * Copies `count` floats of `src` starting at float `first` into the ring and returns their byte
   * offset in `buffer` (a multiple of `alignment`, which must be a multiple of 4). The data is
   * valid for draws until the next `beginFrame()`. Up to 4 KB past the floats may be uploaded as
   * well (page rounding), never past the end of `src`.
   */
  write(src: Float32Array, first: number, count: number, alignment = 4): number {
    if (!this.made) {
      this.makeBuffers()
      this.orphanNext = false // a fresh store: nothing draws from it yet
    }
    let offset = Math.ceil((this.frameStart + this.used) / alignment) * alignment
    let end = offset + count * 4
    if (end > this.size) {
      if (count * 4 > this.size) this.grow(count * 4)
      else if (this.strategy === 'rotate') this.grow(end)
      if (this.strategy === 'orphan') {
        offset = 0
        this.frameStart = 0
        this.orphanNext = true
      }
      end = offset + count * 4
    }
    // Round the view up to whole pages so its length repeats from frame to frame (cache hits).
    let floats = Math.ceil(count / PAGE_FLOATS) * PAGE_FLOATS
    if (first + floats > src.length) floats = src.length - first
    if (offset + floats * 4 > this.size) floats = (this.size - offset) >> 2
    if (floats < count) floats = count
    const view = this.view(src, first, floats)
    const orphan = this.strategy === 'orphan' && this.orphanNext
    this.device.updateBuffer(this.handles[this.current]!, view, offset, orphan)
    this.orphanNext = false
    this.bytesUploaded += floats * 4
    this.used = end - this.frameStart
    return offset
  }

  /** Frees the GL buffers. */
  destroy(): void {
    for (const h of this.handles) this.device.destroyBuffer(h)
    this.handles.length = 0
    this.made = true // nothing is made after destroy
    this.views.clear()
  }

  private makeBuffers(): void {
    for (let i = 0; i < this.bufferCount; i++) this.handles.push(this.makeBuffer(this.size))
    this.made = true
  }

  private makeBuffer(size: number): BufferHandle {
    return this.device.createBuffer({ type: 'vertex', usage: 'stream', size, label: this.label })
  }

  private grow(min: number): void {
    const from = this.size
    let size = from
    while (size < min) size *= 2
    this.size = size
    for (let i = 0; i < this.handles.length; i++) {
      this.device.destroyBuffer(this.handles[i]!)
      this.handles[i] = this.makeBuffer(size)
    }
    this.used = 0
    this.frameStart = 0
    this.orphanNext = true
    this.growths++
    warnOnce(`transient-ring:${this.label}`, ErrorCode.POOL_GREW,
      `${this.label} grew from ${from} to ${size} bytes because one frame streamed more than it holds; ` +
        `pass { ringSize: ${size} } in the QueueDesc to preallocate. Further growth is not reported.`)
  }

  private view(src: Float32Array, first: number, floats: number): Float32Array {
    if (src !== this.viewSource) {
      this.views.clear()
      this.viewSource = src
    }
    // first < 2^21 keeps the key exact (first * 2^32 + floats < 2^53); beyond, views are not cached.
    if (first >= 0x200000) return src.subarray(first, first + floats)
    const key = first * 0x100000000 + floats
    let v = this.views.get(key)
    if (v === undefined) {
      if (this.views.size >= VIEW_CACHE_MAX) this.views.clear()
      v = src.subarray(first, first + floats)
      this.views.set(key, v)
    }
    return v
  }
}

