/**
 * The storage half of the device's resources: the context set-up (extensions, state cache, vertex
 * binder, counters) and the GL objects that hold data: buffers, textures and render targets,
 * each created from one `*Desc` object and named by a branded number handle (see handles.ts),
 * with the texture size guards for what this GL stack accepts without storing. Programs and
 * pipelines are the next layer (device-resources.ts); every pool lives here, since freeing a
 * buffer drops the VAOs of the pipelines that read it. Descriptors are validated before any GL
 * call; resources live until `destroy*` or the device's `destroy()`.
 */
import { ErrorCode, ResourceStateError, ValidationError } from '../errors.js'
import { debugGL } from './debug-gl.js'
import { queryCapabilities, type Capabilities } from './capabilities.js'
import {
  HandleKind, ResourcePool, type BufferHandle, type PipelineHandle, type ProgramHandle,
  type RenderTargetHandle, type ResourceState, type TextureHandle,
} from './handles.js'
import type { PipelineRecord } from './pipeline.js'
import type { ProgramRecord } from './program.js'
import {
  checkTextureData, createBufferRecord, createRenderTargetRecord, createTextureRecord, formatInfo,
  type BufferRecord, type RenderTargetRecord, type TextureRecord,
} from './resources.js'
import { StateCache } from './state-cache.js'
import { VertexBinder } from './vertex-binder.js'
import type {
  BufferDesc, GL, RenderTargetDesc, TextureDesc, TextureRegion,
  InstancingExtension, WebGLTexture,
} from './types.js'
import { checkDesc, descKeys } from '../check.js'

/** Textures this big (bytes) are rejected up front: the GL stack here takes them and stores nothing. */
const MAX_TEXTURE_BYTES = 2 ** 31
/** Textures this big (bytes) are verified by a one-texel read-back after creation. */
const PROBE_TEXTURE_BYTES = 256 * 2 ** 20

function textureBytes(desc: TextureDesc): number {
  const perPixel = desc.format === 'rgba32f' ? 16 : desc.format === 'alpha8' ? 1 : 4
  return Number(desc.width) * Number(desc.height) * perPixel
}

function textureTooLarge(desc: TextureDesc, bytes: number, why: string): ResourceStateError {
  return new ResourceStateError(ErrorCode.RESOURCE_TOO_LARGE,
    `createTexture: a ${desc.width}x${desc.height} ${desc.format ?? 'rgba8'} texture (${(bytes / 2 ** 30).toFixed(2)} GiB) ${why}; ` +
    'it would sample as black. Use a smaller texture or a smaller format, or split the data into tiles (1 GiB textures work on llvmpipe)',
    { width: desc.width, height: desc.height, format: desc.format ?? 'rgba8', bytes })
}

export interface DeviceStats {
  /** GL state calls made / skipped by the state cache. */
  stateCalls: number
  stateSkipped: number
  /** GL draw calls issued. */
  drawCalls: number
  /** Draws skipped because a handle was invalid (release mode). */
  drawsSkipped: number
  /** Bytes sent with bufferData/bufferSubData/texSubImage2D after creation. */
  bytesUploaded: number
  /**
   * One-time work done so far: programs compiled (created or replaced), textures and render
   * targets created, and pipelines drawn with for the first time since creation or their
   * program's replacement (a driver compiles the shader variant for the pipeline's state at its
   * first draw: 10-60 ms a pipeline on llvmpipe). An engine's ticker does not learn the cost of a
   * frame during which this count grew: it is not what the next frames will cost.
   */
  firstUses: number
}

export interface DeviceDesc {
  /** Check arguments and `getError` after every GL call. Default false. */
  debug?: boolean
  /** Framebuffer size of the default target, for viewports. */
  width: number
  height: number
}

const BUFFER_KEYS = descKeys<BufferDesc>({ type: true, usage: true, size: true, data: true, indexType: true, label: true })
const TEXTURE_KEYS = descKeys<TextureDesc>({ width: true, height: true, format: true, minFilter: true, magFilter: true, wrapS: true, wrapT: true, data: true, label: true })
const RENDER_TARGET_KEYS = descKeys<RenderTargetDesc>({ width: true, height: true, format: true, depth: true, filter: true, label: true })

export class DeviceStorage {
  /** The context framelatch draws with (wrapped with getError checks in debug mode). */
  readonly gl: GL
  /** The raw context, without debug checks. */
  readonly rawGL: GL
  readonly caps: Capabilities
  readonly debug: boolean
  readonly state: StateCache
  readonly stats: DeviceStats
  protected readonly buffers = new ResourcePool<BufferRecord, BufferHandle>(HandleKind.Buffer)
  protected readonly textures = new ResourcePool<TextureRecord, TextureHandle>(HandleKind.Texture)
  protected readonly targets = new ResourcePool<RenderTargetRecord, RenderTargetHandle>(HandleKind.RenderTarget)
  protected readonly programs = new ResourcePool<ProgramRecord, ProgramHandle>(HandleKind.Program)
  protected readonly pipelines = new ResourcePool<PipelineRecord, PipelineHandle>(HandleKind.Pipeline)
  protected readonly binder: VertexBinder
  protected readonly instExt: InstancingExtension | null
  protected width: number
  protected height: number
  /** The pipeline applied in the current pass (draw state; cleared when it is destroyed). */
  protected current: PipelineRecord | null = null
  protected destroyed = false
  /** The render target of the current pass (null: the default framebuffer). */
  protected passTarget: RenderTargetRecord | null = null

  constructor(gl: GL, desc: DeviceDesc) {
    this.rawGL = gl
    this.debug = desc.debug ?? false
    // Drain errors left by context creation so debug checks blame only our own calls.
    for (let i = 0; i < 16 && gl.getError() !== 0; i++);
    this.gl = this.debug ? debugGL(gl) : gl
    this.caps = queryCapabilities(gl)
    // WebGL extensions only take effect once requested; enable everything the device relies on.
    for (const ext of ['OES_texture_float', 'OES_element_index_uint', 'OES_standard_derivatives', 'WEBGL_draw_buffers',
      'ANGLE_instanced_arrays', 'OES_vertex_array_object']) {
      if (this.caps.extensions.includes(ext)) gl.getExtension(ext)
    }
    this.state = new StateCache(this.gl)
    this.stats = { stateCalls: 0, stateSkipped: 0, drawCalls: 0, drawsSkipped: 0, bytesUploaded: 0, firstUses: 0 }
    // The state cache's counters are the device's counters.
    Object.defineProperty(this.stats, 'stateCalls', { get: () => this.state.stats.stateCalls, enumerable: true })
    Object.defineProperty(this.stats, 'stateSkipped', { get: () => this.state.stats.stateSkipped, enumerable: true })
    this.instExt = this.caps.instancing ? gl.getExtension('ANGLE_instanced_arrays') : null
    this.binder = new VertexBinder(this.gl, this.state, this.buffers,
      this.caps.vertexArrayObjects ? gl.getExtension('OES_vertex_array_object') : null, this.instExt)
    this.width = desc.width
    this.height = desc.height
  }

  /** The default framebuffer size changed (window resize). */
  resize(width: number, height: number): void {
    this.width = width
    this.height = height
  }

  get drawingBufferWidth(): number {
    return this.width
  }
  get drawingBufferHeight(): number {
    return this.height
  }

  // ------------------------------------------------------------------ buffers

  createBuffer(desc: BufferDesc): BufferHandle {
    this.alive()
    checkDesc('createBuffer', desc, BUFFER_KEYS, this.debug)
    return this.buffers.alloc(createBufferRecord(this.gl, this.state, desc))
  }

  /**
   * Copies `data` into the buffer at `byteOffset`. The caller keeps ownership of `data`.
   * With `orphan: true` the whole store is re-specified first so the GPU never waits for a
   * draw still reading the old contents (for stream buffers rewritten every frame).
   */
  updateBuffer(h: BufferHandle, data: ArrayBufferView, byteOffset = 0, orphan = false): void {
    const b = this.buffers.get(h, 'updateBuffer')
    if (byteOffset < 0 || byteOffset + data.byteLength > b.size) {
      throw new ValidationError(ErrorCode.DATA_SIZE_MISMATCH,
        `updateBuffer: ${data.byteLength} bytes at offset ${byteOffset} do not fit in a ${b.size}-byte buffer; create a larger buffer`)
    }
    if (b.isIndex) this.state.bindElementBuffer(b.buffer)
    else this.state.bindArrayBuffer(b.buffer)
    if (orphan) this.gl.bufferData(b.target, b.size, b.usage)
    this.gl.bufferSubData(b.target, byteOffset, data)
    this.stats.bytesUploaded += data.byteLength
  }

  destroyBuffer(h: BufferHandle): void {
    const b = this.buffers.free(h)
    if (!b) return
    this.state.forget(b.buffer)
    this.binder.dropVaosUsing(h, this.pipelines)
    this.gl.deleteBuffer(b.buffer)
  }

  queryBufferState(h: BufferHandle): ResourceState {
    return this.buffers.state(h)
  }

  bufferSize(h: BufferHandle): number {
    return this.buffers.get(h, 'bufferSize').size
  }

  // ------------------------------------------------------------------ textures

  createTexture(desc: TextureDesc): TextureHandle {
    this.alive()
    checkDesc('createTexture', desc, TEXTURE_KEYS, this.debug)
    const bytes = textureBytes(desc)
    if (bytes >= MAX_TEXTURE_BYTES) throw textureTooLarge(desc, bytes, 'is 2 GiB or more, which the GL stack here accepts without storing')
    const rec = createTextureRecord(this.gl, this.state, this.caps, desc)
    this.stats.firstUses++
    if (bytes >= PROBE_TEXTURE_BYTES && rec.format !== 'alpha8' && !this.textureHolds(rec)) {
      this.state.forget(rec.texture)
      this.rawGL.deleteTexture(rec.texture)
      throw textureTooLarge(desc, bytes, 'was accepted by the driver but holds no storage (a read-back of its last texel failed)')
    }
    return this.textures.alloc(rec)
  }

  /**
   * Whether a big texture really has storage: writes its last texel and reads it back through
   * a framebuffer (rgba8 and rgba32f are colour-renderable here). Costs one texel each way,
   * nothing next to uploading the texture. Uses the raw context and drains the errors a texture
   * without storage raises, so debug mode reports the coded error, not a GL error.
   */
  private textureHolds(rec: TextureRecord): boolean {
    const gl = this.rawGL
    const float = rec.format === 'rgba32f'
    const x = rec.width - 1
    const y = rec.height - 1
    const fb = gl.createFramebuffer()
    const previous = this.passTarget
    try {
      this.state.bindFramebuffer(fb)
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, rec.texture, 0)
      if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return false
      this.state.bindTextureForEdit(rec.texture)
      const sent = float ? new Float32Array([0.25, 0.5, 0.75, 1]) : new Uint8Array([64, 128, 192, 255])
      const got = float ? new Float32Array(4) : new Uint8Array(4)
      gl.texSubImage2D(gl.TEXTURE_2D, 0, x, y, 1, 1, gl.RGBA, float ? gl.FLOAT : gl.UNSIGNED_BYTE, sent)
      gl.readPixels(x, y, 1, 1, gl.RGBA, float ? gl.FLOAT : gl.UNSIGNED_BYTE, got)
      return got.every((v, i) => v === sent[i])
    } finally {
      for (let i = 0; i < 16 && gl.getError() !== 0; i++);
      this.state.bindFramebuffer(previous ? previous.framebuffer : null)
      gl.deleteFramebuffer(fb)
    }
  }

  /** Replaces all of the texture, or `region`, with `data` (top row first; copied). */
  updateTexture(h: TextureHandle, data: Uint8Array | Float32Array, region?: TextureRegion): void {
    const t = this.textures.get(h, 'updateTexture')
    const x = region?.x ?? 0
    const y = region?.y ?? 0
    const w = region?.width ?? t.width
    const hh = region?.height ?? t.height
    if (x < 0 || y < 0 || w <= 0 || hh <= 0 || x + w > t.width || y + hh > t.height) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `updateTexture: region ${x},${y} ${w}x${hh} is outside the ${t.width}x${t.height} texture`)
    }
    const info = formatInfo(this.gl, t.format)
    if (this.debug) checkTextureData('updateTexture', data, w * hh * info.channels, info.float)
    this.state.bindTextureForEdit(t.texture)
    this.gl.pixelStorei(this.gl.UNPACK_ALIGNMENT, 1)
    this.gl.texSubImage2D(this.gl.TEXTURE_2D, 0, x, y, w, hh, t.glFormat, t.glType, data)
    this.stats.bytesUploaded += data.byteLength
  }

  /**
   * Hot swap: makes a texture from `desc` (any size and format) and puts it under the same
   * handle, then deletes the old one; bindings and batches that name `h` sample the new pixels
   * from their next draw. For assets reloaded from files (see src/hot/asset-host.ts). Throws like
   * createTexture, leaving the old texture in place; render-target textures cannot be replaced.
   */
  replaceTexture(h: TextureHandle, desc: TextureDesc): void {
    this.alive()
    checkDesc('replaceTexture', desc, TEXTURE_KEYS, this.debug)
    const t = this.textures.get(h, 'replaceTexture')
    if (t.ownedByTarget) {
      throw new ValidationError(ErrorCode.INVALID_HANDLE, 'replaceTexture: this texture belongs to a render target; render into it instead')
    }
    const rec = createTextureRecord(this.gl, this.state, this.caps, desc)
    this.stats.firstUses++
    this.textures.replace(h, rec)
    this.state.forget(t.texture)
    this.gl.deleteTexture(t.texture)
    this.stats.bytesUploaded += desc.data?.byteLength ?? 0
  }

  destroyTexture(h: TextureHandle): void {
    const t = this.textures.tryGet(h)
    if (t?.ownedByTarget) {
      throw new ValidationError(ErrorCode.INVALID_HANDLE,
        'destroyTexture: this texture belongs to a render target; destroy the render target instead')
    }
    const rec = this.textures.free(h)
    if (!rec) return
    this.state.forget(rec.texture)
    this.gl.deleteTexture(rec.texture)
  }

  queryTextureState(h: TextureHandle): ResourceState {
    return this.textures.state(h)
  }

  textureSize(h: TextureHandle): { width: number; height: number } {
    const t = this.textures.get(h, 'textureSize')
    return { width: t.width, height: t.height }
  }

  /** The underlying WebGLTexture (for code that samples it with its own GL calls). */
  glTexture(h: TextureHandle): WebGLTexture {
    return this.textures.get(h, 'glTexture').texture
  }

  // ------------------------------------------------------------------ render targets

  createRenderTarget(desc: RenderTargetDesc): RenderTargetHandle {
    this.alive()
    checkDesc('createRenderTarget', desc, RENDER_TARGET_KEYS, this.debug)
    const color = createTextureRecord(this.gl, this.state, this.caps, {
      width: desc.width, height: desc.height, format: desc.format ?? 'rgba8',
      minFilter: desc.filter ?? 'nearest', magFilter: desc.filter ?? 'nearest', label: desc.label ?? 'render target',
    }, true)
    this.stats.firstUses++
    const colorHandle = this.textures.alloc(color)
    try {
      const rec = createRenderTargetRecord(this.gl, this.state, this.caps, desc, colorHandle, color)
      this.state.bindFramebuffer(this.passTarget?.framebuffer ?? null)
      return this.targets.alloc(rec)
    } catch (err) {
      this.textures.free(colorHandle)
      this.gl.deleteTexture(color.texture)
      throw err
    }
  }

  /** The colour texture of a render target; valid while the target lives. */
  renderTargetTexture(h: RenderTargetHandle): TextureHandle {
    return this.targets.get(h, 'renderTargetTexture').colorTexture
  }

  destroyRenderTarget(h: RenderTargetHandle): void {
    const rt = this.targets.free(h)
    if (!rt) return
    this.state.forget(rt.framebuffer)
    if (this.passTarget === rt) this.passTarget = null
    this.gl.deleteFramebuffer(rt.framebuffer)
    if (rt.depth) this.gl.deleteRenderbuffer(rt.depth)
    const tex = this.textures.free(rt.colorTexture)
    if (tex) {
      this.state.forget(tex.texture)
      this.gl.deleteTexture(tex.texture)
    }
  }

  queryRenderTargetState(h: RenderTargetHandle): ResourceState {
    return this.targets.state(h)
  }

  get isDestroyed(): boolean {
    return this.destroyed
  }

  protected alive(): void {
    if (this.destroyed) {
      throw new ResourceStateError(ErrorCode.RESOURCE_DESTROYED, 'this device was destroyed; create a new engine or context')
    }
  }

  /** Live resource counts (for leak checks). */
  get liveResources(): { buffers: number; textures: number; renderTargets: number; programs: number; pipelines: number } {
    return {
      buffers: this.buffers.count, textures: this.textures.count, renderTargets: this.targets.count,
      programs: this.programs.count, pipelines: this.pipelines.count,
    }
  }
}
