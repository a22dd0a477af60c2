/**
 * Hit-testing for dashboards: which panel, button or row is under the pointer.
 *
 * `HitRegions` is a per-frame list of rectangles with integer ids, filled while the frame records
 * (the same coordinates the rects were drawn at) and queried with the latched pointer; the region
 * added last wins, as it is drawn on top. `rowAt` maps a y inside a list or table to a row index.
 *
 * Memory: the regions live in typed arrays that double when full; `clear()` keeps them, so a
 * steady frame allocates nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'

export class HitRegions {
  private rects: Float64Array
  private ids: Int32Array
  private n = 0

  constructor(capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ValidationError(ErrorCode.INVALID_DESC, `createHitRegions: capacity must be a positive integer, got ${String(capacity)}`)
    }
    this.rects = new Float64Array(capacity * 4)
    this.ids = new Int32Array(capacity)
  }

  /** Regions added since the last `clear()`. */
  get length(): number {
    return this.n
  }

  /** Forgets every region (call at the start of each frame). */
  clear(): void {
    this.n = 0
  }

  /** Adds a region; `id` is any integer the app chooses (≥ 0; −1 means "nothing" in `at`). */
  add(id: number, x: number, y: number, w: number, h: number): void {
    if (this.n === this.ids.length) {
      const rects = new Float64Array(this.rects.length * 2)
      rects.set(this.rects)
      this.rects = rects
      const ids = new Int32Array(this.ids.length * 2)
      ids.set(this.ids)
      this.ids = ids
    }
    const o = this.n * 4
    this.rects[o] = x
    this.rects[o + 1] = y
    this.rects[o + 2] = x + w
    this.rects[o + 3] = y + h
    this.ids[this.n++] = id
  }

  /** The id of the topmost (last added) region containing (x, y), or −1. Edges: [x, x + w). */
  at(x: number, y: number): number {
    const r = this.rects
    for (let i = this.n - 1; i >= 0; i--) {
      const o = i * 4
      if (x >= r[o]! && x < r[o + 2]! && y >= r[o + 1]! && y < r[o + 3]!) return this.ids[i]!
    }
    return -1
  }
}

/** A reusable region list (see HitRegions). */
export function createHitRegions(capacity = 64): HitRegions {
  return new HitRegions(capacity)
}

/**
 * The row of a list under `y`: rows of `rowHeight` pixels start at `top`, scrolled by `scroll`
 * pixels (content moved up), `rowCount` rows in all. Returns the row index, or −1 outside.
 */
export function rowAt(y: number, top: number, rowHeight: number, rowCount: number, scroll = 0): number {
  if (!(rowHeight > 0) || !(y >= top)) return -1
  const row = Math.floor((y - top + scroll) / rowHeight)
  return row >= 0 && row < rowCount ? row : -1
}
