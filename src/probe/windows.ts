/**
 * Window discovery for the driver: walks the X window tree for a mapped window by the PID its
 * toolkit wrote (_NET_WM_PID; SDL sets it), by title (_NET_WM_NAME or WM_NAME, substring), or
 * the largest mapped window. Waits for the window to appear.
 */
import type { X11Connection } from '../platform/x11-client.js'
import { nowMs } from '../clock.js'
import { EnvironmentError, ErrorCode, ValidationError } from '../errors.js'

/** A mapped window: its id and its rectangle in screen coordinates when it was found. */
export interface ProbeWindow {
  id: number
  x: number
  y: number
  width: number
  height: number
  title: string | null
  pid: number | null
}

/**
 * `{ pid }`: a window of this process, of any of these processes, or of the pids a function
 * returns at each attempt (e.g. a process tree); `{ title }`: title contains this; or 'largest'.
 */
export type WindowQuery = { pid: number | readonly number[] | (() => readonly number[]) } | { title: string } | 'largest'

export interface FindWindowOptions {
  /** How long to wait for the window, ms. Default 10 000. */
  timeoutMs?: number
  /** Checked between attempts: a reason to stop waiting (e.g. the target exited), or null. */
  abort?: () => Error | null
}

async function describe(x: X11Connection, id: number): Promise<ProbeWindow | null> {
  try {
    if (!(await x.isViewable(id))) return null
    const rect = await x.rect(id)
    const title = (await x.stringProperty(id, '_NET_WM_NAME')) ?? (await x.stringProperty(id, 'WM_NAME'))
    const pid = await x.cardinalProperty(id, '_NET_WM_PID')
    return { id, ...rect, title, pid }
  } catch {
    return null // the window went away while we looked at it
  }
}

/** Mapped windows at any depth below the root (top level first). */
async function mappedWindows(x: X11Connection): Promise<ProbeWindow[]> {
  const out: ProbeWindow[] = []
  const queue = [x.root]
  while (queue.length > 0) {
    const parent = queue.shift()!
    let children: number[]
    try {
      children = await x.children(parent)
    } catch {
      continue
    }
    for (const id of children) {
      const w = await describe(x, id)
      if (w === null) continue
      out.push(w)
      queue.push(id)
    }
  }
  return out
}

function matches(w: ProbeWindow, query: WindowQuery): boolean {
  if (query === 'largest') return w.width > 1 && w.height > 1
  if ('pid' in query) {
    const pids = typeof query.pid === 'number' ? [query.pid] : typeof query.pid === 'function' ? query.pid() : query.pid
    return w.pid !== null && pids.includes(w.pid)
  }
  return w.title !== null && w.title.includes(query.title)
}

/** Finds a window matching `query`, waiting up to `timeoutMs`; rejects with PROBE_NO_WINDOW. */
export async function findWindow(x: X11Connection, query: WindowQuery, options: FindWindowOptions = {}): Promise<ProbeWindow> {
  if (query !== 'largest' && !(typeof query === 'object' && ('pid' in query || 'title' in query))) {
    throw new ValidationError(ErrorCode.INVALID_DESC, "findWindow: query must be { pid }, { title } or 'largest'")
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  const deadline = nowMs() + timeoutMs
  for (;;) {
    const q: WindowQuery = typeof query === 'object' && 'pid' in query && typeof query.pid === 'function' ? { pid: query.pid() } : query
    const found = (await mappedWindows(x)).filter((w) => matches(w, q))
    if (found.length > 0) {
      // The largest match: toolkits may map small helper windows next to the real one.
      return found.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a))
    }
    const aborted = options.abort?.() ?? null
    if (aborted) throw aborted
    if (nowMs() > deadline) {
      const what = query === 'largest' ? 'no mapped window' : 'pid' in query ? `no window of process ${typeof query.pid === 'function' ? 'tree' : String(query.pid)}` : `no window titled '${query.title}'`
      throw new EnvironmentError(ErrorCode.PROBE_NO_WINDOW, `${what} appeared on ${x.display} within ${timeoutMs} ms; ` +
        'check that the program opens a window (not --headless) on this DISPLAY, or name its title with --window', { timeoutMs })
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
