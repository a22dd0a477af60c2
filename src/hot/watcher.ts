/**
 * The file watcher behind hot reload: reports, once per burst of saves, which watched files now
 * hold different bytes.
 *
 * Why it watches folders, not files: an editor's atomic save writes a temporary file and renames
 * it over the original (or deletes and re-creates it, or links an `O_TMPFILE` into place), which
 * leaves a watch on the old inode silent. A watch on the folder sees every such name change.
 *
 * Why content, not events, decides: editors and tools fire two or three events per save, and a
 * save that writes the same bytes fires them too. Each burst ends `debounceMs` after its last event;
 * then every file an event named is read and compared by SHA-1 with what was last reported, and
 * only files whose bytes differ are reported. A file that fails to load in the app is reported
 * again on its next change like any other (nothing is remembered about failures), and a file that
 * is deleted and re-created is reported as removed, then as changed.
 *
 * Memory: one `fs.watch` per folder, a digest per file. The watches are unref'd: a watcher does
 * not keep the process alive. Batches are fresh arrays owned by the callback.
 */
import { Fs } from '../node-builtins.js'
import type { FSWatcher } from 'node:fs'
import Path from 'node:path'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { log } from '../log.js'
import { cryptoModule } from '../platform/builtins-on-demand.js'

/** Most a burst may wait after its last event; hot reload promises a new frame within 100 ms. */
export const MAX_DEBOUNCE_MS = 50

export interface WatcherDesc {
  /** Files to watch, absolute or relative to the working directory. Default none (see `add`). */
  files?: readonly string[]
  /** Quiet time after a burst's last event before it is reported, ms. Default 30, at most 50. */
  debounceMs?: number
  /** Called once per burst in which at least one watched file changed or went away. */
  onChange: (batch: WatchBatch) => void
}

export interface WatchBatch {
  /** Absolute paths whose bytes differ from the last report (or that were re-created), sorted. */
  changed: string[]
  /** Absolute paths that no longer exist, sorted. */
  removed: string[]
  /** `performance.now()` of the burst's first and last events. */
  firstEventMs: number
  lastEventMs: number
}

export interface Watcher {
  /** Starts watching a file (it need not exist yet). Its current bytes are the baseline. */
  add(file: string): void
  /** Stops watching a file. */
  remove(file: string): void
  /** The watched files, absolute. */
  readonly files: readonly string[]
  /** Stops every watch and drops a pending burst. Idempotent. */
  close(): void
}

interface FolderWatch {
  watch: FSWatcher | null
  /** Base names watched in this folder. */
  names: Set<string>
}

const WATCHER_KEYS = descKeys<WatcherDesc>({ files: true, debounceMs: true, onChange: true })

export function createWatcher(desc: WatcherDesc): Watcher {
  checkDesc('createWatcher', desc, WATCHER_KEYS, true)
  if (typeof desc.onChange !== 'function') {
    throw new ValidationError(ErrorCode.INVALID_DESC, 'createWatcher: onChange must be a function receiving each batch of changed files')
  }
  const debounceMs = desc.debounceMs ?? 30
  if (!(debounceMs >= 0 && debounceMs <= MAX_DEBOUNCE_MS)) {
    throw new ValidationError(ErrorCode.INVALID_DESC, `createWatcher: debounceMs must be in 0..${MAX_DEBOUNCE_MS}, got ${String(debounceMs)}`)
  }
  const folders = new Map<string, FolderWatch>()
  /** Digest last reported per file; null while the file does not exist. */
  const digests = new Map<string, string | null>()
  const dirty = new Set<string>()
  let timer: NodeJS.Timeout | null = null
  let firstEventMs = 0
  let lastEventMs = 0
  let closed = false

  const digestOf = (file: string): string | null => {
    try {
      return cryptoModule().createHash('sha1').update(Fs.readFileSync(file)).digest('hex')
    } catch {
      return null
    }
  }

  const flush = (): void => {
    timer = null
    const changed: string[] = []
    const removed: string[] = []
    for (const file of dirty) {
      if (!digests.has(file)) continue // removed from the watch during the burst
      const before = digests.get(file) ?? null
      const now = digestOf(file)
      if (now === before) continue
      digests.set(file, now)
      if (now === null) removed.push(file)
      else changed.push(file)
    }
    dirty.clear()
    if (changed.length === 0 && removed.length === 0) return
    changed.sort()
    removed.sort()
    desc.onChange({ changed, removed, firstEventMs, lastEventMs })
  }

  const onEvent = (dir: string, name: string | null): void => {
    if (closed) return
    const folder = folders.get(dir)
    if (!folder) return
    const t = performance.now()
    if (name === null) {
      // Some platforms drop the name; every file of the folder may have changed.
      for (const n of folder.names) dirty.add(Path.join(dir, n))
    } else if (folder.names.has(name)) {
      dirty.add(Path.join(dir, name))
    } else {
      return
    }
    if (timer === null) firstEventMs = t
    lastEventMs = t
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(flush, debounceMs)
    timer.unref()
  }

  const watchFolder = (dir: string, folder: FolderWatch): void => {
    try {
      const w = Fs.watch(dir, { persistent: false }, (_event, name) => onEvent(dir, name === null ? null : String(name)))
      w.on('error', (err) => {
        // The folder itself went away (or was replaced): say so once and watch it again when it returns.
        folder.watch = null
        log('warn', ErrorCode.HOT_WATCH, `stopped watching ${dir} (${err.message}); it is watched again when a file in it is added`)
      })
      folder.watch = w
    } catch (err) {
      log('warn', ErrorCode.HOT_WATCH, `cannot watch ${dir} (${(err as Error).message}); create the folder, then add the file again`)
    }
  }

  const add = (file: string): void => {
    if (closed) throw new ValidationError(ErrorCode.ENGINE_STATE, 'watcher.add: this watcher was closed; create a new one')
    const abs = Path.resolve(file)
    if (digests.has(abs)) return
    digests.set(abs, digestOf(abs))
    const dir = Path.dirname(abs)
    let folder = folders.get(dir)
    if (!folder) {
      folder = { watch: null, names: new Set() }
      folders.set(dir, folder)
    }
    folder.names.add(Path.basename(abs))
    if (folder.watch === null) watchFolder(dir, folder)
  }

  const remove = (file: string): void => {
    const abs = Path.resolve(file)
    if (!digests.delete(abs)) return
    dirty.delete(abs)
    const dir = Path.dirname(abs)
    const folder = folders.get(dir)
    if (!folder) return
    folder.names.delete(Path.basename(abs))
    if (folder.names.size === 0) {
      folder.watch?.close()
      folders.delete(dir)
    }
  }

  for (const f of desc.files ?? []) add(f)

  return {
    add,
    remove,
    get files() {
      return [...digests.keys()]
    },
    close() {
      if (closed) return
      closed = true
      if (timer !== null) clearTimeout(timer)
      timer = null
      for (const folder of folders.values()) folder.watch?.close()
      folders.clear()
      dirty.clear()
    },
  }
}
