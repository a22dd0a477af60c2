/**
 * Sprites on the draw queue: textured, tinted, rotated quads in pixel coordinates (origin at the
 * top-left of the pass target, y down). One unit-quad triangle strip is the static geometry;
 * each sprite is one instance of 10 floats:
 *
 *   x, y, w, h | rotation (radians, clockwise on screen, about the centre) | u0, v0, u1, v1 | colour
 *
 * where colour is one uint32 of RGBA bytes written through `queue.payloadU32` (the pipeline reads
 * it as `ubyte4n`, PixiJS-style float and uint views over one buffer). Texture coordinates: (u0, v0)
 * at the sprite's top-left corner, (u1, v1) at its bottom-right; texture row 0 (the first row of
 * the upload) is v = 0. The shader multiplies the texel by the tint colour.
 *
 * Consecutive `add` calls extend one queue command, so a frame of sprites from one batcher is one
 * command, one upload and one instanced GL draw. Programs, pipelines, the quad and the default
 * 1x1 white texture are shared by every sprite batcher of a queue.
 *
 * Bad input: a NaN or infinite x, y, w, h or rotation throws INVALID_DRAW when the queue is in
 * debug mode; in release the sprite is skipped and counted in `queue.stats.skipped`. Colours are
 * clamped to 0..1 (NaN becomes 0), texture coordinates are passed through.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'
import {
  batcherLayer, createQuadBatch, createQuadPipelines, destroyQuadPipelines, recordInstances, type QuadPipelines,
} from './batcher-base.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import { checkDesc, descKeys } from '../check.js'

/** The unit quad as a triangle strip (defined in batcher-base.ts, shared with the rect batcher). */
export { UNIT_QUAD_STRIP } from './batcher-base.js'

export interface SpriteBatcherDesc {
  /** Texture sampled by every sprite of this batcher. Default: a shared 1x1 white texture. */
  texture?: TextureHandle
  /** Queue layer, 0..255. Default 0. */
  layer?: number
  /** Sort depth for `record` (0 near .. 1 far). Default 0. Ignored when `sequenced`. */
  depth?: number
  /** Alpha-blend and sort after opaque draws of the layer. Default true. */
  translucent?: boolean
  /** Record in sequence mode (submit order within the layer, for UI). Default false. */
  sequenced?: boolean
  /** Sprites you expect per frame; grows the queue's payload up front. Default 0 (no hint). */
  capacity?: number
  /** Used in errors. Default 'sprites'. */
  label?: string
}

/** Floats per sprite instance. */
export const SPRITE_FLOATS = 10

const VERTEX = (viewGLSL: string): string => `precision highp float;
${viewGLSL}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute float a_rotation;
attribute vec4 a_uv;
attribute vec4 a_color;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  vec2 half_size = a_rect.zw * 0.5;
  vec2 local = (a_corner - 0.5) * a_rect.zw;
  float c = cos(a_rotation);
  float s = sin(a_rotation);
  vec2 p = a_rect.xy + half_size + vec2(local.x * c - local.y * s, local.x * s + local.y * c);
  gl_Position = vec4(p.x / view_target.x * 2.0 - 1.0, 1.0 - p.y / view_target.y * 2.0, 0.0, 1.0);
  v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
  v_color = a_color;
}`

const FRAGMENT = `precision mediump float;
uniform sampler2D u_texture;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  gl_FragColor = texture2D(u_texture, v_uv) * v_color;
}`

interface SpriteShared extends QuadPipelines {
  white: TextureHandle
}

function sharedResources(queue: DrawQueue): SpriteShared {
  const device: Device = queue.device
  return queue.shared<SpriteShared>('sprite-batcher', () => {
    const program = device.createProgram({ vertex: VERTEX(queue.view.glsl), fragment: FRAGMENT, name: 'framelatch sprites', samplers: ['u_texture'] })
    const pipelines = createQuadPipelines(device, program, SPRITE_FLOATS, [
      { name: 'a_corner', format: 'float2', buffer: 0 },
      { name: 'a_rect', format: 'float4', buffer: 1, offset: 0 },
      { name: 'a_rotation', format: 'float', buffer: 1, offset: 16 },
      { name: 'a_uv', format: 'float4', buffer: 1, offset: 20 },
      { name: 'a_color', format: 'ubyte4n', buffer: 1, offset: 36 },
    ], 'sprites', 'unit quad')
    return {
      ...pipelines,
      white: device.createTexture({ width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]), label: 'white' }),
    }
  }, (s) => {
    destroyQuadPipelines(device, s)
    device.destroyTexture(s.white)
  })
}

/** A colour channel 0..1 as a byte, clamped; NaN becomes 0. */
function byte(v: number): number {
  return v >= 1 ? 255 : v > 0 ? (v * 255 + 0.5) | 0 : 0
}

/** RGBA 0..1 as the uint32 whose little-endian bytes are r, g, b, a (what `ubyte4n` reads). */
export function packColor(r: number, g: number, b: number, a: number): number {
  return (byte(r) | (byte(g) << 8) | (byte(b) << 16) | (byte(a) << 24)) >>> 0
}

/** 0xRRGGBBAA as the little-endian byte order `ubyte4n` reads. */
export function packHexColor(rgba: number): number {
  return (((rgba >>> 24) & 0xff) | (((rgba >>> 16) & 0xff) << 8) | (((rgba >>> 8) & 0xff) << 16) | ((rgba & 0xff) << 24)) >>> 0
}

export class SpriteBatcher {
  readonly queue: DrawQueue
  readonly batch: BatchId
  readonly layer: number
  readonly sequenced: boolean
  readonly label: string
  /** Sort depth, kept in a typed array so a fractional value is never boxed per call. */
  private readonly depthBox = new Float64Array(1)

  constructor(queue: DrawQueue, desc: SpriteBatcherDesc = {}) {
    this.queue = queue
    this.label = desc.label ?? 'sprites'
    this.layer = batcherLayer(desc.layer, `sprite batcher "${this.label}"`, 'an integer in 0..255')
    this.sequenced = desc.sequenced ?? false
    this.depthBox[0] = desc.depth ?? 0
    const s = sharedResources(queue)
    this.batch = createQuadBatch(queue, s, SPRITE_FLOATS, desc, this.label, desc.texture ?? s.white)
  }

  /**
   * Adds a sprite: top-left (x, y) and size (w, h) in pixels, `rotation` in radians about its
   * centre, texture region (u0, v0)..(u1, v1), tint r, g, b, a in 0..1. Valid until the next flush.
   */
  add(x: number, y: number, w: number, h: number, rotation: number,
    u0: number, v0: number, u1: number, v1: number, r: number, g: number, b: number, a: number): void {
    this.addPacked(x, y, w, h, rotation, u0, v0, u1, v1, packColor(r, g, b, a))
  }

  /** `add` with the tint as 0xRRGGBBAA. */
  addHex(x: number, y: number, w: number, h: number, rotation: number,
    u0: number, v0: number, u1: number, v1: number, rgba: number): void {
    this.addPacked(x, y, w, h, rotation, u0, v0, u1, v1, packHexColor(rgba))
  }

  /** `add` with the tint already packed by `packColor` / `packHexColor`. */
  addPacked(x: number, y: number, w: number, h: number, rotation: number,
    u0: number, v0: number, u1: number, v1: number, packed: number): void {
    // x - x is 0 for finite x and NaN for NaN or ±Infinity: one compare checks all five.
    if (x - x + y - y + w - w + h - h + rotation - rotation !== 0) {
      this.bad(x, y, w, h, rotation)
      return
    }
    const q = this.queue
    const off = recordInstances(q, this.batch, 1, this.layer, this.sequenced, this.depthBox)
    const p = q.payload
    p[off] = x
    p[off + 1] = y
    p[off + 2] = w
    p[off + 3] = h
    p[off + 4] = rotation
    p[off + 5] = u0
    p[off + 6] = v0
    p[off + 7] = u1
    p[off + 8] = v1
    q.payloadU32[off + 9] = packed
  }

  /** Sets the sort depth for later `add` calls (0 near .. 1 far). */
  setDepth(depth: number): void {
    this.depthBox[0] = depth
  }

  /** Destroys the batch; sprites added this frame are skipped at flush. */
  destroy(): void {
    this.queue.destroyBatch(this.batch)
  }

  private bad(x: number, y: number, w: number, h: number, rotation: number): void {
    if (this.queue.debug) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `sprite batcher "${this.label}": add(${x}, ${y}, ${w}, ${h}, rotation ${rotation}) needs finite numbers; ` +
          'check the transform that produced them', { x, y, w, h, rotation })
    }
    this.queue.skip(1)
  }
}

const SPRITE_BATCHER_KEYS = descKeys<SpriteBatcherDesc>({ texture: true, layer: true, depth: true, translucent: true, sequenced: true, capacity: true, label: true })

/** Creates a sprite batcher on `queue` (see the file comment). */
export function createSpriteBatcher(queue: DrawQueue, desc?: SpriteBatcherDesc): SpriteBatcher {
  checkDesc('createSpriteBatcher', desc, SPRITE_BATCHER_KEYS, queue.debug)
  return new SpriteBatcher(queue, desc)
}
