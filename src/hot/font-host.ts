/**
 * Hot reload of fonts: a font loaded through the host is re-read when its file is saved and put
 * into the same `Font` object (`reloadFontInPlace`), so text batchers made with it keep their
 * handle and rebuild their glyph atlas on their next draw. A file that cannot be read or parsed
 * (a half-written export) leaves the last good font in place; the error is logged and kept in
 * `lastError` until the file loads. Saves come through the shared watcher (watcher.ts).
 */
import { Fs } from '../node-builtins.js'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import { log } from '../log.js'
import { loadFont, reloadFontInPlace, type Font } from '../text/font.js'
import { hotFilePath } from './shader-files.js'
import { WatchedFiles, type WatchedEntry } from './watched-files.js'

export interface FontReloadEvent {
  kind: 'font'
  ok: boolean
  /** From the save's first file event (debounce included) to the font replaced, ms; for `reload()`, read + parse. */
  ms: number
  error: FramelatchError | null
  generation: number
  font: Font
  file: string
}

export interface FontHostDesc {
  /** Quiet time after a save's last file event, ms. Default 30, at most 50. */
  debounceMs?: number
  onReload?: (event: FontReloadEvent) => void
  /** Watch the files (false: only `reload()` re-reads). Default true. */
  watch?: boolean
}

/** A font from a file, watched. */
export interface FontFileDesc {
  /** A TrueType file (path or file: URL). */
  file: string | URL
  /** Face in a .ttc collection. Default 0. */
  faceIndex?: number
}

const HOST_KEYS = descKeys<FontHostDesc>({ debounceMs: true, onReload: true, watch: true })
const FONT_FILE_KEYS = descKeys<FontFileDesc>({ file: true, faceIndex: true })

interface Entry extends WatchedEntry {
  faceIndex: number
}

/** `reload`, `lastError`, `unwatch(font)` and `close` (fonts stay usable) come from WatchedFiles. */
export class FontHost extends WatchedFiles<Font, Entry, FontReloadEvent> {
  private readonly onReload: ((event: FontReloadEvent) => void) | null

  constructor(desc: FontHostDesc = {}) {
    checkDesc('createFontHost', desc, HOST_KEYS, true)
    super('fontHost', desc)
    this.onReload = desc.onReload ?? null
  }

  /** Loads the font (as `loadFont({ path })`, throwing FL_FONT_LOAD) and watches its file. */
  loadFont(desc: FontFileDesc): Font {
    this.alive()
    checkDesc('fontHost.loadFont', desc, FONT_FILE_KEYS, true)
    const file = hotFilePath(desc.file)
    const font = loadFont({ path: file, ...(desc.faceIndex !== undefined ? { faceIndex: desc.faceIndex } : {}) })
    this.track(font, { file, faceIndex: desc.faceIndex ?? 0, generation: 0, error: null })
    return font
  }

  protected rebuild(font: Font, t0: number): FontReloadEvent {
    const entry = this.entries.get(font)
    if (!entry) throw new FramelatchError(ErrorCode.HOT_RELOAD, 'fontHost.reload: this font is not watched by this host; load it with fontHost.loadFont')
    entry.generation++
    let error: FramelatchError | null = null
    try {
      reloadFontInPlace(font, Fs.readFileSync(entry.file), entry.faceIndex)
    } catch (err) {
      const why = (err as Error).message.replace(/^framelatch: /, '')
      error = new FramelatchError(ErrorCode.HOT_RELOAD, `font reload: ${entry.file} did not load (${why}); fix it and save again: the last good font stays`, { cause: err, file: entry.file })
    }
    entry.error = error
    if (error) log('error', ErrorCode.HOT_RELOAD, error.message)
    const event: FontReloadEvent = { kind: 'font', ok: error === null, ms: performance.now() - t0, error, generation: entry.generation, font, file: entry.file }
    this.onReload?.(event)
    return event
  }
}

export function createFontHost(desc: FontHostDesc = {}): FontHost {
  return new FontHost(desc)
}
