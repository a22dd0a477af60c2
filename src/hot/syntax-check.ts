/**
 * Where a module that does not parse fails. Node 20 reports a syntax error in a file that an ES
 * module imports by its message alone ("Unexpected end of input": no file, no line), so a worker
 * whose helper was saved half-written would say only that. `node --check` parses one file,
 * without linking or running it, and names both. Used only after a reload failed that way: a
 * good reload never waits for it.
 */
import { childProcessModule } from '../platform/builtins-on-demand.js'

/** True when `stack` is a syntax error for which Node named no file. */
export function unlocatedSyntaxError(stack: string): boolean {
  return /^SyntaxError\b/.test(stack) && !/file:\/\/|\.[cm]?js:\d+/.test(stack)
}

/** `file:line` of the syntax error in `file`, or null when it parses (or could not be checked). */
export function syntaxErrorAt(file: string, timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    childProcessModule().execFile(process.execPath, ['--check', file], { timeout: timeoutMs }, (err, _stdout, stderr) => {
      const first = String(stderr).split('\n', 1)[0] ?? ''
      // `node --check` prints the location first: "/abs/file.mjs:3".
      resolve(err !== null && first.startsWith(file + ':') ? first : null)
    })
  })
}

/** The first of `files` (in order) that does not parse, as `file:line`, checking at most `limit` of them. */
export async function findSyntaxError(files: readonly string[], limit = 32): Promise<string | null> {
  for (const file of files.slice(0, limit)) {
    const at = await syntaxErrorAt(file)
    if (at !== null) return at
  }
  return null
}
