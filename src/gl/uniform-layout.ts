/**
 * Uniform block layout: turns a field schema into std140-style vec4 slots.
 *
 * WebGL 1 has no uniform buffer objects, so a framelatch "uniform block" is one
 * `uniform vec4 u_<Block>[N]` array. This file decides where every field lives in that array;
 * `uniform-glsl.ts` writes the matching GLSL and `uniform-block.ts` owns the storage. Both read
 * the same `UniformLayout`, so the CPU views and the shader accessors cannot disagree.
 *
 * Packing rules (std140, counted in float components, 4 per slot):
 * - `float`, `int`: 1 component, any component of a slot (a scalar may fill the `.w` after a vec3).
 * - `vec2`: 2 components, starting at component 0 or 2 (`.xy` or `.zw`).
 * - `vec3`: 3 components, starting on a slot (`.xyz`); the `.w` left over takes the next scalar.
 * - `vec4`: one whole slot.
 * - `mat3`: 3 slots, one per column, `.xyz` used and `.w` padding (12 floats, not 9).
 * - `mat4`: 4 slots, one per column (16 floats, column-major like gl-matrix).
 * - arrays of any type: start on a slot, every element starts on a slot (stride = 1 slot for
 *   float/int/vec2/vec3/vec4, 3 for mat3, 4 for mat4); the field after an array starts on a slot.
 * Fields are laid out in the schema's key order. A layout is immutable once built.
 */
import { ErrorCode, ValidationError } from '../errors.js'

export type UniformType = 'float' | 'vec2' | 'vec3' | 'vec4' | 'mat3' | 'mat4' | 'int'

/** An array field: `{ type: 'vec4', length: 8 }`. `length` is a positive integer. */
export interface UniformArrayDesc {
  type: UniformType
  length: number
}

export type UniformFieldDesc = UniformType | UniformArrayDesc

/** Field name → type. Key order is layout order. Names must be GLSL identifiers (see below). */
export type UniformSchema = Record<string, UniformFieldDesc>

/** Where one field lives. All offsets count 32-bit floats from the start of the block. */
export interface UniformFieldLayout {
  /** Field name as written in the schema (the GLSL accessor is `prefix + name`). */
  readonly name: string
  readonly type: UniformType
  /** True for array fields (even `length: 1`). */
  readonly isArray: boolean
  /** Element count: 1 for plain fields. */
  readonly length: number
  /** First vec4 slot the field touches. */
  readonly slot: number
  /** First component (0..3) inside `slot`; 0 for everything that starts on a slot. */
  readonly component: number
  /** Offset in floats: `slot * 4 + component`. */
  readonly offset: number
  /** Floats one element uses: 1, 2, 3, 4, 12 (mat3 with padding) or 16. */
  readonly elementFloats: number
  /** Slots from one array element to the next (1, 3 or 4); 1 for plain fields. */
  readonly slotsPerElement: number
  /** Floats covered by the field's view: `elementFloats` for plain fields, `length * slotsPerElement * 4` for arrays. */
  readonly floats: number
  /** Slots covered: `lastSlot - slot + 1`. */
  readonly slotCount: number
  readonly lastSlot: number
}

export interface UniformLayout {
  /** Block name, e.g. 'Frame'. */
  readonly name: string
  /** The GLSL array uniform, `u_<name>`. */
  readonly uniformName: string
  /** Prefix prepended to each field's GLSL accessor (default ''). */
  readonly prefix: string
  /** vec4 slots used (the `N` of `u_<name>[N]`). */
  readonly slots: number
  /** `slots * 4`: length of the backing Float32Array. */
  readonly floats: number
  /** The limit the layout was checked against. */
  readonly maxVectors: number
  /** Fields in layout order. */
  readonly fields: readonly UniformFieldLayout[]
  /** Fields by schema name. */
  readonly byName: Readonly<Record<string, UniformFieldLayout>>
}

export interface UniformLayoutDesc {
  /** Block name: a GLSL identifier starting with a letter, e.g. 'Frame'. Required. */
  name: string
  /** Field schema. Required, at least one field. */
  fields: UniformSchema
  /**
   * vec4 slots the block may use. Default 1024 (`MAX_VERTEX_UNIFORM_VECTORS` of @kmamal/gl over
   * ANGLE). Pass `gl.getParameter(gl.MAX_FRAGMENT_UNIFORM_VECTORS)` (often smaller on real GPUs)
   * or less to leave room for the shader's other uniforms.
   */
  maxVectors?: number
  /** Prepended to every field's GLSL accessor name, e.g. 'frame_' → `frame_time`. Default ''. */
  prefix?: string
}

export const DEFAULT_MAX_UNIFORM_VECTORS = 1024

interface TypeInfo {
  /** Components used by one element. */
  readonly size: number
  /** Required alignment in components for a plain (non-array) field. */
  readonly align: number
  /** Floats one element covers including column padding. */
  readonly floats: number
  /** Slots one array element takes. */
  readonly slots: number
}

const TYPES: Readonly<Record<UniformType, TypeInfo>> = {
  float: { size: 1, align: 1, floats: 1, slots: 1 },
  int: { size: 1, align: 1, floats: 1, slots: 1 },
  vec2: { size: 2, align: 2, floats: 2, slots: 1 },
  vec3: { size: 3, align: 4, floats: 3, slots: 1 },
  vec4: { size: 4, align: 4, floats: 4, slots: 1 },
  mat3: { size: 12, align: 4, floats: 12, slots: 3 },
  mat4: { size: 16, align: 4, floats: 16, slots: 4 },
}

/** GLSL ES 1.00 keywords, reserved words, type names and built-in functions: a `#define` of any breaks shaders. */
const RESERVED = new Set((
  'attribute const uniform varying break continue do for while if else in out inout float int void bool ' +
  'true false lowp mediump highp precision invariant discard return mat2 mat3 mat4 vec2 vec3 vec4 ivec2 ' +
  'ivec3 ivec4 bvec2 bvec3 bvec4 sampler2D samplerCube struct asm class union enum typedef template this ' +
  'packed goto switch default inline noinline volatile public static extern external interface flat long ' +
  'short double half fixed unsigned superp input output hvec2 hvec3 hvec4 dvec2 dvec3 dvec4 fvec2 fvec3 ' +
  'fvec4 sampler1D sampler3D sampler1DShadow sampler2DShadow sampler2DRect sampler3DRect ' +
  'sampler2DRectShadow sizeof cast namespace using main ' +
  'radians degrees sin cos tan asin acos atan pow exp log exp2 log2 sqrt inversesqrt abs sign floor ceil ' +
  'fract mod min max clamp mix step smoothstep length distance dot cross normalize faceforward reflect ' +
  'refract matrixCompMult lessThan lessThanEqual greaterThan greaterThanEqual equal notEqual any all not ' +
  'texture2D texture2DProj texture2DLod texture2DProjLod textureCube textureCubeLod ' +
  '__LINE__ __FILE__ __VERSION__ GL_ES GL_FRAGMENT_PRECISION_HIGH defined'
).split(' '))

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/
const MAX_NAME = 64

function schemaError(block: string, field: string | null, what: string, fix: string): ValidationError {
  const where = field === null ? `uniform block "${block}"` : `uniform block "${block}", field "${field}"`
  return new ValidationError(ErrorCode.UNIFORM_SCHEMA, `${where}: ${what}; ${fix}`, { block, field })
}

/** Why `name` cannot be a GLSL identifier we #define, or null when it can. */
function badIdentifier(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'the name is empty'
  if (name.length > MAX_NAME) return `the name is longer than ${MAX_NAME} characters`
  if (!IDENT.test(name)) return `"${name}" is not a GLSL identifier (letters, digits, _; starting with a letter)`
  if (name.includes('__')) return `"${name}" contains "__", which GLSL reserves`
  if (/^(gl_|webgl_|fl_)/i.test(name)) return `"${name}" starts with a reserved prefix (gl_, webgl_, fl_)`
  if (RESERVED.has(name)) return `"${name}" is a GLSL keyword, type or built-in function`
  return null
}

function isUniformType(t: unknown): t is UniformType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(TYPES, t)
}

/**
 * Validates a schema and lays it out. Throws a ValidationError with code UNIFORM_SCHEMA naming
 * the block and field for: a bad block or field name, an unknown type, an array length that is
 * not a positive integer, or a block larger than `maxVectors` slots.
 */
export function layoutUniformBlock(desc: UniformLayoutDesc): UniformLayout {
  const blockName = desc?.name
  const nameProblem = badIdentifier(blockName)
  if (nameProblem !== null) {
    throw schemaError(String(blockName), null, `bad block name: ${nameProblem}`, 'name the block like a GLSL identifier, e.g. "Frame"')
  }
  const prefix = desc.prefix ?? ''
  if (prefix !== '' && !/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
    throw schemaError(blockName, null, `bad prefix "${prefix}"`, 'use letters, digits and _ starting with a letter, or omit it')
  }
  const maxVectors = desc.maxVectors ?? DEFAULT_MAX_UNIFORM_VECTORS
  if (!Number.isInteger(maxVectors) || maxVectors < 1) {
    throw schemaError(blockName, null, `maxVectors must be a positive integer, got ${String(maxVectors)}`,
      'pass gl.getParameter(gl.MAX_VERTEX_UNIFORM_VECTORS) or omit it for 1024')
  }
  const schema = desc.fields
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw schemaError(blockName, null, 'fields must be an object of name → type', "pass e.g. fields: { time: 'float' }")
  }
  const uniformName = `u_${blockName}`
  const names = Object.keys(schema)
  if (names.length === 0) {
    throw schemaError(blockName, null, 'the block has no fields', 'declare at least one field')
  }

  const fields: UniformFieldLayout[] = []
  const byName: Record<string, UniformFieldLayout> = Object.create(null)
  let cursor = 0 // in float components
  for (const name of names) {
    const problem = badIdentifier(name) ?? badIdentifier(prefix + name)
    if (problem !== null) {
      throw schemaError(blockName, name, `bad field name: ${problem}`, 'rename the field')
    }
    if (prefix + name === uniformName) {
      throw schemaError(blockName, name, `the field name collides with the block uniform ${uniformName}`, 'rename the field')
    }
    const fd = schema[name] as unknown
    let type: UniformType
    let isArray = false
    let length = 1
    if (typeof fd === 'string') {
      if (!isUniformType(fd)) {
        throw schemaError(blockName, name, `unknown type "${fd}"`, 'use float, vec2, vec3, vec4, mat3, mat4 or int')
      }
      type = fd
    } else if (fd !== null && typeof fd === 'object') {
      const ad = fd as { type?: unknown; length?: unknown }
      if (!isUniformType(ad.type)) {
        throw schemaError(blockName, name, `unknown array element type "${String(ad.type)}"`,
          'use float, vec2, vec3, vec4, mat3, mat4 or int')
      }
      if (typeof ad.length !== 'number' || !Number.isInteger(ad.length) || ad.length < 1) {
        throw schemaError(blockName, name, `array length must be a positive integer, got ${String(ad.length)}`,
          'give the array at least one element')
      }
      type = ad.type
      isArray = true
      length = ad.length
    } else {
      throw schemaError(blockName, name, `bad field description ${String(fd)}`,
        "use a type name ('vec4') or { type: 'vec4', length: 8 }")
    }

    const info = TYPES[type]
    let offset: number
    let floats: number
    let slotsPerElement: number
    if (isArray) {
      offset = Math.ceil(cursor / 4) * 4
      slotsPerElement = info.slots
      floats = length * slotsPerElement * 4
    } else {
      offset = Math.ceil(cursor / info.align) * info.align
      slotsPerElement = 1
      floats = info.floats
    }
    cursor = offset + floats
    const slot = offset >> 2
    const lastSlot = (offset + floats - 1) >> 2
    if (lastSlot + 1 > maxVectors) {
      throw schemaError(blockName, name,
        `the block needs at least ${lastSlot + 1} vec4 slots once this field is added, over the limit of ${maxVectors}`,
        'shrink or remove fields, move large tables to a data texture (createDataTexture), or raise maxVectors if the GPU allows')
    }
    const f: UniformFieldLayout = Object.freeze({
      name, type, isArray, length, slot, component: offset & 3, offset,
      elementFloats: info.floats, slotsPerElement, floats, slotCount: lastSlot - slot + 1, lastSlot,
    })
    fields.push(f)
    byName[name] = f
  }
  const slots = Math.ceil(cursor / 4)
  return Object.freeze({
    name: blockName, uniformName, prefix, slots, floats: slots * 4, maxVectors,
    fields: Object.freeze(fields), byName: Object.freeze(byName),
  })
}
