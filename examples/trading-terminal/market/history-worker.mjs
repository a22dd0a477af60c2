// Generates the trade history (history.mjs) on a worker thread, so the render thread never spends
// its start-up on it: main.mjs starts it before it even loads framelatch and the rest of the
// terminal (`prestartHistory`), so the worker's start and the generation overlap the module
// loading and the engine's start on the other core; setup then picks it up (`loadHistory` with
// the same options). The store adopts the arrays it sends back (transferred, not copied).
//
// `loadHistory(opts)` resolves with what `TradeStore.adopt` takes.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { historyColumns } from './history.mjs'
import { candleParts } from './candles.mjs'

/** The history started by `prestartHistory` and not yet taken by `loadHistory`: its options (JSON) and promise. */
let early = null

function startWorker(opts) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: opts })
    worker.once('message', (h) => {
      resolve(h)
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`history worker exited with code ${code}`))
    })
  })
}

/**
 * Starts generating `opts`'s history now, for a `loadHistory(opts)` later (the same options,
 * field for field, in the same order) to take. A later prestart replaces an untaken one (whose
 * worker still finishes and exits).
 */
export function prestartHistory(opts) {
  const promise = startWorker(opts)
  promise.catch(() => {}) // reported to whoever takes it
  early = { key: JSON.stringify(opts), promise }
  return promise
}

/**
 * Resolves with the history of `opts` (columns and candle parts): the prestarted one when its
 * options are the same (taken: a second call starts a new worker), else from a new worker.
 */
export function loadHistory(opts) {
  if (early !== null && early.key === JSON.stringify(opts)) {
    const { promise } = early
    early = null
    return promise
  }
  return startWorker(opts)
}

if (!isMainThread && parentPort !== null && workerData?.count !== undefined) {
  const h = historyColumns(workerData)
  const candles = h.candles.map(candleParts)
  const transfer = [h.time.buffer, h.tick.buffer, h.size.buffer, h.side.buffer]
  for (const c of candles) transfer.push(c.start.buffer, c.open.buffer, c.high.buffer, c.low.buffer, c.close.buffer, c.volume.buffer)
  // postedAt: epoch ms (with fractions) when sent, for main.mjs's start-up marks.
  parentPort.postMessage({ ...h, candles, postedAt: performance.timeOrigin + performance.now() }, transfer)
}
