/**
 * One app's hot reload (`--hot`, `framelatch dev`): `engine.hot`. It holds the watching hosts of
 * every kind (render module, logic workers, shaders, PNG textures, fonts), forwards all their
 * reload events to `engine.hot.on` listeners as one `HotEvent` shape, keeps the render module's
 * `app.data` as `engine.hot.data`, and draws the error overlay: the failing shader's numbered line,
 * or the message of any other standing reload error, over the last good frame, until it reloads.
 *
 * `startHotApp` is the starter runApp calls (through engine/hot-hooks.ts). Without `--hot` it only
 * imports the render module once and sets it up (no watcher, no loader hooks, `engine.hot` null).
 */
import type { Engine } from '../engine/engine.js'
import type { EngineHot, HotEvent, HotKind, HotStart, HotStartDesc } from '../engine/hot-hooks.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import { log } from '../log.js'
import type { LogicWorker } from '../sync/worker/logic-worker.js'
import { createAssetHost } from './asset-host.js'
import { createFontHost } from './font-host.js'
import { createErrorOverlay, type ErrorOverlay } from './overlay.js'
import { createRenderHost, type RenderHost, type RenderServices } from './render-host.js'
import { createShaderHost } from './shader-host.js'
import { createWorkerHost, type WorkerHost } from './worker-host.js'

/** Most lines of a non-shader error the overlay shows. */
const OVERLAY_MAX_LINES = 16
const NO_LINES: readonly string[] = Object.freeze([])

export class HotSession implements EngineHot {
  readonly services: RenderServices
  readonly workers: WorkerHost
  private render: RenderHost | null = null
  private readonly listeners = new Set<(event: HotEvent) => void>()
  /** Standing errors by what failed (kind + file), newest last. */
  private readonly standing = new Map<string, FramelatchError>()
  private overlayCache: readonly string[] = NO_LINES
  private readonly overlay: ErrorOverlay
  private count = 0
  private closed = false
  /** `engine.hot.data`, also the render module's `app.data`: one object for the session's life. */
  readonly data: Record<string, unknown> = {}

  constructor(private readonly engine: Engine) {
    const device = engine.device
    this.services = {
      shaders: createShaderHost({ device, onReload: (e) => this.emit('shader', e.ok, e.ms, e.error, e.generation, e.files) }),
      assets: createAssetHost({ device, onReload: (e) => this.emit('asset', e.ok, e.ms, e.error, e.generation, [e.file]) }),
      fonts: createFontHost({ onReload: (e) => this.emit('font', e.ok, e.ms, e.error, e.generation, [e.file]) }),
    }
    // A worker's event names the saved files (its module or what it imports); its standing error is
    // keyed by the worker, so a fix saved in another of its files clears it.
    this.workers = createWorkerHost({
      onReload: (e) => this.emit('worker', e.ok, e.ms, e.error, e.generation, e.files.length > 0 ? e.files : [e.worker.moduleFile], e.worker.moduleFile),
    })
    this.overlay = createErrorOverlay({ engine, source: this })
  }

  get reloads(): number {
    return this.count
  }
  get lastError(): FramelatchError | null {
    let last: FramelatchError | null = null
    for (const e of this.standing.values()) last = e
    return last
  }

  on(listener: (event: HotEvent) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  watchWorker(worker: LogicWorker): void {
    if (!this.closed) this.workers.watch(worker)
  }

  /** Sets the render module up (first load) and reloads it on save. Throws when its first load fails. */
  async startRender(module: string | URL): Promise<void> {
    const render = createRenderHost({
      engine: this.engine, module, watch: true, services: this.services, data: this.data,
      onReload: (e) => {
        if (e.generation > first) this.emit('render', e.ok, e.ms, e.error as FramelatchError | null, e.generation, e.files)
      },
    })
    this.render = render
    let first = Infinity // the first load is setup, not a reload: no event
    const event = await render.reload()
    first = event.generation
    if (!event.ok) throw event.error ?? new FramelatchError(ErrorCode.HOT_RELOAD, 'the render module did not load')
  }

  /** The lines the error overlay shows: a failing shader's numbered source, else the newest standing error. */
  overlayLines(): readonly string[] {
    const shader = this.services.shaders.overlayLines()
    return shader.length > 0 ? shader : this.overlayCache
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.render?.close()
    this.workers.close()
    this.services.shaders.close()
    this.services.assets.close()
    this.services.fonts.close()
    this.overlay.destroy()
    this.listeners.clear()
  }

  private emit(kind: HotKind, ok: boolean, ms: number, error: FramelatchError | null, generation: number, files: readonly string[], source = files.join(',')): void {
    if (this.closed) return
    this.count++
    const key = `${kind}:${source}`
    this.standing.delete(key)
    if (error) {
      this.standing.set(key, error)
      // Shaders, assets, fonts and workers log their own errors; the render module's are logged here.
      if (kind === 'render') log('error', ErrorCode.HOT_RELOAD, `${error.message}${error.cause instanceof Error && error.cause.stack ? `\n${error.cause.stack}` : ''}`)
    }
    // Shader errors have their own overlay lines (numbered source); the newest other one is shown as its message.
    let other: FramelatchError | null = null
    for (const [k, e] of this.standing) if (!k.startsWith('shader:')) other = e
    this.overlayCache = other ? Object.freeze(other.message.replace(/^framelatch: /, '').split('\n').slice(0, OVERLAY_MAX_LINES)) : NO_LINES
    const event: HotEvent = { kind, ok, ms, error, generation, files }
    for (const fn of this.listeners) {
      try {
        fn(event)
      } catch (e) {
        log('error', ErrorCode.HOT_RELOAD, `an engine.hot listener threw: ${String(e)}`)
      }
    }
  }
}

/** runApp's starter (provided by the package entry; see engine/hot-hooks.ts). */
export async function startHotApp(engine: Engine, desc: HotStartDesc): Promise<HotStart> {
  if (desc.hot) {
    const session = new HotSession(engine)
    return { hot: session, loadModule: (module) => session.startRender(module), close: () => session.close() }
  }
  // Without --hot: one plain import and setup; nothing watched, no loader hooks, engine.hot stays null.
  let render: RenderHost | null = null
  return {
    hot: null,
    async loadModule(module) {
      render = createRenderHost({ engine, module, generations: false })
      const event = await render.reload()
      if (!event.ok) throw event.error ?? new FramelatchError(ErrorCode.HOT_RELOAD, 'the render module did not load')
    },
    close: () => render?.close(),
  }
}
