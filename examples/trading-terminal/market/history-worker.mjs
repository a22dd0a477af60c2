// Generates the trade history (history.mjs) on a worker thread, so the render thread never spends
// its start-up on it: main.mjs starts this before the engine is created (the two overlap on two
// cores) and the store adopts the arrays it sends back (transferred, not copied).
//
// `loadHistory(opts)` resolves with what `TradeStore.adopt` takes.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { historyColumns } from './history.mjs'
import { candleParts } from './candles.mjs'

/** Starts generating in a worker; resolves with the history (columns and candle parts). */
export function loadHistory(opts) {
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

if (!isMainThread && parentPort !== null && workerData?.count !== undefined) {
  const h = historyColumns(workerData)
  const candles = h.candles.map(candleParts)
  const transfer = [h.time.buffer, h.tick.buffer, h.size.buffer, h.side.buffer]
  for (const c of candles) transfer.push(c.start.buffer, c.open.buffer, c.high.buffer, c.low.buffer, c.close.buffer, c.volume.buffer)
  // postedAt: epoch ms (with fractions) when sent, for main.mjs's start-up marks.
  parentPort.postMessage({ ...h, candles, postedAt: performance.timeOrigin + performance.now() }, transfer)
}
