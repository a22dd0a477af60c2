/**
 * Draw sort keys: 64 bits per draw, held as two uint32 words (`hi`, `lo`) so a frame's keys live
 * in two `Uint32Array`s and sort with `RadixSorter` (radix-sort.ts). Comparing keys as unsigned
 * 64-bit integers (hi first, then lo) gives the execution order. Layout after bgfx's keys.
 *
 * Bit layout (key bit 63 is the top bit of `hi`; key bit 0 the bottom bit of `lo`):
 *
 * | word | word bits | key bits | field                                                        |
 * |------|-----------|----------|--------------------------------------------------------------|
 * | hi   | 31..24    | 63..56   | layer / pass, 0..255; dominates every other field            |
 * | hi   | 23..22    | 55..54   | mode: 0 state, 1 sequence, 2 back-to-front, 3 front-to-back  |
 * | hi   | 21        | 53       | translucent: 0 opaque (drawn first), 1 translucent           |
 * |      |           |          | **mode 0, state** (group by pipeline, then material)          |
 * | hi   | 20..9     | 52..41   | pipeline id, 0..4095                                         |
 * | hi   | 8..0      | 40..32   | material / bindings id, bits 15..7                           |
 * | lo   | 31..25    | 31..25   | material / bindings id, bits 6..0                            |
 * | lo   | 24..0     | 24..0    | depth, 25 bits, near (0) first                               |
 * |      |           |          | **mode 1, sequence** (submit order, for UI)                   |
 * | hi   | 20..0     | 52..32   | zero                                                         |
 * | lo   | 31..0     | 31..0    | sequence number, 0..2^32-1                                   |
 * |      |           |          | **modes 2 and 3, depth** (depth before state)                 |
 * | hi   | 20        | 52       | zero (reserved)                                              |
 * | hi   | 19..0     | 51..32   | depth bits 23..4 (mode 2 stores 0xFFFFFF - depth: far first) |
 * | lo   | 31..28    | 31..28   | depth bits 3..0                                              |
 * | lo   | 27..16    | 27..16   | pipeline id, 0..4095                                         |
 * | lo   | 15..0     | 15..0    | material / bindings id, 0..65535                             |
 *
 * Depth is a float in 0..1 (0 = near plane, 1 = far plane, as after projection) quantised to
 * 25 bits (state mode, where it only orders draws that share pipeline and material, front to
 * back to save overdraw) or 24 bits (depth modes). Depth outside 0..1 is clamped, never an error:
 * geometry crossing the near or far plane is legal. Mode sits above translucency, so a layer
 * should use one mode for all of its draws.
 *
 * The pipeline id is a small sort id (0..4095), not a pipeline handle: the full handle lives in
 * the command pool. Integer fields out of range are clamped into range (so order degrades
 * gracefully instead of wrapping) unless `debug` is true, which throws `OUT_OF_RANGE` instead.
 * Encoders write into caller-owned arrays at `index` and allocate nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'

export const SortMode = {
  /** Group by pipeline, then material, then depth front to back. For opaque 3D and batching. */
  State: 0,
  /** Keep submit order exactly (32-bit sequence number). For UI and 2D layers. */
  Sequence: 1,
  /** Far first, then pipeline, material. For translucent geometry. */
  BackToFront: 2,
  /** Near first, then pipeline, material. For opaque geometry with expensive fragments. */
  FrontToBack: 3,
} as const
export type SortModeValue = (typeof SortMode)[keyof typeof SortMode]

export const MAX_LAYER = 0xff
export const MAX_PIPELINE_ID = 0xfff
export const MAX_MATERIAL_ID = 0xffff
export const MAX_SEQUENCE = 0xffffffff
/** Largest quantised depth in state mode (25 bits). */
export const STATE_DEPTH_MAX = 0x1ffffff
/** Largest quantised depth in the depth modes (24 bits). */
export const DEPTH_MODE_MAX = 0xffffff

// ---------------------------------------------------------------- helpers

/** Clamps to 0..max and truncates to an integer; NaN becomes 0. Inlined by V8. */
function clampField(v: number, max: number): number {
  return v >= max ? max : v > 0 ? v >>> 0 : 0
}

/**
 * Quantises a depth in 0..1 to an integer in 0..max (round to nearest). Values outside 0..1 are
 * clamped; NaN becomes 0.
 */
export function quantizeDepth(depth: number, max: number): number {
  if (depth > 0) return depth >= 1 ? max : (depth * max + 0.5) >>> 0
  return 0
}

function fail(field: string, value: number, range: string, advice: string): never {
  throw new ValidationError(ErrorCode.OUT_OF_RANGE,
    `sort key ${field} ${value} is outside ${range}; ${advice}`, { field, value })
}

function checkInt(field: string, v: number, max: number, advice: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) fail(field, v, `0..${max} (an integer)`, advice)
}

function checkDepth(depth: number): void {
  if (!Number.isFinite(depth)) {
    fail('depth', depth, '0..1 (a finite number)', 'compute depth from a finite position (NaN or Infinity usually means a broken transform)')
  }
}

const LAYER_ADVICE = 'use at most 256 layers (passes), numbered from 0'
const PIPELINE_ADVICE = 'pass a small pipeline sort id (for example the handle slot & 0xfff), not the handle itself'
const MATERIAL_ADVICE = 'number materials/bindings from 0 and keep at most 65536 per frame'

/** Debug-mode checks shared by the state and depth encoders (they encode the same fields). */
function checkStateFields(layer: number, pipeline: number, material: number, depth: number): void {
  checkInt('layer', layer, MAX_LAYER, LAYER_ADVICE)
  checkInt('pipeline id', pipeline, MAX_PIPELINE_ID, PIPELINE_ADVICE)
  checkInt('material id', material, MAX_MATERIAL_ID, MATERIAL_ADVICE)
  checkDepth(depth)
}

// ---------------------------------------------------------------- encoders

/**
 * Writes a state-mode key (layer, translucency, pipeline, material, depth front to back) into
 * `hi[index]` and `lo[index]`. The arrays are the caller's; nothing is allocated.
 */
export function encodeStateKey(
  hi: Uint32Array, lo: Uint32Array, index: number,
  layer: number, translucent: boolean, pipeline: number, material: number, depth: number,
  debug = false,
): void {
  if (debug) checkStateFields(layer, pipeline, material, depth)
  const l = clampField(layer, MAX_LAYER)
  const p = clampField(pipeline, MAX_PIPELINE_ID)
  const m = clampField(material, MAX_MATERIAL_ID)
  const d = quantizeDepth(depth, STATE_DEPTH_MAX)
  hi[index] = (l << 24) | (translucent ? 0x200000 : 0) | (p << 9) | (m >>> 7)
  lo[index] = ((m & 0x7f) << 25) | d
}

/**
 * Writes a sequence-mode key: within a layer (and translucency) draws run in `sequence` order,
 * and equal sequence numbers keep submit order (the radix sort is stable). Up to 2^32 draws.
 */
export function encodeSequenceKey(
  hi: Uint32Array, lo: Uint32Array, index: number,
  layer: number, translucent: boolean, sequence: number,
  debug = false,
): void {
  if (debug) {
    checkInt('layer', layer, MAX_LAYER, LAYER_ADVICE)
    checkInt('sequence', sequence, MAX_SEQUENCE, 'reset the sequence counter every frame')
  }
  const l = clampField(layer, MAX_LAYER)
  hi[index] = (l << 24) | 0x400000 | (translucent ? 0x200000 : 0)
  lo[index] = clampField(sequence, MAX_SEQUENCE)
}

/**
 * Writes a depth-mode key: depth first (far first when `backToFront`, near first otherwise),
 * then pipeline and material among draws at the same quantised depth.
 */
export function encodeDepthKey(
  hi: Uint32Array, lo: Uint32Array, index: number,
  layer: number, backToFront: boolean, translucent: boolean, depth: number, pipeline: number, material: number,
  debug = false,
): void {
  if (debug) checkStateFields(layer, pipeline, material, depth)
  const l = clampField(layer, MAX_LAYER)
  const p = clampField(pipeline, MAX_PIPELINE_ID)
  const m = clampField(material, MAX_MATERIAL_ID)
  let d = quantizeDepth(depth, DEPTH_MODE_MAX)
  if (backToFront) d = DEPTH_MODE_MAX - d
  hi[index] = (l << 24) | (backToFront ? 0x800000 : 0xc00000) | (translucent ? 0x200000 : 0) | (d >>> 4)
  lo[index] = ((d & 0xf) << 28) | (p << 16) | m
}

/**
 * Writes a key in any mode (for callers that keep the mode per layer). `sequence` is used only
 * in sequence mode; `pipeline`, `material` and `depth` only in the other modes.
 */
export function encodeSortKey(
  hi: Uint32Array, lo: Uint32Array, index: number,
  layer: number, mode: number, translucent: boolean,
  pipeline: number, material: number, depth: number, sequence: number,
  debug = false,
): void {
  switch (mode) {
    case SortMode.State:
      encodeStateKey(hi, lo, index, layer, translucent, pipeline, material, depth, debug)
      return
    case SortMode.Sequence:
      encodeSequenceKey(hi, lo, index, layer, translucent, sequence, debug)
      return
    case SortMode.BackToFront:
    case SortMode.FrontToBack:
      encodeDepthKey(hi, lo, index, layer, mode === SortMode.BackToFront, translucent, depth, pipeline, material, debug)
      return
    default:
      if (debug) fail('mode', mode, '0..3', 'use a SortMode constant')
      encodeStateKey(hi, lo, index, layer, translucent, pipeline, material, depth, false)
  }
}

// ---------------------------------------------------------------- decoders
// Each takes the two words of one key (e.g. `keyHi[i]`, `keyLo[i]`) and returns one field.

export function sortKeyLayer(hi: number): number {
  return hi >>> 24
}

export function sortKeyMode(hi: number): SortModeValue {
  return ((hi >>> 22) & 3) as SortModeValue
}

export function sortKeyTranslucent(hi: number): boolean {
  return (hi & 0x200000) !== 0
}

/** Pipeline sort id; 0 for sequence-mode keys, which do not store it. */
export function sortKeyPipeline(hi: number, lo: number): number {
  const mode = (hi >>> 22) & 3
  if (mode === SortMode.State) return (hi >>> 9) & 0xfff
  if (mode === SortMode.Sequence) return 0
  return (lo >>> 16) & 0xfff
}

/** Material / bindings id; 0 for sequence-mode keys, which do not store it. */
export function sortKeyMaterial(hi: number, lo: number): number {
  const mode = (hi >>> 22) & 3
  if (mode === SortMode.State) return ((hi & 0x1ff) << 7) | (lo >>> 25)
  if (mode === SortMode.Sequence) return 0
  return lo & 0xffff
}

/** Sequence number of a sequence-mode key; 0 for other modes. */
export function sortKeySequence(hi: number, lo: number): number {
  return ((hi >>> 22) & 3) === SortMode.Sequence ? lo >>> 0 : 0
}

/**
 * The quantised depth as stored (after the back-to-front inversion); 0 for sequence keys.
 * Smaller sorts first.
 */
export function sortKeyDepthBits(hi: number, lo: number): number {
  const mode = (hi >>> 22) & 3
  if (mode === SortMode.State) return lo & STATE_DEPTH_MAX
  if (mode === SortMode.Sequence) return 0
  return ((hi & 0xfffff) << 4 | (lo >>> 28)) >>> 0
}

/**
 * The depth the key was encoded with, in 0..1, within half a quantisation step (1/2^25 in state
 * mode, 1/2^24 in depth modes) of the clamped input; 0 for sequence keys.
 */
export function sortKeyDepth(hi: number, lo: number): number {
  const mode = (hi >>> 22) & 3
  if (mode === SortMode.Sequence) return 0
  const bits = sortKeyDepthBits(hi, lo)
  if (mode === SortMode.State) return bits / STATE_DEPTH_MAX
  return (mode === SortMode.BackToFront ? DEPTH_MODE_MAX - bits : bits) / DEPTH_MODE_MAX
}
