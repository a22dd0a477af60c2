/**
 * The device owns a WebGL context's resources and draws with them. Resources are created from
 * `*Desc` objects and named by branded number handles; every GL state change goes through the
 * state cache, so redundant calls are skipped and counted.
 *
 * Hot path (per draw): `applyPipeline`, `applyBindings`, `draw`. In release mode
 * (`debug: false`) they look handles up with `tryGet` and skip the draw (counted in
 * `stats.drawsSkipped`) instead of throwing; in debug mode they throw coded errors and every GL
 * call is followed by `getError`.
 */
import { ErrorCode, GLCallError, ResourceStateError, ShaderError, ValidationError } from '../errors.js'
import { log } from '../log.js'
import { queryCapabilities, type Capabilities } from './capabilities.js'
import {
  HandleKind, ResourcePool, type BufferHandle, type PipelineHandle, type ProgramHandle,
  type RenderTargetHandle, type ResourceState, type TextureHandle,
} from './handles.js'
import { encodePNG } from './png.js'
import { buildPipeline, MAX_VERTEX_BUFFERS, type PipelineRecord } from './pipeline.js'
import { buildProgram, type ProgramRecord } from './program.js'
import {
  checkTextureData, createBufferRecord, createRenderTargetRecord, createTextureRecord, formatInfo,
  type BufferRecord, type RenderTargetRecord, type TextureRecord,
} from './resources.js'
import { StateCache } from './state-cache.js'
import type {
  Bindings, BufferDesc, GL, PassDesc, PipelineDesc, ProgramDesc, RenderTargetDesc, TextureDesc, TextureRegion,
} from './types.js'

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
}

export interface DeviceDesc {
  /** Check arguments and `getError` after every GL call. Default false. */
  debug?: boolean
  /** Framebuffer size of the default target, for viewports. */
  width: number
  height: number
}

const GL_ERROR_NAMES: Record<number, string> = {
  0x0500: 'INVALID_ENUM', 0x0501: 'INVALID_VALUE', 0x0502: 'INVALID_OPERATION', 0x0505: 'OUT_OF_MEMORY',
  0x0506: 'INVALID_FRAMEBUFFER_OPERATION', 0x9242: 'CONTEXT_LOST_WEBGL',
}

/** Wraps `gl` so every method call is followed by getError; throws naming the call that failed. */
function debugGL(gl: GL): GL {
  const cache = new Map<PropertyKey, unknown>()
  return new Proxy(gl, {
    get(target, prop) {
      const value = target[prop]
      if (typeof value !== 'function' || prop === 'getError') return typeof value === 'function' ? value.bind(target) : value
      let wrapped = cache.get(prop)
      if (!wrapped) {
        wrapped = (...args: unknown[]) => {
          const result = value.apply(target, args)
          const err = target.getError()
          if (err !== 0) throw new GLCallError(String(prop), err, GL_ERROR_NAMES[err] ?? 'UNKNOWN')
          return result
        }
        cache.set(prop, wrapped)
      }
      return wrapped
    },
  })
}

export class Device {
  /** The context framelatch draws with (wrapped with getError checks in debug mode). */
  readonly gl: GL
  /** The raw context, without debug checks. */
  readonly rawGL: GL
  readonly caps: Capabilities
  readonly debug: boolean
  readonly state: StateCache
  readonly stats: DeviceStats
  private readonly buffers = new ResourcePool<BufferRecord>(HandleKind.Buffer)
  private readonly textures = new ResourcePool<TextureRecord>(HandleKind.Texture)
  private readonly targets = new ResourcePool<RenderTargetRecord>(HandleKind.RenderTarget)
  private readonly programs = new ResourcePool<ProgramRecord>(HandleKind.Program)
  private readonly pipelines = new ResourcePool<PipelineRecord>(HandleKind.Pipeline)
  private readonly vaoExt: {
    createVertexArrayOES(): unknown; deleteVertexArrayOES(v: unknown): void; bindVertexArrayOES(v: unknown): void
  } | null
  private readonly instExt: {
    drawArraysInstancedANGLE(m: number, f: number, c: number, n: number): void
    drawElementsInstancedANGLE(m: number, c: number, t: number, o: number, n: number): void
    vertexAttribDivisorANGLE(index: number, divisor: number): void
  } | null
  private width: number
  private height: number
  private current: PipelineRecord | null = null
  private currentIndexType = 0
  private currentIndexBytes = 0
  private bindingsOk = false
  private destroyed = false
  private readonly vaoKey = new Int32Array(MAX_VERTEX_BUFFERS * 2 + 1)
  private passTarget: RenderTargetRecord | null = null

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
    this.stats = { stateCalls: 0, stateSkipped: 0, drawCalls: 0, drawsSkipped: 0, bytesUploaded: 0 }
    // The state cache's counters are the device's counters.
    Object.defineProperty(this.stats, 'stateCalls', { get: () => this.state.stats.stateCalls, enumerable: true })
    Object.defineProperty(this.stats, 'stateSkipped', { get: () => this.state.stats.stateSkipped, enumerable: true })
    this.vaoExt = this.caps.vertexArrayObjects ? gl.getExtension('OES_vertex_array_object') : null
    this.instExt = this.caps.instancing ? gl.getExtension('ANGLE_instanced_arrays') : null
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
    return this.buffers.alloc(createBufferRecord(this.gl, this.state, desc)) as BufferHandle
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
    this.dropVaosUsing(h)
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
    return this.textures.alloc(createTextureRecord(this.gl, this.state, this.caps, desc)) as TextureHandle
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
  glTexture(h: TextureHandle): unknown {
    return this.textures.get(h, 'glTexture').texture
  }

  // ------------------------------------------------------------------ render targets

  createRenderTarget(desc: RenderTargetDesc): RenderTargetHandle {
    this.alive()
    const color = createTextureRecord(this.gl, this.state, this.caps, {
      width: desc.width, height: desc.height, format: desc.format ?? 'rgba8',
      minFilter: desc.filter ?? 'nearest', magFilter: desc.filter ?? 'nearest', label: desc.label ?? 'render target',
    }, true)
    const colorHandle = this.textures.alloc(color)
    try {
      const rec = createRenderTargetRecord(this.gl, this.state, this.caps, desc, colorHandle, color)
      this.state.bindFramebuffer(this.passTarget?.framebuffer ?? null)
      return this.targets.alloc(rec) as RenderTargetHandle
    } catch (err) {
      this.textures.free(colorHandle)
      this.gl.deleteTexture(color.texture)
      throw err
    }
  }

  /** The colour texture of a render target; valid while the target lives. */
  renderTargetTexture(h: RenderTargetHandle): TextureHandle {
    return this.targets.get(h, 'renderTargetTexture').colorTexture as TextureHandle
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

  // ------------------------------------------------------------------ programs

  /** Compiles and links. Throws ShaderError (stage, line, numbered source) when it fails. */
  createProgram(desc: ProgramDesc): ProgramHandle {
    this.alive()
    if (!desc || typeof desc.vertex !== 'string' || typeof desc.fragment !== 'string') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createProgram: vertex and fragment must be GLSL source strings')
    }
    // Compile errors are reported through ShaderError, not the debug getError path.
    const rec = buildProgram(this.rawGL, desc)
    // Sampler i reads texture unit i (Bindings.textures[i]); see ProgramDesc.samplers.
    const order = desc.samplers ?? rec.samplers
    for (let unit = 0; unit < order.length; unit++) {
      const loc = rec.uniforms.get(order[unit]!)
      if (loc === undefined || !rec.samplers.includes(order[unit]!)) {
        throw new ValidationError(ErrorCode.UNKNOWN_UNIFORM,
          `createProgram "${rec.name}": samplers[${unit}] '${order[unit]}' is not an active sampler2D uniform; active samplers: ${rec.samplers.join(', ') || '(none)'}`)
      }
      this.state.useProgram(rec.program)
      this.rawGL.uniform1i(loc, unit)
    }
    return this.programs.alloc(rec) as ProgramHandle
  }

  /**
   * Like createProgram, but a compile or link failure returns a handle in the `failed` state
   * (draws with it are skipped) and reports the error through `onError` (default: the logger).
   */
  tryCreateProgram(desc: ProgramDesc, onError?: (err: ShaderError) => void): ProgramHandle {
    try {
      return this.createProgram(desc)
    } catch (err) {
      if (!(err instanceof ShaderError)) throw err
      if (onError) onError(err)
      else log('error', err.code, err.message)
      return this.programs.alloc(null, 'failed') as ProgramHandle
    }
  }

  destroyProgram(h: ProgramHandle): void {
    const p = this.programs.free(h)
    if (!p) return
    this.state.forget(p.program)
    this.gl.deleteProgram(p.program)
  }

  queryProgramState(h: ProgramHandle): ResourceState {
    return this.programs.state(h)
  }

  /** The program's record (attribute/uniform tables). Valid until the program is destroyed. */
  programInfo(h: ProgramHandle): ProgramRecord {
    return this.programs.get(h, 'programInfo')
  }

  /** Uniform location by name (cache it; looking it up is a Map read). */
  uniformLocation(h: ProgramHandle, name: string): unknown {
    const p = this.programs.get(h, 'uniformLocation')
    const loc = p.uniforms.get(name)
    if (loc === undefined) {
      throw new ValidationError(ErrorCode.UNKNOWN_UNIFORM,
        `uniformLocation: program "${p.name}" has no active uniform '${name}'; active ones: ${[...p.uniforms.keys()].join(', ') || '(none)'}`)
    }
    return loc
  }

  /** Makes `h` the current program (through the state cache) for direct uniform calls. */
  useProgram(h: ProgramHandle): void {
    this.state.useProgram(this.programs.get(h, 'useProgram').program)
  }

  // ------------------------------------------------------------------ pipelines

  createPipeline(desc: PipelineDesc): PipelineHandle {
    this.alive()
    if (!desc) throw new ValidationError(ErrorCode.INVALID_DESC, 'createPipeline: a PipelineDesc is required')
    const program = this.programs.get(desc.program, 'createPipeline')
    return this.pipelines.alloc(buildPipeline(this.gl, desc, program, this.caps)) as PipelineHandle
  }

  destroyPipeline(h: PipelineHandle): void {
    const p = this.pipelines.free(h)
    if (!p) return
    if (this.current === p) this.current = null
    for (const vao of p.vaos) this.vaoExt?.deleteVertexArrayOES(vao)
    this.state.bindVertexArray(null)
  }

  queryPipelineState(h: PipelineHandle): ResourceState {
    return this.pipelines.state(h)
  }

  /** The pipeline's baked record (strides, step rates, attributes). Valid until it is destroyed. */
  pipelineInfo(h: PipelineHandle): PipelineRecord {
    return this.pipelines.get(h, 'pipelineInfo')
  }

  /** The pipeline's program handle. */
  pipelineProgram(h: PipelineHandle): ProgramHandle {
    return this.pipelines.get(h, 'pipelineProgram').programHandle as ProgramHandle
  }

  // ------------------------------------------------------------------ passes and draws

  /** Binds the target, sets the viewport, clears what `desc` asks. */
  beginPass(desc: PassDesc = {}): void {
    this.alive()
    const gl = this.gl
    const target = desc.target ? this.targets.get(desc.target, 'beginPass') : null
    this.passTarget = target
    this.state.bindFramebuffer(target ? target.framebuffer : null)
    const w = target ? target.width : this.width
    const h = target ? target.height : this.height
    const vp = desc.viewport
    if (vp) this.state.viewport(vp[0], vp[1], vp[2], vp[3])
    else this.state.viewport(0, 0, w, h)
    let mask = 0
    if (desc.clearColor) {
      const c = desc.clearColor
      gl.clearColor(c[0], c[1], c[2], c[3])
      mask |= gl.COLOR_BUFFER_BIT
    }
    if (desc.clearDepth !== undefined) {
      this.state.forceDepthWrite()
      gl.clearDepth(desc.clearDepth)
      mask |= gl.DEPTH_BUFFER_BIT
    }
    if (mask) gl.clear(mask)
    this.current = null
  }

  endPass(): void {
    this.current = null
    this.bindingsOk = false
  }

  /** Applies program and fixed-function state. Returns false (release) if the handle is bad. */
  applyPipeline(h: PipelineHandle): boolean {
    const p = this.pipelines.tryGet(h)
    if (p === null) {
      if (this.debug) throw this.pipelines.explain(h, 'applyPipeline')
      this.current = null
      return false
    }
    if (this.programs.tryGet(p.programHandle) === null) {
      if (this.debug) throw this.programs.explain(p.programHandle, 'applyPipeline (its program)')
      this.current = null
      return false
    }
    this.current = p
    this.bindingsOk = false
    const s = this.state
    s.useProgram(p.program.program)
    s.blend(p.blendEnabled, p.blendSrcRGB, p.blendDstRGB, p.blendSrcA, p.blendDstA)
    s.depth(p.depthTest, p.depthWrite, p.depthFunc)
    s.cull(p.cullFace)
    return true
  }

  /**
   * Binds vertex/index buffers and textures for the current pipeline. Reads `b` and keeps no
   * reference to it. Returns false (release mode) when a handle is bad; the next draw is skipped.
   */
  applyBindings(b: Bindings): boolean {
    const p = this.current
    this.bindingsOk = false
    if (p === null) {
      if (this.debug) throw new ValidationError(ErrorCode.INVALID_DRAW, 'applyBindings: call applyPipeline first')
      return false
    }
    const key = this.vaoKey
    for (let i = 0; i < p.bufferCount; i++) {
      const h = b.vertexBuffers[i] ?? 0
      const rec = this.buffers.tryGet(h)
      if (rec === null || rec.isIndex) {
        if (this.debug) throw rec ? new ValidationError(ErrorCode.INVALID_DRAW, `applyBindings: vertexBuffers[${i}] is an index buffer`) : this.buffers.explain(h, `applyBindings (vertexBuffers[${i}])`)
        return false
      }
      key[i * 2] = h
      key[i * 2 + 1] = b.vertexOffsets?.[i] ?? 0
    }
    for (let i = p.bufferCount; i < MAX_VERTEX_BUFFERS; i++) {
      key[i * 2] = 0
      key[i * 2 + 1] = 0
    }
    const ib = b.indexBuffer ?? 0
    key[MAX_VERTEX_BUFFERS * 2] = ib
    if (ib !== 0) {
      const rec = this.buffers.tryGet(ib)
      if (rec === null || !rec.isIndex) {
        if (this.debug) throw rec ? new ValidationError(ErrorCode.INVALID_DRAW, 'applyBindings: indexBuffer is a vertex buffer') : this.buffers.explain(ib, 'applyBindings (indexBuffer)')
        return false
      }
    } else if (p.indexType !== 0 && this.debug) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, 'applyBindings: the pipeline is indexed but no indexBuffer was given')
    }
    const tex = b.textures
    if (tex !== undefined) {
      for (let u = 0; u < tex.length; u++) {
        const th = tex[u]!
        if (th === 0) continue
        const t = this.textures.tryGet(th)
        if (t === null) {
          if (this.debug) throw this.textures.explain(th, `applyBindings (textures[${u}])`)
          return false
        }
        this.state.bindTexture(u, t.texture)
      }
    }
    if (this.vaoExt) this.bindVao(p, key)
    else this.bindAttributes(p, key)
    this.currentIndexType = p.indexType
    this.currentIndexBytes = p.indexBytes
    this.bindingsOk = true
    return true
  }

  private bindVao(p: PipelineRecord, key: Int32Array): void {
    const keys = p.vaoKeys
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      let same = true
      for (let j = 0; j < key.length; j++) {
        if (k[j] !== key[j]) {
          same = false
          break
        }
      }
      if (same) {
        this.state.bindVertexArray(p.vaos[i])
        return
      }
    }
    // Same buffers at other offsets (streamed data at a moving ring offset): re-point that VAO in
    // place instead of building one per offset.
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      let sameBuffers = k[MAX_VERTEX_BUFFERS * 2] === key[MAX_VERTEX_BUFFERS * 2]
      for (let j = 0; sameBuffers && j < MAX_VERTEX_BUFFERS * 2; j += 2) sameBuffers = k[j] === key[j]
      if (sameBuffers) {
        this.state.bindVertexArray(p.vaos[i])
        this.repointAttributes(p, k, key)
        k.set(key)
        return
      }
    }
    // Miss: build a VAO for this combination (at most 8 per pipeline; the oldest is replaced).
    if (keys.length >= 8) {
      this.vaoExt!.deleteVertexArrayOES(p.vaos.shift())
      keys.shift()
      this.state.bindVertexArray(null)
    }
    const vao = this.vaoExt!.createVertexArrayOES()
    this.state.bindVertexArray(vao)
    this.setupAttributes(p, key, true)
    keys.push(Int32Array.from(key))
    p.vaos.push(vao)
  }

  /** Re-issues vertexAttribPointer for the attributes whose buffer offset differs from `was`. */
  private repointAttributes(p: PipelineRecord, was: Int32Array, key: Int32Array): void {
    for (let a = 0; a < p.attribCount; a++) {
      const slot = p.attribBuffer[a]!
      if (was[slot * 2 + 1] === key[slot * 2 + 1]) continue
      this.state.bindArrayBuffer(this.buffers.tryGet(key[slot * 2]!)!.buffer)
      this.gl.vertexAttribPointer(p.attribLocation[a], p.attribSize[a], p.attribType[a], p.attribNormalized[a] === 1,
        p.bufferStride[slot], key[slot * 2 + 1]! + p.attribOffset[a]!)
    }
  }

  private bindAttributes(p: PipelineRecord, key: Int32Array): void {
    this.setupAttributes(p, key, false)
  }

  private setupAttributes(p: PipelineRecord, key: Int32Array, inVao: boolean): void {
    const gl = this.gl
    for (let a = 0; a < p.attribCount; a++) {
      const slot = p.attribBuffer[a]!
      const rec = this.buffers.tryGet(key[slot * 2]!)!
      this.state.bindArrayBuffer(rec.buffer)
      const loc = p.attribLocation[a]!
      if (inVao) gl.enableVertexAttribArray(loc)
      else this.state.enableAttrib(loc, true)
      gl.vertexAttribPointer(loc, p.attribSize[a], p.attribType[a], p.attribNormalized[a] === 1,
        p.bufferStride[slot], key[slot * 2 + 1]! + p.attribOffset[a]!)
      const divisor = p.bufferInstanced[slot]!
      // A fresh VAO starts with divisor 0, so only per-instance attributes need the call.
      if (inVao) {
        if (divisor) this.instExt!.vertexAttribDivisorANGLE(loc, divisor)
      } else if (this.instExt) this.state.attribDivisor(loc, divisor)
    }
    const ib = key[MAX_VERTEX_BUFFERS * 2]!
    if (ib !== 0) this.state.bindElementBuffer(this.buffers.tryGet(ib)!.buffer)
  }

  /**
   * Draws with the current pipeline and bindings: `count` vertices (or indices) from `first`,
   * `instances` times (1 = not instanced). Skipped and counted when the last apply failed.
   */
  draw(first: number, count: number, instances = 1): void {
    const p = this.current
    if (p === null || !this.bindingsOk) {
      if (this.debug) throw new ValidationError(ErrorCode.INVALID_DRAW, 'draw: apply a valid pipeline and bindings first')
      this.stats.drawsSkipped++
      return
    }
    if (this.debug && (!(count >= 0) || !(first >= 0) || !(instances >= 1) || !Number.isInteger(count + first + instances))) {
      throw new ValidationError(ErrorCode.INVALID_DRAW, `draw: first ${first}, count ${count}, instances ${instances} must be non-negative integers (instances >= 1)`)
    }
    if (count === 0) return
    const gl = this.gl
    if (this.currentIndexType !== 0) {
      if (instances > 1 || p.instanced) this.instExt!.drawElementsInstancedANGLE(p.primitive, count, this.currentIndexType, first * this.currentIndexBytes, instances)
      else gl.drawElements(p.primitive, count, this.currentIndexType, first * this.currentIndexBytes)
    } else if (instances > 1 || p.instanced) {
      this.instExt!.drawArraysInstancedANGLE(p.primitive, first, count, instances)
    } else {
      gl.drawArrays(p.primitive, first, count)
    }
    this.stats.drawCalls++
  }

  private dropVaosUsing(h: number): void {
    this.pipelines.forEach((p) => {
      for (let i = p.vaoKeys.length - 1; i >= 0; i--) {
        const k = p.vaoKeys[i]!
        let uses = false
        for (let j = 0; j < k.length; j += 2) if (k[j] === h) uses = true
        if (k[MAX_VERTEX_BUFFERS * 2] === h) uses = true
        if (uses) {
          this.vaoExt?.deleteVertexArrayOES(p.vaos[i])
          p.vaoKeys.splice(i, 1)
          p.vaos.splice(i, 1)
        }
      }
    })
    this.state.bindVertexArray(null)
  }

  // ------------------------------------------------------------------ read-back

  /**
   * Reads RGBA8 pixels of the current pass target (or `target`), top row first. `out` is
   * reused when given (width*height*4 bytes).
   */
  readPixels(x: number, y: number, width: number, height: number, out?: Uint8Array, target?: RenderTargetHandle): Uint8Array {
    const gl = this.gl
    const rt = target ? this.targets.get(target, 'readPixels') : this.passTarget
    const fbHeight = rt ? rt.height : this.height
    this.state.bindFramebuffer(rt ? rt.framebuffer : null)
    const n = width * height * 4
    const buf = out && out.length >= n ? out : new Uint8Array(n)
    const tmp = new Uint8Array(n)
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1)
    // GL's origin is bottom-left; callers think top-left: flip y and rows.
    gl.readPixels(x, fbHeight - y - height, width, height, gl.RGBA, gl.UNSIGNED_BYTE, tmp)
    const stride = width * 4
    for (let row = 0; row < height; row++) {
      buf.set(tmp.subarray((height - 1 - row) * stride, (height - row) * stride), row * stride)
    }
    if (this.passTarget !== rt) this.state.bindFramebuffer(this.passTarget ? this.passTarget.framebuffer : null)
    return buf
  }

  /** The whole default framebuffer (or `target`) as a PNG file, top row first. */
  screenshot(target?: RenderTargetHandle): Buffer {
    const rt = target ? this.targets.get(target, 'screenshot') : null
    const w = rt ? rt.width : this.width
    const h = rt ? rt.height : this.height
    const pixels = this.readPixels(0, 0, w, h, undefined, target)
    return encodePNG(pixels, w, h)
  }

  /** Blocks until the GL has finished all submitted work (for traces and benchmarks). */
  finish(): void {
    this.rawGL.finish()
  }

  // ------------------------------------------------------------------ teardown

  /** Frees every GL object this device made. The context itself is the caller's. */
  destroy(): void {
    if (this.destroyed) return
    const gl = this.rawGL
    this.pipelines.forEach((_p, h) => this.destroyPipeline(h as PipelineHandle))
    this.programs.forEach((_p, h) => this.destroyProgram(h as ProgramHandle))
    this.targets.forEach((_t, h) => this.destroyRenderTarget(h as RenderTargetHandle))
    this.textures.forEach((_t, h) => this.destroyTexture(h as TextureHandle))
    this.buffers.forEach((_b, h) => this.destroyBuffer(h as BufferHandle))
    void gl
    this.destroyed = true
  }

  get isDestroyed(): boolean {
    return this.destroyed
  }

  private alive(): void {
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
