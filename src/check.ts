/**
 * One checker for every `*Desc` and options object (regl's lib/util/check.js is the model): an
 * unknown key is a typo until proven otherwise. With `debug` it throws FL_INVALID_DESC naming the
 * key, the closest known key ("did you mean") and the known keys; in release it is logged once
 * per (call, key) and ignored, so a release build never fails on an option it does not know.
 *
 * Create calls only: the check reads `Object.keys` (one small array per call), so per-frame
 * calls do not use it.
 */
import { ErrorCode, ValidationError } from './errors.js'
import { warnOnce } from './log.js'

/**
 * The known keys of a desc type `T`, written as `{ key: true, ... }` so the compiler checks the
 * list against the type: a key missing from the list, or listed but not in `T`, fails to build.
 */
export function descKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(keys))
}

/**
 * Checks that `desc` names only `knownKeys`. `where` names the call in messages
 * (`'createEngine'`, `'createEngine: window'`). `desc` null or undefined passes (defaults).
 */
export function checkDesc(where: string, desc: object | null | undefined, knownKeys: readonly string[], debug: boolean): void {
  if (desc === null || desc === undefined || typeof desc !== 'object') return
  for (const key of Object.keys(desc)) {
    if (knownKeys.includes(key)) continue
    const suggestion = closestKey(key, knownKeys)
    const hint = suggestion === null ? '' : `; did you mean '${suggestion}'?`
    if (debug) {
      throw new ValidationError(ErrorCode.INVALID_DESC,
        `${where}: unknown option '${key}'${hint} Known options: ${knownKeys.join(', ')}`,
        { where, key, suggestion, known: [...knownKeys] })
    }
    warnOnce(`check:${where}:${key}`, ErrorCode.INVALID_DESC,
      `${where}: unknown option '${key}' ignored${hint} Known options: ${knownKeys.join(', ')}`)
  }
}

/**
 * The known key nearest to `key` by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours each cost 1; case is ignored), or null when none is close: at most 2 edits,
 * and fewer than half of the key's letters.
 */
export function closestKey(key: string, knownKeys: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Infinity
  const limit = Math.min(2, Math.ceil(key.length / 2) - 1)
  for (const known of knownKeys) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase())
    if (d <= limit && d < bestDistance) {
      best = known
      bestDistance = d
    }
  }
  return best
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: two back (for transpositions), previous, current.
  let before = new Array<number>(b.length + 1).fill(0)
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  let cur = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1)
      cur[j] = d
    }
    ;[before, prev, cur] = [prev, cur, before]
  }
  return prev[b.length] ?? 0
}
