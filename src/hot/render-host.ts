/**
 * Hot reload of the render module: the module that creates batchers and registers frame
 * callbacks is re-imported on save (with the files it imports, see module-host.ts), the old
 * version's callbacks and resources are removed, and the new version is set up on the same
 * engine, with the app's state carried over. The engine, its shared state and its logic workers
 * are untouched, so the market data, the view and the frame loop go on.
 *
 * The module contract (the `app` object is the module's only handle on the host):
 * ```js
 * export function setup(app) {
 *   const rects = app.own(createRectBatcher(app.engine.queue))   // destroyed on reload
 *   app.data.scroll ??= 0                                       // kept across reloads
 *   app.onFrame((frame) => { ... })                             // removed on reload
 *   app.dispose((data) => { data.scroll = scroll })             // runs before the next setup
 *   const program = app.createProgram({ vertexFile, fragmentFile }) // GLSL files, watched; freed on reload
 * }
 * ```
 * With `watch`, the module and every file it imports from its folder (as the loader hooks report
 * them) are watched, and a save reloads it.
 * A module that fails to load, lacks `setup`, or throws in it leaves the last good version
 * drawing (its setup runs again if the new one had already torn it down) and the error is reported.
 */
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError, ValidationError } from '../errors.js'
import type { Engine, FrameCallback } from '../engine/engine.js'
import type { ProgramHandle, TextureHandle } from '../gl/handles.js'
import type { Font } from '../text/font.js'
import { createAssetHost, type AssetHost, type TextureFileDesc } from './asset-host.js'
import { createFontHost, type FontFileDesc, type FontHost } from './font-host.js'
import { createModuleHost, type ModuleHost } from './module-host.js'
import { createShaderHost, type ShaderHost } from './shader-host.js'
import type { ProgramFilesDesc } from './shader-files.js'
import { findSyntaxError, unlocatedSyntaxError } from './syntax-check.js'
import { createWatcher, type Watcher } from './watcher.js'

export interface RenderApp {
  readonly engine: Engine
  /** The same object across reloads: keep view and UI state here. */
  readonly data: Record<string, unknown>
  /** Registers a frame callback for this version of the module. */
  onFrame(callback: FrameCallback): void
  /** Marks a resource (anything with `destroy()`) as this version's, destroyed on reload; returns it. */
  own<T extends { destroy(): void }>(resource: T): T
  /** Runs before the next version is set up (and on close), with `data`. */
  dispose(fn: (data: Record<string, unknown>) => void): void
  /** A program from GLSL files (reloaded on save when hot), destroyed with this version. */
  createProgram(desc: ProgramFilesDesc): ProgramHandle
  /** A texture from a PNG file (reloaded on save when hot), destroyed with this version. */
  createTexture(desc: TextureFileDesc): TextureHandle
  /** A font from a file (reloaded in place on save when hot), unwatched with this version. */
  loadFont(desc: FontFileDesc): Font
}

/** The hosts behind `app.createProgram`, `createTexture` and `loadFont` (watching ones when hot). */
export interface RenderServices {
  shaders: ShaderHost
  assets: AssetHost
  fonts: FontHost
}

export interface RenderModule {
  setup(app: RenderApp): unknown
}

export interface ReloadEvent {
  kind: 'render'
  ok: boolean
  /** Save-to-ready time of this reload: from the save's first file event (with `watch`) or the call, to the new version set up, ms. */
  ms: number
  error: Error | null
  generation: number
  /** The module, or the saved files that caused the reload, absolute. */
  files: string[]
}

export interface RenderHostDesc {
  engine: Engine
  /** The render module (path or file: URL). */
  module: string | URL
  /** Folders whose files reload with it. Default: the module's folder. */
  roots?: readonly string[]
  /** Called after every reload attempt. */
  onReload?: (event: ReloadEvent) => void
  /** Reload when the module or a file it imports from `roots` is saved. Default false (only `reload()`). */
  watch?: boolean
  /** Quiet time after a save's last file event, ms. Default 30, at most 50. */
  debounceMs?: number
  /** Import under generations (see module-host.ts). False: one plain import, no loader hooks. Default true. */
  generations?: boolean
  /** Hosts for `app.createProgram`, `createTexture`, `loadFont`. Default: non-watching hosts of its own. */
  services?: RenderServices
  /** The object kept across reloads as `app.data` (engine.hot passes its own). Default: a new one. */
  data?: Record<string, unknown>
}

interface Scope {
  callbacks: (() => void)[]
  owned: { destroy(): void }[]
  disposers: ((data: Record<string, unknown>) => void)[]
}

const RENDER_HOST_KEYS = descKeys<RenderHostDesc>({
  engine: true, module: true, roots: true, onReload: true, watch: true, debounceMs: true, generations: true, services: true, data: true,
})

export class RenderHost {
  readonly data: Record<string, unknown>
  private readonly engine: Engine
  private readonly modules: ModuleHost<Partial<RenderModule>>
  private readonly onReload: ((event: ReloadEvent) => void) | null
  private scope: Scope | null = null
  private good: RenderModule | null = null
  private closed = false
  private readonly watcher: Watcher | null
  private services: RenderServices | null
  private readonly ownServices: boolean
  /** A save during a reload: one more reload follows, timed from this save. */
  private busy = false
  private again: { t0: number; files: string[] } | null = null
  /** Every file a load reported importing (watched or not): where to look for an unnamed syntax error. */
  private readonly imports = new Set<string>()

  constructor(desc: RenderHostDesc) {
    checkDesc('createRenderHost', desc, RENDER_HOST_KEYS, true)
    this.engine = desc.engine
    this.data = desc.data ?? {}
    this.modules = createModuleHost<Partial<RenderModule>>({
      module: desc.module, ...(desc.roots ? { roots: desc.roots } : {}), ...(desc.generations === false ? { generations: false } : {}),
    })
    this.onReload = desc.onReload ?? null
    this.services = desc.services ?? null
    this.ownServices = !desc.services
    if (desc.watch) {
      const watcher = createWatcher({
        files: [this.modules.url.pathname],
        ...(desc.debounceMs !== undefined ? { debounceMs: desc.debounceMs } : {}),
        onChange: (batch) => {
          if (this.closed || batch.changed.length === 0) return
          if (this.busy) this.again = { t0: this.again?.t0 ?? batch.firstEventMs, files: batch.changed }
          else void this.reloadFrom(batch.firstEventMs, batch.changed)
        },
      })
      this.watcher = watcher
    } else {
      this.watcher = null
    }
    this.modules.onFile = (file) => {
      this.imports.add(file)
      this.watcher?.add(file)
    }
  }

  /** The files watched (the module and what it imported), absolute; empty without `watch`. */
  get files(): readonly string[] {
    return this.watcher?.files ?? []
  }

  /** The generation of the version now drawing (0 before the first). */
  get generation(): number {
    return this.modules.generation
  }

  /**
   * Loads the module and sets it up, or, when a version is running, replaces it. Resolves with
   * what happened; never rejects for a broken module (the old version keeps drawing).
   */
  async reload(): Promise<ReloadEvent> {
    if (this.closed) throw new FramelatchError(ErrorCode.ENGINE_STATE, 'renderHost.reload: this host was closed; create a new one')
    return this.reloadFrom(performance.now(), [this.modules.url.pathname])
  }

  private async reloadFrom(t0: number, files: string[]): Promise<ReloadEvent> {
    this.busy = true
    const loaded = await this.modules.load()
    let error: Error | null = loaded.error
    let at: string | null = null
    if (error !== null && unlocatedSyntaxError(error.stack ?? String(error))) {
      // Node named no file (a syntax error in an imported file): find it, the saved files first.
      at = await findSyntaxError([...files, this.modules.url.pathname, ...this.imports].filter((f, i, all) => all.indexOf(f) === i))
    }
    if (loaded.ok) {
      const next = loaded.module
      if (!next || typeof next.setup !== 'function') {
        error = new ValidationError(ErrorCode.HOT_RELOAD, `${this.modules.url.pathname} has no setup(app) export; export function setup(app) { ... }`)
      } else {
        this.teardown()
        try {
          this.setup(next as RenderModule)
          this.good = next as RenderModule
        } catch (err) {
          error = err instanceof Error ? err : new Error(String(err))
          this.teardown()
          if (this.good) this.setup(this.good) // the last good version draws again
        }
      }
    }
    const event: ReloadEvent = {
      kind: 'render', ok: error === null, ms: performance.now() - t0,
      error: error && !(error instanceof FramelatchError)
        ? new FramelatchError(ErrorCode.HOT_RELOAD, `the render module failed to reload (${error.message.split("\n")[0]}${at !== null ? ` at ${at}` : ''}); fix it and save again: the last good version keeps drawing`, at !== null ? { cause: error, at } : { cause: error })
        : error,
      generation: loaded.generation,
      files,
    }
    this.busy = false
    if (!this.closed) this.onReload?.(event)
    const again = this.again
    this.again = null
    if (again && !this.closed) void this.reloadFrom(again.t0, again.files)
    return event
  }

  /** Removes the running version (callbacks, owned resources, disposers). Idempotent. */
  close(): void {
    if (this.closed) return
    this.teardown()
    this.closed = true
    this.watcher?.close()
    this.modules.close()
    if (this.ownServices && this.services) {
      this.services.shaders.close()
      this.services.assets.close()
      this.services.fonts.close()
    }
  }

  private hosts(): RenderServices {
    this.services ??= {
      shaders: createShaderHost({ device: this.engine.device, watch: false }),
      assets: createAssetHost({ device: this.engine.device, watch: false }),
      fonts: createFontHost({ watch: false }),
    }
    return this.services
  }

  private setup(module: RenderModule): void {
    const scope: Scope = { callbacks: [], owned: [], disposers: [] }
    this.scope = scope
    const engine = this.engine
    const app: RenderApp = {
      engine,
      data: this.data,
      onFrame: (cb) => {
        scope.callbacks.push(engine.onFrame(cb))
      },
      own: (resource) => {
        scope.owned.push(resource)
        return resource
      },
      dispose: (fn) => {
        scope.disposers.push(fn)
      },
      createProgram: (files) => {
        const { shaders } = this.hosts()
        const program = shaders.createProgram(files)
        scope.owned.push({ destroy: () => { shaders.unwatchProgram(program); engine.device.destroyProgram(program) } })
        return program
      },
      createTexture: (file) => {
        const { assets } = this.hosts()
        const texture = assets.createTexture(file)
        scope.owned.push({ destroy: () => { assets.unwatch(texture); engine.device.destroyTexture(texture) } })
        return texture
      },
      loadFont: (file) => {
        const { fonts } = this.hosts()
        const font = fonts.loadFont(file)
        scope.owned.push({ destroy: () => fonts.unwatch(font) })
        return font
      },
    }
    module.setup(app)
  }

  private teardown(): void {
    const scope = this.scope
    if (!scope) return
    this.scope = null
    for (const remove of scope.callbacks) remove()
    for (const fn of scope.disposers) fn(this.data)
    for (let i = scope.owned.length - 1; i >= 0; i--) scope.owned[i]!.destroy()
  }
}

export function createRenderHost(desc: RenderHostDesc): RenderHost {
  return new RenderHost(desc)
}
