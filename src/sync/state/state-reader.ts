/**
 * The reading side of shared state (shared-state.ts): the one reader, usually the render thread,
 * takes the newest published snapshot without ever waiting, and can blend the last two.
 *
 * Sequence numbers start at 1; a reader that sees `seq === 0` is looking at the zero-filled
 * initial copy.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import {
  Ctl, STATE_COPIES_OFFSET, STATE_META_OFFSET, createViews, createViewsAt, type StateSpec, type StateViews,
} from './state-schema.js'
import { FRESH, backOf, claimRole, frontOf, middleOf, newToken, pack, releaseRole } from './state-control.js'
import type { SharedState } from './shared-state.js'

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

export interface StateReaderDesc {
  /**
   * Default false. When true the reader keeps a private copy of the previous snapshot (one copy
   * of the state per new snapshot) so `interpolate()` can blend the last two.
   */
  interpolate?: boolean
  /** Default false. Take the reader role from a reader whose thread is gone (see StateWriterDesc.takeOver). */
  takeOver?: boolean
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
