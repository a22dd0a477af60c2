/**
 * Input latch: on the render thread, right before a frame is recorded, consume every input event
 * that arrived since the previous latch and fold it into one "latched input" record: pointer
 * position, buttons, keys down, key presses so far, wheel since the last frame, event count and
 * arrival times. The engine keeps two latches on its ring: one at the frame start for the CPU
 * (`frame.input`) and one right before the flush that fills the input uniform block the shaders
 * read (src/engine/input-block.ts owns that block's layout and GLSL; sync never knows GL).
 */
import { InputKind, InputMod, createInputEvent, type InputEvent, type InputReader, type InputRing } from './input-ring.js'

/** Scancodes tracked by the keys-down bitset (SDL scancodes are below 512). */
export const MAX_SCANCODE = 512
/** Key presses are counted modulo 2^24 so the count stays exact in a float32 uniform. */
const KEY_PRESS_WRAP = 1 << 24

/** The latched input. One object per latch, updated in place by every `latch()`. */
export interface LatchedInput {
  pointerX: number
  pointerY: number
  /** Bit b-1 set while SDL mouse button b is down. */
  buttons: number
  /** Keys-down bitset over scancodes, 32 per word. Owned by the latch; do not write. */
  readonly keys: Uint32Array
  /** Wheel movement summed over the events of this latch. */
  wheelX: number
  wheelY: number
  /** Events consumed by this latch. */
  events: number
  /** Arrival time (ms) of the oldest event consumed by this latch; NaN when none. */
  oldestArrival: number
  /** Arrival time (ms) of the newest event consumed by this latch; NaN when none. */
  newestArrival: number
  /** The time passed to `latch()`. */
  latchTime: number
  /** Modifier bits of the newest key event seen so far. */
  mods: number
  /** Events lost to ring overflow since the latch was created. */
  lost: number
  /**
   * Key presses (key-down events that are not auto-repeats) since the latch was created, modulo
   * 2^24. Its parity flips on every press: the latency probe's square is drawn from it.
   */
  keyPresses: number
}

export class InputLatch {
  readonly state: LatchedInput
  private readonly reader: InputReader
  private readonly ev: InputEvent = createInputEvent()

  /** @internal use `createInputLatch`. */
  constructor(ring: InputRing) {
    this.reader = ring.reader()
    this.state = {
      pointerX: 0,
      pointerY: 0,
      buttons: 0,
      keys: new Uint32Array(MAX_SCANCODE / 32),
      wheelX: 0,
      wheelY: 0,
      events: 0,
      oldestArrival: NaN,
      newestArrival: NaN,
      latchTime: 0,
      mods: 0,
      lost: 0,
      keyPresses: 0,
    }
  }

  /** Events pushed since the previous latch, not yet consumed by it (the ticker's "input waiting"). */
  pending(): number {
    return this.reader.pending()
  }

  /**
   * Consumes all events since the previous latch and returns the updated record (the same object
   * every time). `nowMs` is the latch time (`performance.now()`). Allocates nothing.
   */
  latch(nowMs: number): LatchedInput {
    const s = this.state
    const e = this.ev
    const keys = s.keys
    let count = 0
    let oldest = NaN
    let newest = NaN
    let wx = 0
    let wy = 0
    let presses = s.keyPresses
    while (this.reader.next(e)) {
      if (count === 0) oldest = e.time
      newest = e.time
      count++
      switch (e.kind) {
        case InputKind.KeyDown:
        case InputKind.KeyUp:
          if (e.code >= 0 && e.code < MAX_SCANCODE) {
            const bit = 1 << (e.code & 31)
            if (e.kind === InputKind.KeyDown) keys[e.code >>> 5]! |= bit
            else keys[e.code >>> 5]! &= ~bit
          }
          if (e.kind === InputKind.KeyDown && (e.mods & InputMod.Repeat) === 0) presses++
          s.mods = e.mods
          break
        case InputKind.PointerMove:
          s.pointerX = e.x
          s.pointerY = e.y
          break
        case InputKind.ButtonDown:
        case InputKind.ButtonUp:
          s.pointerX = e.x
          s.pointerY = e.y
          if (e.code >= 1 && e.code <= 24) {
            if (e.kind === InputKind.ButtonDown) s.buttons |= 1 << (e.code - 1)
            else s.buttons &= ~(1 << (e.code - 1))
          }
          break
        case InputKind.Wheel:
          wx += e.dx
          wy += e.dy
          break
        default:
          break
      }
    }
    s.events = count
    s.oldestArrival = oldest
    s.newestArrival = newest
    s.wheelX = wx
    s.wheelY = wy
    s.latchTime = nowMs
    s.lost = this.reader.lost
    s.keyPresses = presses % KEY_PRESS_WRAP
    return s
  }

  /** True when `scancode` is down in the latched state. */
  isKeyDown(scancode: number): boolean {
    if (scancode < 0 || scancode >= MAX_SCANCODE) return false
    return (this.state.keys[scancode >>> 5]! & (1 << (scancode & 31))) !== 0
  }
}

/** A latch with its own cursor on `ring`, starting at the ring's current write position. */
export function createInputLatch(ring: InputRing): InputLatch {
  return new InputLatch(ring)
}
