/**
 * Damage tracking for panels (the bookkeeping half of damage-aware redraw; damage-canvas.ts is
 * the GL half). A panel is an opaque rectangle of the window in pixels (origin top-left, y
 * down) with a `draw` callback; it is drawn into a persistent canvas only when damaged, and the
 * canvas is shown every frame. This file decides which panels are damaged this frame:
 *
 * - `panel.invalidate()`: redraw it at the next frame's compose;
 * - `PanelDesc.changed(frame)`: asked every frame at compose time; true redraws the panel in
 *   that same frame (use it for inputs the frame reads, such as shared state or input);
 * - `tracker.damage(x, y, w, h)`: every panel that intersects the rectangle is redrawn, and the
 *   rest of the rectangle (not covered by a panel) is cleared to the canvas background;
 * - `invalidateAll()`: everything (the engine calls it on resize).
 *
 * Panels are opaque: each redraw clears its rectangle to `background` first, and later panels
 * cover earlier ones. So a redrawn panel also damages every later panel that intersects it
 * (its clear wiped their overlap); earlier ones are unaffected (they are underneath).
 *
 * Memory: panels live in one array, in creation order; `damaged` is a flag per panel; the
 * uncovered damage is one bounding box in a Float64Array. Marking and collecting allocate
 * nothing; only createPanel and destroy change the array.
 */
import { ErrorCode, ResourceStateError, ValidationError } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'
import type { Frame } from './engine-frame.js'

export interface PanelDesc {
  /** Top-left corner and size in window pixels (y down). Required; w, h > 0. */
  x: number
  y: number
  w: number
  h: number
  /**
   * Records the panel's content on `frame.queue` (any batcher of the engine's queue), in window
   * pixels; drawing outside the panel's rectangle is clipped away. Called only when the panel
   * is damaged, before the frame's `onFrame` callbacks. Required.
   */
  draw: (frame: Frame, panel: Panel) => void
  /**
   * Asked at every frame's compose (cheap, allocation-free please): return true when the
   * panel's inputs changed, and it is redrawn in this same frame. Default: none (only
   * `invalidate()` and `engine.damage()` redraw it).
   */
  changed?: (frame: Frame, panel: Panel) => boolean
  /** Colour the rectangle is cleared to before each redraw, 0..1 RGBA. Default opaque black. Copied. */
  background?: readonly [number, number, number, number]
  /** Used in messages. Default 'panel'. */
  label?: string
}

const PANEL_KEYS = descKeys<PanelDesc>({ x: true, y: true, w: true, h: true, draw: true, changed: true, background: true, label: true })

export class Panel {
  readonly label: string
  x: number
  y: number
  w: number
  h: number
  readonly background: Float32Array
  /** Times `draw` was called (redraws). */
  drawCount = 0
  /** @internal */ damaged = true
  /** @internal */ readonly drawFn: (frame: Frame, panel: Panel) => void
  /** @internal */ readonly changedFn: ((frame: Frame, panel: Panel) => boolean) | null
  /** @internal */ tracker: DamageTracker | null

  constructor(tracker: DamageTracker, desc: PanelDesc) {
    this.tracker = tracker
    this.label = desc.label ?? 'panel'
    this.x = desc.x
    this.y = desc.y
    this.w = desc.w
    this.h = desc.h
    this.drawFn = desc.draw
    this.changedFn = desc.changed ?? null
    const bg = desc.background ?? [0, 0, 0, 1]
    this.background = new Float32Array([bg[0], bg[1], bg[2], bg[3]])
  }

  /** Redraw this panel at the next compose (the next frame, or this one if it has not composed yet). */
  invalidate(): void {
    this.damaged = true
  }

  /**
   * Moves or resizes the panel. Its old rectangle is damaged (what was under it shows again) and
   * it is redrawn at the new one.
   */
  setRect(x: number, y: number, w: number, h: number): void {
    const t = this.alive('setRect')
    checkRect(`panel "${this.label}": setRect`, x, y, w, h)
    t.damage(this.x, this.y, this.w, this.h)
    this.x = x
    this.y = y
    this.w = w
    this.h = h
    this.damaged = true
  }

  /** Removes the panel; its rectangle is damaged (cleared, and panels under it redrawn). Idempotent. */
  destroy(): void {
    const t = this.tracker
    if (t === null) return
    t.remove(this)
  }

  get destroyed(): boolean {
    return this.tracker === null
  }

  private alive(call: string): DamageTracker {
    if (this.tracker === null) {
      throw new ResourceStateError(ErrorCode.RESOURCE_DESTROYED, `${call}: panel "${this.label}" was destroyed; create a new one with engine.createPanel()`)
    }
    return this.tracker
  }
}

function checkRect(where: string, x: number, y: number, w: number, h: number): void {
  if (!Number.isFinite(x) || !Number.isFinite(y) || !(w > 0) || !(h > 0) || !Number.isFinite(w) || !Number.isFinite(h)) {
    throw new ValidationError(ErrorCode.INVALID_DESC,
      `${where}: x, y must be finite and w, h finite and > 0 (pixels), got ${x}, ${y}, ${w}, ${h}`, { x, y, w, h })
  }
}

function intersects(a: Panel, x: number, y: number, w: number, h: number): boolean {
  return a.x < x + w && x < a.x + a.w && a.y < y + h && y < a.y + a.h
}

/** Uncovered-damage bounding box slots. */
const BX0 = 0
const BY0 = 1
const BX1 = 2
const BY1 = 3

export class DamageTracker {
  /** Panels in creation order (drawing order: later ones on top). */
  readonly panels: Panel[] = []
  /** Bounding box [x0, y0, x1, y1] of damage to clear this compose; empty when x1 <= x0. */
  readonly clearBox = new Float64Array([0, 0, 0, 0])

  createPanel(desc: PanelDesc): Panel {
    if (desc === null || typeof desc !== 'object') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createPanel: pass { x, y, w, h, draw }')
    }
    checkDesc('createPanel', desc, PANEL_KEYS, true)
    checkRect('createPanel', desc.x, desc.y, desc.w, desc.h)
    if (typeof desc.draw !== 'function') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createPanel: draw must be a function (frame, panel) => void that records the panel\'s content')
    }
    if (desc.changed !== undefined && typeof desc.changed !== 'function') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createPanel: changed must be a function (frame, panel) => boolean, or omitted')
    }
    const bg = desc.background
    if (bg !== undefined && (!Array.isArray(bg) || bg.length !== 4 || !bg.every((c) => Number.isFinite(c)))) {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'createPanel: background must be [r, g, b, a] in 0..1', { background: bg })
    }
    const p = new Panel(this, desc)
    this.panels.push(p)
    return p
  }

  /** @internal Panel.destroy. */
  remove(p: Panel): void {
    const i = this.panels.indexOf(p)
    if (i >= 0) this.panels.splice(i, 1)
    p.tracker = null
    this.damage(p.x, p.y, p.w, p.h)
  }

  /**
   * Damages a rectangle of the window (pixels): panels intersecting it are redrawn, the rest of
   * it is cleared to the canvas background at the next compose. Allocates nothing.
   */
  damage(x: number, y: number, w: number, h: number): void {
    if (!(w > 0) || !(h > 0)) return
    const b = this.clearBox
    if (b[BX1]! <= b[BX0]!) {
      b[BX0] = x
      b[BY0] = y
      b[BX1] = x + w
      b[BY1] = y + h
    } else {
      if (x < b[BX0]!) b[BX0] = x
      if (y < b[BY0]!) b[BY0] = y
      if (x + w > b[BX1]!) b[BX1] = x + w
      if (y + h > b[BY1]!) b[BY1] = y + h
    }
  }

  /** Everything is damaged: the whole canvas is cleared and every panel redrawn. */
  invalidateAll(width: number, height: number): void {
    this.damage(0, 0, width, height)
    const ps = this.panels
    for (let i = 0; i < ps.length; i++) ps[i]!.damaged = true
  }

  /**
   * Settles this frame's damage: asks every panel's `changed`, marks the panels the uncovered
   * damage box touches, then the later panels that overlap a damaged one. Returns how many
   * panels are damaged. The caller clears `clearBox` (when not empty) and redraws the damaged
   * panels in order, then calls `settled()`.
   */
  collect(frame: Frame): number {
    const ps = this.panels
    const b = this.clearBox
    const boxed = b[BX1]! > b[BX0]!
    const bx = b[BX0]!
    const by = b[BY0]!
    const bw = b[BX1]! - bx
    const bh = b[BY1]! - by
    let n = 0
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!
      if (!p.damaged && p.changedFn !== null && p.changedFn(frame, p)) p.damaged = true
      if (!p.damaged && boxed && intersects(p, bx, by, bw, bh)) p.damaged = true
      if (!p.damaged) {
        // A damaged panel earlier in the list cleared its rectangle over this one's overlap.
        for (let j = 0; j < i; j++) {
          const q = ps[j]!
          if (q.damaged && intersects(p, q.x, q.y, q.w, q.h)) {
            p.damaged = true
            break
          }
        }
      }
      if (p.damaged) n++
    }
    return n
  }

  /** Clears the damage after a compose drew it. */
  settled(): void {
    const b = this.clearBox
    b[BX0] = 0
    b[BY0] = 0
    b[BX1] = 0
    b[BY1] = 0
    const ps = this.panels
    for (let i = 0; i < ps.length; i++) ps[i]!.damaged = false
  }
}
