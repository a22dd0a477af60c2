/**
 * Batches: what a draw queue command names. A batch bakes a pipeline, its static geometry, its
 * textures and uniform blocks, and the per-instance float stride into one small integer id that
 * is also the material id in the sort key. This file validates a `BatchDesc` and builds the
 * record the queue reads at flush; the queue itself lives in queue.ts.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { BufferHandle, PipelineHandle, ProgramHandle, TextureHandle } from '../gl/handles.js'
import type { Bindings } from '../gl/types.js'
import type { UniformBlock } from '../gl/uniform-block.js'

/** A batch id: a small integer (1..65535), also the material id in sort keys. 0 is never issued. */
export type BatchId = number

export interface BatchDesc {
  /**
   * Pipeline to draw with. 'instanced' mode: buffer slot 0 is per-vertex (`geometry`), slot 1
   * steps per instance with stride `floatsPerInstance * 4` and is streamed by the queue.
   * 'vertices' mode: one per-vertex buffer at slot 0, stride `floatsPerInstance * 4`, streamed.
   * Required.
   */
  pipeline: PipelineHandle
  /**
   * Static per-vertex buffer bound at slot 0 (e.g. a unit quad). Required in 'instanced' mode:
   * WebGL 1 has no gl_VertexID and ANGLE_instanced_arrays needs one attribute with divisor 0.
   * Must be 0 (the default) in 'vertices' mode.
   */
  geometry?: BufferHandle | 0
  /** Static index buffer ('instanced' mode only): `vertexCount` indices per instance. Default 0. */
  indexBuffer?: BufferHandle | 0
  /**
   * 'instanced': vertices (or indices) drawn per instance. 'vertices': vertices per primitive
   * group; every `record` count must be a multiple of it (checked in debug). Required, >= 1.
   */
  vertexCount: number
  /** Floats per instance ('instanced') or per vertex ('vertices'). Required, 1..63. */
  floatsPerInstance: number
  /**
   * 'instanced' (default): `record(batch, n)` draws `n` instances. 'vertices': `record(batch, n)`
   * appends `n` vertices; a merged run is one `drawArrays` over the concatenated vertices.
   */
  mode?: 'instanced' | 'vertices'
  /** Texture per unit, in the program's sampler order. Default none. Copied. */
  textures?: TextureHandle[]
  /**
   * Blocks uploaded (dirty range only) at most once per program per frame before the batch's
   * first draw in that frame. Default none. Copied (the blocks themselves are shared, not copied).
   */
  blocks?: UniformBlock[]
  /**
   * Translucent batches sort after opaque ones of the same layer, far (depth 1) to near, in
   * `record`; `recordSequenced` ignores it (submit order wins). Default false.
   */
  translucent?: boolean
  /** Used in errors. Default 'batch <id>'. */
  label?: string
}

/** Everything the queue reads at record and flush time. Owned by the queue. */
export class BatchRecord {
  readonly id: BatchId
  readonly label: string
  readonly pipeline: PipelineHandle
  /** Pipeline sort id (handle slot & 0xfff). */
  readonly pipelineId: number
  readonly instanced: boolean
  readonly vertexCount: number
  readonly floatsPerInstance: number
  readonly translucent: boolean
  readonly blocks: readonly UniformBlock[]
  /** The WebGLProgram blocks upload to. */
  readonly program: object
  /** Reused for every draw of this batch; the queue writes the streamed slot and offset. */
  readonly bindings: Bindings & { vertexBuffers: BufferHandle[]; vertexOffsets: number[] }
  /** Vertex buffer slot the queue streams into (1 instanced, 0 vertices). */
  readonly streamSlot: number
  readonly geometry: BufferHandle | 0
  readonly indexBuffer: BufferHandle | 0
  readonly textures: readonly TextureHandle[]

  constructor(id: BatchId, desc: BatchDesc, program: object) {
    this.id = id
    this.label = desc.label ?? `batch ${id}`
    this.pipeline = desc.pipeline
    this.pipelineId = desc.pipeline & 0xfff
    this.instanced = (desc.mode ?? 'instanced') === 'instanced'
    this.vertexCount = desc.vertexCount
    this.floatsPerInstance = desc.floatsPerInstance
    this.translucent = desc.translucent ?? false
    this.blocks = Object.freeze([...(desc.blocks ?? [])])
    this.program = program
    this.geometry = desc.geometry ?? 0
    this.indexBuffer = desc.indexBuffer ?? 0
    this.textures = Object.freeze([...(desc.textures ?? [])])
    this.streamSlot = this.instanced ? 1 : 0
    this.bindings = {
      // The streamed slot is the transient ring's current buffer, written at each draw (the
      // ring makes its buffers on first use and replaces them when it grows).
      vertexBuffers: this.instanced ? [this.geometry as BufferHandle, 0 as BufferHandle] : [0 as BufferHandle],
      vertexOffsets: this.instanced ? [0, 0] : [0],
      indexBuffer: this.indexBuffer,
      textures: [...this.textures],
    }
  }

  /** Debug: the first resource of this batch that is no longer valid, as a coded error, or null. */
  checkResources(device: Device, usedBy: string): ValidationError | null {
    const bad = (what: string, state: string): ValidationError => new ValidationError(
      state === 'destroyed' ? ErrorCode.RESOURCE_DESTROYED : ErrorCode.INVALID_HANDLE,
      `${usedBy}: batch "${this.label}" uses a ${what} that is ${state}; destroy the batch and create it again with live resources`,
      { batch: this.id, what, state })
    const ps = device.queryPipelineState(this.pipeline)
    if (ps !== 'valid') return bad('pipeline', ps)
    const prs = device.queryProgramState(device.pipelineProgram(this.pipeline))
    if (prs !== 'valid') return bad('program', prs)
    if (this.geometry !== 0) {
      const s = device.queryBufferState(this.geometry)
      if (s !== 'valid') return bad('geometry buffer', s)
    }
    if (this.indexBuffer !== 0) {
      const s = device.queryBufferState(this.indexBuffer)
      if (s !== 'valid') return bad('index buffer', s)
    }
    for (const t of this.textures) {
      if (t === 0) continue
      const s = device.queryTextureState(t)
      if (s !== 'valid') return bad('texture', s)
    }
    return null
  }
}

function invalid(label: string, message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, `createBatch "${label}": ${message}`)
}

/**
 * Validates `desc` against the device (handles live, pipeline layout matches the mode and the
 * stride) and returns the WebGLProgram its blocks upload to. Throws coded errors; never on a
 * hot path, so it always runs, debug or not.
 */
export function checkBatchDesc(device: Device, desc: BatchDesc, label: string): object {
  if (desc === null || typeof desc !== 'object') throw invalid(label, 'a BatchDesc object is required')
  const mode = desc.mode ?? 'instanced'
  if (mode !== 'instanced' && mode !== 'vertices') throw invalid(label, `mode must be 'instanced' or 'vertices', got ${String(mode)}`)
  const fpi = desc.floatsPerInstance
  if (!Number.isInteger(fpi) || fpi < 1 || fpi > 63) {
    throw invalid(label, `floatsPerInstance ${fpi} must be an integer in 1..63 (a vertex stride is at most 255 bytes)`)
  }
  if (!Number.isInteger(desc.vertexCount) || desc.vertexCount < 1) {
    throw invalid(label, `vertexCount ${desc.vertexCount} must be a positive integer`)
  }
  const pipe = device.pipelineInfo(desc.pipeline) // throws coded handle errors
  const program = device.programInfo(pipe.programHandle as ProgramHandle).program as object
  const stride = fpi * 4
  const geometry = desc.geometry ?? 0
  const index = desc.indexBuffer ?? 0
  if (mode === 'instanced') {
    if (pipe.bufferCount < 2 || pipe.bufferInstanced[1] !== 1 || pipe.bufferInstanced[0] !== 0) {
      throw invalid(label, "an 'instanced' batch needs a pipeline with buffers [{ step: 'vertex' }, { step: 'instance' }]")
    }
    if (pipe.bufferStride[1] !== stride) {
      throw invalid(label, `the pipeline's instance stride is ${pipe.bufferStride[1]} bytes but floatsPerInstance ${fpi} needs ${stride}; make them agree`)
    }
    if (geometry === 0) throw invalid(label, "an 'instanced' batch needs geometry (a per-vertex buffer at slot 0)")
    if (device.queryBufferState(geometry) !== 'valid') throw invalid(label, 'geometry is not a live vertex buffer')
    if (index !== 0 && device.queryBufferState(index) !== 'valid') throw invalid(label, 'indexBuffer is not a live index buffer')
    if ((index !== 0) !== (pipe.indexType !== 0)) {
      throw invalid(label, 'give indexBuffer exactly when the pipeline has an indexType')
    }
  } else {
    if (pipe.bufferCount !== 1 || pipe.bufferInstanced[0] !== 0) {
      throw invalid(label, "a 'vertices' batch needs a pipeline with one per-vertex buffer")
    }
    if (pipe.bufferStride[0] !== stride) {
      throw invalid(label, `the pipeline's vertex stride is ${pipe.bufferStride[0]} bytes but floatsPerInstance ${fpi} needs ${stride}; make them agree`)
    }
    if (geometry !== 0 || index !== 0 || pipe.indexType !== 0) {
      throw invalid(label, "a 'vertices' batch streams its vertices itself: leave geometry and indexBuffer at 0 and use a non-indexed pipeline")
    }
  }
  for (const t of desc.textures ?? []) {
    if (t !== 0 && device.queryTextureState(t) !== 'valid') throw invalid(label, `texture ${t} is not a live texture`)
  }
  for (const b of desc.blocks ?? []) {
    if (b === null || typeof b !== 'object' || typeof (b as UniformBlock).upload !== 'function') {
      throw invalid(label, 'blocks must hold UniformBlock objects from createUniformBlock')
    }
  }
  return program
}

/** Debug checks of a record that passed the release checks (layer, depth, vertex groups, live resources). */
export function checkRecord(device: Device, b: BatchRecord, count: number, layer: number, depth: number, call: string): void {
  if (!Number.isInteger(layer) || layer < 0 || layer > 255) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE, `${call}: layer ${layer} must be an integer in 0..255`, { layer })
  }
  if (!Number.isFinite(depth)) {
    throw new ValidationError(ErrorCode.OUT_OF_RANGE,
      `${call}: depth ${depth} must be a finite number (0 near .. 1 far); NaN usually means a broken transform`, { depth })
  }
  if (!b.instanced && count % b.vertexCount !== 0) {
    throw new ValidationError(ErrorCode.INVALID_DRAW,
      `${call}: batch "${b.label}" draws groups of ${b.vertexCount} vertices but got ${count}; record whole groups`, { count })
  }
  const err = b.checkResources(device, call)
  if (err !== null) throw err
}

/** The debug error of a record naming a dead batch (`b` null or undefined) or a bad `count`. */
export function recordError(b: BatchRecord | null | undefined, batch: number, count: number, maxCount: number, call: string): ValidationError {
  if (b === undefined || b === null) {
    return new ValidationError(ErrorCode.INVALID_HANDLE,
      `${call}: ${batch} is not a live batch of this queue (destroyed, or never created); create it with queue.createBatch()`,
      { batch })
  }
  return new ValidationError(ErrorCode.INVALID_DRAW,
    `${call}: count ${count} for batch "${b.label}" must be an integer in 0..${maxCount}`, { batch, count })
}

/** The debug error of a `recordData` whose `floats` are not whole instances of `b`. */
export function dataSizeError(b: BatchRecord, floats: number): ValidationError {
  return new ValidationError(ErrorCode.DATA_SIZE_MISMATCH,
    `recordData: batch "${b.label}" takes ${b.floatsPerInstance} floats per instance but got ${floats} floats; pass whole instances`,
    { batch: b.id, floats, floatsPerInstance: b.floatsPerInstance })
}

/** Debug check of `recordData`'s floats: INVALID_DRAW for NaN or Infinity. */
export function checkFiniteData(b: BatchRecord, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `recordData: float ${i} of batch "${b.label}" is ${data[i]}; pass finite numbers`, { batch: b.id, index: i })
    }
  }
}
