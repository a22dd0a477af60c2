/**
 * Filled rectangles with borders and rounded corners on the draw queue, for dashboards. Pixel
 * coordinates, origin at the top-left of the pass target, y down. Each rectangle is one instance
 * of 8 floats over the shared unit quad:
 *
 *   x, y, w, h | fill colour (uint32 RGBA bytes) | border colour (uint32) | border width, corner radius
 *
 * The fragment shader evaluates a rounded-box distance per pixel: coverage is 1 for pixels whose
 * centre lies at least half a pixel inside the outer edge, 0 half a pixel outside, linear in
 * between (so integer-aligned rectangles have hard edges and corners are anti-aliased). The
 * border is the band within `borderWidth` pixels of the outer edge (the inner corner radius is
 * `radius - borderWidth`); border width 0 draws no border. The radius is clamped to half the
 * shorter side.
 *
 * Consecutive `add` calls extend one queue command: a frame of rectangles from one batcher is one
 * instanced GL draw. Bad input: a NaN or infinite x, y, w, h, border width or radius throws
 * INVALID_DRAW in debug mode and is skipped and counted in `queue.stats.skipped` in release.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import {
  batcherLayer, createQuadBatch, createQuadPipelines, destroyQuadPipelines, recordInstances, type QuadPipelines,
} from './batcher-base.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import { packColor, packHexColor } from './sprite-batcher.js'
import { checkDesc, descKeys } from '../check.js'

export interface RectBatcherDesc {
  /** Queue layer, 0..255. Default 0. */
  layer?: number
  /** Sort depth for `record` (0 near .. 1 far). Default 0. Ignored when `sequenced`. */
  depth?: number
  /** Alpha-blend (needed for translucent colours and anti-aliased corners) and sort after opaque draws. Default true. */
  translucent?: boolean
  /** Record in sequence mode (submit order within the layer, for UI). Default false. */
  sequenced?: boolean
  /** Rectangles you expect per frame; grows the queue's payload up front. Default 0 (no hint). */
  capacity?: number
  /** Used in errors. Default 'rects'. */
  label?: string
}

/** Floats per rectangle instance. */
export const RECT_FLOATS = 8

const VERTEX = (viewGLSL: string): string => `precision highp float;
${viewGLSL}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute vec4 a_fill;
attribute vec4 a_border;
attribute vec2 a_params;
varying vec2 v_local;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_border;
varying vec2 v_params;
void main() {
  vec2 p = a_rect.xy + a_corner * a_rect.zw;
  gl_Position = vec4(p.x / view_target.x * 2.0 - 1.0, 1.0 - p.y / view_target.y * 2.0, 0.0, 1.0);
  v_local = a_corner * a_rect.zw;
  v_size = a_rect.zw;
  v_fill = a_fill;
  v_border = a_border;
  v_params = a_params;
}`

const FRAGMENT = `precision highp float;
varying vec2 v_local;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_border;
varying vec2 v_params;
float roundBox(vec2 p, vec2 b, float r) {
  vec2 q = abs(p) - b + r;
  return min(max(q.x, q.y), 0.0) + length(max(q, 0.0)) - r;
}
void main() {
  vec2 hs = v_size * 0.5;
  vec2 p = v_local - hs;
  float r = min(v_params.y, min(hs.x, hs.y));
  float coverage = clamp(0.5 - roundBox(p, hs, r), 0.0, 1.0);
  vec4 col = v_fill;
  float bw = v_params.x;
  if (bw > 0.0) {
    float inner = roundBox(p, max(hs - bw, 0.0), max(r - bw, 0.0));
    col = mix(v_fill, v_border, clamp(inner + 0.5, 0.0, 1.0));
  }
  gl_FragColor = vec4(col.rgb, col.a * coverage);
}`

function sharedResources(queue: DrawQueue): QuadPipelines {
  const device: Device = queue.device
  return queue.shared<QuadPipelines>('rect-batcher', () => {
    const program = device.createProgram({ vertex: VERTEX(queue.view.glsl), fragment: FRAGMENT, name: 'framelatch rects' })
    return createQuadPipelines(device, program, RECT_FLOATS, [
      { name: 'a_corner', format: 'float2', buffer: 0 },
      { name: 'a_rect', format: 'float4', buffer: 1, offset: 0 },
      { name: 'a_fill', format: 'ubyte4n', buffer: 1, offset: 16 },
      { name: 'a_border', format: 'ubyte4n', buffer: 1, offset: 20 },
      { name: 'a_params', format: 'float2', buffer: 1, offset: 24 },
    ], 'rects', 'unit quad (rects)')
  }, (s) => destroyQuadPipelines(device, s))
}

export class RectBatcher {
  readonly queue: DrawQueue
  readonly batch: BatchId
  readonly layer: number
  readonly sequenced: boolean
  readonly label: string
  private readonly depthBox = new Float64Array(1)

  constructor(queue: DrawQueue, desc: RectBatcherDesc = {}) {
    this.queue = queue
    this.label = desc.label ?? 'rects'
    this.layer = batcherLayer(desc.layer, `rect batcher "${this.label}"`, 'an integer in 0..255')
    this.sequenced = desc.sequenced ?? false
    this.depthBox[0] = desc.depth ?? 0
    this.batch = createQuadBatch(queue, sharedResources(queue), RECT_FLOATS, desc, this.label)
  }

  /**
   * Adds a rectangle: top-left (x, y), size (w, h) in pixels, fill r, g, b, a, a border
   * `borderWidth` pixels wide in br, bg, bb, ba (colours 0..1), corners rounded by
   * `cornerRadius` pixels (default 0). Valid until the next flush.
   */
  add(x: number, y: number, w: number, h: number, r: number, g: number, b: number, a: number,
    borderWidth: number, br: number, bg: number, bb: number, ba: number, cornerRadius = 0): void {
    this.addPacked(x, y, w, h, packColor(r, g, b, a), borderWidth, packColor(br, bg, bb, ba), cornerRadius)
  }

  /** `add` with colours as 0xRRGGBBAA. */
  addHex(x: number, y: number, w: number, h: number, fill: number, borderWidth = 0, border = 0, cornerRadius = 0): void {
    this.addPacked(x, y, w, h, packHexColor(fill), borderWidth, packHexColor(border), cornerRadius)
  }

  /** `add` with colours packed by `packColor` / `packHexColor`. */
  addPacked(x: number, y: number, w: number, h: number, fill: number, borderWidth: number, border: number, cornerRadius: number): void {
    if (x - x + y - y + w - w + h - h + borderWidth - borderWidth + cornerRadius - cornerRadius !== 0) {
      this.bad(x, y, w, h, borderWidth, cornerRadius)
      return
    }
    const q = this.queue
    const off = recordInstances(q, this.batch, 1, this.layer, this.sequenced, this.depthBox)
    const p = q.payload
    p[off] = x
    p[off + 1] = y
    p[off + 2] = w
    p[off + 3] = h
    p[off + 6] = borderWidth
    p[off + 7] = cornerRadius
    const u = q.payloadU32
    u[off + 4] = fill
    u[off + 5] = border
  }

  /** Sets the sort depth for later `add` calls (0 near .. 1 far). */
  setDepth(depth: number): void {
    this.depthBox[0] = depth
  }

  /** Destroys the batch; rectangles added this frame are skipped at flush. */
  destroy(): void {
    this.queue.destroyBatch(this.batch)
  }

  private bad(x: number, y: number, w: number, h: number, borderWidth: number, cornerRadius: number): void {
    if (this.queue.debug) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `rect batcher "${this.label}": add(${x}, ${y}, ${w}, ${h}, border ${borderWidth}, radius ${cornerRadius}) needs finite numbers`,
        { x, y, w, h, borderWidth, cornerRadius })
    }
    this.queue.skip(1)
  }
}

const RECT_BATCHER_KEYS = descKeys<RectBatcherDesc>({ layer: true, depth: true, translucent: true, sequenced: true, capacity: true, label: true })

/** Creates a rectangle batcher on `queue` (see the file comment). */
export function createRectBatcher(queue: DrawQueue, desc?: RectBatcherDesc): RectBatcher {
  checkDesc('createRectBatcher', desc, RECT_BATCHER_KEYS, queue.debug)
  return new RectBatcher(queue, desc)
}
