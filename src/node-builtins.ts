/**
 * The Node built-ins framelatch loads at start-up, taken with `require` instead of `import`.
 *
 * Why: an ES import of a built-in builds its ES-module facade by reading every export, and fs's
 * lazily loaded exports (ReadStream, promises, ...) then load 18 stream modules. `import 'node:fs'`
 * took 5.0 ms in a fresh process, `require('node:fs')` 0.7 (medians of 6); node:worker_threads
 * takes 3.7 ms to load at all, so it is loaded on first use (an engine starts its first thread
 * after its first frame). Worker entry files (they run in their own threads) and type-only
 * imports keep `import`. `test/bundle.test.mjs` fails when importing the package loads either.
 */
import { createRequire } from 'node:module'
import type * as FsModule from 'node:fs'
import type * as WorkerThreadsModule from 'node:worker_threads'

const require = createRequire(import.meta.url)

/** node:fs (already loaded by Node itself). */
export const Fs = require('node:fs') as typeof FsModule

let workerThreadsModule: typeof WorkerThreadsModule | null = null

/** node:worker_threads, loaded on the first call. */
export function workerThreads(): typeof WorkerThreadsModule {
  if (workerThreadsModule === null) workerThreadsModule = require('node:worker_threads') as typeof WorkerThreadsModule
  return workerThreadsModule
}
