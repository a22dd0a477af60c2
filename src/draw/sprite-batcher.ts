/**
 * Sprites on the draw queue: textured, tinted, rotated quads in pixel coordinates (origin at the
 * top-left of the pass target, y down). A draw is its geometry plus a reusable style made once:
 *
 *   const coin = createSpriteStyle({ tint: 0xffd700ff, region: [0, 0, 0.5, 0.5] })
 *   sprites.add(x, y, 16, 16, angle, coin)
 *
 * The style holds the tint (0xRRGGBBAA, multiplied with the texel) and the texture region
 * (u0, v0)..(u1, v1), (u0, v0) at the sprite's top-left corner, texture row 0 at v = 0. It is a
 * plain mutable object: change its fields between draws; every `add` reads them. Each sprite is
 * one instance of 10 floats (sprite-shader.ts) over the shared unit quad. Consecutive `add` calls
 * extend one queue command: a frame of sprites from one batcher is one command, one upload and one
 * instanced GL draw. Programs, pipelines, the quad and the default 1x1 white texture are shared by
 * every sprite batcher of a queue.
 *
 * Bulk path, for thousands of sprites a frame: `reserve(n)` returns the queue's payload views and
 * the offset of the first instance; write the 10 floats of each instance there (tint packed by
 * `packHexColor` / `packColor` into `uints`), then `commit(n)` (batcher-base.ts):
 *
 *   const w = sprites.reserve(n)
 *   for (let i = 0, o = w.offset; i < n; i++, o += SPRITE_FLOATS) {
 *     w.floats[o] = x[i]; ...; w.uints[o + 9] = packedTint
 *   }
 *   sprites.commit(n)
 *
 * Bad input in `add`: a NaN or infinite x, y, w, h or rotation, or a tint that is not an integer
 * 0..0xffffffff: INVALID_DRAW in debug, skipped and counted in `queue.stats.skipped` in release.
 * Texture regions are passed through.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'
import {
  InstanceBatcher, createQuadBatch, createQuadPipelines, destroyQuadPipelines, recordInstances, sharedGL,
  type BatcherDesc, type QuadPipelines,
} from './batcher-base.js'
import type { DrawQueue } from '../core/queue.js'
import { packHexColor, parseColor, type ColorValue } from './color.js'
import { SPRITE_ATTRIBUTES, SPRITE_FLOATS, SPRITE_FRAGMENT_SHADER, SPRITE_VERTEX_SHADER } from './sprite-shader.js'
import { checkDesc, descKeys } from '../check.js'

export { SPRITE_FLOATS } from './sprite-shader.js'
/** The unit quad as a triangle strip (defined in batcher-base.ts, shared with the rect batcher). */
export { UNIT_QUAD_STRIP } from './batcher-base.js'

export interface SpriteBatcherDesc extends BatcherDesc {
  /** Texture sampled by every sprite of this batcher. Default: a shared 1x1 white texture. */
  texture?: TextureHandle
  /** Alpha-blend and sort after opaque draws of the layer. Default true. */
  translucent?: boolean
  /** Sprites you expect per frame; grows the queue's payload up front. Default 0 (no hint). */
  capacity?: number
}

export interface SpriteStyleDesc {
  /** Tint multiplied with the texel, 0xRRGGBBAA or a CSS string (color.ts). Default 0xffffffff (none). */
  tint?: ColorValue
  /** Texture region [u0, v0, u1, v1]: (u0, v0) at the top-left corner. Default [0, 0, 1, 1] (the whole texture). Copied. */
  region?: readonly [number, number, number, number]
}

/** How a sprite looks; reusable and mutable (see the file comment). Make one with `createSpriteStyle`. */
export class SpriteStyle {
  /** Texture region: (u0, v0) at the sprite's top-left corner, (u1, v1) at its bottom-right. */
  u0: number
  v0: number
  u1: number
  v1: number
  /**
   * The tint as the GPU reads it (packHexColor), or NaN when `tint` is not a colour; kept by the
   * `tint` setter so `add` neither converts nor checks the colour apart (a smaller `add` is one
   * V8 inlines into the caller's loop). Read-only for users.
   */
  packedTint = 0xffffffff
  private hexTint = 0xffffffff

  constructor(tint: number, u0: number, v0: number, u1: number, v1: number) {
    this.u0 = u0
    this.v0 = v0
    this.u1 = u1
    this.v1 = v1
    this.tint = tint
  }

  /** Tint, 0xRRGGBBAA. A value that is not a colour makes every `add` with this style a bad draw. */
  get tint(): number {
    return this.hexTint
  }
  set tint(rgba: number) {
    this.hexTint = rgba
    this.packedTint = rgba >>> 0 === rgba ? packHexColor(rgba) : NaN
  }
}

/** Style options checked at creation: unknown keys always throw INVALID_DESC (styles are made at setup). */
const SPRITE_STYLE_KEYS = descKeys<SpriteStyleDesc>({ tint: true, region: true })

/** Creates a sprite style (setup: checked always, coded INVALID_DESC errors). */
export function createSpriteStyle(desc: SpriteStyleDesc = {}): SpriteStyle {
  checkDesc('createSpriteStyle', desc, SPRITE_STYLE_KEYS, true)
  const tint = parseColor(desc.tint ?? 0xffffffff, 'createSpriteStyle: tint')
  const r = desc.region ?? [0, 0, 1, 1]
  if (!Array.isArray(r) || r.length !== 4 || !r.every((v) => Number.isFinite(v))) {
    throw new ValidationError(ErrorCode.INVALID_DESC,
      'createSpriteStyle: region must be [u0, v0, u1, v1], four finite texture coordinates; omit it for the whole texture', { region: r })
  }
  return new SpriteStyle(tint, r[0], r[1], r[2], r[3])
}

/** The style of `add` calls that pass none: no tint, the whole texture. Never changed (not exported). */
const PLAIN = new SpriteStyle(0xffffffff, 0, 0, 1, 1)

/** Float slots of a sprite instance (bit k: float k is a float; slot 9 is the packed tint). */
const SPRITE_FLOAT_SLOTS = 0b0111111111

interface SpriteShared extends QuadPipelines {
  white: TextureHandle
}

function sharedResources(queue: DrawQueue): SpriteShared {
  const device: Device = queue.device
  return sharedGL<SpriteShared>(queue, 'sprites', () => {
    const program = device.createProgram({
      vertex: SPRITE_VERTEX_SHADER(queue.view.glsl), fragment: SPRITE_FRAGMENT_SHADER, name: 'framelatch sprites', samplers: ['u_texture'],
    })
    return {
      ...createQuadPipelines(device, program, SPRITE_FLOATS, SPRITE_ATTRIBUTES, 'sprites', 'unit quad'),
      white: device.createTexture({ width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]), label: 'white' }),
    }
  }, (s) => {
    destroyQuadPipelines(device, s)
    device.destroyTexture(s.white)
  })
}

export class SpriteBatcher extends InstanceBatcher {
  constructor(queue: DrawQueue, desc: SpriteBatcherDesc = {}) {
    super(queue, desc, 'sprite', 'sprites', SPRITE_FLOATS, SPRITE_FLOAT_SLOTS, (label) => {
      const s = sharedResources(queue)
      return createQuadBatch(queue, s, SPRITE_FLOATS, desc, label, desc.texture ?? s.white)
    })
  }

  /**
   * Adds a sprite: top-left (x, y) and size (w, h) in pixels, `rotation` in radians about its
   * centre, drawn in `style` (default: untinted, the whole texture). Valid until the next flush.
   * Allocates nothing.
   */
  add(x: number, y: number, w: number, h: number, rotation: number, style: SpriteStyle = PLAIN): void {
    const tint = style.packedTint
    // x - x is 0 for finite x and NaN for NaN or ±Infinity (the packed tint is NaN for a bad
    // colour): one compare checks all six.
    if (x - x + y - y + w - w + h - h + rotation - rotation + tint - tint !== 0) {
      this.badAdd(x, y, w, h, rotation, style)
      return
    }
    const q = this.queue
    const off = recordInstances(q, this.batch, 1, this.layer, this.sequenced, this.depthBox, this.clip, this.transform)
    const p = q.payload
    p[off] = x
    p[off + 1] = y
    p[off + 2] = w
    p[off + 3] = h
    p[off + 4] = rotation
    p[off + 5] = style.u0
    p[off + 6] = style.v0
    p[off + 7] = style.u1
    p[off + 8] = style.v1
    q.payloadU32[off + 9] = tint
  }

  private badAdd(x: number, y: number, w: number, h: number, rotation: number, style: SpriteStyle): void {
    const tint = style.tint
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    this.bad('add', `(${x}, ${y}, ${w}, ${h}, rotation ${rotation}) with tint ${tint} needs finite numbers and a colour ` +
      '0xRRGGBBAA; check the transform that produced them', { x, y, w, h, rotation, tint })
  }
}

const SPRITE_BATCHER_KEYS = descKeys<SpriteBatcherDesc>({ texture: true, layer: true, depth: true, translucent: true, sequenced: true, capacity: true, debug: true, label: true, clip: true, transform: true })

/** Creates a sprite batcher on `queue` (see the file comment). */
export function createSpriteBatcher(queue: DrawQueue, desc?: SpriteBatcherDesc): SpriteBatcher {
  checkDesc('createSpriteBatcher', desc, SPRITE_BATCHER_KEYS, desc?.debug ?? queue.debug)
  return new SpriteBatcher(queue, desc)
}
