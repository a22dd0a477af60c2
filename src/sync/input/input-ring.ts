/**
 * Input ring: fixed-size input events in a SharedArrayBuffer, one writer (the main thread, where
 * SDL delivers events) and any number of readers (render thread, logic workers), each with its own
 * cursor. The writer never waits for readers: a reader that falls more than `capacity` events
 * behind loses the oldest ones, and that loss is detected and counted, never read as garbage.
 *
 * Layout: a header Int32Array(16) ([0] write count, u32 wrapping; [1] capacity; [2] magic), then
 * `capacity` slots of 40 bytes:
 *
 * ```
 * +0  f64 time       arrival timestamp, ms (performance.now() basis of the main thread)
 * +8  f32 x, y       pointer position (window pixels)
 * +16 f32 dx, dy     wheel delta (wheel events)
 * +24 i32 kind       InputKind
 * +28 i32 code       SDL scancode (keys), button number (buttons), buttons mask (pointer move)
 * +32 i32 mods       modifier bits (InputMod)
 * +36 i32 stamp      event number written last (seqlock: -1 while the slot is being written)
 * ```
 *
 * Each slot is a small seqlock: the writer sets `stamp` to -1, writes the fields, then stores the
 * event number. A reader checks the stamp before and after copying; a mismatch means the slot
 * was overwritten under it, which counts as overflow.
 */
import { ErrorCode, ValidationError } from '../../errors.js'
import { checkDesc, descKeys } from '../../check.js'

export const InputKind = {
  KeyDown: 1,
  KeyUp: 2,
  PointerMove: 3,
  ButtonDown: 4,
  ButtonUp: 5,
  Wheel: 6,
} as const
export type InputKindValue = (typeof InputKind)[keyof typeof InputKind]

/** Modifier bits stored in `mods`. */
export const InputMod = {
  Shift: 1,
  Ctrl: 2,
  Alt: 4,
  Super: 8,
  AltGr: 16,
  CapsLock: 32,
  NumLock: 64,
  Repeat: 128,
} as const

/** A reader-owned event record that `InputReader.next` fills in place. */
export interface InputEvent {
  kind: number
  code: number
  x: number
  y: number
  dx: number
  dy: number
  mods: number
  time: number
  /** Event number (u32 wrapping): consecutive for events read without loss. */
  seq: number
}

export function createInputEvent(): InputEvent {
  return { kind: 0, code: 0, x: 0, y: 0, dx: 0, dy: 0, mods: 0, time: 0, seq: 0 }
}

export interface InputRingDesc {
  /** Number of event slots, a power of two between 16 and 65536. Default 1024. */
  capacity?: number
}

const HEADER_BYTES = 64
const SLOT_BYTES = 40
const SLOT_F64 = SLOT_BYTES / 8
const SLOT_I32 = SLOT_BYTES / 4
const MAGIC = 0x464c4952 // 'FLIR'
const H_WRITE = 0
const H_CAP = 1
const H_MAGIC = 2

export class InputRing {
  readonly capacity: number
  private readonly header: Int32Array
  private readonly f64: Float64Array
  private readonly f32: Float32Array
  private readonly i32: Int32Array
  private readonly mask: number

  /** @internal use `createInputRing` / `attachInputRing`. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 16)
    this.capacity = this.header[H_CAP]!
    this.mask = this.capacity - 1
    this.f64 = new Float64Array(buffer, HEADER_BYTES, this.capacity * SLOT_F64)
    this.f32 = new Float32Array(buffer, HEADER_BYTES, this.capacity * SLOT_I32)
    this.i32 = new Int32Array(buffer, HEADER_BYTES, this.capacity * SLOT_I32)
  }

  /**
   * Appends one event (single writer only: the thread that owns the input source). Never waits,
   * allocates nothing. `time` is the arrival timestamp in ms.
   */
  push(kind: number, code: number, x: number, y: number, dx: number, dy: number, mods: number, time: number): void {
    const n = Atomics.load(this.header, H_WRITE)
    const slot = n & this.mask
    const i = slot * SLOT_I32
    Atomics.store(this.i32, i + 9, -1)
    this.f64[slot * SLOT_F64] = time
    this.f32[i + 2] = x
    this.f32[i + 3] = y
    this.f32[i + 4] = dx
    this.f32[i + 5] = dy
    this.i32[i + 6] = kind
    this.i32[i + 7] = code
    this.i32[i + 8] = mods
    Atomics.store(this.i32, i + 9, n & 0x7fffffff)
    Atomics.store(this.header, H_WRITE, (n + 1) | 0)
  }

  /** Events pushed so far (u32, wraps). */
  get written(): number {
    return Atomics.load(this.header, H_WRITE) >>> 0
  }

  /**
   * A new reader whose cursor starts at the current write position (it sees only events pushed
   * from now on). Each reader is owned by one thread.
   */
  reader(): InputReader {
    return new InputReader(this)
  }

  /** @internal used by InputReader. */
  readSlot(n: number, out: InputEvent): boolean {
    const slot = n & this.mask
    const i = slot * SLOT_I32
    const want = n & 0x7fffffff
    if (Atomics.load(this.i32, i + 9) !== want) return false
    out.time = this.f64[slot * SLOT_F64]!
    out.x = this.f32[i + 2]!
    out.y = this.f32[i + 3]!
    out.dx = this.f32[i + 4]!
    out.dy = this.f32[i + 5]!
    out.kind = this.i32[i + 6]!
    out.code = this.i32[i + 7]!
    out.mods = this.i32[i + 8]!
    out.seq = n >>> 0
    return Atomics.load(this.i32, i + 9) === want
  }

  /** @internal */
  loadWrite(): number {
    return Atomics.load(this.header, H_WRITE)
  }
}

/** One reader's cursor over an `InputRing`. */
export class InputReader {
  private cursor: number
  /** Events this reader lost because it fell more than `capacity` behind (or was overwritten mid-read). */
  lost = 0
  /** Number of times a loss was detected. */
  overflows = 0

  /** @internal use `ring.reader()`. */
  constructor(readonly ring: InputRing) {
    this.cursor = ring.loadWrite()
  }

  /** Events pushed but not yet read by this reader (capped at the ring's capacity). */
  pending(): number {
    const d = (this.ring.loadWrite() - this.cursor) | 0
    return d > this.ring.capacity ? this.ring.capacity : d
  }

  /**
   * Copies the next unread event into `out` and returns true, or returns false when there is none.
   * Skips (and counts in `lost`/`overflows`) events that were overwritten before they were read.
   * Allocates nothing.
   */
  next(out: InputEvent): boolean {
    const ring = this.ring
    for (;;) {
      const w = ring.loadWrite()
      let behind = (w - this.cursor) | 0
      if (behind <= 0) return false
      if (behind > ring.capacity) {
        const skip = behind - ring.capacity
        this.lost += skip
        this.overflows++
        this.cursor = (this.cursor + skip) | 0
        behind = ring.capacity
      }
      if (ring.readSlot(this.cursor, out)) {
        this.cursor = (this.cursor + 1) | 0
        return true
      }
      // Overwritten while reading (or being rewritten): that event is lost; skip it and retry.
      this.lost++
      this.overflows++
      this.cursor = (this.cursor + 1) | 0
    }
  }

  /** Drops every unread event (not counted as lost). */
  skipToEnd(): void {
    this.cursor = this.ring.loadWrite()
  }
}

const INPUT_RING_KEYS = descKeys<InputRingDesc>({ capacity: true })

/** Allocates a ring of `capacity` event slots (power of two, default 1024). */
export function createInputRing(desc: InputRingDesc = {}): InputRing {
  checkDesc('createInputRing', desc, INPUT_RING_KEYS, false)
  const capacity = desc.capacity ?? 1024
  if (!Number.isInteger(capacity) || capacity < 16 || capacity > 65536 || (capacity & (capacity - 1)) !== 0) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `InputRingDesc.capacity must be a power of two between 16 and 65536, got ${String(capacity)}`, { capacity })
  }
  const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * SLOT_BYTES)
  const header = new Int32Array(buffer, 0, 16)
  header[H_CAP] = capacity
  header[H_MAGIC] = MAGIC
  // Stamps start at -1 so slot 0 is not mistaken for event 0 before it is written.
  new Int32Array(buffer, HEADER_BYTES).fill(-1)
  return new InputRing(buffer)
}

/** Attaches to a ring's buffer in another thread (`ring.buffer` sent via workerData/postMessage). */
export function attachInputRing(buffer: SharedArrayBuffer): InputRing {
  const header = buffer instanceof SharedArrayBuffer && buffer.byteLength >= HEADER_BYTES ? new Int32Array(buffer, 0, 16) : null
  if (header === null || header[H_MAGIC] !== MAGIC || buffer.byteLength !== HEADER_BYTES + header[H_CAP]! * SLOT_BYTES) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'attachInputRing: expected the SharedArrayBuffer of a ring made by createInputRing (ring.buffer)')
  }
  return new InputRing(buffer)
}
