/**
 * What the asset host (PNG textures) and the font host share: a table of watched files, one entry
 * per live object (a texture handle, a Font) that stays the same object across reloads; the
 * shared watcher (watcher.ts) feeding saves to `rebuild`; `reload`, `lastError`, `unwatch` and
 * `close`. Each host supplies only `rebuild`: how one object is re-read from its file, and the
 * event it reports. Memory: one entry per object; the hosts never hold file contents.
 */
import { ErrorCode, FramelatchError } from '../errors.js'
import { createWatcher, type WatchBatch, type Watcher } from './watcher.js'

/** The fields every watched entry has. */
export interface WatchedEntry {
  file: string
  /** Reload attempts so far. */
  generation: number
  /** The newest error while the file has not loaded since, or null. */
  error: FramelatchError | null
}

/** The watcher options both hosts take. */
export interface WatchedFilesDesc {
  /** Quiet time after a save's last file event, ms. Default 30, at most 50. */
  debounceMs?: number
  /** Watch the files (false: only `reload()` re-reads). Default true. */
  watch?: boolean
}

export abstract class WatchedFiles<K, E extends WatchedEntry, Ev> {
  protected readonly entries = new Map<K, E>()
  private readonly watcher: Watcher | null
  private closed = false

  /** `name` prefixes errors ('assetHost', 'fontHost'). */
  constructor(private readonly name: string, desc: WatchedFilesDesc) {
    this.watcher = desc.watch === false ? null : createWatcher({
      ...(desc.debounceMs !== undefined ? { debounceMs: desc.debounceMs } : {}),
      onChange: (batch) => this.changed(batch),
    })
  }

  /** Re-reads `key` from its file; `t0` is when the save's first file event came (or now). Never throws for a bad file. */
  protected abstract rebuild(key: K, t0: number): Ev

  /** Records a new object and watches its file. */
  protected track(key: K, entry: E): void {
    this.entries.set(key, entry)
    this.watcher?.add(entry.file)
  }

  /** Re-reads one object (or all) from its file now, as a save would. Never throws for a bad file. */
  reload(key?: K): Ev[] {
    this.alive()
    const keys = key === undefined ? [...this.entries.keys()] : [key]
    return keys.map((k) => this.rebuild(k, performance.now()))
  }

  /** The newest error of an object that has not loaded since, or null. */
  get lastError(): FramelatchError | null {
    let last: FramelatchError | null = null
    for (const e of this.entries.values()) if (e.error) last = e.error
    return last
  }

  /** Stops watching an object's file (the object stays usable). */
  unwatch(key: K): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    for (const e of this.entries.values()) if (e.file === entry.file) return
    this.watcher?.remove(entry.file)
  }

  /** Stops watching. The objects stay usable. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.watcher?.close()
    this.entries.clear()
  }

  protected alive(): void {
    if (this.closed) throw new FramelatchError(ErrorCode.ENGINE_STATE, `${this.name}: this host was closed; create a new one`)
  }

  private changed(batch: WatchBatch): void {
    if (this.closed) return
    const changed = new Set(batch.changed)
    for (const [key, entry] of this.entries) if (changed.has(entry.file)) this.rebuild(key, batch.firstEventMs)
  }
}
