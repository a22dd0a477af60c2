/**
 * Shared state: one writer (a logic worker) publishes complete snapshots of a `StateSchema` to one
 * reader (the render thread) through a `SharedArrayBuffer` holding three copies.
 *
 * Protocol (triple buffering, all role changes in ONE atomic word): each of the three copies is in
 * exactly one role, `back` (owned by the writer), `middle` (the newest published copy nobody
 * owns) or `front` (owned by the reader). The state word packs the three slot indices plus a
 * `fresh` bit. `publish` swaps back and middle and sets fresh, in one compare-and-swap;
 * `read` swaps middle and front and clears fresh, in one compare-and-swap. Neither side ever
 * waits: a CAS retries only when the other side made progress in between.
 *
 * Why no torn snapshot is possible: the writer only writes its back copy, and the reader only
 * reads its front copy; a copy changes owner only through the atomic state word, whose
 * sequentially consistent update orders all the plain writes before it. A writer killed halfway
 * through a snapshot never swapped, so its half-written copy is still its own back copy; a new
 * writer attached later reads the roles from the same word and carries on.
 *
 * Roles: one writer and one reader at a time (single producer, single consumer), enforced. Each
 * role is a claim token in the control block (`Ctl.WRITER`, `Ctl.READER`), taken with one CAS
 * by `writer()` / `reader()` in any thread, so a second writer or reader throws `FL_STATE_ROLE`
 * instead of silently corrupting the protocol (two readers swapping the one front copy tear each
 * other's snapshots). `close()` gives the role back; `{ takeOver: true }` replaces a holder
 * known to be dead (a thread that was terminated cannot close). Why not several readers: a
 * second reader would need its own front copy and a newest-copy handoff that the one-word
 * protocol cannot express without waiting; a recorder reads `frame.state` on the render thread.
 * Sequence numbers start at 1; a reader that sees `seq === 0` is looking at the zero-filled
 * initial copy.
 */
import { threadId } from 'node:worker_threads'
import { ErrorCode, ValidationError } from '../../errors.js'
import {
  Ctl,
  STATE_CONTROL_INTS,
  STATE_COPIES_OFFSET,
  STATE_MAGIC,
  STATE_META_OFFSET,
  createViews,
  createViewsAt,
  type StateFieldLayout,
  type StateSchema,
  type StateSpec,
  type StateViews,
} from './state-schema.js'
import { checkDesc, descKeys } from '../../check.js'

const FRESH = 64

function backOf(s: number): number {
  return s & 3
}
function middleOf(s: number): number {
  return (s >> 2) & 3
}
function frontOf(s: number): number {
  return (s >> 4) & 3
}
function pack(back: number, middle: number, front: number, fresh: number): number {
  return back | (middle << 2) | (front << 4) | fresh
}

/** One published snapshot as the reader sees it. Preallocated per copy; fields are updated in place. */
export interface StateSnapshot<S extends StateSpec> {
  /** Typed views of the copy; read-only by contract; valid until the reader's next `read()`/`interpolate()`. */
  readonly views: StateViews<S>
  /** Logic time (ms, `performance.now()` basis of the main thread) the writer published with. */
  time: number
  /** Sequence number of the snapshot (1, 2, ...; 0 means nothing was published yet). */
  seq: number
  /** True when this `read()` returned a snapshot the previous `read()` had not. */
  fresh: boolean
}

/** The output of `interpolate`: reader-owned views, valid until the next `interpolate()`. */
export interface InterpolatedState<S extends StateSpec> {
  readonly views: StateViews<S>
  /** The blended logic time: prev.time + (cur.time - prev.time) * alpha. */
  time: number
  /** 0 = previous snapshot, 1 = newest snapshot (clamped; never extrapolates). */
  alpha: number
  /** Sequence number of the newest snapshot used. */
  seq: number
}

export interface StateWriterDesc {
  /**
   * Default true: `begin()` first copies the newest published snapshot into the back copy, so a
   * step that updates only some fields (or updates incrementally, `x += v * dt`) sees the state
   * it last published. Costs one copy of the state per `begin()`. Pass false when every step
   * rewrites every field.
   */
  carry?: boolean
  /**
   * Default false. Take the writer role even when another writer holds it: only for replacing a
   * writer whose thread died or was terminated (it can no longer `close()`).
   */
  takeOver?: boolean
}

export interface StateReaderDesc {
  /**
   * Default false. When true the reader keeps a private copy of the previous snapshot (one copy
   * of the state per new snapshot) so `interpolate()` can blend the last two.
   */
  interpolate?: boolean
  /** Default false. Take the reader role from a reader whose thread is gone (see StateWriterDesc.takeOver). */
  takeOver?: boolean
}

let nextToken = 1
/** A role-claim token, unique across the threads of this process: thread id, then a counter. Never 0. */
function newToken(): number {
  return ((threadId & 0x7ff) << 20) | (nextToken++ & 0xfffff) | 0x80000000
}

function roleName(index: number): string {
  return index === Ctl.WRITER ? 'writer' : 'reader'
}

/** Takes role `index` (Ctl.WRITER / Ctl.READER) for `token`, or throws FL_STATE_ROLE. */
function claimRole(ctl: Int32Array, index: number, token: number, takeOver: boolean): void {
  const prev = takeOver ? Atomics.exchange(ctl, index, token) : Atomics.compareExchange(ctl, index, 0, token)
  if (prev === 0 || takeOver || prev === token) return
  const role = roleName(index)
  throw new ValidationError(ErrorCode.STATE_ROLE,
    `this shared state already has a ${role}; a state allows one ${role} at a time` +
    (index === Ctl.WRITER
      ? ' (a logic worker holds the writer role while it runs): stop that worker or close() the other writer first'
      : ' (an engine created with this state holds the reader role): read frame.state in onFrame, or close() the other reader first') +
    `; pass { takeOver: true } only to replace a ${role} whose thread is gone`, { role })
}

function releaseRole(ctl: Int32Array, index: number, token: number): void {
  Atomics.compareExchange(ctl, index, token, 0)
}

export class StateWriter<S extends StateSpec> {
  private readonly ctl: Int32Array
  private readonly meta: Float64Array
  private readonly bytes: Uint8Array[]
  private readonly views: StateViews<S>[]
  private readonly byName: Map<string, { field: StateFieldLayout; index: number }>
  private readonly carry: boolean
  private open = false
  private lastPublished: number
  private seqNext: number
  private readonly token: number

  /** @internal use `SharedState.writer()`. `claimed`: a token already holding the role (logic workers). */
  constructor(state: SharedState<S>, desc: StateWriterDesc = {}, claimed = 0) {
    this.ctl = state.control
    if (claimed !== 0) {
      if (Atomics.load(this.ctl, Ctl.WRITER) !== claimed) {
        throw new ValidationError(ErrorCode.STATE_ROLE, 'the writer role of this shared state was taken over by another writer; stop it first', { role: 'writer' })
      }
      this.token = claimed
    } else {
      this.token = newToken()
      claimRole(this.ctl, Ctl.WRITER, this.token, desc.takeOver ?? false)
    }
    this.meta = new Float64Array(state.buffer, STATE_META_OFFSET, 6)
    this.bytes = [0, 1, 2].map((i) => new Uint8Array(state.buffer, STATE_COPIES_OFFSET + i * state.schema.copyStride, state.schema.copyBytes))
    this.views = [0, 1, 2].map((i) => createViews(state.schema, state.buffer, i))
    this.byName = new Map(state.schema.fields.map((field, index) => [field.name, { field, index }]))
    this.carry = desc.carry ?? true
    // A writer may replace a dead one: the newest published copy is whichever non-back copy has
    // the higher sequence number, and numbering continues from there.
    const s = Atomics.load(this.ctl, Ctl.STATE)
    const m = middleOf(s)
    const f = frontOf(s)
    this.lastPublished = this.meta[m * 2 + 1]! >= this.meta[f * 2 + 1]! ? m : f
    this.seqNext = this.meta[this.lastPublished * 2 + 1]! + 1
  }

  /**
   * Returns the views of the copy this writer may write now (its back copy). With `carry` the
   * copy already holds the newest published snapshot. Calling `begin()` again before `publish()`
   * returns the same views without copying. Allocates nothing.
   */
  begin(): StateViews<S> {
    const back = backOf(Atomics.load(this.ctl, Ctl.STATE))
    if (!this.open) {
      if (this.carry && back !== this.lastPublished) this.bytes[back]!.set(this.bytes[this.lastPublished]!)
      this.open = true
    }
    return this.views[back]!
  }

  /**
   * Publishes the back copy as the newest snapshot, stamped with `logicTimeMs`, and returns its
   * sequence number. Never blocks. After this the views returned by `begin()` belong to the
   * reader side: call `begin()` again before writing.
   */
  publish(logicTimeMs: number): number {
    const ctl = this.ctl
    let s = Atomics.load(ctl, Ctl.STATE)
    const back = backOf(s)
    const seq = this.seqNext++
    this.meta[back * 2] = logicTimeMs
    this.meta[back * 2 + 1] = seq
    for (;;) {
      const next = pack(middleOf(s), back, frontOf(s), FRESH)
      const prev = Atomics.compareExchange(ctl, Ctl.STATE, s, next)
      if (prev === s) break
      s = prev // the reader swapped middle and front meanwhile; back is still ours
    }
    Atomics.add(ctl, Ctl.PUBLISHES, 1)
    this.lastPublished = back
    this.open = false
    return seq
  }

  /**
   * Checked write of one field into the back copy (calls `begin()` itself). A number is accepted
   * for scalar and length-1 fields; arrays must match the field's length exactly. Throws
   * `FL_STATE_WRITE` for an unknown field or a wrong length. For hot loops, write the views directly.
   */
  set(name: keyof S & string, value: number | ArrayLike<number>): void {
    const entry = this.byName.get(name)
    if (entry === undefined) {
      throw new ValidationError(ErrorCode.STATE_WRITE, `state write: no field "${name}" in the schema; fields are ${[...this.byName.keys()].join(', ')}`, { field: name })
    }
    const f = entry.field
    const view = (this.begin() as unknown as Record<string, Float64Array>)[name]!
    if (typeof value === 'number') {
      if (f.length !== 1) {
        throw new ValidationError(ErrorCode.STATE_WRITE, `state write: field "${name}" is an array of ${f.length}; pass an array of that length, not a number`, { field: name, expected: f.length })
      }
      view[0] = value
      return
    }
    if (value === null || typeof value !== 'object' || typeof value.length !== 'number' || value.length !== f.length) {
      const got = value !== null && typeof value === 'object' ? (value as ArrayLike<number>).length : typeof value
      throw new ValidationError(ErrorCode.STATE_WRITE, `state write: field "${name}" needs ${f.length} values, got ${String(got)}; pass an array of exactly ${f.length}`, { field: name, expected: f.length, got })
    }
    view.set(value)
  }

  /** Sequence number the next `publish()` will use. */
  get nextSeq(): number {
    return this.seqNext
  }

  /** Gives the writer role back (another writer may then attach). Safe to call twice. */
  close(): void {
    releaseRole(this.ctl, Ctl.WRITER, this.token)
  }
}

export class StateReader<S extends StateSpec> {
  private readonly ctl: Int32Array
  private readonly meta: Float64Array
  private readonly snaps: StateSnapshot<S>[]
  private readonly bytes: Uint8Array[]
  private readonly prevBytes: Uint8Array | null = null
  // Interpolation works on whole-copy views (one Float32Array and one Float64Array per copy) and
  // element ranges per float field, so every loop is monomorphic and nothing is boxed.
  private readonly outBytes: Uint8Array | null = null
  private readonly f32: Float32Array[] = []
  private readonly f64: Float64Array[] = []
  private readonly f32Ranges: Int32Array
  private readonly f64Ranges: Int32Array
  private readonly out: InterpolatedState<S> | null = null
  private prevTime = 0
  private prevValid = false
  private lastSeq = -1
  private readonly token = newToken()

  /** @internal use `SharedState.reader()`. */
  constructor(state: SharedState<S>, desc: StateReaderDesc = {}) {
    const schema = state.schema
    this.ctl = state.control
    claimRole(this.ctl, Ctl.READER, this.token, desc.takeOver ?? false)
    this.meta = new Float64Array(state.buffer, STATE_META_OFFSET, 6)
    this.snaps = [0, 1, 2].map((i) => ({ views: createViews(schema, state.buffer, i), time: 0, seq: 0, fresh: false }))
    this.bytes = [0, 1, 2].map((i) => new Uint8Array(state.buffer, STATE_COPIES_OFFSET + i * schema.copyStride, schema.copyBytes))
    const r32: number[] = []
    const r64: number[] = []
    for (const f of schema.fields) {
      if (f.type === 'f32') r32.push(f.offset / 4, f.offset / 4 + f.length)
      else if (f.type === 'f64') r64.push(f.offset / 8, f.offset / 8 + f.length)
    }
    this.f32Ranges = new Int32Array(r32)
    this.f64Ranges = new Int32Array(r64)
    if (desc.interpolate) {
      // Private (non-shared) memory, owned by this reader: slot 3 = the previous snapshot, slot 4
      // = the blend output. Slots 0..2 index the shared copies.
      const priv = new ArrayBuffer(schema.copyStride * 2)
      this.prevBytes = new Uint8Array(priv, 0, schema.copyBytes)
      this.outBytes = new Uint8Array(priv, schema.copyStride, schema.copyBytes)
      const n32 = schema.copyBytes / 4
      const n64 = schema.copyBytes / 8
      for (let i = 0; i < 3; i++) {
        const base = STATE_COPIES_OFFSET + i * schema.copyStride
        this.f32.push(new Float32Array(state.buffer, base, n32))
        this.f64.push(new Float64Array(state.buffer, base, n64))
      }
      this.f32.push(new Float32Array(priv, 0, n32), new Float32Array(priv, schema.copyStride, n32))
      this.f64.push(new Float64Array(priv, 0, n64), new Float64Array(priv, schema.copyStride, n64))
      // Fractional initial values give V8 double-representation fields, so later stores of
      // fractional times do not box a new number per call.
      this.out = { views: createViewsAt(schema, priv, schema.copyStride), time: 0.5, alpha: 0.5, seq: 0 }
    }
  }

  /**
   * Returns the newest complete snapshot: takes the middle copy if the writer published since the
   * last call, else returns the copy this reader already holds. Never waits, allocates nothing.
   * The returned object and its views are valid until the next `read()`/`interpolate()`.
   */
  read(): StateSnapshot<S> {
    const ctl = this.ctl
    let s = Atomics.load(ctl, Ctl.STATE)
    while ((s & FRESH) !== 0) {
      const front = frontOf(s)
      // Keep the outgoing copy for interpolation. The writer cannot touch it until after the
      // swap below, so this copy is consistent.
      if (this.prevBytes !== null && this.meta[front * 2 + 1]! > 0) {
        this.prevBytes.set(this.bytes[front]!)
        this.prevTime = this.meta[front * 2]!
        this.prevValid = true
      }
      const next = pack(backOf(s), front, middleOf(s), 0)
      const prev = Atomics.compareExchange(ctl, Ctl.STATE, s, next)
      if (prev === s) {
        s = next
        break
      }
      s = prev // the writer published again meanwhile: retry with the newer middle copy
    }
    const f = frontOf(s)
    const snap = this.snaps[f]!
    snap.time = this.meta[f * 2]!
    snap.seq = this.meta[f * 2 + 1]!
    snap.fresh = snap.seq !== this.lastSeq
    this.lastSeq = snap.seq
    return snap
  }

  /**
   * Reads the newest snapshot and blends the float fields of the previous and the newest snapshot
   * this reader saw at `renderTimeMs` (clamped between the two logic times; integer fields come
   * from the newest). Render at `now - logicStepMs` to stay between the two. Requires the reader to
   * be created with `{ interpolate: true }`. Allocates nothing; the result is reader-owned.
   */
  interpolate(renderTimeMs: number): InterpolatedState<S> {
    const out = this.out
    if (out === null) {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'interpolate() needs a reader created with { interpolate: true }; create it with state.reader({ interpolate: true })')
    }
    const snap = this.read()
    const slot = frontOf(Atomics.load(this.ctl, Ctl.STATE))
    let alpha = 1
    if (this.prevValid && snap.time > this.prevTime) {
      alpha = (renderTimeMs - this.prevTime) / (snap.time - this.prevTime)
      alpha = alpha < 0 ? 0 : alpha > 1 ? 1 : alpha
    }
    // Integer fields (and everything when alpha is 1) come from the newest copy as is.
    this.outBytes!.set(this.bytes[slot]!)
    if (alpha !== 1 && this.prevValid) {
      const r32 = this.f32Ranges
      const c32 = this.f32[slot]!
      const p32 = this.f32[3]!
      const o32 = this.f32[4]!
      for (let j = 0; j < r32.length; j += 2) {
        for (let k = r32[j]!, end = r32[j + 1]!; k < end; k++) o32[k] = p32[k]! + (c32[k]! - p32[k]!) * alpha
      }
      const r64 = this.f64Ranges
      const c64 = this.f64[slot]!
      const p64 = this.f64[3]!
      const o64 = this.f64[4]!
      for (let j = 0; j < r64.length; j += 2) {
        for (let k = r64[j]!, end = r64[j + 1]!; k < end; k++) o64[k] = p64[k]! + (c64[k]! - p64[k]!) * alpha
      }
    }
    out.alpha = alpha
    out.time = this.prevValid ? this.prevTime + (snap.time - this.prevTime) * alpha : snap.time
    out.seq = snap.seq
    return out
  }

  /** Gives the reader role back (another reader may then attach). Safe to call twice. */
  close(): void {
    releaseRole(this.ctl, Ctl.READER, this.token)
  }
}

/** A schema's SharedArrayBuffer plus factories for its one writer and one reader. */
export class SharedState<S extends StateSpec = StateSpec> {
  /** The control block (Int32Array over the first 64 bytes); internal, exposed for tests and tools. */
  readonly control: Int32Array

  /** @internal use `createSharedState` / `attachSharedState`. */
  constructor(readonly schema: StateSchema<S>, readonly buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, STATE_CONTROL_INTS)
  }

  /**
   * Creates the writer, taking the writer role: throws `FL_STATE_ROLE` while another writer (in
   * any thread, e.g. a logic worker) holds it. `close()` gives it back.
   */
  writer(desc?: StateWriterDesc): StateWriter<S> {
    checkDesc('writer', desc, WRITER_KEYS, false)
    return new StateWriter(this, desc)
  }

  /**
   * Creates the reader, taking the reader role: throws `FL_STATE_ROLE` while another reader (an
   * engine created with this state holds one) has it. `close()` gives it back.
   */
  reader(desc?: StateReaderDesc): StateReader<S> {
    checkDesc('reader', desc, READER_KEYS, false)
    return new StateReader(this, desc)
  }

  /** @internal reserves the writer role for a logic worker; its thread attaches with `writerWithClaim`. */
  claimWriter(): number {
    const token = newToken()
    claimRole(this.control, Ctl.WRITER, token, false)
    return token
  }

  /** @internal the writer of a role claimed with `claimWriter`. */
  writerWithClaim(token: number, desc?: StateWriterDesc): StateWriter<S> {
    return new StateWriter(this, desc, token)
  }

  /** @internal gives back a role claimed with `claimWriter`. */
  releaseWriter(token: number): void {
    releaseRole(this.control, Ctl.WRITER, token)
  }

  /** Total snapshots published into this buffer (u32, wraps). */
  get publishes(): number {
    return Atomics.load(this.control, Ctl.PUBLISHES) >>> 0
  }
}

export interface SharedStateDesc {
  /** Reserved for future options; currently none. */
  label?: string
}

const WRITER_KEYS = descKeys<StateWriterDesc>({ carry: true, takeOver: true })
const READER_KEYS = descKeys<StateReaderDesc>({ interpolate: true, takeOver: true })
const SHARED_STATE_KEYS = descKeys<SharedStateDesc>({ label: true })

/** Allocates a zero-filled SharedArrayBuffer for `schema` (all three copies zeroed, seq 0). */
export function createSharedState<S extends StateSpec>(schema: StateSchema<S>, desc: SharedStateDesc = {}): SharedState<S> {
  checkDesc('createSharedState', desc, SHARED_STATE_KEYS, false)
  const buffer = new SharedArrayBuffer(schema.byteLength)
  const ctl = new Int32Array(buffer, 0, STATE_CONTROL_INTS)
  ctl[Ctl.STATE] = pack(0, 1, 2, 0)
  ctl[Ctl.MAGIC] = STATE_MAGIC
  ctl[Ctl.FINGERPRINT] = schema.fingerprint
  ctl[Ctl.COPY_BYTES] = schema.copyBytes
  return new SharedState(schema, buffer)
}

/**
 * Attaches to a buffer made by `createSharedState` (typically in another thread, with the schema
 * rebuilt from `schema.spec`). Throws `FL_STATE_SCHEMA` when the buffer is not a framelatch state
 * buffer or was laid out for a different schema.
 */
export function attachSharedState<S extends StateSpec>(schema: StateSchema<S>, buffer: SharedArrayBuffer): SharedState<S> {
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== schema.byteLength) {
    throw new ValidationError(ErrorCode.STATE_SCHEMA, `attachSharedState: expected a SharedArrayBuffer of ${schema.byteLength} bytes made by createSharedState for this schema`, { expected: schema.byteLength })
  }
  const ctl = new Int32Array(buffer, 0, STATE_CONTROL_INTS)
  if (Atomics.load(ctl, Ctl.MAGIC) !== STATE_MAGIC || Atomics.load(ctl, Ctl.FINGERPRINT) !== schema.fingerprint) {
    throw new ValidationError(ErrorCode.STATE_SCHEMA, 'attachSharedState: the buffer was created for a different schema; pass the same spec on both sides', { fingerprint: schema.fingerprint })
  }
  return new SharedState(schema, buffer)
}
