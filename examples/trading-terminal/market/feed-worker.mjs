// The market-data logic worker of the trading terminal: runs the seeded exchange (or replays an
// NDJSON recording) and publishes the book and the newest trades through the shared state each
// step. ctx.data: { seed?, ratePerSec?, replay?: path of an NDJSON file }.
import { ASK, BID, Book, Exchange } from './exchange.mjs'
import { Replay } from './ndjson.mjs'
import { BOOK_TICKS, TRADE_RING } from './schema.mjs'

let source = null
let book = null
let tickSize = 0.01
let events = 0
let views = null

const sink = {
  level(side, tick, size) {
    events++
    book.set(side, tick, size)
  },
  trade(time, tick, size, side) {
    const n = views.tradeCount[0]
    const i = n % TRADE_RING
    views.tradeTime[i] = time
    views.tradeTick[i] = tick
    views.tradeSize[i] = size
    views.tradeSide[i] = side
    views.tradeCount[0] = n + 1
  },
}

export function init(ctx) {
  const data = ctx.data ?? {}
  if (data.replay) {
    source = Replay.fromFile(data.replay)
    book = new Book(0, 1 << 20) // ticks of a recording: any price up to 2^20 ticks
  } else {
    const exchange = new Exchange({ seed: data.seed ?? 1, ratePerSec: data.ratePerSec ?? 4000 })
    tickSize = exchange.tickSize
    source = exchange
    book = exchange.book // the exchange's own book: level events need no mirror
  }
  ctx.views.tradeCount[0] = 0
}

/** The simulator keeps its own book: its level events are only counted (made once: steps allocate nothing). */
const countingSink = { level: () => events++, trade: sink.trade }

export function step(ctx) {
  views = ctx.views
  const mirror = source instanceof Replay
  if (mirror) source.advance(ctx.dt, sink)
  else source.advance(ctx.dt, countingSink)
  views.tickSize[0] = tickSize
  views.bestBid[0] = book.copySide(BID, BOOK_TICKS, views.bids)
  views.bestAsk[0] = book.copySide(ASK, BOOK_TICKS, views.asks)
  views.events[0] = events
}
