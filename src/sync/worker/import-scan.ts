/**
 * The worker thread's side of tracking a logic worker's import graph (the parent's side is
 * worker-imports.ts), so that a save of any local file the module imports reloads it.
 *
 * `ImportHooks.ensure` registers the generation loader hooks (src/hot's, passed in by URL) once
 * per thread, with a port on which the hooks report every file they give a generation: each one
 * is forwarded to the parent as an `imported` message. Every reload's import then reports the
 * files it loaded (imports that appear later are tracked as they appear).
 *
 * `scan()` learns the graph of the module that is already running, without running it again: it
 * imports the module under a `scan-N` generation, for which the hooks prepend a `throw` to every
 * module they load. Node links the whole static graph before it evaluates any module of it, so
 * every file is resolved (and reported) and none runs: the import rejects with the hooks' throw,
 * which is expected. Files reached only by a dynamic `import()` are reported when it runs under a
 * reload. The scan's module records stay in the thread's cache (Node frees no module), once per
 * scan: one at watch time and one after each crash restart.
 *
 * Nothing here runs in a thread that is never watched or reloaded: no hooks, no port.
 */
import { register } from 'node:module'
import { workerThreads } from '../../node-builtins.js'

/** @internal parent → thread: register the hooks (once per thread) and scan the module's imports. */
export interface TrackRequest {
  type: 'track'
  /** file: URL of src/hot's generation loader hooks. */
  hooks: string
  /** file: URLs (trailing slash) of the folders whose files reload with the module. */
  roots: string[]
  /** file: URL prefixes inside the roots that keep their one instance. */
  exclude: string[]
}

/** @internal thread → parent: the hooks gave this file (a file: URL, no query) a generation. */
export interface ImportedMessage {
  type: 'imported'
  url: string
}

export class ImportHooks {
  private registered = false
  private scans = 0

  constructor(private readonly base: string, private readonly post: (m: ImportedMessage) => void) {}

  /** Registers the hooks once per thread (the first caller's roots hold for the thread's life). */
  ensure(hooks: string, roots: readonly string[], exclude: readonly string[]): void {
    if (this.registered) return
    this.registered = true
    const { port1, port2 } = new (workerThreads().MessageChannel)()
    port1.on('message', (m: { url: string }) => this.post({ type: 'imported', url: m.url }))
    port1.unref() // reports must not keep the thread alive
    register(hooks, { data: { roots: [...roots], exclude: [...exclude], port: port2 }, transferList: [port2] })
  }

  /** Reports the running module's static import graph (see the file comment). Never rejects. */
  async scan(): Promise<void> {
    const url = new URL(this.base)
    url.searchParams.set('fl-hot', `scan-${++this.scans}`)
    try {
      await import(url.href)
    } catch {
      // Expected: the hooks' throw (or a file that no longer parses: what was reached is reported).
    }
  }
}
