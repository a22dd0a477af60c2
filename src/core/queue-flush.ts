/**
 * The GPU side of a draw queue (queue.ts is the recording side): the transient ring the frame's
 * data streams through, the view block, the stats, and `run`, which begins the pass, sets the
 * view block to the pass's size, has the run plan (queue-plan.ts) sort, merge and stream the
 * recorded commands, draws every run with one GL call, ends the pass and writes the stats.
 *
 * The two sides share exactly one thing, passed to every `run`: the `RecordedFrame` (the command
 * pool and the batch table), which the flush only reads; the queue resets it afterwards. The
 * ring, view block, stats, sorter, plan and cached target size belong to the flush, live as long
 * as its queue and are reused every frame: a flush allocates nothing.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { PassDesc } from '../gl/types.js'
import type { RenderTargetHandle } from '../gl/handles.js'
import { createUniformBlock, type UniformBlock } from '../gl/uniform-block.js'
import type { CommandPool } from './command-pool.js'
import type { BatchRecord } from './queue-batch.js'
import { RunPlan } from './queue-plan.js'
import { RadixSorter } from './radix-sort.js'
import { TransientRing } from '../gl/transient-ring.js'

/** The view block every queue owns: `view_target` is the pass's size in pixels. */
export type ViewBlock = UniformBlock<{ target: 'vec2' }>

/** What recording hands to the flush: this frame's commands and the batches they name (read-only here). */
export interface RecordedFrame {
  readonly pool: CommandPool
  /** Indexed by batch id; null once destroyed. */
  readonly batches: readonly (BatchRecord | null)[]
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
}

const NO_PASS: PassDesc = {}

export class QueueFlush {
  /** Figures of the last flush (see QueueStats). */
  readonly stats: QueueStats = {
    draws: 0, commands: 0, glDrawCalls: 0, merged: 0, skipped: 0, stateSkipped: 0, bytesUploaded: 0, poolGrowths: 0,
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

  constructor(device: Device, desc: QueueFlushDesc) {
    this.device = device
    this.debug = desc.debug
    this.ring = new TransientRing(device, { size: desc.ringSize, strategy: desc.ringStrategy, label: `${desc.label} ring` })
    this.view = createUniformBlock({ name: 'FlView', prefix: 'view_', fields: { target: 'vec2' } })
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
    const p = pass ?? NO_PASS
    device.beginPass(p)
    try {
      this.setViewSize(p)
      this.ring.beginFrame()
      if (commands > 0) this.drawRuns(recorded, frame)
    } finally {
      device.endPass()
      const s = this.stats
      s.draws = this.draws
      s.commands = commands
      s.glDrawCalls = this.glDraws
      s.merged = this.draws - this.glDraws > 0 ? this.draws - this.glDraws : 0
      s.skipped = this.skipped
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
    for (let r = 0; r < runs; r++) {
      const id = plan.batch[r]!
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
      for (let k = 0; k < blocks.length; k++) blocks[k]!.upload(device.gl, b.program, frame)
      if (b.instanced) device.draw(0, b.vertexCount, plan.count[r]!)
      else device.draw(0, plan.count[r]!)
      this.glDraws++
    }
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
