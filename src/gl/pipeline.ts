/**
 * A pipeline bakes a program, a vertex layout and fixed-function state into flat numbers the
 * device applies without looking anything up by name at draw time.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { ProgramRecord } from './program.js'
import type { ProgramHandle } from './handles.js'
import type { BlendMode, GL, GLConstantName, PipelineDesc, VertexFormat, WebGLVertexArrayObjectOES } from './types.js'

const FORMATS: Record<VertexFormat, { size: number; type: GLConstantName; normalized: boolean; bytes: number }> = {
  float: { size: 1, type: 'FLOAT', normalized: false, bytes: 4 },
  float2: { size: 2, type: 'FLOAT', normalized: false, bytes: 8 },
  float3: { size: 3, type: 'FLOAT', normalized: false, bytes: 12 },
  float4: { size: 4, type: 'FLOAT', normalized: false, bytes: 16 },
  ubyte4n: { size: 4, type: 'UNSIGNED_BYTE', normalized: true, bytes: 4 },
  short2: { size: 2, type: 'SHORT', normalized: false, bytes: 4 },
  short2n: { size: 2, type: 'SHORT', normalized: true, bytes: 4 },
  ushort2n: { size: 2, type: 'UNSIGNED_SHORT', normalized: true, bytes: 4 },
}

export const MAX_VERTEX_BUFFERS = 4

export interface PipelineRecord {
  readonly label: string
  readonly programHandle: ProgramHandle
  /** Replaced (with `attribLocation`) when the program is hot-swapped: see `rebindPipelineProgram`. */
  program: ProgramRecord
  /** Drawn with since creation or the program's last replacement (DeviceStats.firstUses). */
  applied: boolean
  /** Per attribute (parallel arrays). */
  readonly attribCount: number
  readonly attribNames: readonly string[]
  readonly attribLocation: Int32Array
  readonly attribSize: Int32Array
  readonly attribType: Int32Array
  readonly attribNormalized: Uint8Array
  readonly attribOffset: Int32Array
  readonly attribBuffer: Int32Array
  /** Per buffer slot. */
  readonly bufferCount: number
  readonly bufferStride: Int32Array
  readonly bufferInstanced: Uint8Array
  readonly primitive: number
  readonly blendEnabled: boolean
  readonly blendSrcRGB: number
  readonly blendDstRGB: number
  readonly blendSrcA: number
  readonly blendDstA: number
  readonly depthTest: boolean
  readonly depthWrite: boolean
  readonly depthFunc: number
  readonly cullFace: number
  /** 0 non-indexed, else gl.UNSIGNED_SHORT / gl.UNSIGNED_INT. */
  readonly indexType: number
  readonly indexBytes: number
  /** True when any buffer steps per instance. */
  readonly instanced: boolean
  /** VAO cache: small list of (buffers, offsets, index buffer) → VAO, filled by the device. */
  readonly vaoKeys: Int32Array[]
  readonly vaos: WebGLVertexArrayObjectOES[]
}

function blendFactors(gl: GL, mode: BlendMode): [boolean, number, number, number, number] {
  switch (mode) {
    case 'none': return [false, gl.ONE, gl.ZERO, gl.ONE, gl.ZERO]
    case 'alpha': return [true, gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA]
    case 'premultiplied': return [true, gl.ONE, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA]
    case 'additive': return [true, gl.SRC_ALPHA, gl.ONE, gl.ONE, gl.ONE]
    case 'multiply': return [true, gl.DST_COLOR, gl.ZERO, gl.DST_ALPHA, gl.ZERO]
    default: throw bad(`blend '${String(mode)}' is not one of none, alpha, premultiplied, additive, multiply`)
  }
}

function bad(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, `createPipeline: ${message}`)
}

export function buildPipeline(gl: GL, desc: PipelineDesc, program: ProgramRecord, caps: { instancing: boolean; uint32Indices: boolean }): PipelineRecord {
  const buffers = desc.buffers ?? [{}]
  if (buffers.length === 0 || buffers.length > MAX_VERTEX_BUFFERS) {
    throw bad(`buffers must have 1..${MAX_VERTEX_BUFFERS} entries, got ${buffers.length}`)
  }
  if (!Array.isArray(desc.attributes) || desc.attributes.length === 0) throw bad('attributes must be a non-empty array')
  const n = desc.attributes.length
  const attribLocation = new Int32Array(n)
  const attribSize = new Int32Array(n)
  const attribType = new Int32Array(n)
  const attribNormalized = new Uint8Array(n)
  const attribOffset = new Int32Array(n)
  const attribBuffer = new Int32Array(n)
  const packed = new Int32Array(buffers.length)
  for (let i = 0; i < n; i++) {
    const a = desc.attributes[i]!
    const f = FORMATS[a.format]
    if (!f) throw bad(`attribute '${a.name}': format '${String(a.format)}' is not one of ${Object.keys(FORMATS).join(', ')}`)
    const slot = a.buffer ?? 0
    if (!Number.isInteger(slot) || slot < 0 || slot >= buffers.length) {
      throw bad(`attribute '${a.name}': buffer ${slot} is not a slot in buffers (0..${buffers.length - 1})`)
    }
    const loc = program.attributes.get(a.name)
    if (loc === undefined) {
      throw new ValidationError(ErrorCode.UNKNOWN_ATTRIBUTE,
        `createPipeline: program "${program.name}" has no active attribute '${a.name}'; ` +
        `active ones: ${[...program.attributes.keys()].join(', ') || '(none)'}`)
    }
    const offset = a.offset ?? packed[slot]!
    if (!Number.isInteger(offset) || offset < 0) throw bad(`attribute '${a.name}': offset must be a non-negative integer`)
    attribLocation[i] = loc
    attribSize[i] = f.size
    attribType[i] = gl[f.type]
    attribNormalized[i] = f.normalized ? 1 : 0
    attribOffset[i] = offset
    attribBuffer[i] = slot
    packed[slot] = Math.max(packed[slot]!, offset + f.bytes)
  }
  const bufferStride = new Int32Array(buffers.length)
  const bufferInstanced = new Uint8Array(buffers.length)
  let instanced = false
  for (let b = 0; b < buffers.length; b++) {
    const stride = buffers[b]!.stride ?? packed[b]!
    if (!Number.isInteger(stride) || stride <= 0 || stride > 255) throw bad(`buffers[${b}].stride must be an integer in 1..255`)
    bufferStride[b] = stride
    const step = buffers[b]!.step ?? 'vertex'
    if (step !== 'vertex' && step !== 'instance') throw bad(`buffers[${b}].step must be 'vertex' or 'instance'`)
    if (step === 'instance') {
      if (!caps.instancing) throw new ValidationError(ErrorCode.EXTENSION_MISSING, 'createPipeline: per-instance buffers need ANGLE_instanced_arrays, which this context lacks')
      bufferInstanced[b] = 1
      instanced = true
    }
  }
  const primitives: Record<string, number> = {
    triangles: gl.TRIANGLES, 'triangle-strip': gl.TRIANGLE_STRIP, lines: gl.LINES, 'line-strip': gl.LINE_STRIP, points: gl.POINTS,
  }
  const primitive = primitives[desc.primitive ?? 'triangles']
  if (primitive === undefined) throw bad(`primitive '${String(desc.primitive)}' is not one of ${Object.keys(primitives).join(', ')}`)
  const [blendEnabled, blendSrcRGB, blendDstRGB, blendSrcA, blendDstA] = blendFactors(gl, desc.blend ?? 'none')
  const compares: Record<string, number> = {
    never: gl.NEVER, less: gl.LESS, lequal: gl.LEQUAL, equal: gl.EQUAL, greater: gl.GREATER, gequal: gl.GEQUAL, always: gl.ALWAYS,
  }
  const depthFunc = compares[desc.depth?.compare ?? 'less']
  if (depthFunc === undefined) throw bad(`depth.compare '${String(desc.depth?.compare)}' is not one of ${Object.keys(compares).join(', ')}`)
  const culls: Record<string, number> = { none: 0, back: gl.BACK, front: gl.FRONT }
  const cullFace = culls[desc.cull ?? 'none']
  if (cullFace === undefined) throw bad(`cull '${String(desc.cull)}' is not one of none, back, front`)
  const it = desc.indexType ?? 'none'
  if (it !== 'none' && it !== 'uint16' && it !== 'uint32') throw bad(`indexType '${String(it)}' is not one of none, uint16, uint32`)
  if (it === 'uint32' && !caps.uint32Indices) throw new ValidationError(ErrorCode.EXTENSION_MISSING, 'createPipeline: uint32 indices need OES_element_index_uint')
  return {
    label: desc.label ?? '',
    programHandle: desc.program,
    program,
    applied: false,
    attribCount: n, attribNames: desc.attributes.map((a) => a.name), attribLocation, attribSize, attribType, attribNormalized, attribOffset, attribBuffer,
    bufferCount: buffers.length, bufferStride, bufferInstanced,
    primitive,
    blendEnabled, blendSrcRGB, blendDstRGB, blendSrcA, blendDstA,
    depthTest: desc.depth?.test ?? false,
    depthWrite: desc.depth?.write ?? false,
    depthFunc,
    cullFace,
    indexType: it === 'none' ? 0 : it === 'uint16' ? gl.UNSIGNED_SHORT : gl.UNSIGNED_INT,
    indexBytes: it === 'uint32' ? 4 : it === 'uint16' ? 2 : 0,
    instanced,
    vaoKeys: [],
    vaos: [],
  }
}

/**
 * The attribute a pipeline reads that `program` lacks, or null when `program` can replace the
 * pipeline's (checked before a hot swap, so a failed check leaves everything as it was).
 */
export function missingAttribute(p: PipelineRecord, program: ProgramRecord): string | null {
  for (const name of p.attribNames) if (!program.attributes.has(name)) return name
  return null
}

/**
 * Points a pipeline at a replacement of its program (same handle, new GL program): attribute
 * locations are looked up again by name. The caller drops the pipeline's VAOs, which baked the
 * old locations, and has checked `missingAttribute` first.
 */
export function rebindPipelineProgram(p: PipelineRecord, program: ProgramRecord): void {
  p.program = program
  p.applied = false
  for (let a = 0; a < p.attribCount; a++) p.attribLocation[a] = program.attributes.get(p.attribNames[a]!)!
}
