/**
 * Resource handles: plain numbers (so command pools can store them in typed arrays), branded per
 * kind so passing a buffer where a texture belongs fails to compile.
 *
 * Layout, from bit 29 down: kind (3 bits) | generation (11 bits) | slot (16 bits): 30 bits, so
 * every handle is a V8 small integer (below 2^30). A larger one is a heap number whenever V8 has
 * to box it (stored in an object field, passed to a call it did not inline), which would be an
 * allocation on the draw path; small integers never are.
 * A slot is reused after `destroy*`, with the generation bumped, so a stale handle is detected
 * (sokol's slot + generation ids). Handle 0 is never issued: it means "none".
 */
import { ErrorCode, ResourceStateError, ValidationError } from '../errors.js'

declare const brand: unique symbol
type Branded<K extends string> = number & { readonly [brand]: K }

export type BufferHandle = Branded<'Buffer'>
export type TextureHandle = Branded<'Texture'>
export type RenderTargetHandle = Branded<'RenderTarget'>
export type ProgramHandle = Branded<'Program'>
export type PipelineHandle = Branded<'Pipeline'>
export type AnyHandle = BufferHandle | TextureHandle | RenderTargetHandle | ProgramHandle | PipelineHandle

export const HandleKind = {
  Buffer: 1,
  Texture: 2,
  RenderTarget: 3,
  Program: 4,
  Pipeline: 5,
} as const
export type HandleKindValue = (typeof HandleKind)[keyof typeof HandleKind]

const KIND_NAMES: Record<number, string> = {
  1: 'buffer', 2: 'texture', 3: 'render target', 4: 'program', 5: 'pipeline',
}

/**
 * `valid`: usable. `failed`: creation failed (e.g. a shader did not compile); draws naming it
 * are skipped. `destroyed`: `destroy*` was called. `invalid`: not a handle this device issued.
 */
export type ResourceState = 'valid' | 'failed' | 'destroyed' | 'invalid'

export const MAX_SLOTS = 0xffff
const GEN_MASK = 0x7ff
const KIND_SHIFT = 27

export function handleKind(h: number): number {
  return (h >>> KIND_SHIFT) & 0x7
}
export function handleSlot(h: number): number {
  return h & 0xffff
}
export function handleGeneration(h: number): number {
  return (h >>> 16) & GEN_MASK
}

interface Slot<T> {
  generation: number
  state: 'valid' | 'failed' | 'free'
  value: T | null
}

/**
 * A pool of resources of one kind, issuing handles of type `H`. `get` is the hot-path lookup:
 * two array reads and compares; it throws a coded error for a destroyed, failed or foreign
 * handle. Look-ups take any number, so a handle of another kind is reported as such.
 */
export class ResourcePool<T, H extends number = number> {
  private readonly slots: Slot<T>[] = [{ generation: 0, state: 'free', value: null }] // slot 0 unused
  private readonly freeList: number[] = []
  private live = 0

  constructor(readonly kind: HandleKindValue) {}

  get count(): number {
    return this.live
  }

  /** Stores `value` and returns its handle. A `failed` resource keeps its slot until destroyed. */
  alloc(value: T | null, state: 'valid' | 'failed' = 'valid'): H {
    let slot = this.freeList.pop()
    if (slot === undefined) {
      slot = this.slots.length
      if (slot > MAX_SLOTS) {
        throw new ValidationError(ErrorCode.POOL_EXHAUSTED,
          `too many live ${KIND_NAMES[this.kind]}s (${MAX_SLOTS}); destroy the ones you no longer use`)
      }
      this.slots.push({ generation: 1, state, value })
    } else {
      const s = this.slots[slot]!
      s.generation = (s.generation + 1) & GEN_MASK || 1
      s.state = state
      s.value = value
    }
    this.live++
    // The one place a number becomes a handle of this pool's kind.
    return ((this.kind << KIND_SHIFT) | (this.slots[slot]!.generation << 16) | slot) as H
  }

  state(h: number): ResourceState {
    if (handleKind(h) !== this.kind) return 'invalid'
    const s = this.slots[handleSlot(h)]
    if (!s) return 'invalid'
    if (s.generation !== handleGeneration(h)) return s.generation > handleGeneration(h) || s.state === 'free' ? 'destroyed' : 'invalid'
    if (s.state === 'free') return 'destroyed'
    return s.state
  }

  /** The live resource behind `h`, or null for anything else. Never throws. */
  tryGet(h: number): T | null {
    if (handleKind(h) !== this.kind) return null
    const s = this.slots[h & 0xffff]
    if (s === undefined || s.state !== 'valid' || s.generation !== ((h >>> 16) & GEN_MASK)) return null
    return s.value
  }

  /** The live resource behind `h`; throws a coded error naming what is wrong with the handle. */
  get(h: number, usedBy: string): T {
    const v = this.tryGet(h)
    if (v !== null) return v
    throw this.explain(h, usedBy)
  }

  explain(h: number, usedBy: string): Error {
    const name = KIND_NAMES[this.kind]
    if (h !== 0 && handleKind(h) !== this.kind && KIND_NAMES[handleKind(h)]) {
      return new ValidationError(ErrorCode.WRONG_HANDLE_KIND,
        `${usedBy}: expected a ${name} handle but got a ${KIND_NAMES[handleKind(h)]} handle`, { handle: h })
    }
    const st = this.state(h)
    if (st === 'destroyed') {
      return new ResourceStateError(ErrorCode.RESOURCE_DESTROYED,
        `${usedBy}: this ${name} was destroyed; create a new one instead of reusing the old handle`, { handle: h })
    }
    if (st === 'failed') {
      return new ResourceStateError(ErrorCode.RESOURCE_FAILED,
        `${usedBy}: this ${name} failed to create; fix the error reported at creation`, { handle: h })
    }
    return new ValidationError(ErrorCode.INVALID_HANDLE,
      `${usedBy}: ${h} is not a ${name} handle from this device`, { handle: h })
  }

  /**
   * Puts `value` behind the live (or failed) handle `h`, which stays valid: hot reload swaps a
   * resource under the handles that name it. Returns the previous value for the caller to release.
   */
  replace(h: number, value: T): T | null {
    const st = this.state(h)
    if (st !== 'valid' && st !== 'failed') return null
    const s = this.slots[handleSlot(h)]!
    const previous = s.value
    s.value = value
    s.state = 'valid'
    return previous
  }

  /** Frees the slot; returns the value so the caller can release its GL object. */
  free(h: number): T | null {
    const st = this.state(h)
    if (st !== 'valid' && st !== 'failed') return null
    const slot = handleSlot(h)
    const s = this.slots[slot]!
    const value = s.value
    s.state = 'free'
    s.value = null
    this.freeList.push(slot)
    this.live--
    return value
  }

  /** Calls `fn` for every live value (for device teardown). */
  forEach(fn: (value: T, handle: H) => void): void {
    for (let i = 1; i < this.slots.length; i++) {
      const s = this.slots[i]!
      if (s.state !== 'free' && s.value !== null) {
        fn(s.value, ((this.kind << KIND_SHIFT) | (s.generation << 16) | i) as H)
      }
    }
  }
}
