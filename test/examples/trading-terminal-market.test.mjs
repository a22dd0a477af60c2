// The trading terminal's market data: a deterministic seeded exchange at ≥ 2,000 events/s, a book
// that stays consistent, tick grouping, NDJSON record/replay giving the same book, and the feed
// worker publishing through the shared state.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash } from 'node:crypto'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSharedState, createLogicWorker } from '../../dist/index.js'
import { ASK, BID, Book, Exchange } from '../../examples/trading-terminal/market/exchange.mjs'
import { groupSide } from '../../examples/trading-terminal/market/book.mjs'
import { Replay, recordSession } from '../../examples/trading-terminal/market/ndjson.mjs'
import { BOOK_TICKS, TRADE_RING, marketSchema } from '../../examples/trading-terminal/market/schema.mjs'
import { createCandleLevels } from '../../examples/trading-terminal/market/candles.mjs'
import { historyColumns } from '../../examples/trading-terminal/market/history.mjs'
import { loadHistory } from '../../examples/trading-terminal/market/history-worker.mjs'
import { TradeStore } from '../../examples/trading-terminal/market/trade-store.mjs'

const here = Path.dirname(fileURLToPath(import.meta.url))
const marketDir = Path.join(here, '../../examples/trading-terminal/market')

function digest(seed, steps, stepMs) {
  const h = createHash('sha1')
  const ex = new Exchange({ seed })
  const sink = {
    level: (s, t, q) => h.update(`L${s},${t},${q};`),
    trade: (time, t, q, d) => h.update(`T${time.toFixed(6)},${t},${q},${d};`),
  }
  for (let i = 0; i < steps; i++) ex.advance(stepMs, sink)
  return { hash: h.digest('hex'), events: ex.events, trades: ex.trades }
}

test('the same seed gives the same events; another seed does not', () => {
  const a = digest(7, 2000, 1)
  const b = digest(7, 2000, 1)
  const c = digest(8, 2000, 1)
  assert.is(a.hash, b.hash)
  assert.is.not(a.hash, c.hash)
  assert.ok(a.trades > 0, 'trades happen')
})

test('at least 2,000 order events a second of exchange time, however it is stepped', () => {
  const fine = digest(3, 1000, 1) // 1,000 steps of 1 ms
  const coarse = digest(3, 10, 100) // 10 steps of 100 ms
  assert.ok(fine.events >= 2000, `${fine.events} events in 1 s`)
  assert.is(coarse.events, fine.events, 'fractional events carry over between steps')
})

test('the book stays consistent: no crossed touch, no negative size, best levels tracked', () => {
  const ex = new Exchange({ seed: 11 })
  const quiet = { level() {}, trade() {} }
  for (let s = 0; s < 20; s++) {
    ex.advance(500, quiet)
    const book = ex.book
    assert.ok(ex.bidTicks < ex.askTicks, `bid ${ex.bidTicks} < ask ${ex.askTicks}`)
    for (const side of [BID, ASK]) for (const v of book.sizes[side]) assert.ok(v >= 0)
    // brute force: the highest non-empty bid and lowest non-empty ask
    const bidIdx = book.sizes[BID].findLastIndex((v) => v > 0)
    const askIdx = book.sizes[ASK].findIndex((v) => v > 0)
    assert.is(ex.bidTicks, bidIdx + book.base)
    assert.is(ex.askTicks, askIdx + book.base)
  }
})

test('tick grouping: buckets, their sizes and cumulative depth match brute force', () => {
  const ex = new Exchange({ seed: 5 })
  ex.advance(3000, { level() {}, trade() {} })
  const sizes = new Float32Array(BOOK_TICKS)
  for (const [side, dir] of [[BID, -1], [ASK, 1]]) {
    const best = ex.book.copySide(side, BOOK_TICKS, sizes)
    for (const group of [1, 5, 10, 25]) {
      const ticks = new Float64Array(50), got = new Float64Array(50), cum = new Float64Array(50)
      const n = groupSide(sizes, BOOK_TICKS, best, dir, group, 50, ticks, got, cum)
      const want = new Map()
      for (let k = 0; k < BOOK_TICKS; k++) {
        if (!(sizes[k] > 0)) continue
        const t = best + dir * k
        const b = dir < 0 ? Math.floor(t / group) * group : Math.ceil(t / group) * group
        want.set(b, (want.get(b) ?? 0) + sizes[k])
      }
      const buckets = [...want.entries()].slice(0, 50)
      assert.is(n, buckets.length, `side ${side} group ${group}`)
      let total = 0
      for (let i = 0; i < n; i++) {
        assert.is(ticks[i], buckets[i][0])
        assert.ok(Math.abs(got[i] - buckets[i][1]) < 1e-6)
        total += buckets[i][1]
        assert.ok(Math.abs(cum[i] - total) < 1e-6, 'cumulative from the touch')
      }
    }
  }
})

test('a recording replayed through NDJSON rebuilds the same book and trades', () => {
  const live = new Exchange({ seed: 9, ratePerSec: 2000 })
  const text = recordSession(live, 400)
  const mirror = new Book(0, 1 << 15)
  let trades = 0
  const replay = new Replay(text, { loop: false })
  for (let t = 0; t < 500; t += 7) replay.advance(7, { level: (s, p, q) => mirror.set(s, p, q), trade: () => trades++ })
  assert.is(trades, live.trades)
  assert.is(mirror.bidTicks, live.bidTicks)
  assert.is(mirror.askTicks, live.askTicks)
  for (const side of [BID, ASK]) {
    for (let tick = live.book.base; tick < live.book.base + live.book.span; tick++) {
      if (live.book.sizeAt(side, tick) !== mirror.sizeAt(side, tick)) assert.unreachable(`side ${side} tick ${tick} differs`)
    }
  }
  assert.throws(() => new Replay('{"t":1,"e":"L","s":0,"p":1,"q":1}\nnot json\n'), /line 2 is not JSON/)
  assert.throws(() => new Replay('{"t":1,"e":"X"}\n'), /line 1 is not a level or trade event/)
})

async function runFeed(data, until) {
  const state = createSharedState(marketSchema)
  const worker = await createLogicWorker({ module: Path.join(marketDir, 'feed-worker.mjs'), state, hz: 240, data })
  const reader = state.reader()
  try {
    for (let i = 0; i < 500; i++) {
      const snap = reader.read()
      if (snap.seq > 0 && until(snap.views)) return snap.views
      await new Promise((r) => setTimeout(r, 20))
    }
    assert.unreachable('the feed never published what the test waited for')
  } finally {
    await worker.stop()
  }
}

const HISTORY = { seed: 4, count: 120_000, endTime: Date.UTC(2026, 0, 5, 14, 30), endTick: 10_000 }
const CANDLE_FIELDS = ['start', 'open', 'high', 'low', 'close', 'volume']

test('history candles folded level from level equal every trade pushed into every interval', () => {
  const h = historyColumns(HISTORY)
  const pushed = createCandleLevels()
  for (let i = 0; i < h.count; i++) for (const c of pushed) c.push(h.time[i], h.tick[i], h.size[i])
  for (let k = 0; k < pushed.length; k++) {
    const a = pushed[k]
    const b = h.candles[k]
    assert.is(b.length, a.length, `interval ${a.interval}: candle count`)
    for (const f of CANDLE_FIELDS) {
      for (let i = 0; i < a.length; i++) if (a[f][i] !== b[f][i]) assert.unreachable(`interval ${a.interval}: ${f}[${i}] ${b[f][i]} != ${a[f][i]}`)
    }
  }
})

test('the history from the worker is the same history, adopted by the store; live trades extend it', async () => {
  const here = historyColumns(HISTORY)
  const store = new TradeStore(16)
  store.adopt(await loadHistory({ ...HISTORY, capacity: HISTORY.count + 1000 }))
  assert.is(store.length, HISTORY.count)
  for (let i = 0; i < HISTORY.count; i += 7) {
    if (store.time[i] !== here.time[i] || store.tick[i] !== here.tick[i] || store.size[i] !== here.size[i] || store.side[i] !== here.side[i]) {
      assert.unreachable(`trade ${i} differs`)
    }
  }
  for (let k = 0; k < here.candles.length; k++) {
    for (const f of CANDLE_FIELDS) assert.equal(store.candles[k][f].subarray(0, store.candles[k].length), here.candles[k][f].subarray(0, here.candles[k].length))
  }
  const t = store.lastTime + 1500
  store.push(t, 10_005, 3, 1)
  assert.is(store.length, HISTORY.count + 1)
  assert.is(store.candles[0].close[store.candles[0].length - 1], 10_005)
  // The line's series: built on demand from the columns, then kept up by pushes.
  assert.is(store.series, null)
  store.useSeries()
  assert.is(store.catchUpSeries(50_000), store.length - 50_000)
  while (store.catchUpSeries(50_000) > 0);
  assert.ok(store.seriesReady)
  store.push(t + 10, 10_006, 1, 1)
  assert.ok(store.seriesReady, 'a push after catching up extends the series')
  assert.is(store.series.y(store.length - 1), 10_006)
})

test('the store grows past its capacity, keeping every column', () => {
  const store = new TradeStore(4)
  for (let i = 0; i < 10; i++) store.push(1000 + i, 100 + i, i + 1, i % 2 ? 1 : -1, i)
  assert.is(store.length, 10)
  assert.ok(store.time.length >= 10)
  assert.ok(store.tick instanceof Int32Array, 'ticks stay whole-tick integers')
  for (let i = 0; i < 10; i++) {
    if (store.time[i] !== 1000 + i || store.tick[i] !== 100 + i || store.size[i] !== i + 1 || store.side[i] !== (i % 2 ? 1 : -1) || store.arrived[i] !== i) {
      assert.unreachable(`trade ${i} lost in a growth`)
    }
  }
  assert.is(store.candles[0].close[store.candles[0].length - 1], 109)
})

test('the feed worker publishes the live book and a trade ring', async () => {
  const v = await runFeed({ seed: 2, ratePerSec: 4000 }, (v) => v.tradeCount[0] > 5 && v.events[0] > 500)
  assert.ok(v.bestBid[0] < v.bestAsk[0])
  assert.ok(v.bids[0] > 0 && v.asks[0] > 0, 'sizes at the touch')
  const last = (v.tradeCount[0] - 1) % TRADE_RING
  assert.ok(v.tradeSize[last] > 0)
  assert.ok(v.tradeSide[last] === 1 || v.tradeSide[last] === -1)
  assert.ok(Math.abs(v.tradeTick[last] - (v.bestBid[0] + v.bestAsk[0]) / 2) < 200, 'trades near the touch')
})

test('the feed worker replays the sample NDJSON file', async () => {
  const file = Path.join(marketDir, 'sample.ndjson')
  assert.ok(Fs.statSync(file).size < 100_000, 'the sample stays small')
  const v = await runFeed({ replay: file }, (v) => v.tradeCount[0] > 3)
  assert.ok(v.bestBid[0] < v.bestAsk[0])
  assert.ok(v.bids[0] > 0)
})

test.run()
