/**
 * The writing side of shared state (shared-state.ts): the one writer, usually in a logic worker,
 * fills its back copy and publishes it as the newest snapshot without ever waiting.
 *
 * Memory: the views `begin()` returns are over the shared buffer and belong to the writer until
 * `publish()`; nothing is allocated per step.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import {
  Ctl, STATE_COPIES_OFFSET, STATE_META_OFFSET, createViews, type StateFieldLayout, type StateSpec, type StateViews,
} from './state-schema.js'
import { FRESH, backOf, claimRole, frontOf, middleOf, newToken, pack, releaseRole } from './state-control.js'
import type { SharedState } from './shared-state.js'

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
