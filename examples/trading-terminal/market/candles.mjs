// OHLCV candles of the trade history at fixed intervals, appended trade by trade, so the price
// chart never rescans trades: each zoom level picks the interval that gives a few pixels a candle
// and reads its visible candles by binary search. Storage grows by doubling (typed arrays).

/** Candle intervals in ms: 1 s … 4 h. */
export const CANDLE_INTERVALS = [1000, 5000, 15000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000]

export class CandleSeries {
  constructor(interval, capacity = 1024) {
    this.interval = interval
    this.length = 0
    this.alloc(capacity)
  }

  alloc(capacity) {
    const old = this.start
    const fields = ['start', 'open', 'high', 'low', 'close', 'volume']
    for (const f of fields) {
      const a = new Float64Array(capacity)
      if (old !== undefined) a.set(this[f].subarray(0, this.length))
      this[f] = a
    }
  }

  /** Folds one trade (time ms, price, size) into the last candle or starts a new one: a trade is a candle of one price. */
  push(time, price, size) {
    this.fold(time, price, price, price, price, size)
  }

  /**
   * Builds this (empty) series from the candles of a finer one (this interval a multiple of
   * theirs): each fine candle merges into the coarse candle containing its start. Same candles
   * as pushing every trade, at a fraction of the work.
   */
  foldAll(fine) {
    for (let j = 0; j < fine.length; j++) this.fold(fine.start[j], fine.open[j], fine.high[j], fine.low[j], fine.close[j], fine.volume[j])
  }

  /** Merges one candle (of a finer interval) into the last candle or starts a new one. */
  fold(time, open, high, low, close, volume) {
    const start = Math.floor(time / this.interval) * this.interval
    let i = this.length - 1
    if (i < 0 || start > this.start[i]) {
      if (this.length === this.start.length) this.alloc(this.length * 2)
      i = this.length++
      this.start[i] = start
      this.open[i] = open
      this.high[i] = high
      this.low[i] = low
      this.close[i] = close
      this.volume[i] = volume
      return
    }
    if (high > this.high[i]) this.high[i] = high
    if (low < this.low[i]) this.low[i] = low
    this.close[i] = close
    this.volume[i] += volume
  }

  /** Index of the first candle starting at or after `time` (length when none). */
  lowerBound(time) {
    let lo = 0
    let hi = this.length
    const s = this.start
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (s[mid] < time) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** One CandleSeries per interval in CANDLE_INTERVALS. */
export function createCandleLevels() {
  return CANDLE_INTERVALS.map((iv) => new CandleSeries(iv))
}

/** The smallest interval whose candles over `spanMs` number at most `maxCandles` (the level index). */
export function pickLevel(spanMs, maxCandles) {
  for (let k = 0; k < CANDLE_INTERVALS.length; k++) if (spanMs / CANDLE_INTERVALS[k] <= maxCandles) return k
  return CANDLE_INTERVALS.length - 1
}

/**
 * Candles at every interval of `count` trades (time ms not decreasing, price, size): the 1 s
 * candles folded from the trades, each coarser interval from the one below it (the same candles
 * as pushing every trade into every interval, at about an eighth of the work).
 */
export function buildCandleLevels(time, price, size, count) {
  // Sized for the history's span, plus room for the live session, instead of doubling from 1024.
  const span = count > 1 ? time[count - 1] - time[0] : 0
  const levels = CANDLE_INTERVALS.map((iv) => new CandleSeries(iv, Math.ceil(span / iv) + 1024))
  const first = levels[0]
  // first.push(trade) for every trade, with the open candle kept in locals (the hot loop of the
  // history's start-up): the same candles, written once each.
  const iv = first.interval
  let start = -Infinity
  let open = 0, high = 0, low = 0, close = 0, volume = 0
  for (let i = 0; i < count; i++) {
    const p = price[i]
    const s = Math.floor(time[i] / iv) * iv
    if (s > start) {
      if (start !== -Infinity) first.fold(start, open, high, low, close, volume)
      start = s
      open = high = low = close = p
      volume = size[i]
    } else {
      if (p > high) high = p
      if (p < low) low = p
      close = p
      volume += size[i]
    }
  }
  if (start !== -Infinity) first.fold(start, open, high, low, close, volume)
  for (let k = 1; k < levels.length; k++) levels[k].foldAll(levels[k - 1])
  return levels
}

/** The arrays of a CandleSeries, to send to another thread (transferable). */
export function candleParts(c) {
  return { interval: c.interval, length: c.length, start: c.start, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }
}

/** A CandleSeries over arrays from `candleParts` (adopted, not copied). */
export function candlesFromParts(p) {
  const c = new CandleSeries(p.interval, 1)
  for (const f of ['start', 'open', 'high', 'low', 'close', 'volume']) c[f] = p[f]
  c.length = p.length
  return c
}
