/**
 * Uniform blocks with UBO semantics on WebGL 1: CPU storage that stays mapped, uploads of the
 * dirty slot range only, at most once per program per frame.
 *
 * Memory and lifetime:
 * - `block.data` is one Float32Array of `slots * 4` floats, allocated at creation and owned by
 *   the block for its whole life. It never moves, grows or is replaced.
 * - `block.views.<field>` are subarray views into `data` (float fields: length 1; vec2: 2; vec3: 3;
 *   vec4: 4; mat3: 12, three columns padded to vec4, see `writeMat3`; mat4: 16, column-major;
 *   arrays: `length * slotsPerElement * 4`, element i starting at `i * slotsPerElement * 4`).
 *   `block.elements.<arrayField>[i]` is a view of element i alone. All views never move.
 * - Anyone may write the views at any time from the render thread; a write is seen by the next
 *   `upload` of each program. `int` fields are stored as floats (exact up to 2^24): write whole
 *   numbers; the shader reads them with `int(...)`.
 *
 * Dirty tracking (`tracking` in the desc):
 * - 'diff' (default): plain writes cannot be intercepted, so `upload` compares `data` bit for bit
 *   with a per-program shadow copy (`data.byteLength` bytes per program, at most 16 KB) and sends
 *   the first..last changed slots. `markDirty` additionally forces slots to be sent.
 * - 'manual': no shadow and no comparison; only slots named by `markDirty` since that program's
 *   last upload are sent. Cheapest; forgetting `markDirty` leaves the shader stale, which
 *   `debug: true` detects (it keeps a shadow and throws UNIFORM_WRITE naming the field).
 * The first upload to a program sends every slot.
 *
 * The GL side: one `gl.uniform4fv(location of u_<Block>[first], view of slots first..last)` per
 * upload, skipped entirely when nothing is dirty. Locations and range views are cached, so a
 * steady upload allocates nothing in framelatch. @kmamal/gl 9.1.0 quirk: its `uniform4fv` only
 * writes more than one element through a location looked up as `name[0]` (it keeps the element
 * locations in an internal `_array` and loops `uniform4f` natively); for `name[k]` it raises
 * INVALID_OPERATION. When the `[0]` location carries such an `_array`, the block gives each
 * `name[k]` location it caches the tail of that array, so the standard WebGL call works. On a
 * spec-conforming context nothing is patched. Because that wrapper makes one native `uniform4f`
 * per slot, sending only the dirty range also saves native calls, not just bytes.
 * Measured (Node 20, @kmamal/gl 9.1.0, test/gl/uniform-heap.test.mjs, 10k write+upload cycles):
 * the wrapper's `uniform4fv` allocates about 3 B per call once V8 has optimised it and about
 * 65 B per call before; framelatch's own path measured under 3 B per cycle (measurement noise).
 */
import { ErrorCode, GLCallError, ValidationError } from '../errors.js'
import { generateBlockGLSL, type GLSLPrecision } from './uniform-glsl.js'
import {
  layoutUniformBlock, type UniformArrayDesc, type UniformFieldLayout, type UniformLayout, type UniformSchema,
} from './uniform-layout.js'
import { firstDifference, lastDifference } from './shadow-diff.js'
import type { GL, WebGLProgram, WebGLUniformLocation } from './types.js'
import { currentProgram } from './program.js'
import { checkDesc, descKeys } from '../check.js'

export interface UniformBlockDesc<S extends UniformSchema = UniformSchema> {
  /** Block name, a GLSL identifier; the uniform is `u_<name>`. Required. */
  name: string
  /** Field schema, laid out in key order (see uniform-layout.ts). Required. */
  fields: S
  /** Slot limit checked at creation. Default 1024 (MAX_VERTEX_UNIFORM_VECTORS here). */
  maxVectors?: number
  /** Prefix for the GLSL accessor names. Default '' (accessors are the field names). */
  prefix?: string
  /** Precision of the uniform array in both stages. Default 'highp'. */
  precision?: GLSLPrecision
  /** How dirty slots are found: 'diff' (default) or 'manual' (see the file comment). */
  tracking?: 'diff' | 'manual'
  /** Check program binding, GL errors and (manual tracking) unmarked writes. Default false. */
  debug?: boolean
}

/** Counters, updated in place (read them, do not replace them). */
export interface UniformBlockStats {
  /** `uniform4fv` calls made. */
  uploads: number
  /** `upload` calls that sent nothing (clean, already sent this frame, or unused by the program). */
  skipped: number
  /** vec4 slots sent, summed over uploads. */
  slotsUploaded: number
  /** First slot and slot count of the last upload made (-1 and 0 before any). */
  lastFirstSlot: number
  lastSlotCount: number
}

export type UniformViews<S extends UniformSchema> = { readonly [K in keyof S]: Float32Array }
export type UniformElements<S extends UniformSchema> = {
  readonly [K in keyof S as S[K] extends UniformArrayDesc ? K : never]: readonly Float32Array[]
}

/** Marks remembered for programs that have not uploaded yet; older marks force a full upload. */
const MARK_RING = 64
const VIEW_CACHE_MAX = 512

/** What one program currently holds for this block. */
class ProgramState {
  /** Active elements of u_<Block> in this program (the driver may trim an unused tail). */
  activeSlots = 0
  /** Location of u_<Block>[k], looked up on first use; undefined = not looked up yet. */
  /** Per slot: its location, null when the driver has none, undefined before the first look-up. */
  readonly locations: (WebGLUniformLocation | null | undefined)[]
  /** @kmamal/gl's native element locations (the `_array` of the `[0]` location), or null. */
  quirkArray: number[] | null = null
  /** Bits last sent, for 'diff' tracking and debug checks; null otherwise. */
  readonly shadow: Int32Array | null
  fresh = true
  seenMark = 0
  lastFrame = -1

  constructor(slots: number, shadow: boolean, seenMark: number) {
    this.locations = new Array<WebGLUniformLocation | null | undefined>(slots).fill(undefined)
    this.shadow = shadow ? new Int32Array(slots * 4) : null
    this.seenMark = seenMark
  }
}

const GL_ERROR_NAMES: Record<number, string> = {
  0x500: 'INVALID_ENUM', 0x501: 'INVALID_VALUE', 0x502: 'INVALID_OPERATION', 0x505: 'OUT_OF_MEMORY',
  0x506: 'INVALID_FRAMEBUFFER_OPERATION',
}

export class UniformBlock<S extends UniformSchema = UniformSchema> {
  readonly name: string
  readonly uniformName: string
  readonly layout: UniformLayout
  /** GLSL declaration and accessors; insert after the precision statement of both stages. */
  readonly glsl: string
  /** The mapped storage (see the file comment). */
  readonly data: Float32Array
  readonly views: UniformViews<S>
  readonly elements: UniformElements<S>
  readonly stats: UniformBlockStats = { uploads: 0, skipped: 0, slotsUploaded: 0, lastFirstSlot: -1, lastSlotCount: 0 }
  readonly tracking: 'diff' | 'manual'
  readonly debug: boolean

  private readonly bits: Int32Array
  private readonly programs = new WeakMap<object, ProgramState>()
  private readonly markFirst = new Int32Array(MARK_RING)
  private readonly markLast = new Int32Array(MARK_RING)
  private markSeq = 0
  private readonly rangeViews = new Map<number, Float32Array>()

  constructor(desc: UniformBlockDesc<S>) {
    this.layout = layoutUniformBlock(desc)
    const tracking = desc.tracking ?? 'diff'
    if (tracking !== 'diff' && tracking !== 'manual') {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `uniform block "${this.layout.name}": tracking must be 'diff' or 'manual', got ${String(tracking)}`)
    }
    const precision = desc.precision ?? 'highp'
    if (precision !== 'highp' && precision !== 'mediump') {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `uniform block "${this.layout.name}": precision must be 'highp' or 'mediump', got ${String(precision)}`)
    }
    this.tracking = tracking
    this.debug = desc.debug ?? false
    this.name = this.layout.name
    this.uniformName = this.layout.uniformName
    this.glsl = generateBlockGLSL(this.layout, precision)
    this.data = new Float32Array(this.layout.floats)
    this.bits = new Int32Array(this.data.buffer)
    const views: Record<string, Float32Array> = {}
    const elements: Record<string, Float32Array[]> = {}
    for (const f of this.layout.fields) {
      views[f.name] = this.data.subarray(f.offset, f.offset + f.floats)
      if (f.isArray) {
        const stride = f.slotsPerElement * 4
        const list: Float32Array[] = []
        for (let i = 0; i < f.length; i++) list.push(this.data.subarray(f.offset + i * stride, f.offset + i * stride + f.elementFloats))
        elements[f.name] = list
      }
    }
    this.views = Object.freeze(views) as UniformViews<S>
    this.elements = Object.freeze(elements) as UniformElements<S>
  }

  /** vec4 slots in the block. */
  get slots(): number {
    return this.layout.slots
  }

  /**
   * Forces slots to be sent by every program's next upload: the whole block (no argument), one
   * field, or one element of an array field. Required after writes in 'manual' tracking; optional
   * in 'diff' tracking. Throws UNKNOWN_UNIFORM / OUT_OF_RANGE for a bad field or index.
   */
  markDirty(field?: keyof S & string, index?: number): void {
    if (field === undefined) {
      this.mark(0, this.layout.slots - 1)
      return
    }
    const f = this.layout.byName[field]
    if (f === undefined) throw this.unknownField(field)
    if (index === undefined) {
      this.mark(f.slot, f.lastSlot)
      return
    }
    if (!(index >= 0 && index < f.length && (index | 0) === index)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `uniform block "${this.name}": element ${index} of "${field}" is out of range; use 0..${f.length - 1}`)
    }
    const first = f.slot + index * f.slotsPerElement
    this.mark(first, first + ((f.elementFloats + f.component - 1) >> 2))
  }

  /**
   * Sends this program's dirty slots with one `uniform4fv`; returns true when a GL call was made.
   * `program` must be current (`gl.useProgram(program)`); debug mode checks it. Pass the engine's
   * frame number as `frame` to send at most once per program per frame (later calls with the same
   * frame are skipped without comparing); -1 (default) always looks for dirty slots.
   * The first call for a program looks up its locations (allocates once); later calls allocate
   * nothing in framelatch (see the file comment for what @kmamal/gl does). A program hot-swapped
   * since the caller cached it (device.replaceProgram) is followed to its successor, which gets
   * every slot on its first upload.
   */
  upload(gl: GL, cachedProgram: WebGLProgram, frame = -1): boolean {
    const program = currentProgram(cachedProgram)
    let st = this.programs.get(program)
    if (st === undefined) st = this.attach(gl, program)
    if (frame >= 0 && st.lastFrame === frame) {
      this.stats.skipped++
      return false
    }
    st.lastFrame = frame
    if (this.debug && gl.getParameter(gl.CURRENT_PROGRAM) !== program) {
      throw new ValidationError(ErrorCode.UNIFORM_WRITE,
        `uniform block "${this.name}": upload(gl, program) needs that program bound; call gl.useProgram(program) first`)
    }

    const slots = this.layout.slots
    let first = slots
    let last = -1
    if (st.fresh) {
      first = 0
      last = slots - 1
      st.fresh = false
    } else {
      const behind = this.markSeq - st.seenMark
      if (behind > MARK_RING) {
        first = 0
        last = slots - 1
      } else {
        for (let s = st.seenMark + 1; s <= this.markSeq; s++) {
          const k = s & (MARK_RING - 1)
          if (this.markFirst[k]! < first) first = this.markFirst[k]!
          if (this.markLast[k]! > last) last = this.markLast[k]!
        }
      }
      const shadow = st.shadow
      if (shadow !== null && (first > 0 || last < slots - 1)) {
        const bits = this.bits
        const lo = firstDifference(bits, shadow)
        if (lo < bits.length) {
          const hi = lastDifference(bits, shadow, lo)
          if (this.tracking === 'manual' && ((lo >> 2) < first || (hi >> 2) > last)) {
            throw this.unmarkedWrite((lo >> 2) < first ? lo : hi)
          }
          if ((lo >> 2) < first) first = lo >> 2
          if ((hi >> 2) > last) last = hi >> 2
        }
      }
    }
    st.seenMark = this.markSeq
    if (first > last) {
      this.stats.skipped++
      return false
    }
    if (st.shadow !== null) {
      const shadow = st.shadow
      const bits = this.bits
      for (let i = first * 4, end = last * 4 + 4; i < end; i++) shadow[i] = bits[i]!
    }
    if (last >= st.activeSlots) last = st.activeSlots - 1
    if (first > last) {
      this.stats.skipped++
      return false
    }
    let loc = st.locations[first]
    if (loc === undefined) loc = this.locate(gl, program, st, first)
    if (loc === null) {
      this.stats.skipped++
      return false
    }
    gl.uniform4fv(loc, this.rangeView(first, last))
    if (this.debug) {
      const err = gl.getError()
      if (err !== 0) throw new GLCallError(`uniform4fv(${this.uniformName}[${first}], ${last - first + 1} slots)`, err, GL_ERROR_NAMES[err] ?? 'GL error')
    }
    const stats = this.stats
    stats.uploads++
    stats.slotsUploaded += last - first + 1
    stats.lastFirstSlot = first
    stats.lastSlotCount = last - first + 1
    return true
  }

  /**
   * Drops what the block cached for `program` (locations, shadow). Call it after relinking a
   * program; the next upload then sends every slot. Deleted programs are forgotten by the GC.
   */
  forgetProgram(program: WebGLProgram): void {
    this.programs.delete(program)
  }

  private mark(first: number, last: number): void {
    const s = ++this.markSeq
    const k = s & (MARK_RING - 1)
    this.markFirst[k] = first
    this.markLast[k] = last
  }

  private attach(gl: GL, program: WebGLProgram): ProgramState {
    const st = new ProgramState(this.layout.slots, this.tracking === 'diff' || this.debug, this.markSeq)
    const u = this.uniformName
    const count = Number(gl.getProgramParameter(program, gl.ACTIVE_UNIFORMS)) || 0
    for (let i = 0; i < count; i++) {
      const info = gl.getActiveUniform(program, i)
      if (info && (info.name === u || info.name === u + '[0]')) st.activeSlots = Math.min(info.size, this.layout.slots)
    }
    if (st.activeSlots > 0) {
      const base = gl.getUniformLocation(program, u + '[0]')
      st.locations[0] = base
      const internal = base !== null ? (base as { _array?: unknown })._array : undefined
      if (Array.isArray(internal)) st.quirkArray = internal as number[]
    }
    this.programs.set(program, st)
    return st
  }

  private locate(gl: GL, program: WebGLProgram, st: ProgramState, slot: number): WebGLUniformLocation | null {
    const loc = gl.getUniformLocation(program, `${this.uniformName}[${slot}]`)
    if (loc !== null && st.quirkArray !== null && !Array.isArray((loc as { _array?: unknown })._array)) {
      (loc as { _array?: number[] })._array = st.quirkArray.slice(slot)
    }
    st.locations[slot] = loc
    return loc
  }

  /** A cached view of slots first..last (the Map lookup with a small-integer key allocates nothing). */
  private rangeView(first: number, last: number): Float32Array {
    const key = first * this.layout.slots + last
    let v = this.rangeViews.get(key)
    if (v === undefined) {
      if (this.rangeViews.size >= VIEW_CACHE_MAX) this.rangeViews.clear()
      v = this.data.subarray(first * 4, last * 4 + 4)
      this.rangeViews.set(key, v)
    }
    return v
  }

  private fieldAt(floatIndex: number): UniformFieldLayout | null {
    for (const f of this.layout.fields) if (floatIndex >= f.offset && floatIndex < f.offset + f.floats) return f
    return null
  }

  private unmarkedWrite(floatIndex: number): ValidationError {
    const f = this.fieldAt(floatIndex)
    const what = f !== null ? `field "${f.name}"` : `padding at float ${floatIndex}`
    return new ValidationError(ErrorCode.UNIFORM_WRITE,
      `uniform block "${this.name}" (tracking: 'manual'): ${what} changed without markDirty; ` +
      `call block.markDirty('${f?.name ?? ''}') after writing it, or use tracking: 'diff'`,
      { block: this.name, field: f?.name ?? null, slot: floatIndex >> 2 })
  }

  private unknownField(field: string): ValidationError {
    return new ValidationError(ErrorCode.UNKNOWN_UNIFORM,
      `uniform block "${this.name}" has no field "${field}"; fields are: ${this.layout.fields.map((f) => f.name).join(', ')}`)
  }
}

const UNIFORM_BLOCK_KEYS = descKeys<UniformBlockDesc>({ name: true, fields: true, maxVectors: true, prefix: true, precision: true, tracking: true, debug: true })

/** Creates a block from its schema; throws UNIFORM_SCHEMA (naming the field) for a bad schema. */
export function createUniformBlock<S extends UniformSchema>(desc: UniformBlockDesc<S>): UniformBlock<S> {
  checkDesc('createUniformBlock', desc, UNIFORM_BLOCK_KEYS, desc?.debug ?? false)
  return new UniformBlock(desc)
}

/**
 * Copies a packed column-major mat3 (9 floats, e.g. gl-matrix `mat3`) into a block's std140
 * mat3 view (12 floats: three columns padded to vec4). `dst` is `block.views.<mat3 field>` or an
 * element of a mat3 array. Allocates nothing.
 */
export function writeMat3(dst: Float32Array, src: ArrayLike<number>): void {
  dst[0] = src[0]!; dst[1] = src[1]!; dst[2] = src[2]!
  dst[4] = src[3]!; dst[5] = src[4]!; dst[6] = src[5]!
  dst[8] = src[6]!; dst[9] = src[7]!; dst[10] = src[8]!
}
