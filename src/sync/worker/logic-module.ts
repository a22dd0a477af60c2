/**
 * The contract between framelatch and a logic worker's user module: what `init`, `step` and
 * `dispose` receive (`LogicContext`, with `ctx.hot` for hot reload) and what the module exports.
 * The thread side (logic-worker-main.ts, hot-swap.ts) builds and drives the context; the main
 * thread never sees it.
 *
 * ```js
 * export function init(ctx) { ctx.views.pos.fill(0) }        // optional, may be async
 * export function step(ctx) { ctx.views.pos[0] += 0.1 * ctx.dt }  // required
 * export function dispose(ctx) {}                             // optional, on stop() and before a hot reload
 * ```
 */
import type { StateSpec, StateViews } from '../state/state-schema.js'
import type { InputEvent, InputReader } from '../input/input-ring.js'

/** What `init`, `step` and `dispose` receive. One object per worker thread, updated in place. */
export interface LogicContext<S extends StateSpec = StateSpec> {
  /** Views of the copy to write this step (with `carry`, it holds the last published state). Valid only during the call. */
  views: StateViews<S>
  /** Step length in ms: 1000/hz for fixed steps, the measured time since the last step when free-running. */
  dt: number
  /** Logic time this step describes (ms, the main thread's `performance.now()` basis); the snapshot carries it. */
  time: number
  /** Step index, monotonic across restarts. */
  step: number
  /** This worker's own cursor on the input ring, or null when no ring was given. */
  input: InputReader | null
  /** A preallocated event record for `input.next(ctx.event)`. */
  event: InputEvent
  /** `LogicWorkerDesc.data`, structured-cloned into the worker. */
  data: unknown
  /** How many times this worker has been restarted (0 on the first start). */
  restarts: number
  /** True once `stop()` was requested (for long-running steps that want to end early). */
  stopping(): boolean
  /** Hot reload (see `LogicWorker.reload`): `data` is what the last `dispose` left for `init`. */
  hot: LogicHot
}

/**
 * `ctx.hot`: one object for the life of the thread. A thread restarted after a crash starts with
 * a structured clone of what the newest reload's `dispose` left (see `data`).
 */
export interface LogicHot {
  /**
   * Left by the old version's `dispose(ctx)` for the new version's `init(ctx)` (Vite's `hot.data`).
   * Within the thread it may hold anything; to reach the `init` of a crash restart it must be
   * structured-cloneable (cloned once per reload, right after `dispose`), else a restart gets `{}`.
   */
  data: Record<string, unknown>
  /** Reloads swapped in so far (0 on the first `init`; a crash restart goes on from the last dispose's). */
  generation: number
}

export interface LogicModule {
  init?(ctx: LogicContext): unknown
  step(ctx: LogicContext): unknown
  dispose?(ctx: LogicContext): unknown
}
