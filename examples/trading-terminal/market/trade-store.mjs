// Every trade the terminal knows (a generated history, then the live feed), on the render side:
// columns in growable typed arrays for the tape, a framelatch DenseSeries (x time, y price in
// ticks; M4 decimation) for the price line, and candles at every interval for the candle chart.
// `version` changes with every append, so panels can tell when their data changed.
import { createSeries } from 'framelatch'
import { createCandleLevels } from './candles.mjs'

export class TradeStore {
  constructor(capacity = 1 << 20) {
    this.length = 0
    this.version = 0
    this.time = new Float64Array(capacity)
    this.tick = new Float64Array(capacity)
    this.size = new Float32Array(capacity)
    this.side = new Int8Array(capacity)
    /** Render-clock time each trade arrived (ms; 0 for history), for the tape's flash. */
    this.arrived = new Float64Array(capacity)
    this.series = createSeries({ capacity })
    this.candles = createCandleLevels()
  }

  grow() {
    const n = this.time.length * 2
    for (const f of ['time', 'tick', 'size', 'side', 'arrived']) {
      const a = new this[f].constructor(n)
      a.set(this[f])
      this[f] = a
    }
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
    this.series.push(time, tick)
    const c = this.candles
    for (let k = 0; k < c.length; k++) c[k].push(time, tick, size)
    this.version++
  }

  get lastTick() {
    return this.length > 0 ? this.tick[this.length - 1] : NaN
  }
  get lastTime() {
    return this.length > 0 ? this.time[this.length - 1] : NaN
  }
}
