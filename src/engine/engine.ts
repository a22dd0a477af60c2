/**
 * `createEngine` ties together a context and its device, the draw queue, the ticker, the frame
 * trace, input (ring, latch, and a uniform block the shaders read), optional shared state read
 * by the render thread, and logic workers. `engine.run()` paces frames; `engine.renderFrame()`
 * renders one frame now (headless stepping, tests, `--frames`).
 *
 * Lifetime: `stop()` ends the loop and the logic workers; `destroy()` also frees GL objects, the
 * context, the window and any Xvfb the engine started. Closing the window stops and destroys.
 */
import { ErrorCode, ResourceStateError, ValidationError } from '../errors.js'
import { createContext, type GLContext } from '../gl/context.js'
import { Device } from '../gl/device.js'
import { acquireDisplay, type DisplayLease } from '../platform/display-owner.js'
import { createFrameTrace, type FrameTrace } from '../sync/frame-trace.js'
import { createInputLatch, type InputLatch, type LatchedInput } from '../sync/input/input-latch.js'
import { createInputBlock, INPUT_GLSL, type InputBlock } from './input-block.js'
import { createInputRing, type InputRing } from '../sync/input/input-ring.js'
import { prepareLogicWorker, type LogicWorker, type LogicWorkerDesc } from '../sync/worker/logic-worker.js'
import { attachSdlInput } from './sdl-input.js'
import { pumpSdlEvents } from '../platform/sdl-events.js'
import { x11WindowId, type SdlWindow } from '../platform/sdl.js'
import type { SharedState } from '../sync/state/shared-state.js'
import type { StateReader } from '../sync/state/state-reader.js'
import type { StateSpec } from '../sync/state/state-schema.js'
import { createTicker, type Ticker, type WaitForFrameOptions } from '../sync/ticker/ticker.js'
import type { VblankSource } from '../platform/vblank-source.js'
import { createVblank, EngineXServices } from './engine-x-services.js'
import { FrameRunner, type Frame, type FrameCallback } from './engine-frame.js'
import { createHud, type Hud } from '../draw/hud.js'
import { createQueue, type DrawQueue } from '../core/queue.js'
import { checkDesc } from '../check.js'
import { ENGINE_KEYS, RUN_KEYS, type EngineDesc, type RunOptions } from './engine-desc.js'
import { traceExportFromEnv } from './trace-export.js'
import { ResizeEvents, type ResizeListener } from './engine-resize.js'
import { DamageCanvas, type DamageStats } from './damage-canvas.js'
import type { Panel, PanelDesc } from './damage.js'
import type { EngineHot } from './hot-hooks.js'
import { FrameErrorPolicy } from './frame-errors.js'

export type { Frame, FrameCallback } from './engine-frame.js'
export type { Panel, PanelDesc } from './damage.js'
export type { DamageStats } from './damage-canvas.js'

export class Engine {
  readonly context: GLContext
  readonly device: Device
  readonly queue: DrawQueue
  readonly trace: FrameTrace
  /** Input events, stamped on arrival; logic workers can read it too (`input` in their desc). */
  readonly input: InputRing
  /** Latches input at each frame start for the CPU (`frame.input`). */
  readonly latch: InputLatch
  /**
   * The latched input as a uniform block (`u_FlInput[11]`, layout in engine/input-block.ts),
   * latched again and refreshed right before each frame's flush, after recording, so the shaders
   * see input from the last moment before submission. Add it to a batch's `blocks` and
   * `inputGLSL` to its shaders to read input on the GPU.
   */
  readonly inputBlock: InputBlock
  /** GLSL for shaders that read `inputBlock` (INPUT_GLSL): `u_FlInput`, its accessors and flPointer/flButtonDown/flKeyDown/flKeyPresses. */
  readonly inputGLSL: string = INPUT_GLSL
  readonly ticker: Ticker
  readonly state: SharedState<StateSpec> | null
  /** The HUD the engine draws each frame, or null (EngineDesc.hud). */
  readonly hud: Hud | null
  /** Hot reload events and state kept across reloads while `--hot` is on (hot-hooks.ts), else null. Set by runApp. */
  hot: EngineHot | null = null
  private readonly blockLatch: InputLatch
  private readonly stateReader: StateReader<StateSpec> | null
  private readonly runner: FrameRunner
  private readonly workers: LogicWorker[] = []
  private display: DisplayLease | null
  /** The vblank clock and the input doorbell, started after the first frame. */
  private readonly xServices: EngineXServices
  private detachInput: (() => void) | null = null
  /** Damage-aware redraw (damage-canvas.ts), made by the first createPanel. */
  private canvas: DamageCanvas | null = null
  private running = false
  private stopRequested = false
  private runPromise: Promise<void> | null = null
  private destroyedFlag = false
  private userClosed = false
  /** Input frames' stage stamps for `framelatch latency` (FRAMELATCH_TRACE), or null. */
  private readonly traceExport = traceExportFromEnv()
  private readonly frameErrorPolicy: FrameErrorPolicy
  private readonly resizeEvents = new ResizeEvents()

  constructor(context: GLContext, device: Device, display: DisplayLease | null, vblank: VblankSource | null, desc: EngineDesc) {
    this.context = context
    this.device = device
    this.display = display
    this.queue = createQueue(device, desc.queue ?? {})
    this.trace = createFrameTrace({ capacity: desc.traceFrames ?? 600 })
    this.input = createInputRing({ capacity: desc.inputCapacity ?? 1024 })
    this.latch = createInputLatch(this.input)
    this.blockLatch = createInputLatch(this.input)
    this.inputBlock = createInputBlock(device.debug)
    this.ticker = createTicker({
      mode: desc.mode ?? 'paced', hz: desc.hz ?? 60, maxHz: desc.maxHz ?? 240, marginMs: desc.marginMs ?? 1, debug: device.debug,
      vblank,
    })
    this.frameErrorPolicy = new FrameErrorPolicy(desc.onFrameError)
    this.state = desc.state ?? null
    this.stateReader = this.state ? this.state.reader() : null
    const window = context.window
    if (window) {
      // Each event also wakes a low-latency or on-demand wait at once (see sync/ticker).
      this.detachInput = attachSdlInput(window, this.input, undefined, () => this.ticker.notifyInput())
      // The user closed the window: stop, then free the GL context before the window.
      window.on('beforeClose', (event) => {
        event.prevent()
        this.userClosed = true
        this.stopRequested = true
        this.ticker.stop()
        if (!this.running) this.destroy()
      })
      // A resizable window: the drawing buffer follows the window's pixel size.
      window.on('resize', () => {
        if (this.destroyedFlag) return
        const w = context.width, h = context.height
        context.resize()
        device.resize(context.width, context.height)
        // SDL also sends one right after the window opens, at the size it already has.
        if (context.width === w && context.height === h) return
        // ANGLE re-reads a window surface's size at a swap: without one here the next frame
        // would still draw into the old size (DEVELOPERS.md).
        context.present()
        this.resizeEvents.emit(context.width, context.height)
      })
    }
    this.xServices = new EngineXServices(vblank, window !== null && (desc.inputDoorbell ?? true))
    this.hud = desc.hud ? createHud(this.queue, desc.hud === true ? {} : desc.hud) : null
    this.runner = new FrameRunner({
      device, queue: this.queue, trace: this.trace, latch: this.latch, blockLatch: this.blockLatch, inputBlock: this.inputBlock,
      stateReader: this.stateReader, pump: window ? pumpSdlEvents : null,
      present: () => context.present(),
      retireRingOnPresent: window !== null,
      size: () => context,
      finish: desc.finish ?? false,
      hud: this.hud,
      clearColor: desc.clearColor ?? [0, 0, 0, 1],
    })
  }

  get width(): number {
    return this.context.width
  }
  get height(): number {
    return this.context.height
  }
  get headless(): boolean {
    return this.context.headless
  }
  /** The SDL window, or null when headless. */
  get window(): SdlWindow | null {
    return this.context.window
  }
  get destroyed(): boolean {
    return this.destroyedFlag
  }
  get isRunning(): boolean {
    return this.running
  }
  /** The input written into `inputBlock` for the newest frame, latched right before its flush. */
  get blockInput(): Readonly<LatchedInput> {
    return this.blockLatch.state
  }
  /** Frames dropped because an `onFrame` callback threw (EngineDesc.onFrameError). */
  get frameErrors(): number {
    return this.frameErrorPolicy.dropped
  }

  /** Frames rendered so far. */
  get frameCount(): number {
    return this.runner.frameIndex
  }
  /**
   * The vblank source in use or starting, or null (pacing from swap returns or `hz`). It starts
   * after the first frame is presented; `vblankReady` resolves when it runs (or with null).
   */
  get vblank(): VblankSource | null {
    return this.xServices.vblank
  }
  /** Resolves with the running vblank source once it has seen its first vblank, or null (disabled, unavailable, stopped, destroyed). */
  get vblankReady(): Promise<VblankSource | null> {
    return this.xServices.ready
  }

  /** After the first presented frame: the startup mark, and the start of the X services (engine-x-services.ts). */
  private afterFirstFrame(): void {
    if (STARTUP_MARK) markFirstFrame()
    if (!this.destroyedFlag) this.xServices.start()
  }

  /** Registers a frame callback; returns a function that removes it. */
  onFrame(callback: FrameCallback): () => void {
    this.alive('onFrame')
    this.runner.callbacks.push(callback)
    return () => {
      const i = this.runner.callbacks.indexOf(callback)
      if (i >= 0) this.runner.callbacks.splice(i, 1)
    }
  }

  /** Calls `listener({ width, height })` after each resize of the drawing buffer (engine-resize.ts); returns a function that removes it. */
  onResize(listener: ResizeListener): () => void {
    this.alive('onResize')
    return this.resizeEvents.on(listener)
  }

  /**
   * Headless: resizes the drawing buffer to `width` x `height` pixels and emits a resize event.
   * A window follows its window's size instead (`FL_ENGINE_STATE` here: resize the SDL window).
   */
  resize(width: number, height: number): void {
    this.alive('resize')
    if (!this.context.headless) {
      throw new ResourceStateError(ErrorCode.ENGINE_STATE, 'resize: a window engine follows its window; resize the window (engine.window) instead')
    }
    this.context.resize(width, height)
    this.device.resize(this.context.width, this.context.height)
    this.resizeEvents.emit(this.context.width, this.context.height)
  }

  /**
   * A panel: a rectangle of the window redrawn only when damaged (`panel.invalidate()`, its
   * `changed(frame)`, `engine.damage()`, a resize), kept in a persistent canvas otherwise (see
   * "Damage-aware redraw" in the README and engine/damage-canvas.ts).
   */
  createPanel(desc: PanelDesc): Panel {
    this.alive('createPanel')
    if (this.canvas === null) {
      this.canvas = new DamageCanvas(this.device, this.queue, this.runner.clearColor)
      const canvas = this.canvas
      this.runner.compose = (frame) => canvas.compose(frame)
    }
    return this.canvas.tracker.createPanel(desc)
  }

  /** Damages a window rectangle (pixels): panels intersecting it are redrawn at the next frame, the rest of it cleared. */
  damage(x: number, y: number, w: number, h: number): void {
    this.alive('damage')
    this.canvas?.tracker.damage(x, y, w, h)
  }

  /** Figures of the last damage-aware compose, or null before the first createPanel. */
  get damageStats(): Readonly<DamageStats> | null {
    return this.canvas?.stats ?? null
  }

  setClearColor(r: number, g: number, b: number, a = 1): void {
    this.alive('setClearColor')
    this.runner.setClearColor(r, g, b, a)
    // The canvas outside the panels shows the clear colour: repaint it.
    this.canvas?.tracker.invalidateAll(this.width, this.height)
  }

  /** Renders one frame now, without pacing (headless stepping, tests). Returns the frame. */
  renderFrame(): Readonly<Frame> {
    this.alive('renderFrame')
    if (this.running) {
      throw new ResourceStateError(ErrorCode.ENGINE_STATE, 'renderFrame: the engine loop is running; call stop() first or draw in onFrame')
    }
    try {
      this.runner.run(null, null)
    } catch (e) {
      this.frameErrorPolicy.failed(e)
      throw e
    }
    if (!this.xServices.started) this.afterFirstFrame()
    this.frameErrorPolicy.succeeded()
    return this.runner.frame
  }

  /**
   * Starts the paced loop; resolves when it stops (`stop()`, the window closing, or
   * `options.frames` frames); rejects with `FL_FRAME_CALLBACK` when a callback throws and
   * `onFrameError` is 'stop'. Only one loop runs at a time; `run()` after `stop()` runs again
   * (logic workers stopped by `stop()` stay stopped).
   */
  run(options: RunOptions = {}): Promise<void> {
    checkDesc('run', options, RUN_KEYS, this.device.debug)
    this.alive('run')
    if (this.running) throw new ResourceStateError(ErrorCode.ENGINE_STATE, 'run: the engine loop is already running')
    const limit = options.frames ?? Infinity
    if (!(limit > 0)) throw new ValidationError(ErrorCode.INVALID_DESC, 'run: frames must be a positive number')
    this.running = true
    this.stopRequested = false
    this.ticker.resume()
    this.runPromise = this.loop(limit).finally(() => {
      this.running = false
      // The window was closed during the loop: now that no frame is in flight, free everything.
      if (this.userClosed) this.destroy()
    })
    return this.runPromise
  }

  private async loop(limit: number): Promise<void> {
    // Input is waiting (low-latency, on-demand) while the frame latch has events it has not
    // consumed. Not a reader skipped at the frame start: events pumped between the wait's end and
    // the latch reach that frame, and counting them again started an extra frame with no input.
    const latch = this.latch
    const pump = this.context.window ? pumpSdlEvents : null
    const waitOpts: WaitForFrameOptions = {
      poll: () => {
        if (pump !== null) pump()
        return latch.pending() > 0
      },
      hasInput: () => latch.pending() > 0,
      doorbell: null,
    }
    let frames = 0
    while (!this.stopRequested && frames < limit) {
      waitOpts.doorbell = this.xServices.doorbellCell
      const timing = await this.ticker.waitForFrame(waitOpts)
      if (timing.reason === 'stopped' || this.stopRequested || this.destroyedFlag) break
      try {
        this.runner.run(timing, this.ticker)
        if (!this.xServices.started) this.afterFirstFrame()
        this.frameErrorPolicy.succeeded()
      } catch (e) {
        if (!this.frameErrorPolicy.failed(e)) throw e
      }
      this.traceExport?.afterFrame(this.trace, this.runner.frameIndex - 1)
      frames++
    }
  }

  /** Starts a logic worker writing the engine's shared state (and reading its input ring). */
  async startLogic(desc: Omit<LogicWorkerDesc<StateSpec>, 'state' | 'input'>): Promise<LogicWorker> {
    this.alive('startLogic')
    if (!this.state) {
      throw new ValidationError(ErrorCode.ENGINE_STATE, 'startLogic: the engine has no shared state; pass createEngine({ state: createSharedState(schema) })')
    }
    // Held before init runs, so stop() and destroy() reach a worker whose init never returns.
    const worker = prepareLogicWorker({ ...desc, state: this.state, input: this.input })
    this.workers.push(worker)
    try {
      await worker.start()
    } catch (e) {
      const i = this.workers.indexOf(worker)
      if (i >= 0) this.workers.splice(i, 1)
      await worker.stop()
      throw e
    }
    this.hot?.watchWorker(worker)
    return worker
  }

  /** Ends the loop (after the frame in flight) and stops the logic workers and the vblank worker. */
  async stop(): Promise<void> {
    this.stopRequested = true
    this.ticker.stop()
    if (this.runPromise) await this.runPromise.catch(() => {})
    await Promise.all(this.workers.splice(0).map((w) => w.stop()))
    await this.xServices.stop()
  }

  /**
   * A PNG of the frame (top row first). Headless: the last rendered frame, read at once. On a
   * window, whose back buffer is undefined after a swap: the next frame when the loop is
   * running, otherwise one frame rendered now (`renderFrame`) and read before it is presented.
   */
  async screenshot(): Promise<Buffer> {
    this.alive('screenshot')
    if (this.context.headless) return this.device.screenshot()
    return new Promise<Buffer>((resolve) => {
      this.runner.captureNext(resolve)
      if (!this.running) this.runner.run(null, null)
    })
  }

  /** Shows the current frame (swap on a window, flush headless). */
  present(): void {
    this.alive('present')
    this.context.present()
  }

  /**
   * Frees GL resources, the context, the window and any Xvfb the engine started. Idempotent.
   * Call `stop()` first when the loop or workers are running (destroy does not wait for them).
   */
  destroy(): void {
    if (this.destroyedFlag) return
    this.destroyedFlag = true
    this.stopRequested = true
    this.ticker.stop()
    for (const w of this.workers.splice(0)) void w.stop()
    void this.xServices.stop()
    this.detachInput?.()
    this.hud?.destroy()
    this.canvas?.destroy()
    this.canvas = null
    this.queue.destroy()
    this.device.destroy()
    this.context.destroy()
    // The last engine on the auto-started Xvfb stops it (display-owner.ts).
    this.display?.release()
    this.display = null
    this.traceExport?.close()
  }

  protected alive(call: string): void {
    if (this.destroyedFlag) {
      throw new ResourceStateError(ErrorCode.ENGINE_STATE, `${call}: this engine was destroyed; create a new one with createEngine()`)
    }
  }
}

/**
 * FRAMELATCH_STARTUP_MARK=1: the first presented frame prints `@@first-frame <ms> <cpu ms>` (ms
 * since the process started, and the CPU time of all its threads so far) on stdout, so a cold-start benchmark can time any framelatch app from
 * outside (benchmarks/engine/cold-start.bench.mjs).
 */
const STARTUP_MARK = process.env['FRAMELATCH_STARTUP_MARK'] === '1'

function markFirstFrame(): void {
  const cpu = process.cpuUsage()
  process.stdout.write(`@@first-frame ${performance.now().toFixed(1)} ${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`)
}


export async function createEngine(desc: EngineDesc = {}): Promise<Engine> {
  checkDesc('createEngine', desc, ENGINE_KEYS, desc.debug ?? false)
  if (desc.headless && desc.window) {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'createEngine: give either headless: true or window, not both')
  }
  const headless = desc.headless ?? !desc.window
  const display = headless && (desc.autoDisplay ?? true) ? await acquireDisplay() : null
  let context: GLContext
  try {
    context = headless
      ? createContext({ width: desc.width ?? 640, height: desc.height ?? 480, debug: desc.debug ?? false })
      : createContext({ window: desc.window ?? {}, debug: desc.debug ?? false })
  } catch (err) {
    display?.release()
    throw err
  }
  // Created here, started after the first frame is presented (engine-x-services.ts); the
  // ticker's estimator restarts when vblanks begin (period-estimator.ts).
  const vblank = (desc.vblank ?? true) ? createVblank(x11WindowId(context.window)) : null
  try {
    const device = new Device(context.gl, { debug: desc.debug ?? false, width: context.width, height: context.height })
    return new Engine(context, device, display, vblank, desc)
  } catch (err) {
    await vblank?.stop()
    context.destroy()
    display?.release()
    throw err
  }
}
