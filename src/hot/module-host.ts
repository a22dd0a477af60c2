/**
 * Reloads an ES module and the files it imports from the app's folders, keeping the last good
 * version when the new one fails to load.
 *
 * `load()` imports the module under a new generation (see loader-hooks.ts), so every changed file
 * in the roots is evaluated afresh. A syntax error, a missing import or a throw at load leaves
 * `current` as it was and returns the error; the next `load()` tries again (a file that failed once
 * is not remembered as bad).
 *
 * The files each load imported from the roots are reported to `onFile` (so a host can watch
 * them): the loader hooks post them on a port.
 *
 * Limit: Node never frees an evaluated module, so each reload keeps the old generation's module
 * records (code, not app data) until the process exits: some kilobytes per reload of a typical
 * render module.
 */
import { register } from 'node:module'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { workerThreads } from '../node-builtins.js'
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, ValidationError } from '../errors.js'

export interface ModuleHostDesc {
  /** The module to load (path or file: URL). */
  module: string | URL
  /** Folders whose files reload with it. Default: the module's own folder. */
  roots?: readonly string[]
  /**
   * Import under generations (loader hooks registered) so `load()` re-evaluates changed files.
   * False: a plain import, nothing registered (an app without hot reload). Default true.
   */
  generations?: boolean
}

export interface LoadResult<M> {
  ok: boolean
  /** The module now current (the old one when this load failed; null before the first success). */
  module: M | null
  /** Why the load failed. */
  error: Error | null
  /** Import time, ms. */
  ms: number
  generation: number
}

const MODULE_HOST_KEYS = descKeys<ModuleHostDesc>({ module: true, roots: true, generations: true })

const registeredRoots = new Set<string>()
/** Hosts told of every file the hooks give a generation (file path, generation). */
const fileListeners = new Set<(file: string, generation: number) => void>()

/** The loader hooks' URL (for a logic worker's thread, which registers them itself). */
export const LOADER_HOOKS_URL: string = new URL('./loader-hooks.js', import.meta.url).href

let registrations = 0
/** @internal how many times the loader hooks were registered in this thread (0 while hot reload is off). */
export function hookRegistrations(): number {
  return registrations
}

/** Registers the loader hooks for these roots (once per root per process). */
function registerRoots(roots: readonly string[]): void {
  const fresh = roots.filter((r) => !registeredRoots.has(r))
  if (fresh.length === 0) return
  registrations++
  for (const r of fresh) registeredRoots.add(r)
  const { port1, port2 } = new (workerThreads().MessageChannel)()
  port1.on('message', (m: { url: string; generation: string }) => {
    const file = fileURLToPath(m.url)
    for (const fn of fileListeners) fn(file, Number(m.generation))
  })
  port1.unref()
  register(LOADER_HOOKS_URL, { data: { roots: [...registeredRoots], port: port2 }, transferList: [port2] })
}

const toFileUrl = (p: string | URL): URL => (p instanceof URL ? p : p.startsWith('file:') ? new URL(p) : pathToFileURL(Path.resolve(p)))
const dirUrl = (p: string): string => {
  const href = toFileUrl(p).href
  return href.endsWith('/') ? href : href + '/'
}

let generations = 0

export class ModuleHost<M = Record<string, unknown>> {
  readonly url: URL
  private readonly tagged: boolean
  private currentModule: M | null = null
  private gen = 0
  /** Generations this host asked for, and the files each imported from the roots. */
  private readonly imported = new Map<number, Set<string>>()
  private readonly listener: (file: string, generation: number) => void
  /** Called for each file (absolute) a load imported from the roots, as the hooks report it. */
  onFile: ((file: string) => void) | null = null

  constructor(desc: ModuleHostDesc) {
    checkDesc('createModuleHost', desc, MODULE_HOST_KEYS, true)
    if (!desc.module) throw new ValidationError(ErrorCode.INVALID_DESC, 'createModuleHost: module is required (a path or file: URL)')
    this.url = toFileUrl(desc.module)
    const roots = desc.roots ?? [Path.dirname(this.url.pathname)]
    this.tagged = desc.generations ?? true
    if (this.tagged) registerRoots(roots.map(dirUrl))
    this.listener = (file, generation) => {
      const set = this.imported.get(generation)
      if (!set || set.has(file)) return
      set.add(file)
      this.onFile?.(file)
    }
    fileListeners.add(this.listener)
  }

  /** Stops listening for imported files. */
  close(): void {
    fileListeners.delete(this.listener)
    this.imported.clear()
  }

  /** The last module that loaded, or null. */
  get current(): M | null {
    return this.currentModule
  }
  get generation(): number {
    return this.gen
  }

  /** Imports the module (and its changed files) afresh; on failure keeps the current one. */
  async load(): Promise<LoadResult<M>> {
    const generation = ++generations
    // Only the newest generation's imports matter: older sets are dropped (memory stays flat).
    this.imported.clear()
    this.imported.set(generation, new Set())
    const url = new URL(this.url.href)
    if (this.tagged) url.searchParams.set('fl-hot', String(generation))
    const t0 = performance.now()
    try {
      const module = (await import(url.href)) as M
      this.currentModule = module
      this.gen = generation
      return { ok: true, module, error: null, ms: performance.now() - t0, generation }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      return { ok: false, module: this.currentModule, error, ms: performance.now() - t0, generation }
    }
  }
}

export function createModuleHost<M = Record<string, unknown>>(desc: ModuleHostDesc): ModuleHost<M> {
  return new ModuleHost<M>(desc)
}
