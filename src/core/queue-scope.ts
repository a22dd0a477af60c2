/**
 * The per-frame scope table of a draw queue: which clips (clip.ts) and view transforms
 * (view-transform.ts) this frame's commands name. A command stores one uint32 scope,
 * `(clip slot << 16) | transform slot`, slot 0 meaning none; the flush reads the objects back
 * from `clips[slot]` and `transforms[slot]`. Commands of different scopes never merge, so scope
 * is part of what separates GL draws, like the batch.
 *
 * Lookup is a one-entry cache (the scope of the previous record) and then a scan of the frame's
 * slots, newest first: a frame names a few dozen clips at most, and consecutive records almost
 * always share one. Memory: the two arrays grow to the most slots a frame has used and are reused
 * every frame (`reset` keeps them); nothing is allocated in a steady frame.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Clip } from './clip.js'
import type { ViewTransform } from './view-transform.js'

const MAX_SLOTS = 0xffff

export class ScopeTable {
  /** Clip of slot k (slot 0: null). Entries at and past `clipCount` are stale. */
  readonly clips: (Clip | null)[] = [null]
  /** Transform of slot k (slot 0: null). */
  readonly transforms: (ViewTransform | null)[] = [null]
  clipCount = 1
  transformCount = 1
  private lastClip: Clip | null = null
  private lastTransform: ViewTransform | null = null
  private lastScope = 0

  /** The scope word of (clip, transform), adding slots for objects this frame has not named yet. */
  of(clip: Clip | null, transform: ViewTransform | null): number {
    if (clip === this.lastClip && transform === this.lastTransform) return this.lastScope
    const scope = ((clip === null ? 0 : this.clipSlot(clip)) << 16 | (transform === null ? 0 : this.transformSlot(transform))) >>> 0
    this.lastClip = clip
    this.lastTransform = transform
    this.lastScope = scope
    return scope
  }

  /** Forgets the frame's slots (keeps the arrays). */
  reset(): void {
    // Drop the references so a clip or transform no longer used is not kept alive by the table.
    for (let i = 1; i < this.clipCount; i++) this.clips[i] = null
    for (let i = 1; i < this.transformCount; i++) this.transforms[i] = null
    this.clipCount = 1
    this.transformCount = 1
    this.lastClip = null
    this.lastTransform = null
    this.lastScope = 0
  }

  private clipSlot(clip: Clip): number {
    const list = this.clips
    for (let i = this.clipCount - 1; i > 0; i--) if (list[i] === clip) return i
    const i = this.clipCount
    if (i >= MAX_SLOTS) throw full('clips')
    if (i === list.length) list.push(clip)
    else list[i] = clip
    this.clipCount = i + 1
    return i
  }

  private transformSlot(transform: ViewTransform): number {
    const list = this.transforms
    for (let i = this.transformCount - 1; i > 0; i--) if (list[i] === transform) return i
    const i = this.transformCount
    if (i >= MAX_SLOTS) throw full('transforms')
    if (i === list.length) list.push(transform)
    else list[i] = transform
    this.transformCount = i + 1
    return i
  }
}

function full(what: string): ValidationError {
  return new ValidationError(ErrorCode.OUT_OF_RANGE,
    `draw queue: more than ${MAX_SLOTS - 1} distinct ${what} in one frame; share one object per panel or view`)
}
