/**
 * Loads the two native bindings lazily, turning "module not built" into coded errors that say
 * how to fix it. Loading is deferred so pure parts of framelatch (sort keys, shared state,
 * ticker maths) work on machines without the bindings.
 */
import { createRequire } from 'node:module'
import type { CreateGL } from './webgl.js'
import { EnvironmentError, ErrorCode } from '../errors.js'

const require = createRequire(import.meta.url)


/** The @kmamal/sdl module, typed by the package's own declarations. */
export type SdlModule = typeof import('@kmamal/sdl')

let glModule: CreateGL | null = null
let sdlModule: SdlModule | null = null

const FIX = 'run `npx framelatch setup-native` (or `npm run setup` in a framelatch checkout)'

export function loadGL(): CreateGL {
  if (glModule) return glModule
  try {
    // The package's factory, its context typed with webgl.ts's corrections of the package's declarations.
    glModule = require('@kmamal/gl') as CreateGL
  } catch (err) {
    throw new EnvironmentError(ErrorCode.NATIVE_GL_MISSING,
      `the @kmamal/gl native binding does not load (${firstLine(err)}); ${FIX}`)
  }
  return glModule
}

export function loadSDL(): SdlModule {
  if (sdlModule) return sdlModule
  try {
    sdlModule = require('@kmamal/sdl') as SdlModule
  } catch (err) {
    const msg = firstLine(err)
    if (/display|video/i.test(msg)) {
      throw new EnvironmentError(ErrorCode.NO_DISPLAY,
        `SDL could not open the video subsystem (${msg}); set DISPLAY to a running X server or use headless: true`)
    }
    throw new EnvironmentError(ErrorCode.NATIVE_SDL_MISSING,
      `the @kmamal/sdl native binding does not load (${msg}); ${FIX}`)
  }
  return sdlModule
}

/** Whether a binding loads, without throwing (for `framelatch doctor`). */
export function probeBinding(name: '@kmamal/gl' | '@kmamal/sdl'): { ok: boolean; error?: string; version?: string } {
  try {
    if (name === '@kmamal/gl') loadGL()
    else loadSDL()
    return { ok: true, version: packageVersion(name) }
  } catch (err) {
    return { ok: false, error: (err as Error).message }
  }
}

function packageVersion(name: string): string | undefined {
  try {
    const main = require.resolve(name)
    let dir = main
    for (let i = 0; i < 6; i++) {
      dir = dir.slice(0, dir.lastIndexOf('/'))
      try {
        const pj = require(`${dir}/package.json`) as { name?: string; version?: string }
        if (pj.name === name) return pj.version
      } catch {
        // keep walking up
      }
    }
  } catch {
    // not resolvable
  }
  return undefined
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] ?? ''
}
