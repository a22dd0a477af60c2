// Market data on the render side. The logic worker (market/feed-worker.mjs) publishes the book and
// a ring of the newest trades through the engine's shared state; each frame `MarketView.ingest`
// reads the snapshot the engine latched (`frame.state`), appends the trades it has not seen to
// the TradeStore and keeps the book views for the panels.
//
// `createSyncFeed` runs the same worker module on the render thread instead, one fixed step per
// frame: the same seed then gives the same pixels on every run (reference image, tests).
import * as feedModule from './market/feed-worker.mjs'
import { TRADE_RING } from './market/schema.mjs'

/** Exchange time 0 as epoch ms: a fixed session open, so labels and the reference image never change. */
export const SESSION_OPEN = Date.UTC(2026, 0, 5, 14, 30)

export class MarketView {
  constructor(store) {
    this.store = store
    /** The newest snapshot's views (book and trade ring), or null before the first. */
    this.views = null
    /** Changes whenever a new snapshot arrived (the book panels' input). */
    this.bookVersion = 0
    this.seq = 0
    this.seen = 0
    this.events = 0
    /** Order events a second, measured over the last half second of render time. */
    this.rate = 0
    this.rateEvents = 0
    this.rateTime = NaN
  }

  /** Reads a snapshot (frame.state); `now` is the render clock in ms. */
  ingest(state, now) {
    if (state === null || state.seq === 0 || state.seq === this.seq) return
    this.seq = state.seq
    const v = state.views
    this.views = v
    this.bookVersion++
    const count = v.tradeCount[0]
    if (count < this.seen) this.seen = 0 // the worker restarted its ring
    const store = this.store
    for (let n = Math.max(this.seen, count - TRADE_RING); n < count; n++) {
      const i = n % TRADE_RING
      store.push(SESSION_OPEN + v.tradeTime[i], v.tradeTick[i], v.tradeSize[i], v.tradeSide[i], now)
    }
    this.seen = count
    this.events = v.events[0] + count
    if (!(this.rateTime <= now)) {
      this.rateTime = now
      this.rateEvents = this.events
    } else if (now - this.rateTime >= 500) {
      this.rate = ((this.events - this.rateEvents) * 1000) / (now - this.rateTime)
      this.rateTime = now
      this.rateEvents = this.events
    }
  }
}

/**
 * Steps market/feed-worker.mjs on this thread as the state's writer: `step()` advances the
 * exchange by `dtMs` and publishes. Deterministic for a seed.
 */
export function createSyncFeed(state, data, dtMs = 1000 / 60) {
  const writer = state.writer()
  const ctx = { views: writer.begin(), dt: dtMs, time: 0, step: 0, data, input: null }
  feedModule.init(ctx)
  return {
    step() {
      ctx.views = writer.begin()
      feedModule.step(ctx)
      ctx.time += dtMs
      ctx.step++
      writer.publish(performance.now())
    },
    close() {
      writer.close()
    },
  }
}
