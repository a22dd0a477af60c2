/**
 * The device owns a WebGL context's resources (device-resources.ts) and draws with them. Every
 * GL state change goes through the state cache, so redundant calls are skipped and counted.
 *
 * Hot path (per draw): `applyPipeline`, `applyBindings`, `draw`. In release mode
 * (`debug: false`) they look handles up with `tryGet` and skip the draw (counted in
 * `stats.drawsSkipped`) instead of throwing; in debug mode they throw coded errors and every GL
 * call is followed by `getError`.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { PipelineHandle, RenderTargetHandle } from './handles.js'
import { encodePNG } from '../platform/png.js'
import { MAX_VERTEX_BUFFERS } from './pipeline.js'
import type { Bindings, GL, PassDesc } from './types.js'
import { DeviceResources, type DeviceDesc } from './device-resources.js'
import { checkDesc, descKeys } from '../check.js'
import { passScissorRect } from './scissor.js'

export type { DeviceDesc, DeviceStats } from './device-resources.js'

export class Device extends DeviceResources {
  private currentIndexType = 0
  private currentIndexBytes = 0
  private bindingsOk = false
  // The scissor box of the pass in progress (GL pixels), and whether beginPass enabled it.
  private readonly scissorBox = new Int32Array(4)
  private passScissor = false
  /** Scratch binding key for the vertex binder: [handle, offset] per slot, then the index buffer. */
  private readonly vaoKey = new Int32Array(MAX_VERTEX_BUFFERS * 2 + 1)

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
    const sc = desc.scissor
    if (sc !== undefined) {
      // Top-left origin in the viewport, flipped to GL's bottom-left one (the queue's flush
      // computes the same rectangle in passScissorRect and intersects its clips with it).
      passScissorRect(sc, vp ? vp[0] | 0 : 0, vp ? vp[1] | 0 : 0, vp ? vp[2] | 0 : w, vp ? vp[3] | 0 : h, this.scissorBox)
      const b = this.scissorBox
      gl.enable(gl.SCISSOR_TEST)
      gl.scissor(b[0]!, b[1]!, b[2]!, b[3]!)
      this.passScissor = true
    }
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
    if (this.passScissor) {
      this.gl.disable(this.gl.SCISSOR_TEST)
      this.passScissor = false
    }
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
    if (!p.applied) {
      p.applied = true
      this.stats.firstUses++
    }
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
    this.binder.bind(p, key)
    this.currentIndexType = p.indexType
    this.currentIndexBytes = p.indexBytes
    this.bindingsOk = true
    return true
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

  // ------------------------------------------------------------------ read-back

  /**
   * Reads RGBA8 pixels of the current pass target (or `target`), top row first. `out` is
   * reused when given (width*height*4 bytes).
   */
  readPixels(x: number, y: number, width: number, height: number, out?: Uint8Array, target?: RenderTargetHandle): Uint8Array {
    this.alive()
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
    this.alive()
    this.rawGL.finish()
  }
}

const DEVICE_KEYS = descKeys<DeviceDesc>({ debug: true, width: true, height: true })

/**
 * A device on a context you created yourself (`createContext` in framelatch/low-level); an engine
 * makes its own (`engine.device`). `desc.width/height` is the default framebuffer's size.
 */
export function createDevice(gl: GL, desc: DeviceDesc): Device {
  checkDesc('createDevice', desc, DEVICE_KEYS, desc?.debug ?? false)
  return new Device(gl, desc)
}
