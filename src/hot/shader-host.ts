/**
 * Hot reload of shaders: programs whose GLSL lives in files are recompiled when a file is saved
 * and swapped under their handle (device.replaceProgram), so pipelines, batches and bindings that
 * name them draw with the new code from the next frame. A file that fails to compile leaves the
 * last good program drawing; the error is logged to the terminal once per failing save and kept
 * in `lastError` / `overlayLines()` (for an in-app overlay) until that program compiles again.
 *
 * ```js
 * const shaders = createShaderHost({ device: engine.device, onReload: (e) => console.log(e) })
 * const program = shaders.createProgram({ vertexFile: 'glow.vert', fragmentFile: 'glow.frag' })
 * const pipeline = engine.device.createPipeline({ program, attributes: [...] })  // survives every save
 * ```
 *
 * Saves are seen by the shared watcher (watcher.ts): folder watches, bursts coalesced with at
 * most 50 ms of debounce, content digests (a save of the same bytes is no change), atomic saves
 * by rename or delete-and-create. Memory: one entry per program (its file names and last error);
 * nothing per frame.
 */
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError, ShaderError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { ProgramHandle } from '../gl/handles.js'
import { log } from '../log.js'
import { loadProgramDesc, PROGRAM_FILES_KEYS, hotFilePath, type ProgramFilesDesc } from './shader-files.js'
import { createWatcher, type WatchBatch, type Watcher } from './watcher.js'

/** What one reload attempt of one program did (the shader counterpart of render-host's ReloadEvent). */
export interface ShaderReloadEvent {
  kind: 'shader'
  ok: boolean
  /**
   * Save-to-swap time, ms: from the first file event of the save (so it includes the debounce) to
   * the new program being in place; for `reload()` calls, the read, compile and swap.
   */
  ms: number
  /** FL_HOT_RELOAD with the driver's message and the numbered failing line; `info.cause` is the ShaderError. */
  error: FramelatchError | null
  /** Reload attempts of this program so far (1 for the first save after creation). */
  generation: number
  program: ProgramHandle
  /** The program's files, absolute. */
  files: string[]
}

export interface ShaderHostDesc {
  device: Device
  /** Quiet time after a save's last file event, ms. Default 30, at most 50 (see watcher.ts). */
  debounceMs?: number
  /** Called after every reload attempt. */
  onReload?: (event: ShaderReloadEvent) => void
  /** Watch the files (false: only `reload()` recompiles, for tests and tools). Default true. */
  watch?: boolean
}

const HOST_KEYS = descKeys<ShaderHostDesc>({ device: true, debounceMs: true, onReload: true, watch: true })

interface Entry {
  desc: ProgramFilesDesc
  files: [string, string]
  generation: number
  error: FramelatchError | null
}

const NO_LINES: readonly string[] = Object.freeze([])

/** A heading (file:line: first line of the driver's message), then the numbered source. */
function overlayLinesOf(err: FramelatchError): readonly string[] {
  const cause = err.info?.['cause']
  if (!(cause instanceof ShaderError)) return Object.freeze(err.message.replace(/^framelatch: /, '').split('\n'))
  const file = String(err.info?.['file'] ?? cause.programName)
  const where = cause.line > 0 ? `${file}:${cause.line}` : file
  const first = cause.log.trim().split('\n')[0] ?? ''
  return Object.freeze([`${where}: ${first}`, ...cause.numberedSource.split('\n')])
}

export class ShaderHost {
  private readonly device: Device
  private readonly onReload: ((event: ShaderReloadEvent) => void) | null
  private readonly watcher: Watcher | null
  private readonly entries = new Map<ProgramHandle, Entry>()
  /** Failing programs in the order they failed; the last is `lastError`. */
  private readonly failing: ProgramHandle[] = []
  /** `overlayLines()` of `lastError`, made when it changes (read every frame by an overlay). */
  private overlay: readonly string[] = NO_LINES
  private closed = false

  constructor(desc: ShaderHostDesc) {
    checkDesc('createShaderHost', desc, HOST_KEYS, true)
    this.device = desc.device
    this.onReload = desc.onReload ?? null
    this.watcher = desc.watch === false ? null : createWatcher({
      ...(desc.debounceMs !== undefined ? { debounceMs: desc.debounceMs } : {}),
      onChange: (batch) => this.changed(batch),
    })
  }

  /**
   * Reads the files, compiles them and watches them. A program that fails to compile on creation
   * still gets a handle (in the `failed` state: pipelines cannot use it yet) and becomes valid on
   * the first save that compiles; the error is in `lastError`. Unreadable files throw.
   */
  createProgram(desc: ProgramFilesDesc): ProgramHandle {
    this.alive()
    const source = loadProgramDesc(desc, this.device.debug)
    let error: FramelatchError | null = null
    const handle = this.device.tryCreateProgram(source, (err) => {
      error = err
    })
    this.track(handle, desc, error)
    return handle
  }

  /**
   * Watches the files of a program the app made itself (its current source need not match them):
   * from the next save on, the program is rebuilt from the files.
   */
  watchProgram(handle: ProgramHandle, desc: ProgramFilesDesc): void {
    this.alive()
    checkDesc('watchProgram', desc, PROGRAM_FILES_KEYS, this.device.debug)
    this.track(handle, desc, null)
  }

  /** Stops watching a program's files (the program itself stays; destroy it on the device). */
  unwatchProgram(handle: ProgramHandle): void {
    const entry = this.entries.get(handle)
    if (!entry) return
    this.entries.delete(handle)
    this.clearFailure(handle)
    for (const f of entry.files) if (!this.usedByOthers(f)) this.watcher?.remove(f)
  }

  /**
   * Rebuilds one program (or every watched program) from its files now, as a save would.
   * Never throws for a broken shader: the event says what happened.
   */
  reload(handle?: ProgramHandle): ShaderReloadEvent[] {
    this.alive()
    const handles = handle === undefined ? [...this.entries.keys()] : [handle]
    return handles.map((h) => this.rebuild(h, performance.now()))
  }

  /** The newest error of a program that has not compiled since; null when every program is good. */
  get lastError(): FramelatchError | null {
    const h = this.failing[this.failing.length - 1]
    return h === undefined ? null : this.entries.get(h)?.error ?? null
  }

  /** The current error of one program, or null. */
  errorOf(handle: ProgramHandle): FramelatchError | null {
    return this.entries.get(handle)?.error ?? null
  }

  /**
   * What an in-app overlay shows for `lastError`: a heading line (file, line, driver message) and
   * the numbered source around the failing line (`>>` marks it). Empty when nothing fails, so
   * the overlay clears on the next good compile.
   */
  overlayLines(): readonly string[] {
    return this.overlay
  }

  /** Stops watching. Programs stay with the device. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.watcher?.close()
    this.entries.clear()
    this.failing.length = 0
    this.overlay = NO_LINES
  }

  private track(handle: ProgramHandle, desc: ProgramFilesDesc, error: ShaderError | FramelatchError | null): void {
    const files: [string, string] = [hotFilePath(desc.vertexFile), hotFilePath(desc.fragmentFile)]
    const entry: Entry = { desc: { ...desc }, files, generation: 0, error: null }
    this.entries.set(handle, entry)
    for (const f of files) this.watcher?.add(f)
    if (error) this.fail(handle, entry, this.wrap(entry, error))
  }

  private changed(batch: WatchBatch): void {
    if (this.closed) return
    const changed = new Set(batch.changed)
    for (const [handle, entry] of this.entries) {
      if (changed.has(entry.files[0]) || changed.has(entry.files[1])) this.rebuild(handle, batch.firstEventMs)
    }
    // A removed file is not an error yet: editors delete before they re-create. The program keeps
    // drawing and is rebuilt when the file comes back (reported as changed).
  }

  private rebuild(handle: ProgramHandle, t0: number): ShaderReloadEvent {
    const entry = this.entries.get(handle)
    if (!entry) {
      throw new FramelatchError(ErrorCode.HOT_RELOAD, 'shaderHost.reload: this program is not watched by this host; create it with shaderHost.createProgram or watchProgram')
    }
    entry.generation++
    let error: FramelatchError | null = null
    try {
      this.device.replaceProgram(handle, loadProgramDesc(entry.desc, this.device.debug))
    } catch (err) {
      if (!(err instanceof FramelatchError)) throw err
      error = this.wrap(entry, err)
    }
    if (error) this.fail(handle, entry, error)
    else {
      entry.error = null
      this.clearFailure(handle)
    }
    const event: ShaderReloadEvent = {
      kind: 'shader', ok: error === null, ms: performance.now() - t0, error,
      generation: entry.generation, program: handle, files: [...entry.files],
    }
    this.onReload?.(event)
    return event
  }

  /** FL_HOT_RELOAD naming the file and line that failed, the numbered source, and what to do. */
  private wrap(entry: Entry, err: FramelatchError): FramelatchError {
    if (err.code === ErrorCode.HOT_RELOAD) return err // an unreadable file: already says which
    const shader = err instanceof ShaderError ? err : null
    const file = shader?.stage === 'vertex' ? entry.files[0] : shader?.stage === 'fragment' ? entry.files[1] : entry.files.join(' + ')
    const where = shader && shader.line > 0 ? `${file}:${shader.line}` : file
    const what = shader ? `${shader.stage === 'link' ? 'failed to link' : 'does not compile'}: ${shader.log.trim()}\n${shader.numberedSource}` : err.message.replace(/^framelatch: /, '')
    return new FramelatchError(ErrorCode.HOT_RELOAD,
      `shader reload: ${where} ${what}\nfix it and save again; the last good program keeps drawing`,
      { cause: err, file, line: shader?.line ?? 0, stage: shader?.stage ?? null })
  }

  private fail(handle: ProgramHandle, entry: Entry, error: FramelatchError): void {
    entry.error = error
    this.clearFailure(handle)
    this.failing.push(handle)
    this.overlay = overlayLinesOf(error)
    log('error', ErrorCode.HOT_RELOAD, error.message)
  }

  private clearFailure(handle: ProgramHandle): void {
    const i = this.failing.indexOf(handle)
    if (i >= 0) this.failing.splice(i, 1)
    const last = this.lastError
    this.overlay = last ? overlayLinesOf(last) : NO_LINES
  }

  private usedByOthers(file: string): boolean {
    for (const e of this.entries.values()) if (e.files[0] === file || e.files[1] === file) return true
    return false
  }

  private alive(): void {
    if (this.closed) throw new FramelatchError(ErrorCode.ENGINE_STATE, 'shaderHost: this host was closed; create a new one')
  }
}

export function createShaderHost(desc: ShaderHostDesc): ShaderHost {
  return new ShaderHost(desc)
}
