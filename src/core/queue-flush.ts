/**
 * Flush execution of a draw queue (queue.ts records; this draws): begins the pass, sets the view
 * block to the pass's size, has the run plan (queue-plan.ts) sort, merge and stream the frame's
 * commands, draws every run with one GL call, then ends the pass, resets the command pool and
 * writes the queue's `stats`.
 *
 * Owned by one queue for its whole life; it shares that queue's pool, ring, view block, stats
 * object and batch table (read-only here). The sorter, the plan and the cached target size are
 * its own and reused every frame: a flush allocates nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { PassDesc } from '../gl/types.js'
import type { RenderTargetHandle } from '../gl/handles.js'
import type { UniformBlock } from '../gl/uniform-block.js'
import type { CommandPool } from './command-pool.js'
import type { BatchRecord } from './queue-batch.js'
import { RunPlan } from './queue-plan.js'
import { RadixSorter } from './radix-sort.js'
import type { TransientRing } from '../gl/transient-ring.js'

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
}

const NO_PASS: PassDesc = {}

export class QueueFlush {
  private readonly device: Device
  private readonly pool: CommandPool
  private readonly ring: TransientRing
  private readonly view: UniformBlock<{ target: 'vec2' }>
  private readonly batches: readonly (BatchRecord | null)[]
  private readonly stats: QueueStats
  private readonly debug: boolean
  private readonly sorter: RadixSorter
  private readonly plan = new RunPlan()
  private growthsSeen = 0
  // Figures of the flush in progress, from `begin` to `end`.
  private stateSkippedBefore = 0
  private bytesBefore = 0
  private glDraws = 0
  private skipped = 0
  private draws = 0
  private commands = 0

  constructor(device: Device, pool: CommandPool, ring: TransientRing, view: UniformBlock<{ target: 'vec2' }>,
    batches: readonly (BatchRecord | null)[], stats: QueueStats, debug: boolean) {
    this.device = device
    this.pool = pool
    this.ring = ring
    this.view = view
    this.batches = batches
    this.stats = stats
    this.debug = debug
    this.sorter = new RadixSorter({ capacity: pool.capacity })
  }

  /** Starts a flush: `draws` and `skipped` are the queue's counts recorded since the last one. */
  begin(draws: number, skipped: number): void {
    this.stateSkippedBefore = this.device.stats.stateSkipped
    this.bytesBefore = this.ring.bytesUploaded
    this.glDraws = 0
    this.skipped = skipped
    this.draws = draws
    this.commands = this.pool.count
  }

  /**
   * Begins `pass` (default: the default framebuffer, no clear) and draws the recorded commands;
   * `frame` is passed to `block.upload`. Debug: throws for a batch destroyed after its draws were
   * recorded. Call `end` afterwards, also when this throws.
   */
  draw(pass: PassDesc | undefined, frame: number): void {
    const device = this.device
    const p = pass ?? NO_PASS
    device.beginPass(p)
    this.setViewSize(p)
    this.ring.beginFrame()
    const plan = this.plan
    const runs = this.commands > 0 ? plan.build(this.pool, this.sorter, this.ring) : 0
    for (let r = 0; r < runs; r++) {
      const id = plan.batch[r]!
      const b = this.batches[id]
      if (b === undefined || b === null) {
        if (this.debug) {
          throw new ValidationError(ErrorCode.INVALID_HANDLE,
            `flush: batch ${id} was destroyed after draws were recorded for it; record only live batches`, { batch: id })
        }
        this.skipped += plan.draws[r]!
        this.draws -= plan.draws[r]!
        continue
      }
      if (!device.applyPipeline(b.pipeline)) {
        this.skipped += plan.draws[r]!
        this.draws -= plan.draws[r]!
        continue
      }
      const bindings = b.bindings
      bindings.vertexBuffers[b.streamSlot] = this.ring.buffer
      bindings.vertexOffsets[b.streamSlot] = plan.byteOffset[r]!
      if (!device.applyBindings(bindings)) {
        this.skipped += plan.draws[r]!
        this.draws -= plan.draws[r]!
        continue
      }
      const blocks = b.blocks
      for (let k = 0; k < blocks.length; k++) blocks[k]!.upload(device.gl, b.program, frame)
      if (b.instanced) device.draw(0, b.vertexCount, plan.count[r]!)
      else device.draw(0, plan.count[r]!)
      this.glDraws++
    }
  }

  /** Ends the pass, empties the command pool and writes the stats of this flush. */
  end(): void {
    const device = this.device
    const pool = this.pool
    device.endPass()
    pool.reset()
    const draws = this.draws
    const glDraws = this.glDraws
    const s = this.stats
    s.draws = draws
    s.commands = this.commands
    s.glDrawCalls = glDraws
    s.merged = draws - glDraws > 0 ? draws - glDraws : 0
    s.skipped = this.skipped
    s.stateSkipped = device.stats.stateSkipped - this.stateSkippedBefore
    s.bytesUploaded = this.ring.bytesUploaded - this.bytesBefore
    const growths = pool.growths + this.ring.growths
    s.poolGrowths = growths - this.growthsSeen
    this.growthsSeen = growths
  }

  private setViewSize(pass: PassDesc): void {
    const t = this.view.views.target
    const vp = pass.viewport
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
