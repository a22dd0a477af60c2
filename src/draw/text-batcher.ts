/**
 * Text batcher: strings laid out with `layoutText` over a glyph atlas and recorded as one
 * instance per inked glyph, batched like sprites (every string of a batcher in a layer merges into
 * one instanced draw). The atlas is uploaded as an alpha8 texture; characters met for the first
 * time are added to the atlas by layout (`ensureGlyphs`: from its font or a fallback font) and
 * the texture is re-uploaded in the same call (a new texture and queue batch when the atlas grew;
 * the old pair lives until the frame that recorded with it has been flushed, so strings recorded
 * before the growth keep their UVs).
 *
 * Coordinates are pixels of the pass target (x right, y down, origin top-left; the projection
 * reads the queue's view block); `x`/`y` name the point chosen by `align` and `anchor` (see
 * layout.ts). Glyphs are drawn at the atlas's pixel size, snapped to whole pixels. The program,
 * pipeline and quad are shared by every text batcher of a queue (`queue.shared`); the atlas
 * texture belongs to the batcher.
 *
 * A draw is its text and position plus a reusable style made once:
 *
 *   const price = createTextStyle({ color: 0x4dd980ff, align: 'right', anchor: 'top' })
 *   text.draw('101.25', x, y, price)
 *
 * A style is a plain mutable object (colour 0xRRGGBBAA, `align` 'left' | 'center' | 'right',
 * `anchor` 'baseline' | 'top' | 'middle' | 'bottom': which point of the text (x, y) names; the
 * default 'baseline' puts the text's baseline at y, so glyphs rise above it).
 *
 * Bad input (text that is not a string, a non-finite position, a colour that is not 0xRRGGBBAA, a
 * `drawCodes` length out of range): INVALID_DRAW in debug (the queue's `debug` by default),
 * skipped and counted in `queue.stats.skipped` in release.
 *
 * Hot path: `draw` and `drawCodes` lay glyphs out into a scratch Float32Array owned by the
 * batcher (grown, once, only when a longer string than ever before arrives; preallocated for 1024
 * characters) and copy them with their colour into `queue.payload`; they allocate nothing.
 * `drawCodes` takes character codes from a typed array, so numbers formatted into a reusable
 * buffer render without building a string (the HUD does this).
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { TextureHandle } from '../gl/handles.js'
import {
  Batcher, destroyCornerPipeline, recordInstances, sharedGL, type BatcherDesc, type CornerPipeline,
} from './batcher-base.js'
import type { BatchId, DrawQueue } from '../core/queue.js'
import { isColor, parseColor, type ColorValue } from './color.js'
import { GLYPH_CORNERS, GLYPH_FLOATS, GLYPH_VERTICES, TEXT_FRAGMENT_SHADER, textVertexShader } from './text-shader.js'
import { createGlyphAtlas, glyphIndexFor, type GlyphAtlas } from '../text/atlas.js'
import { ensureGlyphCodes } from '../text/atlas-growth.js'
import { loadFont, type Font } from '../text/font.js'
import {
  layoutText, layoutTextBox, measureText, QUAD_FLOATS, type TextAlign, type TextAnchor, type TextBoxOptions,
} from '../text/layout.js'
import { checkDesc, descKeys } from '../check.js'

export interface TextBatcherDesc extends BatcherDesc {
  /** Font to rasterize. Default: the bundled DejaVu Sans Mono (loaded once per process). Ignored with `atlas`. */
  font?: Font
  /** Em size in pixels. Default 16. Ignored with `atlas`. */
  pixelSize?: number
  /** A prebuilt atlas (from `createGlyphAtlas`; the batcher adds characters it meets to it). Default: built from `font` and `pixelSize`. */
  atlas?: GlyphAtlas
}

export interface TextStyleDesc {
  /** Colour, 0xRRGGBBAA or a CSS string (color.ts), not premultiplied. Default 0xffffffff. */
  color?: ColorValue
  /** Which end of each line x names. Default 'left'. */
  align?: TextAlign
  /** Which height of the first line y names. Default 'baseline' (glyphs rise above y). */
  anchor?: TextAnchor
}

/** How text looks; reusable and mutable (see the file comment). Make one with `createTextStyle`. */
export class TextStyle {
  /** Colour, 0xRRGGBBAA. */
  color: number
  align: TextAlign
  anchor: TextAnchor

  constructor(color: number, align: TextAlign, anchor: TextAnchor) {
    this.color = color
    this.align = align
    this.anchor = anchor
  }
}

const ALIGNS: readonly string[] = ['left', 'center', 'right']
const ANCHORS: readonly string[] = ['baseline', 'top', 'middle', 'bottom']

/** Style options checked at creation: unknown keys always throw INVALID_DESC (styles are made at setup). */
const TEXT_STYLE_KEYS = descKeys<TextStyleDesc>({ color: true, align: true, anchor: true })

/** Creates a text style (setup: checked always, coded INVALID_DESC errors). */
export function createTextStyle(desc: TextStyleDesc = {}): TextStyle {
  checkDesc('createTextStyle', desc, TEXT_STYLE_KEYS, true)
  const color = parseColor(desc.color ?? 0xffffffff, 'createTextStyle: color')
  const align = desc.align ?? 'left'
  const anchor = desc.anchor ?? 'baseline'
  if (!ALIGNS.includes(align)) throw invalid(`createTextStyle: align ${JSON.stringify(align)} must be 'left', 'center' or 'right'`)
  if (!ANCHORS.includes(anchor)) throw invalid(`createTextStyle: anchor ${JSON.stringify(anchor)} must be 'baseline', 'top', 'middle' or 'bottom'`)
  return new TextStyle(color, align, anchor)
}

/** The style of draws that pass none: white, left-aligned, on the baseline (not exported, never changed). */
const PLAIN = new TextStyle(0xffffffff, 'left', 'baseline')

/** The program, pipeline (alpha-blended triangle strip) and corner buffer shared by every text batcher of a queue. */
function textShared(queue: DrawQueue): CornerPipeline {
  const device = queue.device
  return sharedGL<CornerPipeline>(queue, 'text', () => {
    const program = device.createProgram({
      vertex: textVertexShader(queue.view.glsl, 'view_target'), fragment: TEXT_FRAGMENT_SHADER, name: 'text', samplers: ['u_atlas'],
    })
    const pipeline = device.createPipeline({
      program,
      primitive: 'triangle-strip',
      buffers: [{ step: 'vertex', stride: 8 }, { step: 'instance', stride: GLYPH_FLOATS * 4 }],
      attributes: [
        { name: 'a_corner', format: 'float2', buffer: 0, offset: 0 },
        { name: 'a_rect', format: 'float4', buffer: 1, offset: 0 },
        { name: 'a_uv', format: 'float4', buffer: 1, offset: 16 },
        { name: 'a_color', format: 'ubyte4n', buffer: 1, offset: 32 },
      ],
      blend: 'alpha',
      label: 'text',
    })
    return { program, pipeline, corners: device.createBuffer({ data: GLYPH_CORNERS, label: 'glyph quad' }) }
  }, (v) => destroyCornerPipeline(device, v))
}

let defaultFont: Font | null = null

/** Character capacity of the scratch layout buffer at creation. */
const INITIAL_CHARS = 1024

function invalid(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message)
}

export class TextBatcher extends Batcher {
  /** The glyph atlas drawn from (read-only; a new one when its font is reloaded in place). */
  atlas: GlyphAtlas
  /** The atlas texture (alpha8), owned by the batcher until `destroy`; replaced when the atlas grows. */
  texture: TextureHandle

  /** The queue batch draws record into: `batch` until the atlas first grows, then one per texture. */
  private glyphBatch: BatchId
  /** Atlas size and version the texture holds. */
  private texW: number
  private texH: number
  private texVersion: number
  /** Texture and batch replaced by a growth in frame `retiredFrame`; freed once that frame is flushed. */
  private retiredTexture: TextureHandle | null = null
  private retiredBatch: BatchId | null = null
  private retiredFrame = -1

  /** Layout scratch: QUAD_FLOATS per glyph; valid only inside one draw call. */
  private scratch = new Float32Array(INITIAL_CHARS * QUAD_FLOATS)
  private destroyedTexture = false
  /** The font the atlas was built from (null for a given atlas) and the revision it holds. */
  private readonly font: Font | null
  private fontRevision: number

  constructor(queue: DrawQueue, desc: TextBatcherDesc = {}) {
    let atlas: GlyphAtlas | undefined
    let texture: TextureHandle | undefined
    let font: Font | null = null
    super(queue, desc, 'text', 'text', (label) => {
      if (desc.atlas !== undefined) {
        if (!desc.atlas || !(desc.atlas.pixels instanceof Uint8Array) || typeof desc.atlas.width !== 'number') {
          throw invalid(`createTextBatcher "${label}": desc.atlas must be a GlyphAtlas from createGlyphAtlas(); omit it to build one from font and pixelSize`)
        }
        atlas = desc.atlas
      } else {
        font = desc.font ?? (defaultFont ??= loadFont())
        atlas = createGlyphAtlas({ font, pixelSize: desc.pixelSize ?? 16 })
      }
      const shared = textShared(queue)
      texture = queue.device.createTexture({
        width: atlas.width, height: atlas.height, format: 'alpha8', data: atlas.pixels,
        minFilter: 'nearest', magFilter: 'nearest', label: `${label} atlas`,
      })
      return queue.createBatch({
        pipeline: shared.pipeline, geometry: shared.corners, vertexCount: GLYPH_VERTICES, floatsPerInstance: GLYPH_FLOATS,
        mode: 'instanced', textures: [texture], blocks: [queue.view], translucent: true, label,
      })
    })
    this.atlas = atlas!
    this.texture = texture!
    this.glyphBatch = this.batch
    this.texW = this.atlas.width
    this.texH = this.atlas.height
    this.texVersion = this.atlas.version
    // Assigned in the callback above (TypeScript does not follow that).
    this.font = font as Font | null
    this.fontRevision = this.font?.revision ?? 0
  }

  /**
   * A font reloaded in place (hot reload: `reloadFontInPlace`) gets a new atlas, rasterized from
   * its new outlines; the texture follows in `syncAtlas` as after a growth. One comparison a call.
   */
  private checkFont(): void {
    if (this.font !== null && this.font.revision !== this.fontRevision) this.rebuildForFont(this.font)
  }

  private rebuildForFont(font: Font): void {
    this.fontRevision = font.revision
    this.atlas = createGlyphAtlas({ font, pixelSize: this.atlas.pixelSize })
    this.texW = -1 // a new texture and batch, the old pair retired after its frame
    this.texVersion = -1
  }

  /**
   * Brings the texture up to the atlas after glyphs were added: the same size is re-uploaded in
   * place; a grown atlas gets a new texture and batch, and the old pair is kept until the frame
   * that recorded with it has been flushed. Allocates nothing when the atlas did not change.
   */
  private syncAtlas(): void {
    const atlas = this.atlas
    const frame = this.queue.frame
    if (this.retiredTexture !== null && frame !== this.retiredFrame) this.freeRetired()
    if (atlas.version === this.texVersion) return
    if (atlas.width === this.texW && atlas.height === this.texH) {
      this.queue.device.updateTexture(this.texture, atlas.pixels)
    } else {
      if (this.retiredTexture !== null) this.freeRetired() // a second growth in one frame: the older pair had no newer records
      this.retiredTexture = this.texture
      this.retiredBatch = this.glyphBatch
      this.retiredFrame = frame
      const shared = textShared(this.queue)
      this.texture = this.queue.device.createTexture({
        width: atlas.width, height: atlas.height, format: 'alpha8', data: atlas.pixels,
        minFilter: 'nearest', magFilter: 'nearest', label: `${this.label} atlas`,
      })
      this.glyphBatch = this.queue.createBatch({
        pipeline: shared.pipeline, geometry: shared.corners, vertexCount: GLYPH_VERTICES, floatsPerInstance: GLYPH_FLOATS,
        mode: 'instanced', textures: [this.texture], blocks: [this.queue.view], translucent: true, label: this.label,
      })
      this.texW = atlas.width
      this.texH = atlas.height
    }
    this.texVersion = atlas.version
  }

  /** Frees the retired texture, and the retired batch unless it is the base `batch` (freed by `destroy`). */
  private freeRetired(): void {
    if (this.retiredBatch !== null && this.retiredBatch !== this.batch) this.queue.destroyBatch(this.retiredBatch)
    if (this.retiredTexture !== null) this.queue.device.destroyTexture(this.retiredTexture)
    this.retiredBatch = null
    this.retiredTexture = null
  }

  /** Baseline-to-baseline distance in pixels. */
  get lineHeight(): number {
    this.checkFont()
    return this.atlas.lineHeight
  }

  /** Width in pixels of the widest line of `text` (sum of advances), as `measureText`. */
  measure(text: string): number {
    this.checkFont()
    return measureText(this.atlas, text)
  }

  /**
   * Lays `text` out at (x, y) in `style` and records one instance per inked glyph. Returns the
   * number of glyphs recorded. '\n' starts a new line. Allocates nothing unless `text` is longer
   * than any string drawn before (the scratch buffer grows once).
   */
  draw(text: string, x: number, y: number, style: TextStyle = PLAIN): number {
    const color = style.color
    if (typeof text !== 'string' || x - x !== 0 || y - y !== 0 || color >>> 0 !== color) {
      this.badDraw('draw', text, x, y, style)
      return 0
    }
    const t = this.transform // text moves its anchor through the transform and keeps its pixel size
    if (t !== null) { const tx = t.mapX(x, y); y = t.mapY(x, y); x = tx }
    const need = text.length * QUAD_FLOATS
    if (need > this.scratch.length) this.scratch = new Float32Array(Math.max(need, this.scratch.length * 2))
    this.checkFont()
    const count = layoutText(this.atlas, text, x, y, this.scratch, 0, style.align, style.anchor) // adds new characters first
    this.syncAtlas() // before recording: quads laid out for a grown atlas go to its new texture's batch
    this.emit(count, color)
    return count
  }

  /**
   * Like `draw`, wrapped to `options.maxWidth` with `layoutTextBox` (wrap, ellipsis, maxLines; the
   * style's align and anchor). Returns the number of glyphs recorded. Allocates nothing once the
   * characters are in the atlas (reuse one options object).
   */
  drawBox(text: string, x: number, y: number, options: TextBoxOptions, style: TextStyle = PLAIN): number {
    const color = style.color
    if (typeof text !== 'string' || x - x !== 0 || y - y !== 0 || color >>> 0 !== color) {
      this.badDraw('drawBox', text, x, y, style)
      return 0
    }
    const t = this.transform // text moves its anchor through the transform and keeps its pixel size
    if (t !== null) { const tx = t.mapX(x, y); y = t.mapY(x, y); x = tx }
    const need = (text.length * 2 + 1) * QUAD_FLOATS // every char, plus an ellipsis on every line at most
    if (need > this.scratch.length) this.scratch = new Float32Array(Math.max(need, this.scratch.length * 2))
    this.checkFont()
    const count = layoutTextBox(this.atlas, text, x, y, this.scratch, 0, options, style.align, style.anchor)
    this.syncAtlas()
    this.emit(count, color)
    return count
  }

  /**
   * Like `draw` for a single line given as character codes `codes[0..length)` (UTF-16 code units
   * or code points; no '\n' handling). Places glyphs exactly as `layoutText` would place the same
   * string. Returns the number of glyphs recorded. Allocates nothing.
   */
  drawCodes(codes: Uint16Array | Uint32Array | Int32Array, length: number, x: number, y: number, style: TextStyle = PLAIN): number {
    const color = style.color
    if (x - x !== 0 || y - y !== 0 || color >>> 0 !== color || !(length >= 0 && length <= codes.length) || (length | 0) !== length) {
      this.badDraw('drawCodes', codes, x, y, style, length)
      return 0
    }
    const t = this.transform // text moves its anchor through the transform and keeps its pixel size
    if (t !== null) { const tx = t.mapX(x, y); y = t.mapY(x, y); x = tx }
    const align = style.align
    const anchor = style.anchor
    this.checkFont()
    const atlas = this.atlas
    ensureGlyphCodes(atlas, codes, length)
    this.syncAtlas()
    if (length > this.scratch.length / QUAD_FLOATS) this.scratch = new Float32Array(Math.max(length * QUAD_FLOATS, this.scratch.length * 2))
    const { advance, rectW, rectH, xoff, yoff, u0, v0, u1, v1 } = atlas
    let width = 0
    if (align !== 'left') for (let i = 0; i < length; i++) width += advance[glyphIndexFor(atlas, codes[i]!)]!
    // Same arithmetic as layoutText for one line, so both place glyphs on the same pixels.
    const lineX = x + (align === 'left' ? 0 : align === 'center' ? width * -0.5 : -width)
    const shiftY = anchor === 'top' ? atlas.ascent : anchor === 'bottom' ? -atlas.descent
      : anchor === 'middle' ? (atlas.ascent - atlas.descent) * 0.5 : 0
    const by = Math.round(y + shiftY)
    const out = this.scratch
    let pen = 0
    let o = 0
    for (let i = 0; i < length; i++) {
      const gi = glyphIndexFor(atlas, codes[i]!)
      const gw = rectW[gi]!
      const gh = rectH[gi]!
      if (gw > 0 && gh > 0) {
        out[o] = Math.round(lineX + pen) + xoff[gi]!
        out[o + 1] = by + yoff[gi]!
        out[o + 2] = gw
        out[o + 3] = gh
        out[o + 4] = u0[gi]!
        out[o + 5] = v0[gi]!
        out[o + 6] = u1[gi]!
        out[o + 7] = v1[gi]!
        o += QUAD_FLOATS
      }
      pen += advance[gi]!
    }
    const count = o / QUAD_FLOATS
    this.emit(count, color)
    return count
  }

  /** Frees the batcher's queue batch and atlas texture (shared GL objects live until `queue.destroy()`). Idempotent. */
  override destroy(): void {
    if (this.destroyedTexture) return
    this.destroyedTexture = true
    this.freeRetired()
    if (this.glyphBatch !== this.batch) this.queue.destroyBatch(this.glyphBatch)
    super.destroy()
    this.queue.device.destroyTexture(this.texture)
  }

  /** Records `count` glyphs from the scratch quads in `color` (0xRRGGBBAA). */
  private emit(count: number, color: number): void {
    if (count === 0) return
    const o0 = recordInstances(this.queue, this.glyphBatch, count, this.layer, this.sequenced, this.depthBox, this.clip, null)
    const p = this.queue.payload
    const u = this.queue.payloadU32 // the colour slot holds uint32 bits: written through the unsigned view, never as a float
    const s = this.scratch
    // packHexColor's byte swap, written out: a uint32 returned from a call V8 does not inline is a
    // heap number (an allocation a draw); computed here it stays in a register.
    const packed = ((color >>> 24) & 0xff) | (((color >>> 16) & 0xff) << 8) | (((color >>> 8) & 0xff) << 16) | ((color & 0xff) << 24)
    for (let i = 0, o = o0, q = 0; i < count; i++, o += GLYPH_FLOATS, q += QUAD_FLOATS) {
      p[o] = s[q]!; p[o + 1] = s[q + 1]!; p[o + 2] = s[q + 2]!; p[o + 3] = s[q + 3]!
      p[o + 4] = s[q + 4]!; p[o + 5] = s[q + 5]!; p[o + 6] = s[q + 6]!; p[o + 7] = s[q + 7]!
      u[o + 8] = packed
    }
  }

  private badDraw(call: string, text: unknown, x: number, y: number, s: TextStyle, length = 0): void {
    if (!this.debug) {
      this.queue.skip(1)
      return
    }
    if ((call === 'draw' || call === 'drawBox') && typeof text !== 'string') this.bad(call, `text must be a string, got ${text === null ? 'null' : typeof text}`)
    if (call === 'drawCodes') {
      const n = (text as ArrayLike<number>).length
      if (!(Number.isInteger(length) && length >= 0 && length <= n)) this.bad(call, `length ${length} must be a whole number 0..codes.length (${n})`)
    }
    if (!isColor(s.color)) this.bad(call, `color ${s.color} must be a colour 0xRRGGBBAA`)
    this.bad(call, `position (${x}, ${y}) must be finite pixel coordinates`)
  }
}

const TEXT_BATCHER_KEYS = descKeys<TextBatcherDesc>({ font: true, pixelSize: true, atlas: true, layer: true, depth: true, sequenced: true, debug: true, label: true, clip: true, transform: true })

/**
 * Creates a text batcher on `queue`. Building the atlas is setup work (rasterizes the character
 * set); the batcher owns its atlas texture and queue batch until `destroy`.
 */
export function createTextBatcher(queue: DrawQueue, desc?: TextBatcherDesc): TextBatcher {
  checkDesc('createTextBatcher', desc, TEXT_BATCHER_KEYS, desc?.debug ?? queue.debug)
  return new TextBatcher(queue, desc)
}
