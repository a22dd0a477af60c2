/**
 * Pumping SDL events synchronously. @kmamal/sdl delivers window events from a 1 ms
 * `setInterval(poll, 0)` that runs only while listeners exist and the event loop turns; the render
 * loop calls `pumpSdlEvents` to pull pending events in right before it latches input instead.
 * Main thread only.
 */
import { createRequire } from 'node:module'
import Path from 'node:path'

let pollFn: (() => void) | null | undefined

/**
 * Pumps SDL events synchronously: loads @kmamal/sdl's internal `globals.js` (a sibling of the
 * package's main `index.js`, not in its exports map) and calls `globals.events.poll()`, which runs
 * every pending window listener now. Returns false (and does nothing) when the package or that
 * internal is missing in this version. Main thread only.
 */
export function pumpSdlEvents(): boolean {
  if (pollFn === undefined) pollFn = loadPoll()
  if (pollFn === null) return false
  pollFn()
  return true
}

function loadPoll(): (() => void) | null {
  try {
    const require = createRequire(import.meta.url)
    const main = require.resolve('@kmamal/sdl')
    require(main) // make sure the package (and its event module) is initialised
    const globals = require(Path.join(Path.dirname(main), 'globals.js')) as { events?: { poll?: unknown } | null }
    const poll = globals.events?.poll
    if (typeof poll !== 'function') return null
    return poll as () => void
  } catch {
    return null
  }
}
