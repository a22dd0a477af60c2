/**
 * Shared state: one writer (a logic worker) publishes complete snapshots of a `StateSchema` to one
 * reader (the render thread) through a `SharedArrayBuffer` holding three copies. This file makes
 * and attaches the buffer and hands out the two roles; the protocol that keeps snapshots whole is
 * in state-control.ts, the two sides in state-writer.ts and state-reader.ts.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import { Ctl, STATE_CONTROL_INTS, STATE_MAGIC, type StateSchema, type StateSpec } from './state-schema.js'
import { checkDesc, descKeys } from '../../check.js'
import { claimRole, newToken, pack, releaseRole } from './state-control.js'
import { StateWriter, type StateWriterDesc } from './state-writer.js'
import { StateReader, type StateReaderDesc } from './state-reader.js'

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
