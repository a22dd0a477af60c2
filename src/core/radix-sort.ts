/**
 * Stable LSD radix sort of 64-bit keys held as two uint32 words (`hi`, `lo`, see sort-key.ts),
 * producing a permutation: `order[0..count)` lists command indices in ascending key order, and
 * commands with equal keys keep their submit order (so sequence mode and ties are exact).
 *
 * Digits are 11 bits (each 32-bit word splits 11 + 11 + 10), so at most 6 counting passes. All six
 * histograms come from one read of the keys, and a pass whose digit is the same for every key
 * (common: layer, mode and most high bits are shared) is skipped. Already sorted input (including
 * all-equal keys, N = 0 and N = 1) is detected in that same read and costs one identity fill.
 * The low-word passes move (lo, hi, index) triples through scratch arrays; the high-word passes
 * move only (hi, index), so every pass reads its keys sequentially.
 *
 * Memory: a `RadixSorter` owns all scratch arrays (six uint32 arrays of `capacity` entries plus
 * a fixed 48 KB histogram). They grow by doubling when a sort gets more keys than `capacity`;
 * once warmed a sort allocates nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'

const DIGIT_BITS = 11
const RADIX = 1 << DIGIT_BITS // 2048
const MASK = RADIX - 1

export interface RadixSorterDesc {
  /** Keys the scratch arrays hold before the first growth. Default 1024. */
  capacity?: number
}

export class RadixSorter {
  private cap: number
  // Ping-pong scratch: A and B hold (lo, hi, index) for the passes in flight.
  private loA: Uint32Array
  private hiA: Uint32Array
  private idxA: Uint32Array
  private loB: Uint32Array
  private hiB: Uint32Array
  private idxB: Uint32Array
  /** Six 2048-entry histograms, turned in place into exclusive prefix sums. */
  private readonly hist = new Uint32Array(6 * RADIX)
  /** Counting passes actually run by the last `sort` (0..6); for tests and stats. */
  lastPasses = 0

  constructor(desc: RadixSorterDesc = {}) {
    const cap = desc.capacity ?? 1024
    if (!Number.isInteger(cap) || cap < 1) {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `RadixSorter capacity ${cap} must be a positive integer; omit it for the default 1024`, { capacity: cap })
    }
    this.cap = cap
    this.loA = new Uint32Array(cap)
    this.hiA = new Uint32Array(cap)
    this.idxA = new Uint32Array(cap)
    this.loB = new Uint32Array(cap)
    this.hiB = new Uint32Array(cap)
    this.idxB = new Uint32Array(cap)
  }

  /** Keys a sort can take without growing. */
  get capacity(): number {
    return this.cap
  }

  private grow(count: number): void {
    let cap = this.cap
    while (cap < count) cap *= 2
    this.cap = cap
    this.loA = new Uint32Array(cap)
    this.hiA = new Uint32Array(cap)
    this.idxA = new Uint32Array(cap)
    this.loB = new Uint32Array(cap)
    this.hiB = new Uint32Array(cap)
    this.idxB = new Uint32Array(cap)
  }

  /**
   * Sorts the first `count` keys (`hi[i]`, `lo[i]`) and returns the permutation: entries
   * `0..count-1` of the returned array are command indices in ascending key order, ties in index
   * order. The input arrays are only read. The returned array belongs to the sorter, is longer
   * than `count`, and is valid until the next `sort` call (which overwrites it).
   */
  sort(hi: Uint32Array, lo: Uint32Array, count: number): Uint32Array {
    if (!(count >= 0 && count <= hi.length && count <= lo.length) || count !== (count | 0)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `radix sort of ${count} keys, but the key arrays hold ${hi.length} (hi) and ${lo.length} (lo); ` +
          'pass the number of commands recorded, at most the arrays\' length', { count })
    }
    if (count > this.cap) this.grow(count)
    const hist = this.hist
    this.lastPasses = 0
    if (histogram(hi, lo, count, hist)) {
      const identity = this.idxA
      for (let i = 0; i < count; i++) identity[i] = i
      return identity
    }

    // Which passes move anything: a digit with one bucket holding every key is constant.
    // Turn each needed histogram into exclusive prefix sums (bucket start offsets).
    let needed = 0
    for (let p = 0; p < 6; p++) {
      if (prefixSums(hist, p * RADIX, count)) needed |= 1 << p
    }

    // The first pass reads the caller's arrays (its index is implicit); later passes ping-pong.
    let first = true
    let sLo = this.loA, sHi = this.hiA, sIdx = this.idxA
    let dLo = this.loB, dHi = this.hiB, dIdx = this.idxB
    for (let p = 0; p < 6; p++) {
      if ((needed & (1 << p)) === 0) continue
      const base = p * RADIX
      const shift = (p % 3) * DIGIT_BITS
      this.lastPasses++
      if (p < 3) {
        if (first) scatterLowFirst(lo, hi, dLo, dHi, dIdx, hist, base, shift, count)
        else scatterLow(sLo, sHi, sIdx, dLo, dHi, dIdx, hist, base, shift, count)
      } else if (first) {
        scatterHighFirst(hi, dHi, dIdx, hist, base, shift, count)
      } else {
        scatterHigh(sHi, sIdx, dHi, dIdx, hist, base, shift, count)
      }
      first = false
      const tLo = sLo; sLo = dLo; dLo = tLo
      const tHi = sHi; sHi = dHi; dHi = tHi
      const tIdx = sIdx; sIdx = dIdx; dIdx = tIdx
    }
    return sIdx
  }
}

// Each loop is its own small monomorphic function so V8 optimises each one separately instead of
// on-stack-replacing loops inside one large function. Each pass is bound by its scattered writes.

/** Fills the six digit histograms; returns true when the keys are already in ascending order. */
function histogram(hi: Uint32Array, lo: Uint32Array, count: number, hist: Uint32Array): boolean {
  hist.fill(0)
  let sorted = true
  for (let i = 0; i < count; i++) {
    const h = hi[i]!
    const l = lo[i]!
    hist[l & MASK]!++
    hist[RADIX + ((l >>> 11) & MASK)]!++
    hist[2 * RADIX + (l >>> 22)]!++
    hist[3 * RADIX + (h & MASK)]!++
    hist[4 * RADIX + ((h >>> 11) & MASK)]!++
    hist[5 * RADIX + (h >>> 22)]!++
    if (sorted && i > 0) {
      const ph = hi[i - 1]!
      if (h < ph || (h === ph && l < lo[i - 1]!)) sorted = false
    }
  }
  return sorted
}

/** Exclusive prefix sums of one histogram in place; false (left partial) when the digit is constant. */
function prefixSums(hist: Uint32Array, base: number, count: number): boolean {
  let sum = 0
  for (let d = base; d < base + RADIX; d++) {
    const c = hist[d]!
    if (c === count) return false
    hist[d] = sum
    sum += c
  }
  return true
}

function scatterLowFirst(lo: Uint32Array, hi: Uint32Array, dLo: Uint32Array, dHi: Uint32Array, dIdx: Uint32Array,
  hist: Uint32Array, base: number, shift: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const l = lo[i]!
    const at = hist[base + ((l >>> shift) & MASK)]!++
    dLo[at] = l
    dHi[at] = hi[i]!
    dIdx[at] = i
  }
}

function scatterLow(sLo: Uint32Array, sHi: Uint32Array, sIdx: Uint32Array, dLo: Uint32Array, dHi: Uint32Array,
  dIdx: Uint32Array, hist: Uint32Array, base: number, shift: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const l = sLo[i]!
    const at = hist[base + ((l >>> shift) & MASK)]!++
    dLo[at] = l
    dHi[at] = sHi[i]!
    dIdx[at] = sIdx[i]!
  }
}

function scatterHighFirst(hi: Uint32Array, dHi: Uint32Array, dIdx: Uint32Array,
  hist: Uint32Array, base: number, shift: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const h = hi[i]!
    const at = hist[base + ((h >>> shift) & MASK)]!++
    dHi[at] = h
    dIdx[at] = i
  }
}

function scatterHigh(sHi: Uint32Array, sIdx: Uint32Array, dHi: Uint32Array, dIdx: Uint32Array,
  hist: Uint32Array, base: number, shift: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const h = sHi[i]!
    const at = hist[base + ((h >>> shift) & MASK)]!++
    dHi[at] = h
    dIdx[at] = sIdx[i]!
  }
}
