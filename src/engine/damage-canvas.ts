/**
 * Damage-aware redraw, the GL half (damage.ts decides what is damaged). The engine keeps one
 * persistent offscreen canvas, a render target the size of the drawing buffer. At the start of
 * each frame, before the `onFrame` callbacks record, `compose`:
 *
 *   1. clears the uncovered damage box of the canvas to the background (scissored);
 *   2. for each damaged panel, in order: scissors to its rectangle, calls its `draw`, and
 *      flushes the queue into the canvas with a clear to the panel's background (so the draw
 *      is clipped to the panel and only its pixels are touched);
 *   3. draws the canvas over the whole window with one opaque textured quad (a sprite), which
 *      replaces the frame's clear; the callbacks' draws and the HUD then go on top.
 *
 * Why this design and not one render target per panel composited every frame: both show the
 * window with the same number of pixels written (the canvas or the panels cover it), but one
 * canvas is one quad, one texture and one target, however many panels there are; per-panel
 * targets cost a texture bind and a quad each, and the memory of every panel. On llvmpipe
 * (fragments on the CPU) the cost of a frame with nothing damaged is the one full-screen copy.
 * benchmarks/engine/damage.bench.mjs measures both (24 panels, one changing: per-panel targets
 * cost 1.3x the canvas in two runs on a loaded machine; a full redraw 3.4-4x).
 *
 * Scissor: each panel flush is a pass with `PassDesc.scissor` set to the panel's rectangle, so its
 * clear and draws stay inside it and the queue intersects the panel's own clips with it; the
 * device turns the scissor off when the pass ends, also when a panel's draw threw.
 *
 * Memory: the target and its sprite batcher are made on first use and again on a resize (the
 * only allocations); a compose with nothing damaged records one sprite and flushes once, and
 * allocates nothing. The canvas lives until the engine is destroyed.
 */
import type { Device } from '../gl/device.js'
import type { RenderTargetHandle } from '../gl/handles.js'
import type { PassDesc } from '../gl/types.js'
import type { DrawQueue } from '../core/queue.js'
import { createSpriteBatcher, createSpriteStyle, type SpriteBatcher, type SpriteStyle } from '../draw/sprite-batcher.js'
import { DamageTracker } from './damage.js'
import type { Frame } from './engine-frame.js'

/** Figures of the last compose (updated in place). */
export interface DamageStats {
  /** Panels redrawn by the last compose. */
  panelsDrawn: number
  /** Panels that kept their pixels. */
  panelsKept: number
  /** Composes so far (frames with at least one panel). */
  composes: number
  /** Times the canvas was (re)created: first use and each resize. */
  canvasCreations: number
}

export class DamageCanvas {
  readonly tracker = new DamageTracker()
  readonly stats: DamageStats = { panelsDrawn: 0, panelsKept: 0, composes: 0, canvasCreations: 0 }
  private target: RenderTargetHandle | 0 = 0
  private width = 0
  private height = 0
  private sprites: SpriteBatcher | null = null
  /** The canvas's texture rows run bottom-up (GL): v = 1 at the window's top row. */
  private readonly flip: SpriteStyle = createSpriteStyle({ region: [0, 1, 1, 0] })
  /** The panel pass's scissor, rewritten for each panel (never reallocated). */
  private readonly scissorRect = new Float64Array(4)
  private readonly panelPass: { target: RenderTargetHandle | 0; clearColor: [number, number, number, number]; scissor: Float64Array } =
    { target: 0, clearColor: [0, 0, 0, 1], scissor: this.scissorRect }
  private readonly blitPass: PassDesc = {}

  constructor(
    private readonly device: Device,
    private readonly queue: DrawQueue,
    /** The engine's clear colour (read at each compose): the background outside panels. */
    private readonly background: readonly [number, number, number, number],
  ) {}

  /**
   * Redraws what is damaged into the canvas and draws the canvas over the window (see the file
   * comment). Returns false, doing nothing, when there are no panels. Call with nothing recorded
   * on the queue (the engine calls it before the frame's callbacks).
   */
  compose(frame: Frame): boolean {
    const t = this.tracker
    if (t.panels.length === 0 && this.target === 0) return false
    const w = frame.width
    const h = frame.height
    if (this.target === 0 || w !== this.width || h !== this.height) this.recreate(w, h)
    const damaged = t.collect(frame)
    const box = t.clearBox
    const drawn = box[2]! > box[0]! || damaged > 0 ? this.redraw(frame, damaged) : 0
    t.settled()
    this.sprites!.add(0, 0, w, h, 0, this.flip)
    this.queue.flush(this.blitPass)
    const s = this.stats
    s.panelsDrawn = drawn
    s.panelsKept = t.panels.length - drawn
    s.composes++
    return true
  }

  /** Clears the uncovered damage box, then redraws the damaged panels in order, each pass scissored to its rectangle. Returns how many. */
  private redraw(frame: Frame, damaged: number): number {
    const t = this.tracker
    const pass = this.panelPass
    const c = pass.clearColor
    const box = t.clearBox
    if (box[2]! > box[0]!) {
      const bg = this.background
      this.scissor(box[0]!, box[1]!, box[2]! - box[0]!, box[3]! - box[1]!)
      c[0] = bg[0]
      c[1] = bg[1]
      c[2] = bg[2]
      c[3] = bg[3]
      this.queue.flush(pass as PassDesc)
    }
    let drawn = 0
    if (damaged === 0) return 0
    const ps = t.panels
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!
      if (!p.damaged) continue
      this.scissor(p.x, p.y, p.w, p.h)
      const bg = p.background
      c[0] = bg[0]!
      c[1] = bg[1]!
      c[2] = bg[2]!
      c[3] = bg[3]!
      p.drawCount++
      drawn++
      try {
        p.drawFn(frame, p)
      } finally {
        // Flushed even when draw throws: the queue must not carry the panel's records into the frame.
        this.queue.flush(pass as PassDesc)
      }
    }
    return drawn
  }

  /**
   * The panel pass's scissor (its `PassDesc.scissor`, top-left origin; the device flips it and
   * rounds edges to the nearest pixel, so panels sharing a fractional edge share no column, and
   * the queue intersects the panel's own clips with it).
   */
  private scissor(x: number, y: number, w: number, h: number): void {
    const r = this.scissorRect
    r[0] = x
    r[1] = y
    r[2] = w
    r[3] = h
  }

  /** A canvas of the drawing buffer's size: cleared, every panel damaged. */
  private recreate(w: number, h: number): void {
    this.releaseTarget()
    this.target = this.device.createRenderTarget({ width: w, height: h, label: 'framelatch damage canvas' })
    this.width = w
    this.height = h
    this.panelPass.target = this.target
    // Layer 0, opaque, sequenced: the canvas is the first thing of the frame's default pass.
    this.sprites = createSpriteBatcher(this.queue, {
      texture: this.device.renderTargetTexture(this.target), translucent: false, layer: 0, sequenced: true, label: 'framelatch damage canvas',
    })
    this.tracker.invalidateAll(w, h)
    this.stats.canvasCreations++
  }

  private releaseTarget(): void {
    this.sprites?.destroy()
    this.sprites = null
    if (this.target !== 0) this.device.destroyRenderTarget(this.target)
    this.target = 0
  }

  /** Frees the canvas (the engine's destroy). */
  destroy(): void {
    this.releaseTarget()
  }
}
