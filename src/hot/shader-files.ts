/**
 * GLSL kept in files: `loadShader(path)` reads one stage, `loadProgramDesc(desc)` turns a
 * `ProgramFilesDesc` (file names instead of source) into the `ProgramDesc` the device compiles.
 * Used by the shader host (shader-host.ts) on creation and on every save; usable on its own
 * when an app wants its shaders in files without hot reload.
 */
import { Fs } from '../node-builtins.js'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, FramelatchError } from '../errors.js'
import type { ProgramDesc } from '../gl/types.js'

/** Like ProgramDesc, with the two stages named by file (path or file: URL) instead of given as source. */
export interface ProgramFilesDesc {
  /** Vertex shader file, absolute, relative to the working directory, or a file: URL. */
  vertexFile: string | URL
  /** Fragment shader file. */
  fragmentFile: string | URL
  /** Used in error messages. Default: the fragment file's base name. */
  name?: string
  /** As ProgramDesc.samplers. Default: the active samplers in driver order. */
  samplers?: string[]
}

export const PROGRAM_FILES_KEYS = descKeys<ProgramFilesDesc>({ vertexFile: true, fragmentFile: true, name: true, samplers: true })

export interface ShaderSource {
  /** The GLSL text. */
  source: string
  /** The absolute path it was read from. */
  path: string
}

/** Absolute path of a path or file: URL. */
export function hotFilePath(file: string | URL): string {
  if (file instanceof URL || file.startsWith('file:')) return fileURLToPath(file)
  return Path.resolve(file)
}

/** Reads one GLSL file. Throws FL_HOT_RELOAD naming the file when it cannot be read. */
export function loadShader(file: string | URL): ShaderSource {
  const path = hotFilePath(file)
  try {
    return { source: Fs.readFileSync(path, 'utf8'), path }
  } catch (err) {
    throw new FramelatchError(ErrorCode.HOT_RELOAD, `cannot read shader ${path} (${(err as Error).message}); check the path`, { file: path })
  }
}

/** Reads both stages of `desc` into a ProgramDesc (unknown keys rejected as in every create call). */
export function loadProgramDesc(desc: ProgramFilesDesc, debug = true): ProgramDesc {
  checkDesc('loadProgramDesc', desc, PROGRAM_FILES_KEYS, debug)
  const vertex = loadShader(desc.vertexFile)
  const fragment = loadShader(desc.fragmentFile)
  return {
    vertex: vertex.source,
    fragment: fragment.source,
    name: desc.name ?? Path.basename(fragment.path),
    ...(desc.samplers ? { samplers: desc.samplers } : {}),
  }
}
