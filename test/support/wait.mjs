// Polling waits for tests that watch another thread or process (a worker's shared state, files
// on disk): no timing is asserted, the timeout only turns a hang into a failure that says what.
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `read()` every 5 ms until `pred(value)` holds; returns that value, or throws after `ms`. */
export async function waitFor(read, pred, what, ms = 20000) {
  const t0 = performance.now()
  for (;;) {
    const v = read()
    if (pred(v)) return v
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what} (last ${JSON.stringify(v)})`)
    await sleep(5)
  }
}

/** Polls `pred()` every 5 ms until it returns a truthy value and returns that value, or throws after `ms` naming `what`. */
export function until(pred, what, ms = 20000) {
  return waitFor(pred, Boolean, what, ms)
}
