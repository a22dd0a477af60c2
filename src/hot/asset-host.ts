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
import { Fs } from '../node-builtins.js'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import type { Device } from '../gl/device.js'
import type { TextureHandle } from '../gl/handles.js'
import type { TextureDesc } from '../gl/types.js'
import { log } from '../log.js'
import { decodePNG } from '../platform/png.js'
import { hotFilePath } from './shader-files.js'
import { WatchedFiles, type WatchedEntry } from './watched-files.js'

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

interface Entry extends WatchedEntry {
  desc: TextureFileDesc
}

/** `reload`, `lastError`, `unwatch(texture)` and `close` (textures stay with the device) come from WatchedFiles. */
export class AssetHost extends WatchedFiles<TextureHandle, Entry, AssetReloadEvent> {
  private readonly device: Device
  private readonly onReload: ((event: AssetReloadEvent) => void) | null

  constructor(desc: AssetHostDesc) {
    checkDesc('createAssetHost', desc, HOST_KEYS, true)
    super('assetHost', desc)
    this.device = desc.device
    this.onReload = desc.onReload ?? null
  }

  /** Decodes the PNG, uploads it and watches the file. Throws FL_HOT_RELOAD when it cannot be read or decoded. */
  createTexture(desc: TextureFileDesc): TextureHandle {
    this.alive()
    checkDesc('createTexture (file)', desc, TEXTURE_FILE_KEYS, this.device.debug)
    const file = hotFilePath(desc.file)
    const entry: Entry = { desc: { ...desc }, file, generation: 0, error: null }
    const texture = this.device.createTexture(this.textureDesc(entry))
    this.track(texture, entry)
    return texture
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

  protected rebuild(texture: TextureHandle, t0: number): AssetReloadEvent {
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
}

export function createAssetHost(desc: AssetHostDesc): AssetHost {
  return new AssetHost(desc)
}
