/**
 * Binds a pipeline's vertex attributes to buffers. With OES_vertex_array_object each pipeline
 * keeps up to 8 VAOs, one per combination of vertex buffers and index buffer; a combination that
 * only moved its offsets (streamed data at a moving ring offset) re-points its VAO in place.
 * Without VAOs the attributes are set directly through the state cache.
 *
 * The binding key (`Int32Array`, owned by the device): per buffer slot [handle, byte offset],
 * then the index buffer handle.
 */
import { EnvironmentError, ErrorCode } from '../errors.js'
import type { BufferHandle, PipelineHandle, ResourcePool } from './handles.js'
import { MAX_VERTEX_BUFFERS, type PipelineRecord } from './pipeline.js'
import type { BufferRecord } from './resources.js'
import type { StateCache } from './state-cache.js'
import type { GL, InstancingExtension, VertexArrayExtension } from './types.js'

export class VertexBinder {
  constructor(
    private readonly gl: GL,
    private readonly state: StateCache,
    private readonly buffers: ResourcePool<BufferRecord, BufferHandle>,
    private readonly vaoExt: VertexArrayExtension | null,
    private readonly instExt: InstancingExtension | null,
  ) {}

  /** Binds `p`'s attributes for `key`, through a VAO when the extension is there. */
  bind(p: PipelineRecord, key: Int32Array): void {
    if (this.vaoExt) this.bindVao(p, key)
    else this.bindAttributes(p, key)
  }

  /** Deletes every VAO a pipeline owns (when it is destroyed). */
  deletePipelineVaos(p: PipelineRecord): void {
    for (const vao of p.vaos) this.vaoExt?.deleteVertexArrayOES(vao)
    p.vaos.length = 0
    p.vaoKeys.length = 0
    this.state.bindVertexArray(null)
  }

  bindVao(p: PipelineRecord, key: Int32Array): void {
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
        this.state.bindVertexArray(p.vaos[i] ?? null)
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
        this.state.bindVertexArray(p.vaos[i] ?? null)
        this.repointAttributes(p, k, key)
        k.set(key)
        return
      }
    }
    // Miss: build a VAO for this combination (at most 8 per pipeline; the oldest is replaced).
    if (keys.length >= 8) {
      this.vaoExt!.deleteVertexArrayOES(p.vaos.shift() ?? null)
      keys.shift()
      this.state.bindVertexArray(null)
    }
    const vao = this.vaoExt!.createVertexArrayOES()
    if (!vao) throw new EnvironmentError(ErrorCode.CONTEXT_FAILED, 'OES_vertex_array_object could not create a vertex array; the GL context is out of memory or lost')
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
      this.gl.vertexAttribPointer(p.attribLocation[a]!, p.attribSize[a]!, p.attribType[a]!, p.attribNormalized[a] === 1,
        p.bufferStride[slot]!, key[slot * 2 + 1]! + p.attribOffset[a]!)
    }
  }

  bindAttributes(p: PipelineRecord, key: Int32Array): void {
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
      gl.vertexAttribPointer(loc, p.attribSize[a]!, p.attribType[a]!, p.attribNormalized[a] === 1,
        p.bufferStride[slot]!, key[slot * 2 + 1]! + p.attribOffset[a]!)
      const divisor = p.bufferInstanced[slot]!
      // A fresh VAO starts with divisor 0, so only per-instance attributes need the call.
      if (inVao) {
        if (divisor) this.instExt!.vertexAttribDivisorANGLE(loc, divisor)
      } else if (this.instExt) this.state.attribDivisor(loc, divisor)
    }
    const ib = key[MAX_VERTEX_BUFFERS * 2]!
    if (ib !== 0) this.state.bindElementBuffer(this.buffers.tryGet(ib)!.buffer)
  }

  dropVaosUsing(h: BufferHandle, pipelines: ResourcePool<PipelineRecord, PipelineHandle>): void {
    pipelines.forEach((p) => {
      for (let i = p.vaoKeys.length - 1; i >= 0; i--) {
        const k = p.vaoKeys[i]!
        let uses = false
        for (let j = 0; j < k.length; j += 2) if (k[j] === h) uses = true
        if (k[MAX_VERTEX_BUFFERS * 2] === h) uses = true
        if (uses) {
          this.vaoExt?.deleteVertexArrayOES(p.vaos[i] ?? null)
          p.vaoKeys.splice(i, 1)
          p.vaos.splice(i, 1)
        }
      }
    })
    this.state.bindVertexArray(null)
  }
}
