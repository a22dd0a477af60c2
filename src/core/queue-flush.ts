/**
 * The GPU side of a draw queue (queue.ts is the recording side): the transient ring the frame's
 * data streams through, the view block, the stats, and `run`, which begins the pass, sets the
 * view block to the pass's size, has the run plan (queue-plan.ts) sort, merge and stream the
 * recorded commands, draws every run with one GL call, ends the pass and writes the stats.
 *
 * Scope between runs: where a run's clip or transform (queue-scope.ts) differs from the run
 * before, the flush sets the scissor (clip.ts; API rectangles have a top-left origin, GL's
 * scissor a bottom-left one, flipped with the pass's height, offset by its viewport) and writes
 * the run's matrix into the view block. The view block is then uploaded to each run's program
 * through its per-program shadow copy at every run of a frame that has transforms (not once per
 * frame like other blocks, and like the view block in frames without transforms), so a program is
 * sent the 3 matrix slots only when it holds another matrix: two batches sharing one program with
 * different transforms each draw with theirs. A run whose clip is empty is not drawn
 * (`stats.clipped`). The scissor test is off again when the flush ends.
 *
 * The two sides share exactly one thing, passed to every `run`: the `RecordedFrame` (the command
 * pool and the batch table), which the flush only reads; the queue resets it afterwards. The
 * ring, view block, stats, sorter, plan and cached target size belong to the flush, live as long
 * as its queue and are reused every frame: a flush allocates nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { PassDesc } from '../gl/types.js'
import { passScissorRect } from '../gl/scissor.js'
import type { RenderTargetHandle } from '../gl/handles.js'
import { createUniformBlock, writeMat3, type UniformBlock } from '../gl/uniform-block.js'
import type { CommandPool } from './command-pool.js'
import type { BatchRecord } from './queue-batch.js'
import { RunPlan } from './queue-plan.js'
import { RadixSorter } from './radix-sort.js'
import { TransientRing } from '../gl/transient-ring.js'
import { resolveClip } from './clip.js'
import type { ScopeTable } from './queue-scope.js'

/**
 * The view block every queue owns: `view_target` is the pass's size in pixels, `view_transform`
 * the current run's view matrix (user coordinates to target pixels; identity without a transform).
 */
export type ViewBlock = UniformBlock<{ target: 'vec2'; transform: 'mat3' }>

const IDENTITY = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1])

/** What recording hands to the flush: this frame's commands and the batches they name (read-only here). */
export interface RecordedFrame {
  readonly pool: CommandPool
  /** Indexed by batch id; null once destroyed. */
  readonly batches: readonly (BatchRecord | null)[]
  /** The clips and transforms the commands' scope words name. */
  readonly scopes: ScopeTable
}

/** How the queue sets up its flush (from its QueueDesc). */
export interface QueueFlushDesc {
  /** Transient ring bytes per buffer. */
  ringSize: number
  ringStrategy: 'orphan' | 'rotate'
  /** Commands the sorter holds before it grows (the pool's capacity). */
  commands: number
  label: string
  debug: boolean
}

/** Figures of the last flush, updated in place (read them, do not keep the object's values). */
export interface QueueStats {
  /** Records drawn (each `record` call with count > 0 that was not skipped). */
  draws: number
  /** Commands after merging consecutive records of the same batch and key. */
  commands: number
  /** GL draw calls made. */
  glDrawCalls: number
  /** Records that did not need a GL draw of their own: `draws - glDrawCalls`. */
  merged: number
  /** Records skipped for bad input or dead resources (release mode). */
  skipped: number
  /** GL state calls the device's state cache skipped during the flush. */
  stateSkipped: number
  /** Bytes streamed through the transient ring. */
  bytesUploaded: number
  /** Times the command pool, the payload or the ring grew during the frame. */
  poolGrowths: number
  /** Records not drawn because their clip rectangle was empty (scrolled out, zero size). */
  clipped: number
}

const NO_PASS: PassDesc = {}

export class QueueFlush {
  /** Figures of the last flush (see QueueStats). */
  readonly stats: QueueStats = {
    draws: 0, commands: 0, glDrawCalls: 0, merged: 0, skipped: 0, stateSkipped: 0, bytesUploaded: 0, poolGrowths: 0, clipped: 0,
  }
  /** The ring every flush streams the frame's payload through; its data is valid until the next frame. */
  readonly ring: TransientRing
  /** The pass's size in pixels, set before any draw (see `DrawQueue.view`). */
  readonly view: ViewBlock
  private readonly device: Device
  private readonly debug: boolean
  private readonly sorter: RadixSorter
  private readonly plan = new RunPlan()
  private growthsSeen = 0
  // Figures of the flush in progress.
  private glDraws = 0
  private skipped = 0
  private draws = 0
  private clipped = 0
  // The pass's viewport origin (GL pixels) and size, for flipping clips to GL's scissor.
  private passX = 0
  private passY = 0
  private passW = 0
  private passH = 0
  // The scissor as last set by this flush; scissorW -1 = test off.
  private scissorX = 0
  private scissorY = 0
  private scissorW = -1
  private scissorH = 0
  private readonly clipRect = new Int32Array(4)
  // The pass's own scissor (PassDesc.scissor) as a GL box, when it has one: the scissor of runs
  // without a clip, intersected with every clip.
  private readonly baseBox = new Int32Array(4)
  private baseOn = false

  constructor(device: Device, desc: QueueFlushDesc) {
    this.device = device
    this.debug = desc.debug
    this.ring = new TransientRing(device, { size: desc.ringSize, strategy: desc.ringStrategy, label: `${desc.label} ring` })
    this.view = createUniformBlock({ name: 'FlView', prefix: 'view_', fields: { target: 'vec2', transform: 'mat3' } })
    writeMat3(this.view.views.transform, IDENTITY)
    this.sorter = new RadixSorter({ capacity: desc.commands })
  }

  /**
   * Begins `pass` (default: the default framebuffer, no clear), draws `recorded` and ends the
   * pass, also when a debug error is thrown; then writes `stats`. `draws` and `skipped` are the
   * records counted since the last flush; `frame` is passed to `block.upload`. Debug: throws
   * for a batch destroyed after its draws were recorded.
   */
  run(recorded: RecordedFrame, draws: number, skipped: number, pass: PassDesc | undefined, frame: number): void {
    const device = this.device
    const stateSkippedBefore = device.stats.stateSkipped
    const bytesBefore = this.ring.bytesUploaded
    const commands = recorded.pool.count
    this.glDraws = 0
    this.skipped = skipped
    this.draws = draws
    this.clipped = 0
    const p = pass ?? NO_PASS
    device.beginPass(p)
    try {
      this.setViewSize(p)
      this.setBaseScissor(p)
      this.ring.beginFrame()
      if (commands > 0) this.drawRuns(recorded, frame)
    } finally {
      if (this.scissorW >= 0) {
        device.gl.disable(device.gl.SCISSOR_TEST)
        this.scissorW = -1
      }
      device.endPass()
      const s = this.stats
      s.draws = this.draws
      s.commands = commands
      s.glDrawCalls = this.glDraws
      s.merged = this.draws - this.glDraws > 0 ? this.draws - this.glDraws : 0
      s.skipped = this.skipped
      s.clipped = this.clipped
      s.stateSkipped = device.stats.stateSkipped - stateSkippedBefore
      s.bytesUploaded = this.ring.bytesUploaded - bytesBefore
      const growths = recorded.pool.growths + this.ring.growths
      s.poolGrowths = growths - this.growthsSeen
      this.growthsSeen = growths
    }
  }

  /** Destroys the ring. */
  destroy(): void {
    this.ring.destroy()
  }

  private drawRuns(recorded: RecordedFrame, frame: number): void {
    const device = this.device
    const plan = this.plan
    const runs = plan.build(recorded.pool, this.sorter, this.ring)
    const view = this.view
    // With transforms this frame the view block changes between runs: compare it with what each
    // run's program holds at every run (-1). Without, once per program per frame is enough (its
    // diff still sends identity to a program that held a transform last frame).
    const viewFrame = recorded.scopes.transformCount > 1 ? -1 : frame
    let clipSlot = 0
    let transformSlot = 0
    writeMat3(view.views.transform, IDENTITY)
    for (let r = 0; r < runs; r++) {
      const id = plan.batch[r]!
      const scope = plan.scope[r]!
      if (scope >>> 16 !== clipSlot) {
        clipSlot = scope >>> 16
        this.setScissor(recorded.scopes, clipSlot)
      }
      if (this.scissorW === 0) {
        this.clipRun(r)
        continue
      }
      if ((scope & 0xffff) !== transformSlot) {
        transformSlot = scope & 0xffff
        const t = transformSlot === 0 ? null : recorded.scopes.transforms[transformSlot]
        writeMat3(view.views.transform, t === null || t === undefined ? IDENTITY : t.matrix)
      }
      const b = recorded.batches[id]
      if (b === undefined || b === null) {
        if (this.debug) {
          throw new ValidationError(ErrorCode.INVALID_HANDLE,
            `flush: batch ${id} was destroyed after draws were recorded for it; record only live batches`, { batch: id })
        }
        this.skipRun(r)
        continue
      }
      if (!device.applyPipeline(b.pipeline)) {
        this.skipRun(r)
        continue
      }
      const bindings = b.bindings
      bindings.vertexBuffers[b.streamSlot] = this.ring.buffer
      bindings.vertexOffsets[b.streamSlot] = plan.byteOffset[r]!
      if (!device.applyBindings(bindings)) {
        this.skipRun(r)
        continue
      }
      const blocks = b.blocks
      for (let k = 0; k < blocks.length; k++) {
        const block = blocks[k]!
        // The view block holds per-run values (the matrix): compared with what this program holds, every run.
        block.upload(device.gl, b.program, block === view ? viewFrame : frame)
      }
      if (b.instanced) device.draw(0, b.vertexCount, plan.count[r]!)
      else device.draw(0, plan.count[r]!)
      this.glDraws++
    }
  }

  /**
   * Sets the scissor for the clip in `slot` (0: the pass's own scissor, or the test off). An
   * empty clip leaves `scissorW` 0;
   * the caller then skips its runs. GL calls only when the rectangle changes.
   */
  private setScissor(scopes: ScopeTable, slot: number): void {
    const gl = this.device.gl
    const clip = slot === 0 ? null : scopes.clips[slot]
    if (clip === null || clip === undefined) {
      if (this.baseOn) {
        const b = this.baseBox
        this.applyScissor(b[0]!, b[1]!, b[2]!, b[3]!)
      } else if (this.scissorW >= 0) {
        gl.disable(gl.SCISSOR_TEST)
        this.scissorW = -1
      }
      return
    }
    const c = this.clipRect
    resolveClip(clip, c)
    // Clamp to the pass (the viewport clips the rest anyway), then flip to GL's bottom-left origin.
    const x0 = c[0]! > 0 ? c[0]! : 0, y0 = c[1]! > 0 ? c[1]! : 0
    const x1 = c[2]! < this.passW ? c[2]! : this.passW, y1 = c[3]! < this.passH ? c[3]! : this.passH
    if (x1 <= x0 || y1 <= y0) {
      this.scissorW = 0 // empty: nothing to draw; the test state does not matter
      return
    }
    let x = this.passX + x0, y = this.passY + this.passH - y1, w = x1 - x0, h = y1 - y0
    if (this.baseOn) {
      // Inside the pass's own scissor too (a damage-aware panel's rectangle, for one).
      const b = this.baseBox
      const bx1 = b[0]! + b[2]!, by1 = b[1]! + b[3]!
      const nx0 = x > b[0]! ? x : b[0]!, ny0 = y > b[1]! ? y : b[1]!
      const nx1 = x + w < bx1 ? x + w : bx1, ny1 = y + h < by1 ? y + h : by1
      if (nx1 <= nx0 || ny1 <= ny0) {
        this.scissorW = 0
        return
      }
      x = nx0
      y = ny0
      w = nx1 - nx0
      h = ny1 - ny0
    }
    this.applyScissor(x, y, w, h)
  }

  /** Enables the scissor test with this GL box (w, h > 0), calling GL only for what changed. */
  private applyScissor(x: number, y: number, w: number, h: number): void {
    const gl = this.device.gl
    if (w <= 0 || h <= 0) {
      this.scissorW = 0
      return
    }
    if (this.scissorW <= 0) gl.enable(gl.SCISSOR_TEST)
    if (x !== this.scissorX || y !== this.scissorY || w !== this.scissorW || h !== this.scissorH) gl.scissor(x, y, w, h)
    this.scissorX = x
    this.scissorY = y
    this.scissorW = w
    this.scissorH = h
  }

  /**
   * The pass's own scissor: `device.beginPass` has enabled and set it (before its clear); this
   * records the same box (gl/scissor.ts) so runs without a clip use it and clips intersect it.
   */
  private setBaseScissor(pass: PassDesc): void {
    const sc = pass.scissor
    this.baseOn = sc !== undefined
    if (sc === undefined) return
    const b = this.baseBox
    passScissorRect(sc, this.passX, this.passY, this.passW, this.passH, b)
    this.scissorX = b[0]!
    this.scissorY = b[1]!
    this.scissorW = b[2]! // 0 when empty: every run is skipped
    this.scissorH = b[3]!
  }

  /** Counts run r's records as clipped away (empty clip), not drawn. */
  private clipRun(r: number): void {
    const n = this.plan.draws[r]!
    this.clipped += n
    this.draws -= n
  }

  /** Counts run r's records as skipped (dead batch or resources), not drawn. */
  private skipRun(r: number): void {
    const n = this.plan.draws[r]!
    this.skipped += n
    this.draws -= n
  }

  private setViewSize(pass: PassDesc): void {
    const t = this.view.views.target
    const vp = pass.viewport
    // Whole pixels (as GL takes them), kept as small integers: no heap number per store.
    this.passX = vp !== undefined ? vp[0] | 0 : 0
    this.passY = vp !== undefined ? vp[1] | 0 : 0
    if (vp !== undefined) {
      t[0] = vp[2]
      t[1] = vp[3]
    } else if (pass.target) {
      const size = this.targetSize(pass.target)
      t[0] = size.width
      t[1] = size.height
    } else {
      t[0] = this.device.drawingBufferWidth
      t[1] = this.device.drawingBufferHeight
    }
    this.passW = t[0]! | 0
    this.passH = t[1]! | 0
  }

  private lastTarget = 0
  private lastTargetSize = { width: 0, height: 0 }
  private targetSize(target: RenderTargetHandle): { width: number; height: number } {
    if (target !== this.lastTarget) {
      this.lastTargetSize = this.device.textureSize(this.device.renderTargetTexture(target))
      this.lastTarget = target
    }
    return this.lastTargetSize
  }
}
