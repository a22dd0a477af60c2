/**
 * Font loading: the bundled DejaVu Sans Mono by default, or a TrueType file or bytes the user
 * names. framelatch ships `assets/fonts/DejaVuSansMono.ttf` (Bitstream Vera licence, see
 * `assets/fonts/LICENSE-DejaVu.txt`) so text works with no system fonts installed.
 */
import { Fs } from '../node-builtins.js'
import { fileURLToPath } from 'node:url'
import { fontError } from './font-error.js'
import { parseTrueType, TrueTypeFont } from './ttf.js'
import { checkDesc, descKeys } from '../check.js'

/**
 * Path of the bundled font. This module compiles to `dist/core/text/font.js`; `assets/` sits at
 * the package root, three levels up.
 */
export const BUNDLED_FONT_PATH: string = fileURLToPath(new URL('../../assets/fonts/DejaVuSansMono.ttf', import.meta.url))

export interface FontDesc {
  /** A TrueType font file (.ttf, or .ttc with `faceIndex`). Default: the bundled DejaVu Sans Mono. */
  path?: string
  /** The font file's bytes, instead of `path` (e.g. fetched or embedded). Referenced, not copied. */
  bytes?: Uint8Array | ArrayBuffer
  /** Face to use in a .ttc collection. Default 0. */
  faceIndex?: number
}

/** A loaded font: the parsed TrueType data plus where it came from (for messages). */
export interface Font extends TrueTypeFont {
  /** The file path, `'<bytes>'` for fonts given as bytes. */
  readonly source: string
  /** Counts in-place reloads (`reloadFontInPlace`); text batchers rebuild their atlas when it moves. */
  readonly revision: number
}

const FONT_KEYS = descKeys<FontDesc>({ path: true, bytes: true, faceIndex: true })

/**
 * Loads a font synchronously (setup time). With no desc, the bundled DejaVu Sans Mono. Throws
 * FONT_LOAD, saying what to do, when the file cannot be read or is not a usable TrueType font.
 * The font keeps its file bytes in memory for its life (DejaVu Sans Mono: about 340 KB).
 */
export function loadFont(desc: FontDesc = {}): Font {
  checkDesc('loadFont', desc, FONT_KEYS, false)
  if (desc === null || typeof desc !== 'object') {
    throw fontError('loadFont: desc must be an object such as { path: "/path/to/font.ttf" }, or omitted for the bundled font')
  }
  if (desc.path !== undefined && desc.bytes !== undefined) {
    throw fontError('loadFont: give either desc.path or desc.bytes, not both')
  }
  let bytes: Uint8Array
  let source: string
  if (desc.bytes !== undefined) {
    if (desc.bytes instanceof ArrayBuffer) bytes = new Uint8Array(desc.bytes)
    else if (desc.bytes instanceof Uint8Array) bytes = desc.bytes
    else throw fontError('loadFont: desc.bytes must be a Uint8Array or ArrayBuffer holding a .ttf file')
    source = '<bytes>'
  } else {
    if (desc.path !== undefined && (typeof desc.path !== 'string' || desc.path === '')) {
      throw fontError('loadFont: desc.path must be a non-empty path to a .ttf file; omit it for the bundled DejaVu Sans Mono')
    }
    source = desc.path ?? BUNDLED_FONT_PATH
    try {
      bytes = Fs.readFileSync(source)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error'
      const what = desc.path === undefined
        ? 'the bundled font is missing from the package (reinstall framelatch, or pass desc.path to a .ttf file)'
        : 'check the path, or omit desc.path to use the bundled DejaVu Sans Mono'
      throw fontError(`could not read font file ${source} (${code}); ${what}`, { path: source, errno: code })
    }
  }
  let font: TrueTypeFont
  try {
    font = parseTrueType(bytes, desc.faceIndex ?? 0)
  } catch (e) {
    if (e instanceof Error && 'code' in e) {
      const err = fontError(`${source}: ${e.message.replace(/^framelatch: /, '')}`, { path: source })
      throw err
    }
    throw e
  }
  return Object.assign(font, { source, revision: 0 }) as Font
}

/**
 * Hot reload: puts a new version of the font file into the same Font object, so everything that
 * holds it keeps its handle; `revision` moves and text batchers built from it rebuild their glyph
 * atlas on their next call. Throws FONT_LOAD (and leaves the font as it was) when the bytes are not
 * a usable TrueType font.
 */
export function reloadFontInPlace(font: Font, bytes: Uint8Array, faceIndex = 0): void {
  let next: TrueTypeFont
  try {
    next = parseTrueType(bytes, faceIndex)
  } catch (e) {
    if (e instanceof Error && 'code' in e) throw fontError(`${font.source}: ${e.message.replace(/^framelatch: /, '')}`, { path: font.source })
    throw e
  }
  Object.assign(font, next, { revision: font.revision + 1 })
}
