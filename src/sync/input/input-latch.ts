/**
 * Input latch: on the render thread, right before a frame is recorded, consume every input event
 * that arrived since the previous latch and fold it into one "latched input" record: pointer
 * position, buttons, keys down, wheel since the last frame, event count and arrival times. The
 * record is also packed into a Float32Array of vec4 slots the engine copies into a uniform block
 * (late latching: shaders see input from microseconds before submit, not from the frame start).
 *
 * Packed layout (`INPUT_VEC4S` vec4s = 44 floats; GLSL: `uniform vec4 u_input[11];`):
 *
 * ```
 * vec4 0  pointer x, pointer y (window pixels), buttons mask (bit b-1 for SDL button b), events since last latch
 * vec4 1  wheel dx, wheel dy (sum since last latch), age of oldest event at latch (ms, 0 if none),
 *         age of newest event at latch (ms, -1 if none)
 * vec4 2  modifier bits of the newest key event (InputMod), events lost to overflow (total), 0, 0
 * vec4 3..10  keys-down bitset, 16 scancodes per float: float k holds scancodes 16k..16k+15,
 *         bit (s % 16) set when scancode s is down. GLSL: floor(mod(v / exp2(bit), 2.0)) == 1.0
 * ```
 *
 * Ages are relative to the latch time so they stay exact in float32; absolute times (f64 ms) are
 * in the `LatchedInput` object.
 */
import { InputKind, createInputEvent, type InputEvent, type InputReader, type InputRing } from './input-ring.js'

export const INPUT_VEC4S = 11
export const INPUT_FLOATS = INPUT_VEC4S * 4
/** Float offsets into `LatchedInput.packed`. */
export const InputSlot = { POINTER: 0, WHEEL_AGE: 4, MODS_LOST: 8, KEYS: 12 } as const
/** Scancodes tracked by the keys-down bitset (SDL scancodes are below 512). */
export const MAX_SCANCODE = 512

/** GLSL helpers for the packed layout (WebGL 1, no bit operations). */
export const INPUT_GLSL = `uniform vec4 u_input[${INPUT_VEC4S}];
vec2 flPointer() { return u_input[0].xy; }
bool flButtonDown(float b) { return mod(floor(u_input[0].z / exp2(b - 1.0)), 2.0) == 1.0; }
bool flKeyDown(float sc) {
  float k = floor(sc / 16.0);
  int v = 3 + int(floor(k / 4.0));
  float c = mod(k, 4.0);
  vec4 q = u_input[3];
  for (int i = 3; i < ${INPUT_VEC4S}; i++) { if (i == v) q = u_input[i]; }
  float w = c < 0.5 ? q.x : c < 1.5 ? q.y : c < 2.5 ? q.z : q.w;
  return mod(floor(w / exp2(mod(sc, 16.0))), 2.0) == 1.0;
}
`

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
  /** The same values packed as vec4s (layout above). Owned by the latch; valid until the next latch. */
  readonly packed: Float32Array
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
      packed: new Float32Array(INPUT_FLOATS),
    }
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
    this.pack()
    return s
  }

  /** True when `scancode` is down in the latched state. */
  isKeyDown(scancode: number): boolean {
    if (scancode < 0 || scancode >= MAX_SCANCODE) return false
    return (this.state.keys[scancode >>> 5]! & (1 << (scancode & 31))) !== 0
  }

  private pack(): void {
    const s = this.state
    const p = s.packed
    p[0] = s.pointerX
    p[1] = s.pointerY
    p[2] = s.buttons
    p[3] = s.events
    p[4] = s.wheelX
    p[5] = s.wheelY
    p[6] = s.events > 0 ? s.latchTime - s.oldestArrival : 0
    p[7] = s.events > 0 ? s.latchTime - s.newestArrival : -1
    p[8] = s.mods
    p[9] = s.lost
    p[10] = 0
    p[11] = 0
    const keys = s.keys
    for (let w = 0; w < keys.length; w++) {
      const v = keys[w]!
      p[InputSlot.KEYS + w * 2] = v & 0xffff
      p[InputSlot.KEYS + w * 2 + 1] = v >>> 16
    }
  }
}

/** A latch with its own cursor on `ring`, starting at the ring's current write position. */
export function createInputLatch(ring: InputRing): InputLatch {
  return new InputLatch(ring)
}
