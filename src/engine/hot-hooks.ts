/**
 * The engine's side of hot reload: what `engine.hot` is, and the one hook through which `runApp`
 * starts it. Hot reload itself lives in src/hot (which may import the engine, not the other way
 * round): the package entry (src/index.ts) provides the starter with `provideHotStarter`, and
 * `runApp` calls it only for `--hot` or an app with a render `module`. An app run without either
 * calls nothing here: no watcher, no loader hooks, `engine.hot` stays null.
 */
import { ErrorCode, FramelatchError } from '../errors.js'
import type { LogicWorker } from '../sync/worker/logic-worker.js'
import type { Engine } from './engine.js'

export type HotKind = 'render' | 'worker' | 'shader' | 'asset' | 'font'

/** One reload attempt, as apps see it on `engine.hot.on(listener)`. */
export interface HotEvent {
  kind: HotKind
  ok: boolean
  /** How long it took: from the save's first file event (debounce included) to the new version in place, ms. */
  ms: number
  /** FL_HOT_RELOAD saying what failed and where (the last good version stays), or null. */
  error: FramelatchError | null
  /** Reload attempts of this thing so far (per program, texture, font, module or worker). */
  generation: number
  /** The files that changed or that the reloaded thing is made of, absolute. */
  files: readonly string[]
}

/** `engine.hot`: present while hot reload is on (`--hot`, `framelatch dev`), else null. */
export interface EngineHot {
  /** The same object across render-module reloads (`app.data` in the module): keep view and UI state here. */
  readonly data: Record<string, unknown>
  /** Calls `listener` after every reload attempt; returns a function that removes it. */
  on(listener: (event: HotEvent) => void): () => void
  /** Reload attempts so far (all kinds). */
  readonly reloads: number
  /** The newest reload error still standing (cleared when that thing reloads fine), or null. */
  readonly lastError: FramelatchError | null
  /** What the error overlay shows now (a failing shader's numbered source, or the newest other error); empty when all is well. */
  overlayLines(): readonly string[]
  /** @internal the engine hands over each logic worker it starts, to reload it on save. */
  watchWorker(worker: LogicWorker): void
  /** Stops every watch; the running versions stay. Idempotent. */
  close(): void
}

export interface HotStartDesc {
  /** Watch files and reload on save (`--hot`). False: the render module is imported and set up once, nothing is watched. */
  hot: boolean
}

/** What a start gives back: `engine.hot` (null when not hot), the render module's loader, and the teardown runApp calls. */
export interface HotStart {
  hot: EngineHot | null
  /** Imports the render module (`export function setup(app)`) and sets it up; rejects when it does not load. */
  loadModule(module: string | URL): Promise<void>
  close(): void
}

export type HotStarter = (engine: Engine, desc: HotStartDesc) => Promise<HotStart>

let starter: HotStarter | null = null

/** @internal called once by the package entry. */
export function provideHotStarter(fn: HotStarter): void {
  starter = fn
}

/** @internal runApp's hook: starts hot reload (or loads the module once) on `engine`. */
export async function startHot(engine: Engine, desc: HotStartDesc): Promise<HotStart> {
  if (starter === null) {
    throw new FramelatchError(ErrorCode.HOT_RELOAD, "hot reload is not available: import runApp from 'framelatch' (the package entry provides it)")
  }
  return starter(engine, desc)
}
