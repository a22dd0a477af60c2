/**
 * ESM loader hooks for hot reload (registered with `module.register` only when hot reload is on,
 * so apps without it pay nothing). Node caches every ES module by URL forever, so a changed file
 * is re-evaluated only under a new URL: a module imported as `app.mjs?fl-hot=7` passes its
 * generation on to every file it imports from the watched roots, and the whole app subtree is
 * evaluated afresh, changed dependencies included. Packages (node_modules) and files outside the
 * roots keep their one instance, so framelatch itself and the app's shared libraries are not
 * duplicated.
 *
 * Runs on Node's loader thread; `initialize` receives the roots from `register`'s `data`, and a
 * port on which every file given a generation is reported (the host watches those files).
 */

interface HookData {
  /** file: URLs of folders whose files are re-evaluated on each generation (with trailing slash). */
  roots: string[]
  /** Told `{ url, generation }` for every file given a generation, so the host can watch it. */
  port?: { postMessage(m: { url: string; generation: string }): void }
}

interface ResolveContext {
  parentURL?: string
  conditions: string[]
  importAttributes?: Record<string, string>
}
interface ResolveResult {
  url: string
  format?: string | null
  shortCircuit?: boolean
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>

const PARAM = 'fl-hot'
let roots: string[] = []
let ports: NonNullable<HookData['port']>[] = []

export function initialize(data: HookData): void {
  roots = data.roots
  if (data.port) ports.push(data.port)
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context)
  const parent = context.parentURL
  if (!parent || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result
  const q = parent.indexOf('?')
  if (q < 0) return result
  const generation = new URLSearchParams(parent.slice(q + 1)).get(PARAM)
  if (generation === null) return result
  if (!roots.some((root) => result.url.startsWith(root))) return result
  for (const port of ports) port.postMessage({ url: result.url, generation })
  const url = new URL(result.url)
  url.searchParams.set(PARAM, generation)
  return { ...result, url: url.href }
}
