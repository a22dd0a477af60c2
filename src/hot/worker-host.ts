/**
 * Hot reload of logic workers: when a worker's module file, a local file it imports, or another
 * file listed for it is saved, the module is imported afresh in the running thread and swapped in
 * between two steps (`LogicWorker.reload`, src/sync/worker/hot-swap.ts): the shared state,
 * `ctx.step` and `ctx.time` go on, `dispose(ctx)` leaves `ctx.hot.data` for the next `init(ctx)`,
 * and a version that fails to load or throws in `init` leaves the last good one running.
 *
 * Imports: the generation loader hooks (loader-hooks.ts), registered in the worker's thread,
 * report every file the module imports, transitively, from its project (the nearest folder above
 * it with a package.json; node_modules and framelatch's own files are left out): its static graph
 * at `watch()` (an import scan that runs none of it, src/sync/worker/import-scan.ts), then what
 * each reload imports. Each reported file is watched; a reload evaluates all of them afresh, so
 * a changed helper is never served from the old cache.
 *
 * Saves come through the shared watcher (watcher.ts); a save during a reload runs one more reload
 * after it. Errors are logged to the terminal and kept in `lastError` until the worker reloads.
 */
import { Fs } from '../node-builtins.js'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError, type WorkerError } from '../errors.js'
import { log } from '../log.js'
import type { LogicWorker } from '../sync/worker/logic-worker.js'
import { reloadError } from '../sync/worker/worker-reload.js'
import { findSyntaxError, unlocatedSyntaxError } from './syntax-check.js'
import { LOADER_HOOKS_URL } from './module-host.js'
import { createWatcher, type WatchBatch, type Watcher } from './watcher.js'

export interface WorkerReloadEvent {
  kind: 'worker'
  ok: boolean
  /** From the save's first file event (debounce included) to the new version stepping (or the old one back), ms. */
  ms: number
  error: WorkerError | null
  /** Reload attempts of this worker so far. */
  generation: number
  worker: LogicWorker
  /** The files whose save caused the reload, absolute. */
  files: string[]
}

export interface WorkerHostDesc {
  /** Quiet time after a save's last file event, ms. Default 30, at most 50. */
  debounceMs?: number
  onReload?: (event: WorkerReloadEvent) => void
  /** Watch files (false: only `reload()`). Default true. */
  watch?: boolean
}

export interface WatchWorkerDesc {
  /** More files whose save reloads this worker (imports outside its folder, data files). Default none. */
  files?: readonly string[]
  /**
   * Folders whose files (imported by the module, transitively) are watched and reload with it.
   * Default: the module's project, the nearest folder above it that holds a package.json (the
   * module's own folder when there is none). node_modules never reloads.
   */
  roots?: readonly string[]
}

interface Entry {
  worker: LogicWorker
  /** The module, `WatchWorkerDesc.files`, then every file the thread reports it imports. */
  files: string[]
  roots: string[]
  /** Stops the thread's import reports to this host. */
  untrack: () => void
  attempts: number
  busy: boolean
  /** Saves that came during a reload: one more reload follows. */
  again: { t0: number; files: string[] } | null
  error: WorkerError | null
}

const HOST_KEYS = descKeys<WorkerHostDesc>({ debounceMs: true, onReload: true, watch: true })
const WATCH_KEYS = descKeys<WatchWorkerDesc>({ files: true, roots: true })

/** framelatch's own compiled files: a worker importing the package from a checkout reuses them, never reloads them. */
const OWN_FILES = [Path.dirname(Path.dirname(fileURLToPath(import.meta.url)))]

/** The nearest folder at or above `dir` that holds a package.json, outside node_modules; else `dir`. */
export function projectRoot(dir: string): string {
  for (let d = dir; ; d = Path.dirname(d)) {
    if (!d.split(Path.sep).includes('node_modules') && Fs.existsSync(Path.join(d, 'package.json'))) return d
    if (Path.dirname(d) === d) return dir
  }
}

export class WorkerHost {
  private readonly onReload: ((event: WorkerReloadEvent) => void) | null
  private readonly watcher: Watcher | null
  private readonly entries: Entry[] = []
  private closed = false

  constructor(desc: WorkerHostDesc = {}) {
    checkDesc('createWorkerHost', desc, HOST_KEYS, true)
    this.onReload = desc.onReload ?? null
    this.watcher = desc.watch === false ? null : createWatcher({
      ...(desc.debounceMs !== undefined ? { debounceMs: desc.debounceMs } : {}),
      onChange: (batch) => this.changed(batch),
    })
  }

  /** Reloads `worker` whenever its module, a file it imports from `desc.roots`, or one of `desc.files` is saved. */
  watch(worker: LogicWorker, desc: WatchWorkerDesc = {}): void {
    this.alive()
    checkDesc('workerHost.watch', desc, WATCH_KEYS, true)
    if (this.entries.some((e) => e.worker === worker)) return
    const files = [worker.moduleFile, ...(desc.files ?? []).map((f) => Path.resolve(f))]
    const roots = (desc.roots ?? [projectRoot(Path.dirname(worker.moduleFile))]).map((r) => Path.resolve(r))
    const entry: Entry = { worker, files, roots, untrack: () => {}, attempts: 0, busy: false, again: null, error: null }
    this.entries.push(entry)
    for (const f of files) this.watcher?.add(f)
    entry.untrack = worker.trackImports({
      hooks: LOADER_HOOKS_URL, roots, exclude: OWN_FILES,
      onFile: (file) => {
        if (this.closed || entry.files.includes(file)) return
        entry.files.push(file)
        this.watcher?.add(file)
      },
    })
  }

  /** The files whose save reloads `worker` (its module, listed files, and the imports reported so far), absolute. */
  files(worker: LogicWorker): readonly string[] {
    return this.entries.find((e) => e.worker === worker)?.files ?? []
  }

  /** Stops reloading `worker` (it keeps running). */
  unwatch(worker: LogicWorker): void {
    const i = this.entries.findIndex((e) => e.worker === worker)
    if (i < 0) return
    const [entry] = this.entries.splice(i, 1)
    entry!.untrack()
    for (const f of entry!.files) if (!this.entries.some((e) => e.files.includes(f))) this.watcher?.remove(f)
  }

  /** Reloads `worker` now, as a save of its module would. Never rejects for a broken module. */
  async reload(worker: LogicWorker): Promise<WorkerReloadEvent> {
    this.alive()
    const entry = this.entries.find((e) => e.worker === worker)
    if (!entry) throw new FramelatchError(ErrorCode.HOT_RELOAD, 'workerHost.reload: this worker is not watched by this host; call workerHost.watch(worker) first')
    return this.run(entry, performance.now(), [worker.moduleFile])
  }

  /** The newest error of a worker that has not reloaded since, or null. */
  get lastError(): WorkerError | null {
    let last: WorkerError | null = null
    for (const e of this.entries) if (e.error) last = e.error
    return last
  }

  /** Stops watching; the workers keep running. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.watcher?.close()
    for (const e of this.entries) e.untrack()
    this.entries.length = 0
  }

  private changed(batch: WatchBatch): void {
    if (this.closed) return
    for (const entry of this.entries) {
      const files = batch.changed.filter((f) => entry.files.includes(f))
      if (files.length === 0) continue
      if (entry.busy) entry.again = { t0: entry.again?.t0 ?? batch.firstEventMs, files }
      else void this.run(entry, batch.firstEventMs, files)
    }
  }

  private async run(entry: Entry, t0: number, files: string[]): Promise<WorkerReloadEvent> {
    entry.busy = true
    entry.attempts++
    const r = await entry.worker.reload({ hooks: LOADER_HOOKS_URL, roots: entry.roots, exclude: OWN_FILES })
    let error = r.error
    if (error !== null && error.info?.phase === 'load' && unlocatedSyntaxError(error.workerStack)) {
      // Node named no file: find it among the saved files first, then the rest of the module's.
      const at = await findSyntaxError([...files, ...entry.files.filter((f) => !files.includes(f))])
      if (at !== null) error = reloadError(entry.worker.moduleFile, 'load', `${String(error.info.detail)} (at ${at})`, error.workerStack, { at })
    }
    entry.busy = false
    entry.error = error
    if (error) log('error', ErrorCode.HOT_RELOAD, `${error.message}${error.workerStack ? `\n${error.workerStack}` : ''}`)
    const event: WorkerReloadEvent = {
      kind: 'worker', ok: r.ok, ms: performance.now() - t0, error, generation: entry.attempts, worker: entry.worker, files,
    }
    if (!this.closed) this.onReload?.(event)
    const again = entry.again
    entry.again = null
    if (again && !this.closed && this.entries.includes(entry)) void this.run(entry, again.t0, again.files)
    return event
  }

  private alive(): void {
    if (this.closed) throw new FramelatchError(ErrorCode.ENGINE_STATE, 'workerHost: this host was closed; create a new one')
  }
}

export function createWorkerHost(desc: WorkerHostDesc = {}): WorkerHost {
  return new WorkerHost(desc)
}
