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
 *
 * A generation named `scan-N` (a logic worker's import scan, src/sync/worker/import-scan.ts) is
 * passed on the same way, but every ES module under it is given a leading `throw` at load: Node
 * resolves and links the whole static graph before it evaluates any of it, so the scan reports
 * every file the module imports without running a line of them.
 */

interface HookData {
  /** file: URLs of folders whose files are re-evaluated on each generation (with trailing slash). */
  roots: string[]
  /** Told `{ url, generation }` for every file given a generation, so the host can watch it. */
  port?: { postMessage(m: { url: string; generation: string }): void }
  /** file: URL prefixes inside the roots that keep their one instance (framelatch's own files). Default none. */
  exclude?: string[]
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
interface LoadContext {
  format?: string | null
  conditions: string[]
  importAttributes?: Record<string, string>
}
interface LoadResult {
  format: string | null | undefined
  source?: string | ArrayBuffer | Uint8Array | null
  shortCircuit?: boolean
}
type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>

const PARAM = 'fl-hot'
const SCAN = 'scan-'
/** What a scanned module's evaluation throws (the scan's import rejects with it). */
const SCAN_STOP = 'throw "fl-hot import scan: not evaluated";'
let roots: string[] = []
let exclude: string[] = []
let ports: NonNullable<HookData['port']>[] = []

export function initialize(data: HookData): void {
  roots = data.roots
  exclude = data.exclude ?? exclude
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
  if (!roots.some((root) => result.url.startsWith(root)) || exclude.some((x) => result.url.startsWith(x))) return result
  for (const port of ports) port.postMessage({ url: result.url, generation })
  const url = new URL(result.url)
  url.searchParams.set(PARAM, generation)
  return { ...result, url: url.href }
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context)
  if (result.format !== 'module' || !url.includes(`${PARAM}=${SCAN}`) || result.source == null) return result
  const q = url.indexOf('?')
  if (!new URLSearchParams(url.slice(q + 1)).get(PARAM)?.startsWith(SCAN)) return result
  const text = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source)
  // After a hashbang line, which must stay first; imports are hoisted above the throw.
  const head = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0
  return { ...result, source: `${text.slice(0, head)}${SCAN_STOP}${text.slice(head)}` }
}
