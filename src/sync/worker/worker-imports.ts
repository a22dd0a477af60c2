/**
 * The main thread's side of tracking a logic worker's import graph (the thread's side is
 * import-scan.ts): `LogicWorker.trackImports` asks the running thread to register the generation
 * loader hooks and scan the module's imports, and again after every crash restart (a new thread
 * knows nothing); each file the thread reports goes, once per file, to every listener (src/hot's
 * worker hosts watch them; more than one host may watch a worker). Files stay listed when an
 * import is removed: a save of a file the module no longer imports reloads it once more, which is
 * harmless. The thread keeps the roots of its first registration (hooks register once a thread).
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { checkDesc, descKeys } from '../../check.js'
import { ErrorCode, ValidationError } from '../../errors.js'
import type { ImportedMessage, TrackRequest } from './import-scan.js'

export interface TrackImportsDesc {
  /** file: URL of ESM loader hooks that tag and report the module's imports (src/hot passes its own). Required. */
  hooks: string
  /** Folders (paths or file: URLs) whose files are tracked and reload with the module. Required, at least one. */
  roots: readonly string[]
  /** Folders inside the roots whose files are neither tracked nor reloaded (they keep one instance). Default none. */
  exclude?: readonly string[]
  /** Called once per file (absolute path) the module imports from the roots, as the thread reports it. Required. */
  onFile: (file: string) => void
}

const TRACK_KEYS = descKeys<TrackImportsDesc>({ hooks: true, roots: true, exclude: true, onFile: true })

/** A folder as a file: URL with a trailing slash (what the loader hooks compare against). */
export function folderHref(folder: string): string {
  const href = folder.startsWith('file:') ? folder : pathToFileURL(folder).href
  return href.endsWith('/') ? href : href + '/'
}

interface Listener {
  onFile: (file: string) => void
  /** The files this listener was told of. */
  seen: Set<string>
}

/** @internal one per LogicWorker. */
export class WorkerImports {
  private request: TrackRequest | null = null
  private readonly listeners = new Set<Listener>()

  /**
   * Adds a listener and asks `worker` (the running thread, or null) to scan now, so it hears of
   * every file; returns the function that removes it.
   */
  track(desc: TrackImportsDesc, worker: Worker | null): () => void {
    checkDesc('logicWorker.trackImports', desc, TRACK_KEYS, true)
    if (typeof desc.hooks !== 'string' || !Array.isArray(desc.roots) || desc.roots.length === 0 || typeof desc.onFile !== 'function') {
      throw new ValidationError(ErrorCode.INVALID_DESC, 'logicWorker.trackImports: pass { hooks, roots, onFile } (the hooks URL, at least one folder, and a listener)')
    }
    this.request = { type: 'track', hooks: desc.hooks, roots: desc.roots.map(folderHref), exclude: (desc.exclude ?? []).map(folderHref) }
    const listener: Listener = { onFile: desc.onFile, seen: new Set() }
    this.listeners.add(listener)
    this.started(worker)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.request = null // the thread keeps its hooks
    }
  }

  /** A thread is running (first start, or a crash restart's `ready`): it scans when tracked. */
  started(worker: Worker | null): void {
    if (this.request !== null && worker !== null) worker.postMessage(this.request)
  }

  /** An `imported` message from the thread. */
  imported(m: ImportedMessage): void {
    if (this.listeners.size === 0) return
    const file = fileURLToPath(m.url.split('?')[0]!)
    for (const l of this.listeners) {
      if (l.seen.has(file)) continue
      l.seen.add(file)
      l.onFile(file)
    }
  }
}
