// A seeded, deterministic exchange for the trading-terminal example: a limit order book in integer
// ticks that random traders add to, cancel from and trade against. The same seed and the same
// sequence of `advance` calls give the same events on every machine, so the example's reference
// image and tests are stable.
//
// Prices are integer ticks (price = ticks × tickSize); the book is a `Book` over a window of `span`
// ticks around the opening price. Events go to the sink's `level(side, tick, size)` (the new total size at a
// level) and `trade(timeMs, tick, size, side)` (side +1: a buyer lifted the ask; −1: a seller hit
// the bid). Nothing is allocated per event.
import { createRandomState, nextRandom } from 'framelatch/random'

export const BID = 0
export const ASK = 1

// The exchange's running figures live in a Float64Array (F_*), not in fields: storing a
// fractional number in an object field allocates a heap number per store, and the simulator
// stores several per event (it runs thousands of events a second).
const F_TIME = 0
const F_CARRY = 1
const F_EVENTS = 2
const F_TRADES = 3
const F_LAST = 4
const F_DRIFT = 5

/**
 * A limit order book in integer ticks: total size per price level, per side, over a window of
 * `span` ticks starting at tick `base`, with the best bid and ask tracked as indices. The exchange
 * keeps one; the feed worker mirrors a replayed recording into another.
 */
export class Book {
  constructor(base, span) {
    this.base = base
    this.span = span
    this.sizes = [new Float64Array(span), new Float64Array(span)]
    this.bestBid = -1 // index, or −1 when the side is empty
    this.bestAsk = span // index, or span when the side is empty
  }

  /** Best bid / ask in ticks (NaN for an empty side). */
  get bidTicks() {
    return this.bestBid >= 0 ? this.bestBid + this.base : NaN
  }
  get askTicks() {
    return this.bestAsk < this.span ? this.bestAsk + this.base : NaN
  }

  /** Size resting at a tick on one side (0 outside the window). */
  sizeAt(side, tick) {
    const i = tick - this.base
    return i >= 0 && i < this.span ? this.sizes[side][i] : 0
  }

  /** Sets a level's total size (0 removes it); ticks outside the window are ignored. */
  set(side, tick, size) {
    const i = tick - this.base
    if (i < 0 || i >= this.span) return
    this.sizes[side][i] = size
    if (side === BID) {
      if (size > 0 && i > this.bestBid) this.bestBid = i
      else if (size === 0 && i === this.bestBid) {
        let j = i - 1
        while (j >= 0 && this.sizes[BID][j] === 0) j--
        this.bestBid = j
      }
    } else {
      if (size > 0 && i < this.bestAsk) this.bestAsk = i
      else if (size === 0 && i === this.bestAsk) {
        let j = i + 1
        while (j < this.span && this.sizes[ASK][j] === 0) j++
        this.bestAsk = j
      }
    }
  }

  /**
   * Copies `count` levels of a side from its touch outward into `out` (out[k]: size at
   * best ± k ticks) and returns the best tick (NaN when the side is empty).
   */
  copySide(side, count, out) {
    const best = side === BID ? this.bestBid : this.bestAsk
    const dir = side === BID ? -1 : 1
    const sizes = this.sizes[side]
    for (let k = 0; k < count; k++) {
      const i = best + dir * k
      out[k] = i >= 0 && i < this.span ? sizes[i] : 0
    }
    return side === BID ? this.bidTicks : this.askTicks
  }
}

export class Exchange {
  /**
   * @param {{ seed?: number, openTicks?: number, tickSize?: number, span?: number, ratePerSec?: number, depth?: number }} [desc]
   *   openTicks: opening mid price in ticks (default 10_000 → 100.00); span: ticks the book can
   *   reach (default 20_000); ratePerSec: order events a second (default 4000); depth: levels
   *   seeded on each side (default 80).
   */
  constructor(desc = {}) {
    this.tickSize = desc.tickSize ?? 0.01
    this.span = desc.span ?? 20_000
    this.ratePerSec = desc.ratePerSec ?? 4000
    this.rngState = createRandomState(desc.seed ?? 1)
    const open = desc.openTicks ?? 10_000
    this.book = new Book(open - (this.span >> 1), this.span)
    /** [time ms, fractional events owed from the previous advance, events, trades, last trade tick, drift] */
    this.f = new Float64Array(6)
    this.f[F_LAST] = open
    const depth = desc.depth ?? 80
    const quiet = { level() {}, trade() {} }
    for (let i = 1; i <= depth; i++) {
      this.setLevel(BID, open - i, Math.round(this.lotSize() * (1 + i / 8)), quiet)
      this.setLevel(ASK, open + i, Math.round(this.lotSize() * (1 + i / 8)), quiet)
    }
  }

  get timeMs() {
    return this.f[F_TIME]
  }
  get events() {
    return this.f[F_EVENTS]
  }
  get trades() {
    return this.f[F_TRADES]
  }
  get lastTradeTick() {
    return this.f[F_LAST]
  }

  /**
   * Floats in [0, 1) from framelatch's seeded mulberry32, in its allocation-free form: the state
   * is an Int32Array, so V8 inlines it into `event` and no uint32 above 2^31 (a heap number)
   * is ever stored.
   */
  random() {
    return nextRandom(this.rngState)
  }

  lotSize() {
    const r = this.random()
    return Math.max(1, Math.round(1 + 40 * r * r * r))
  }

  get bidTicks() {
    return this.book.bidTicks
  }
  get askTicks() {
    return this.book.askTicks
  }
  sizeAt(side, tick) {
    return this.book.sizeAt(side, tick)
  }
  setLevel(side, tick, size, sink) {
    this.book.set(side, tick, size)
    sink.level(side, tick, size)
  }

  /** Sends every non-empty level as a level event (the start of a recording). */
  snapshot(sink) {
    for (const side of [BID, ASK]) {
      const sizes = this.book.sizes[side]
      for (let i = 0; i < sizes.length; i++) if (sizes[i] > 0) sink.level(side, i + this.book.base, sizes[i])
    }
  }

  /** Runs the market for `dtMs` of exchange time, sending every event to `sink`. */
  advance(dtMs, sink) {
    const f = this.f
    const owed = (this.ratePerSec * dtMs) / 1000 + f[F_CARRY]
    const n = Math.floor(owed)
    f[F_CARRY] = owed - n
    for (let k = 0; k < n; k++) {
      f[F_TIME] += dtMs / Math.max(1, n)
      this.event(sink)
    }
    if (n === 0) f[F_TIME] += dtMs
  }

  event(sink) {
    const f = this.f
    f[F_EVENTS]++
    const r = this.random()
    // A slow random walk of the traders' fair value keeps the chart interesting.
    f[F_DRIFT] = (f[F_DRIFT] + (this.random() - 0.5) * 0.6) * 0.999
    const drift = f[F_DRIFT]
    const bid = this.bidTicks
    const ask = this.askTicks
    const mid = Number.isFinite(bid) && Number.isFinite(ask) ? (bid + ask) / 2 : f[F_LAST]
    if (r < 0.1) {
      // A market order: buy lifts the ask, sell hits the bid, walking the book by its size.
      const buy = this.random() < 0.5 + Math.max(-0.3, Math.min(0.3, drift / 40))
      this.marketOrder(buy ? ASK : BID, this.lotSize() * 2, sink)
    } else if (r < 0.6) {
      // A limit order near the touch (sometimes inside the spread).
      const side = this.random() < 0.5 ? BID : ASK
      const away = Math.floor(-Math.log(1 - this.random() * 0.999) * 6)
      let tick = side === BID ? Math.round(mid + drift / 10) - 1 - away : Math.round(mid + drift / 10) + 1 + away
      if (side === BID && Number.isFinite(ask) && tick >= ask) tick = ask - 1
      if (side === ASK && Number.isFinite(bid) && tick <= bid) tick = bid + 1
      this.setLevel(side, tick, this.sizeAt(side, tick) + this.lotSize(), sink)
    } else {
      // A cancel: part of a resting level near the touch goes away.
      const side = this.random() < 0.5 ? BID : ASK
      const best = side === BID ? bid : ask
      if (!Number.isFinite(best)) return
      const tick = side === BID ? best - Math.floor(this.random() * 12) : best + Math.floor(this.random() * 12)
      const size = this.sizeAt(side, tick)
      if (size > 0) this.setLevel(side, tick, Math.max(0, size - this.lotSize()), sink)
    }
  }

  /** Consumes `size` from the best levels of `side` (ASK: a buy), reporting one trade per level. */
  marketOrder(side, size, sink) {
    let left = size
    while (left > 0) {
      const best = side === ASK ? this.askTicks : this.bidTicks
      if (!Number.isFinite(best)) return
      const there = this.sizeAt(side, best)
      if (!(there > 0)) return // a best level must hold size; never spin on a broken book
      const take = Math.min(there, left)
      left -= take
      this.f[F_TRADES]++
      this.f[F_LAST] = best
      sink.trade(this.f[F_TIME], best, take, side === ASK ? 1 : -1)
      this.setLevel(side, best, there - take, sink)
    }
  }
}
