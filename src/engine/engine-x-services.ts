/**
 * The X services an engine starts after its first frame is presented: the vblank clock (X
 * Present) and the input doorbell (XInput2), both on the one X worker thread
 * (platform/x-worker.ts). Not before: their worker and X connection take 150-250 ms of CPU that
 * the first frame does not need. Until the first vblank the ticker reads `seq` 0 and paces from
 * swap returns and `hz`; until the doorbell is ready the loop polls SDL.
 *
 * Owned by one Engine; `stop()` ends both for good (a later `start()` does nothing).
 */
import { ErrorCode } from '../errors.js'
import { log } from '../log.js'
import { createVblankSource, type VblankSource } from '../platform/vblank-source.js'
import { createInputDoorbell, type InputDoorbell } from '../platform/input-doorbell.js'

export class EngineXServices {
  private vblankSource: VblankSource | null
  private readonly wantDoorbell: boolean
  private doorbell: InputDoorbell | null = null
  private cell: Int32Array | null = null
  private resolveReady!: (v: VblankSource | null) => void
  private readonly readyPromise = new Promise<VblankSource | null>((r) => { this.resolveReady = r })
  private startedFlag = false
  private stopped = false

  /** `vblank`: the clock, not started, or null; `doorbell`: start an input doorbell too. */
  constructor(vblank: VblankSource | null, doorbell: boolean) {
    this.vblankSource = vblank
    this.wantDoorbell = doorbell
  }

  /** The vblank source in use or starting, or null. */
  get vblank(): VblankSource | null {
    return this.vblankSource
  }

  /** Resolves with the running vblank source once it has seen its first vblank, or null (disabled, unavailable, stopped). */
  get ready(): Promise<VblankSource | null> {
    return this.readyPromise
  }

  /** Whether `start()` was called. */
  get started(): boolean {
    return this.startedFlag
  }

  /** The doorbell's wake cell once it is ready (the ticker's wait sleeps on it), else null. */
  get doorbellCell(): Int32Array | null {
    return this.cell
  }

  /** Starts the vblank clock and the doorbell (once; nothing after `stop()`). */
  start(): void {
    if (this.startedFlag) return
    this.startedFlag = true
    if (this.stopped) return
    if (this.wantDoorbell) this.startDoorbell()
    const source = this.vblankSource
    if (source === null) {
      this.resolveReady(null)
      return
    }
    source.start().then(() => {
      this.resolveReady(this.vblankSource === source ? source : null)
    }, async (err: unknown) => {
      await source.stop()
      // Stopped while starting: not a missing clock, nothing to report.
      if (this.vblankSource === source) {
        noVblank(err)
        this.vblankSource = null
      }
      this.resolveReady(null)
    })
  }

  /** Stops both for good; resolves when the vblank clock has stopped. */
  async stop(): Promise<void> {
    this.stopped = true
    const v = this.vblankSource
    this.vblankSource = null
    this.resolveReady(null)
    const bell = this.doorbell
    this.doorbell = null
    this.cell = null
    if (bell) void bell.stop()
    if (v) await v.stop()
  }

  /** The loop uses the doorbell once it is ready, and polls until then (or for good, without XInput2). */
  private startDoorbell(): void {
    const bell = createInputDoorbell()
    this.doorbell = bell
    bell.start().then(() => {
      if (this.doorbell === bell) this.cell = bell.cell
    }, (err: Error) => {
      if (this.doorbell !== bell) return // stopped before it was ready
      this.doorbell = null
      log('info', ErrorCode.INPUT_DOORBELL_UNAVAILABLE, err.message)
    })
  }
}

function noVblank(err: unknown): void {
  log('info', ErrorCode.VBLANK_UNAVAILABLE, `no vblank clock (${(err as Error).message}); pacing from swap returns and hz`)
}

/** The X Present vblank clock (not started), or null (the ticker then paces from swap returns and `hz`). */
export function createVblank(window: number): VblankSource | null {
  try {
    return createVblankSource({ window })
  } catch (err) {
    noVblank(err)
    return null
  }
}
