/**
 * State schema: a typed description of the state a logic worker publishes to the render thread,
 * compiled once into a byte layout for a `SharedArrayBuffer` that holds three copies of the state
 * (triple buffering) plus a small control block.
 *
 * Buffer layout (all offsets in bytes, every region 64-byte aligned so the three copies and the
 * control word never share a cache line):
 *
 * ```
 * 0    control  Int32Array(16): [0] state word (back|middle|front slot indices + fresh bit)
 *                               [1] publish count (u32, wraps)   [2] magic   [3] layout fingerprint
 *                               [4] copy byte length
 * 64   meta     Float64Array(6): per slot [logic time ms, sequence number]
 * 128  copy 0   fields in declaration order, each aligned to its element size
 * ...  copy 1, copy 2 at 128 + i * copyStride
 * ```
 *
 * A schema is plain data (`spec` is JSON-serialisable), so a worker rebuilds the same layout from
 * the spec it is sent and `attachSharedState` checks the fingerprint.
 */
import { ErrorCode, ValidationError } from '../../errors.js'

export type StateScalarType = 'f32' | 'f64' | 'i32' | 'u32'

/** One field: a scalar type name, or `{ type, length }` for a fixed-length array (length >= 1). */
export type StateFieldSpec = StateScalarType | { readonly type: StateScalarType; readonly length: number }

export type StateSpec = Readonly<Record<string, StateFieldSpec>>

type ArrayFor<T extends StateScalarType> = T extends 'f32'
  ? Float32Array
  : T extends 'f64'
    ? Float64Array
    : T extends 'i32'
      ? Int32Array
      : Uint32Array

type FieldType<F> = F extends StateScalarType ? F : F extends { type: infer T extends StateScalarType } ? T : never

/**
 * The typed views of one copy of the state: every field is a typed array over the shared buffer
 * (scalars are length-1 arrays: write `views.score[0] = 3`). The arrays never move and are never
 * reallocated; who may write them is decided by the writer/reader that handed them out.
 */
export type StateViews<S extends StateSpec> = { readonly [K in keyof S]: ArrayFor<FieldType<S[K]>> }

export interface StateFieldLayout {
  readonly name: string
  readonly type: StateScalarType
  /** Element count (1 for scalars). */
  readonly length: number
  /** True when declared as a bare scalar type (not `{ type, length }`). */
  readonly scalar: boolean
  /** Byte offset of the field inside one copy. */
  readonly offset: number
  readonly byteLength: number
  /** True for f32/f64 fields: the ones `interpolate` blends. */
  readonly float: boolean
}

export interface StateSchema<S extends StateSpec = StateSpec> {
  /** The spec this schema was compiled from (plain data; send it to workers). */
  readonly spec: S
  readonly fields: readonly StateFieldLayout[]
  /** Bytes used by one copy's fields. */
  readonly copyBytes: number
  /** Distance between copies (copyBytes rounded up to 64). */
  readonly copyStride: number
  /** Total SharedArrayBuffer size. */
  readonly byteLength: number
  /** 32-bit hash of the layout, stored in the buffer and checked on attach. */
  readonly fingerprint: number
}

export const STATE_CONTROL_INTS = 16
export const STATE_META_OFFSET = 64
export const STATE_COPIES_OFFSET = 128
export const STATE_MAGIC = 0x464c5354 // 'FLST'
/** Control word indices (Int32Array over bytes 0..63). */
export const Ctl = { STATE: 0, PUBLISHES: 1, MAGIC: 2, FINGERPRINT: 3, COPY_BYTES: 4, WRITER: 5, READER: 6 } as const

const SIZES: Record<StateScalarType, number> = { f32: 4, f64: 8, i32: 4, u32: 4 }
const NAME_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'])
/** A copy may hold at most 256 MB: a guard against typos such as `length: 1e12`. */
const MAX_COPY_BYTES = 256 * 1024 * 1024

function schemaError(field: string, message: string): ValidationError {
  return new ValidationError(ErrorCode.STATE_SCHEMA, `state schema field "${field}": ${message}`, { field })
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a
}

/**
 * Compiles a state spec into a layout. Throws `FL_STATE_SCHEMA` (naming the field) for an empty
 * spec, a bad field name, an unknown type, or a length that is not a positive integer.
 */
export function defineStateSchema<const S extends StateSpec>(spec: S): StateSchema<S> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw schemaError('(schema)', 'pass an object mapping field names to types, e.g. { x: "f32", pos: { type: "f32", length: 3 } }')
  }
  const names = Object.keys(spec)
  if (names.length === 0) {
    throw schemaError('(schema)', 'the schema has no fields; declare at least one, e.g. { x: "f32" }')
  }
  const fields: StateFieldLayout[] = []
  let offset = 0
  let hash = 0x811c9dc5
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 0x01000193)
  }
  for (const name of names) {
    if (!NAME_RE.test(name) || RESERVED.has(name)) {
      throw schemaError(name, 'field names must be JavaScript identifiers (letters, digits, _ and $, not starting with a digit) and not reserved names like __proto__')
    }
    const f = spec[name] as unknown
    let type: unknown
    let length: unknown = 1
    let scalar = true
    if (typeof f === 'string') type = f
    else if (f !== null && typeof f === 'object') {
      type = (f as { type?: unknown }).type
      length = (f as { length?: unknown }).length
      scalar = false
    } else {
      throw schemaError(name, `expected a type name ('f32', 'f64', 'i32', 'u32') or { type, length }, got ${String(f)}`)
    }
    if (typeof type !== 'string' || !(type in SIZES)) {
      throw schemaError(name, `unknown type ${JSON.stringify(type)}; use one of 'f32', 'f64', 'i32', 'u32'`)
    }
    if (typeof length !== 'number' || !Number.isInteger(length) || length <= 0) {
      throw schemaError(name, `length must be a positive integer, got ${String(length)}`)
    }
    const t = type as StateScalarType
    const size = SIZES[t]
    offset = align(offset, size)
    const byteLength = size * length
    fields.push({ name, type: t, length, scalar, offset, byteLength, float: t === 'f32' || t === 'f64' })
    offset += byteLength
    if (offset > MAX_COPY_BYTES) {
      throw schemaError(name, `the state would exceed ${MAX_COPY_BYTES} bytes per copy; use a smaller length`)
    }
    mix(`${name}:${t}:${length}:${scalar ? 's' : 'a'};`)
  }
  const copyBytes = Math.max(8, align(offset, 8))
  const copyStride = align(copyBytes, 64)
  return Object.freeze({
    spec,
    fields: Object.freeze(fields),
    copyBytes,
    copyStride,
    byteLength: STATE_COPIES_OFFSET + 3 * copyStride,
    fingerprint: hash | 0,
  })
}

/** Builds the views object for copy `slot` (0..2) of `buffer`. Called at setup only. */
export function createViews<S extends StateSpec>(schema: StateSchema<S>, buffer: ArrayBufferLike, slot: number): StateViews<S> {
  const base = STATE_COPIES_OFFSET + slot * schema.copyStride
  return createViewsAt(schema, buffer, base)
}

/** Builds a views object for one copy-sized region at byte `base` of any buffer. Setup only. */
export function createViewsAt<S extends StateSpec>(schema: StateSchema<S>, buffer: ArrayBufferLike, base: number): StateViews<S> {
  const out: Record<string, ArrayBufferView> = {}
  for (const f of schema.fields) {
    const o = base + f.offset
    out[f.name] =
      f.type === 'f32' ? new Float32Array(buffer, o, f.length)
      : f.type === 'f64' ? new Float64Array(buffer, o, f.length)
      : f.type === 'i32' ? new Int32Array(buffer, o, f.length)
      : new Uint32Array(buffer, o, f.length)
  }
  return Object.freeze(out) as unknown as StateViews<S>
}
