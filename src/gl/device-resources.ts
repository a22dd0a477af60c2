/**
 * The resource half of the device: buffers, textures and render targets (device-storage.ts), and
 * here programs and pipelines, each from one `*Desc` object and named by a branded number handle
 * (see handles.ts), with hot swaps of a program under its handle, and the teardown of everything.
 * `Device` (device.ts) extends this with passes, draws and read-back. Descriptors are validated
 * before any GL call; resources live until `destroy*` or `destroy()`.
 */
import { ErrorCode, ShaderError, ValidationError } from '../errors.js'
import { log } from '../log.js'
import type { PipelineHandle, ProgramHandle, ResourceState } from './handles.js'
import { buildPipeline, missingAttribute, rebindPipelineProgram, type PipelineRecord } from './pipeline.js'
import { buildProgram, recordProgramSuccessor, type ProgramRecord } from './program.js'
import { DeviceStorage } from './device-storage.js'
import type { PipelineDesc, ProgramDesc, VertexAttributeDesc, VertexBufferLayoutDesc, WebGLUniformLocation } from './types.js'
import { checkDesc, descKeys } from '../check.js'

export type { DeviceDesc, DeviceStats } from './device-storage.js'

const PROGRAM_KEYS = descKeys<ProgramDesc>({ vertex: true, fragment: true, name: true, samplers: true })
const PIPELINE_KEYS = descKeys<PipelineDesc>({ program: true, buffers: true, attributes: true, primitive: true, blend: true, depth: true, cull: true, indexType: true, label: true })
const ATTRIBUTE_KEYS = descKeys<VertexAttributeDesc>({ name: true, format: true, offset: true, buffer: true })
const BUFFER_LAYOUT_KEYS = descKeys<VertexBufferLayoutDesc>({ stride: true, step: true })
const DEPTH_KEYS = descKeys<NonNullable<PipelineDesc['depth']>>({ test: true, write: true, compare: true })

export class DeviceResources extends DeviceStorage {
  // ------------------------------------------------------------------ programs

  /** Compiles and links. Throws ShaderError (stage, line, numbered source) when it fails. */
  createProgram(desc: ProgramDesc): ProgramHandle {
    this.alive()
    checkDesc('createProgram', desc, PROGRAM_KEYS, this.debug)
    if (!desc || typeof desc.vertex !== 'string' || typeof desc.fragment !== 'string') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createProgram: vertex and fragment must be GLSL source strings')
    }
    // Compile errors are reported through ShaderError, not the debug getError path.
    const rec = buildProgram(this.rawGL, desc)
    this.stats.firstUses++
    try {
      this.assignSamplers(rec, desc, 'createProgram')
    } catch (err) {
      this.rawGL.deleteProgram(rec.program)
      throw err
    }
    return this.programs.alloc(rec)
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
      return this.programs.alloc(null, 'failed')
    }
  }

  /**
   * Hot swap: compiles and links `desc` and, only when that succeeds, puts the new GL program
   * under the same handle (a `failed` handle from tryCreateProgram becomes valid). Pipelines made
   * with `h` keep their handles and draw with the new program from their next applyPipeline
   * (attribute locations looked up again, their VAOs rebuilt on the next draw); uniform blocks send
   * every slot to it on their next upload. Uniform values set directly (gl.uniform*) and
   * locations from `uniformLocation` belong to the old program: set and look them up again.
   *
   * Throws ShaderError (stage, line, numbered source) when the new source does not compile or link,
   * and UNKNOWN_ATTRIBUTE / UNKNOWN_UNIFORM when it lacks an attribute a pipeline reads or a
   * sampler `desc.samplers` names; in every failure the old program stays and keeps drawing.
   */
  replaceProgram(h: ProgramHandle, desc: ProgramDesc): void {
    this.alive()
    checkDesc('replaceProgram', desc, PROGRAM_KEYS, this.debug)
    const st = this.programs.state(h)
    if (st !== 'valid' && st !== 'failed') throw this.programs.explain(h, 'replaceProgram')
    if (!desc || typeof desc.vertex !== 'string' || typeof desc.fragment !== 'string') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'replaceProgram: vertex and fragment must be GLSL source strings')
    }
    const rec = buildProgram(this.rawGL, desc)
    this.stats.firstUses++
    try {
      this.pipelines.forEach((p) => {
        if (p.programHandle !== h) return
        const missing = missingAttribute(p, rec)
        if (missing !== null) {
          throw new ValidationError(ErrorCode.UNKNOWN_ATTRIBUTE,
            `replaceProgram "${rec.name}": pipeline "${p.label}" reads attribute '${missing}', which the new program lacks; ` +
            `active ones: ${[...rec.attributes.keys()].join(', ') || '(none)'}. Keep the attribute (the old program keeps drawing)`)
        }
      })
      this.assignSamplers(rec, desc, 'replaceProgram')
    } catch (err) {
      this.rawGL.deleteProgram(rec.program)
      throw err
    }
    const old = this.programs.replace(h, rec)
    this.pipelines.forEach((p) => {
      if (p.programHandle !== h) return
      rebindPipelineProgram(p, rec)
      this.binder.deletePipelineVaos(p)
    })
    if (old) {
      recordProgramSuccessor(old.program, rec.program)
      this.state.forget(old.program)
      this.gl.deleteProgram(old.program)
    }
  }

  /** Sampler i reads texture unit i (Bindings.textures[i]); see ProgramDesc.samplers. */
  private assignSamplers(rec: ProgramRecord, desc: ProgramDesc, call: string): void {
    const order = desc.samplers ?? rec.samplers
    for (let unit = 0; unit < order.length; unit++) {
      const loc = rec.uniforms.get(order[unit]!)
      if (loc === undefined || !rec.samplers.includes(order[unit]!)) {
        throw new ValidationError(ErrorCode.UNKNOWN_UNIFORM,
          `${call} "${rec.name}": samplers[${unit}] '${order[unit]}' is not an active sampler2D uniform; active samplers: ${rec.samplers.join(', ') || '(none)'}`)
      }
      this.state.useProgram(rec.program)
      this.rawGL.uniform1i(loc, unit)
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
  uniformLocation(h: ProgramHandle, name: string): WebGLUniformLocation {
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
    checkDesc('createPipeline', desc, PIPELINE_KEYS, this.debug)
    for (const a of Array.isArray(desc.attributes) ? desc.attributes : []) checkDesc('createPipeline: attributes[]', a, ATTRIBUTE_KEYS, this.debug)
    for (const b of Array.isArray(desc.buffers) ? desc.buffers : []) checkDesc('createPipeline: buffers[]', b, BUFFER_LAYOUT_KEYS, this.debug)
    checkDesc('createPipeline: depth', desc.depth, DEPTH_KEYS, this.debug)
    const program = this.programs.get(desc.program, 'createPipeline')
    const record = buildPipeline(this.gl, desc, program, this.caps)
    if (record.depthTest || record.depthWrite) this.depthPipelines++
    return this.pipelines.alloc(record)
  }

  /**
   * True while a live pipeline tests or writes depth. The engine clears the window's depth
   * buffer only then: on llvmpipe a depth clear of an 800x600 window added 0.7-0.9 ms to every
   * swap, paid by 2D scenes that never read it (issue 8).
   */
  get usesDepth(): boolean {
    return this.depthPipelines > 0
  }
  private depthPipelines = 0

  destroyPipeline(h: PipelineHandle): void {
    const p = this.pipelines.free(h)
    if (!p) return
    if (p.depthTest || p.depthWrite) this.depthPipelines--
    if (this.current === p) this.current = null
    this.binder.deletePipelineVaos(p)
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
    return this.pipelines.get(h, 'pipelineProgram').programHandle
  }

  // ------------------------------------------------------------------ teardown

  /** Frees every GL object this device made. The context itself is the caller's. */
  destroy(): void {
    if (this.destroyed) return
    const gl = this.rawGL
    this.pipelines.forEach((_p, h) => this.destroyPipeline(h))
    this.programs.forEach((_p, h) => this.destroyProgram(h))
    this.targets.forEach((_t, h) => this.destroyRenderTarget(h))
    this.textures.forEach((_t, h) => this.destroyTexture(h))
    this.buffers.forEach((_b, h) => this.destroyBuffer(h))
    void gl
    this.destroyed = true
  }
}
