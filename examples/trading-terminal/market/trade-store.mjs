// Every trade the terminal knows (a generated history, then the live feed), on the render side:
// columns in growable typed arrays for the tape, a framelatch DenseSeries (x time, y price in
// ticks; M4 decimation) for the price line, and candles at every interval for the candle chart.
// `version` changes with every append, so panels can tell when their data changed.
//
// The series is made on demand (`useSeries()`, when the chart first shows the line) and fed from
// the columns in slices (`catchUpSeries`, a slice a frame), because a million-point series with
// its min/max pyramid is ~40 MB and ~0.3 s of start-up the default candle view never needs.
// Until it has caught up, `seriesReady` is false; from then on every push extends it.
import { createSeries } from 'framelatch'
import { CandleSeries, candlesFromParts, createCandleLevels } from './candles.mjs'

export class TradeStore {
  constructor(capacity = 1 << 20) {
    this.length = 0
    this.version = 0
    this.time = new Float64Array(capacity)
    /** Prices in whole ticks (the exchange and recordings trade on the tick grid). */
    this.tick = new Int32Array(capacity)
    this.size = new Float32Array(capacity)
    this.side = new Int8Array(capacity)
    /** Render-clock time each trade arrived (ms; 0 for history), for the tape's flash. */
    this.arrived = new Float64Array(capacity)
    /** The price line's DenseSeries, or null until `useSeries()`. */
    this.series = null
    this.candles = createCandleLevels()
  }

  /** Makes the series (empty; `catchUpSeries` fills it from the columns). Idempotent. */
  useSeries() {
    if (this.series === null) this.series = createSeries({ capacity: Math.max(1024, this.time.length) })
  }

  /** True when the series holds every trade. */
  get seriesReady() {
    return this.series !== null && this.series.length === this.length
  }

  /** Appends up to `max` trades the series does not hold yet; returns how many are still missing. */
  catchUpSeries(max) {
    const s = this.series
    if (s === null) return this.length
    const end = Math.min(this.length, s.length + max)
    for (let i = s.length; i < end; i++) s.push(this.time[i], this.tick[i])
    return this.length - s.length
  }

  /**
   * Takes over the history's arrays (`historyColumns`, possibly from another thread): columns
   * whose first `count` entries are trades, and the candles at every interval. The store must be
   * empty; the arrays become its storage (their length is its capacity).
   */
  adopt(h) {
    if (this.length !== 0) throw new Error('TradeStore.adopt: only an empty store takes a history (push trades one by one after)')
    this.time = h.time
    this.tick = h.tick
    this.size = h.size
    this.side = h.side
    this.arrived = new Float64Array(h.time.length)
    this.candles = h.candles.map((c) => (c instanceof CandleSeries ? c : candlesFromParts(c)))
    this.length = h.count
    this.version++
  }

  /** Appends one trade (time ms, price in ticks, size, side +1 buy / −1 sell). */
  push(time, tick, size, side, arrived = 0) {
    if (this.length > 0 && time < this.time[this.length - 1]) time = this.time[this.length - 1] // a replay loop restarts its clock
    if (this.length === this.time.length) this.grow()
    const i = this.length++
    this.time[i] = time
    this.tick[i] = tick
    this.size[i] = size
    this.side[i] = side
    this.arrived[i] = arrived
    if (this.series !== null && this.series.length === i) this.series.push(time, tick)
    const c = this.candles
    for (let k = 0; k < c.length; k++) c[k].push(time, tick, size)
    this.version++
  }

  /** Doubles every column (keeping the trades). */
  grow() {
    const n = Math.max(1024, this.time.length * 2)
    for (const f of ['time', 'tick', 'size', 'side', 'arrived']) {
      const a = new this[f].constructor(n)
      a.set(this[f].subarray(0, this.length))
      this[f] = a
    }
  }

  get lastTick() {
    return this.length > 0 ? this.tick[this.length - 1] : NaN
  }
  get lastTime() {
    return this.length > 0 ? this.time[this.length - 1] : NaN
  }
}
