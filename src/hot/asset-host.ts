/**
 * Hot reload of image assets: a texture made from a PNG file is decoded and re-uploaded under
 * the same TextureHandle when the file is saved (device.replaceTexture), at its new size if the
 * size changed, so sprites and bindings that name the handle draw the new pixels from the next
 * frame. A file that cannot be read or decoded (a half-written save, a broken export) leaves the
 * last good texture in place; the error is logged and kept in `lastError` until the file loads.
 *
 * Saves are seen by the shared watcher (watcher.ts), like shaders (shader-host.ts). Memory: one
 * entry per texture; the decoded pixels live only during the upload.
 */
import Fs from 'node:fs'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'
import type { TextureDesc } from '../gl/types.js'
import { log } from '../log.js'
import { decodePNG } from '../platform/png.js'
import { hotFilePath } from './shader-files.js'
import { createWatcher, type WatchBatch, type Watcher } from './watcher.js'

/** What one reload attempt of one asset did (see ShaderReloadEvent and render-host's ReloadEvent). */
export interface AssetReloadEvent {
  kind: 'asset'
  ok: boolean
  /** From the first file event of the save (debounce included) to the new pixels uploaded; for `reload()`, read + decode + upload. */
  ms: number
  /** FL_HOT_RELOAD naming the file; `info.cause` is the underlying error. */
  error: FramelatchError | null
  /** Reload attempts of this asset so far. */
  generation: number
  texture: TextureHandle
  file: string
}

export interface AssetHostDesc {
  device: Device
  /** Quiet time after a save's last file event, ms. Default 30, at most 50. */
  debounceMs?: number
  onReload?: (event: AssetReloadEvent) => void
  /** Watch the files (false: only `reload()` re-reads). Default true. */
  watch?: boolean
}

/** A texture from a PNG file: TextureDesc without the size and pixels, which come from the file. */
export interface TextureFileDesc {
  /** PNG file (8-bit RGB or RGBA), path or file: URL. */
  file: string | URL
  /** Default 'linear'. */
  minFilter?: TextureDesc['minFilter']
  magFilter?: TextureDesc['magFilter']
  /** Default 'clamp'. */
  wrapS?: TextureDesc['wrapS']
  wrapT?: TextureDesc['wrapT']
  /** Default: the file's base name. */
  label?: string
}

const HOST_KEYS = descKeys<AssetHostDesc>({ device: true, debounceMs: true, onReload: true, watch: true })
const TEXTURE_FILE_KEYS = descKeys<TextureFileDesc>({ file: true, minFilter: true, magFilter: true, wrapS: true, wrapT: true, label: true })

interface Entry {
  desc: TextureFileDesc
  file: string
  generation: number
  error: FramelatchError | null
}

export class AssetHost {
  private readonly device: Device
  private readonly onReload: ((event: AssetReloadEvent) => void) | null
  private readonly watcher: Watcher | null
  private readonly entries = new Map<TextureHandle, Entry>()
  private closed = false

  constructor(desc: AssetHostDesc) {
    checkDesc('createAssetHost', desc, HOST_KEYS, true)
    this.device = desc.device
    this.onReload = desc.onReload ?? null
    this.watcher = desc.watch === false ? null : createWatcher({
      ...(desc.debounceMs !== undefined ? { debounceMs: desc.debounceMs } : {}),
      onChange: (batch) => this.changed(batch),
    })
  }

  /** Decodes the PNG, uploads it and watches the file. Throws FL_HOT_RELOAD when it cannot be read or decoded. */
  createTexture(desc: TextureFileDesc): TextureHandle {
    this.alive()
    checkDesc('createTexture (file)', desc, TEXTURE_FILE_KEYS, this.device.debug)
    const file = hotFilePath(desc.file)
    const entry: Entry = { desc: { ...desc }, file, generation: 0, error: null }
    const texture = this.device.createTexture(this.textureDesc(entry))
    this.entries.set(texture, entry)
    this.watcher?.add(file)
    return texture
  }

  /** Re-reads one texture (or all) from its file now, as a save would. Never throws for a bad file. */
  reload(texture?: TextureHandle): AssetReloadEvent[] {
    this.alive()
    const handles = texture === undefined ? [...this.entries.keys()] : [texture]
    return handles.map((h) => this.rebuild(h, performance.now()))
  }

  /** The newest error of an asset that has not loaded since, or null. */
  get lastError(): FramelatchError | null {
    let last: FramelatchError | null = null
    for (const e of this.entries.values()) if (e.error) last = e.error
    return last
  }

  /** Stops watching a texture's file (the texture stays; destroy it on the device). */
  unwatch(texture: TextureHandle): void {
    const entry = this.entries.get(texture)
    if (!entry) return
    this.entries.delete(texture)
    for (const e of this.entries.values()) if (e.file === entry.file) return
    this.watcher?.remove(entry.file)
  }

  /** Stops watching. Textures stay with the device. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.watcher?.close()
    this.entries.clear()
  }

  private textureDesc(entry: Entry): TextureDesc {
    let image
    try {
      image = decodePNG(Fs.readFileSync(entry.file))
    } catch (err) {
      throw new FramelatchError(ErrorCode.HOT_RELOAD,
        `asset reload: ${entry.file} is not a readable 8-bit RGB/RGBA PNG (${(err as Error).message.replace(/^framelatch: /, '')}); ` +
        'fix it and save again; the last good texture stays', { cause: err, file: entry.file })
    }
    const d = entry.desc
    return {
      width: image.width, height: image.height, data: image.data,
      ...(d.minFilter ? { minFilter: d.minFilter } : {}), ...(d.magFilter ? { magFilter: d.magFilter } : {}),
      ...(d.wrapS ? { wrapS: d.wrapS } : {}), ...(d.wrapT ? { wrapT: d.wrapT } : {}),
      label: d.label ?? entry.file.slice(entry.file.lastIndexOf('/') + 1),
    }
  }

  private changed(batch: WatchBatch): void {
    if (this.closed) return
    const changed = new Set(batch.changed)
    for (const [h, entry] of this.entries) if (changed.has(entry.file)) this.rebuild(h, batch.firstEventMs)
  }

  private rebuild(texture: TextureHandle, t0: number): AssetReloadEvent {
    const entry = this.entries.get(texture)
    if (!entry) {
      throw new FramelatchError(ErrorCode.HOT_RELOAD, 'assetHost.reload: this texture is not watched by this host; create it with assetHost.createTexture')
    }
    entry.generation++
    let error: FramelatchError | null = null
    try {
      this.device.replaceTexture(texture, this.textureDesc(entry))
    } catch (err) {
      if (!(err instanceof FramelatchError)) throw err
      error = err.code === ErrorCode.HOT_RELOAD ? err
        : new FramelatchError(ErrorCode.HOT_RELOAD, `asset reload: ${entry.file}: ${err.message.replace(/^framelatch: /, '')}`, { cause: err, file: entry.file })
    }
    entry.error = error
    if (error) log('error', ErrorCode.HOT_RELOAD, error.message)
    const event: AssetReloadEvent = {
      kind: 'asset', ok: error === null, ms: performance.now() - t0, error, generation: entry.generation, texture, file: entry.file,
    }
    this.onReload?.(event)
    return event
  }

  private alive(): void {
    if (this.closed) throw new FramelatchError(ErrorCode.ENGINE_STATE, 'assetHost: this host was closed; create a new one')
  }
}

export function createAssetHost(desc: AssetHostDesc): AssetHost {
  return new AssetHost(desc)
}
