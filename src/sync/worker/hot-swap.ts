/**
 * Hot reload of a logic worker's module, on the worker thread (used by logic-worker-main.ts).
 *
 * A reload request (a message from the parent, see worker-reload.ts) starts `import()` of the
 * module under a new `?fl-hot=N` URL while the old module keeps stepping; once the import has
 * settled, the swap happens between two steps, in the same thread, with the same `ctx`:
 *
 *   old `dispose(ctx)` → new `init(ctx)` → one publish → new `step(ctx)` from the next step on
 *
 * so the shared state (the same buffer and writer claim), `ctx.step` and `ctx.time` simply go on.
 * `ctx.hot.data` is one object for the life of the thread: `dispose` leaves data in it for the
 * next `init` (Vite's `import.meta.hot.data` contract). A new module that fails to import, lacks
 * `step`, or throws in `init` is dropped: the old module's `init(ctx)` runs again (its `dispose`
 * ran already) and it keeps stepping; the parent is told what failed either way.
 *
 * Files the module imports reload with it only when the parent passes loader hooks (src/hot's
 * generation hooks, registered in this thread on the first reload or watch, import-scan.ts: a
 * thread that never reloads registers nothing). During the swap `IN_STEP` stays set, so a
 * `dispose` or `init` that never returns is caught by the step watchdog like a stalled step.
 *
 * Crash restarts: right after the old `dispose` returned, `ctx.hot.data` is structured-cloned
 * into the reply (`kept`), and the parent hands the newest one to the `init` of a thread that
 * supervision restarts after a crash. That is the data the module itself handed over at a known
 * point, not whatever it held when it crashed (which may be what made it crash), and it costs
 * one clone per reload, nothing per step. Data that cannot be cloned (functions, class instances
 * with private state, handles) is not kept: the reply says why and a restart starts from `{}`.
 */
import type { LogicContext, LogicModule } from './logic-module.js'
import type { ImportHooks } from './import-scan.js'

/** @internal parent → thread. */
export interface ReloadRequest {
  type: 'reload'
  /** Names the import (`?fl-hot=generation`); unique per worker. */
  generation: number
  /** file: URL of ESM loader hooks that pass the generation on to imports in `roots`, or null. */
  hooks: string | null
  /** file: URLs (trailing slash) of the folders whose files reload with the module. */
  roots: string[]
  /** file: URL prefixes inside the roots that keep their one instance. */
  exclude: string[]
}

/** `ctx.hot` as the last `dispose` left it (structured-cloned), for a crash restart's `init`. */
export interface KeptHot {
  data: Record<string, unknown>
  generation: number
}

/** @internal thread → parent: what one reload did. */
export interface ReloadReply {
  type: 'reloaded'
  generation: number
  ok: boolean
  /** 'load' (import, or no step export), 'dispose' (the old one's), 'init' (the new one's). */
  phase: 'load' | 'dispose' | 'init' | null
  message: string
  stack: string
  /** `ctx.hot` after the old `dispose` returned, or null (dispose did not run or threw, or the data could not be cloned). */
  kept: KeptHot | null
  /** Why `ctx.hot.data` could not be cloned, or ''. */
  keptError: string
}

type Post = (m: ReloadReply) => void

function describe(e: unknown): { message: string; stack: string } {
  if (e instanceof Error) return { message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` }
  return { message: String(e), stack: String(e) }
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function'

async function call(fn: ((ctx: LogicContext) => unknown) | undefined, ctx: LogicContext): Promise<void> {
  if (typeof fn !== 'function') return
  const r = fn(ctx)
  if (isThenable(r)) await r
}

export class HotSwap {
  /** The import that settled and waits for the next step boundary, or null. */
  private settled: { generation: number; module: LogicModule | null; error: unknown } | null = null
  private inFlight = false

  /** `base`: the module's URL without a generation. */
  constructor(private readonly base: string, private readonly hooks: ImportHooks, private readonly post: Post) {}

  /** True when a new module waits to be swapped in (checked once per step: one field read). */
  get ready(): boolean {
    return this.settled !== null
  }

  /** Starts importing the new version; the old one keeps stepping meanwhile. */
  request(req: ReloadRequest): void {
    if (this.inFlight || this.settled !== null) {
      this.post({ type: 'reloaded', generation: req.generation, ok: false, phase: 'load', message: 'a reload is already in progress; save again', stack: '', kept: null, keptError: '' })
      return
    }
    if (req.hooks !== null) this.hooks.ensure(req.hooks, req.roots, req.exclude)
    const url = new URL(this.base)
    url.searchParams.set('fl-hot', String(req.generation))
    this.inFlight = true
    import(url.href).then(
      (m: LogicModule) => {
        const error = typeof m.step === 'function' ? null : new Error('the module does not export a step(ctx) function')
        this.settled = { generation: req.generation, module: error ? null : m, error }
      },
      (e: unknown) => {
        this.settled = { generation: req.generation, module: null, error: e }
      },
    ).finally(() => {
      this.inFlight = false
    })
  }

  /**
   * Swaps the settled module in (call between steps, with `ctx.views` from a fresh `begin()`;
   * publish afterwards). Returns the module to step from now on: the new one, or `current`.
   */
  async apply(ctx: LogicContext, current: LogicModule): Promise<LogicModule> {
    const s = this.settled!
    this.settled = null
    let kept: KeptHot | null = null
    let keptError = ''
    const reply = (ok: boolean, phase: ReloadReply['phase'], e: unknown): void => {
      if (kept !== null) kept.generation = ctx.hot.generation
      this.post({ type: 'reloaded', generation: s.generation, ok, phase, ...(e === null ? { message: '', stack: '' } : describe(e)), kept, keptError })
    }
    if (s.module === null) {
      reply(false, 'load', s.error)
      return current
    }
    try {
      await call(current.dispose?.bind(current), ctx)
    } catch (e) {
      reply(false, 'dispose', e)
      return current
    }
    try {
      kept = { data: structuredClone(ctx.hot.data), generation: 0 }
    } catch (e) {
      keptError = describe(e).message
    }
    ctx.hot.generation++ // the new version's init sees its own generation
    try {
      await call(s.module.init?.bind(s.module), ctx)
    } catch (e) {
      ctx.hot.generation--
      // The old version goes on: it is set up again from the data its dispose left. If that throws
      // too, the thread fails like any init failure (the parent's restart policy applies).
      await call(current.init?.bind(current), ctx)
      reply(false, 'init', e)
      return current
    }
    reply(true, null, null)
    return s.module
  }
}
