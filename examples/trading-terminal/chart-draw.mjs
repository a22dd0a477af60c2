// Every draw call of the price chart, in one place. Candles and volume are retained on the GPU
// (`GpuCandles`: one createCandleSeries per candle interval, filled the first time that interval
// is shown, then kept in step with a candle's worth of data per new trade), and so is the trade
// line (`GpuLine`: one createLineSeries of every trade); both draw through chart views, so a pan
// or a zoom records a few draws and sends a transform, not a rectangle per candle or a point per
// pixel column. Grid lines are opaque rectangles. The panel draws all of it through its plot's
// clip rectangle (PriceChartPanel.plotClip), which cuts what crosses the plot's edges.
import { createCandleSeries, createCandleStyle, createChartView, createLineSeries } from 'framelatch'
import { COLOR, LAYER } from './kit.mjs'
import { CANDLE_INTERVALS } from './market/candles.mjs'

/**
 * The candles of every interval on the GPU, made on first use, and the two chart views they draw
 * through: prices above the volume strip, volume (0 at its bottom) in it.
 */
export class GpuCandles {
  constructor(queue, clip) {
    this.queue = queue
    this.clip = clip
    /** One CandleSeries per interval (null until shown) and how many of its candles it holds. */
    this.series = CANDLE_INTERVALS.map(() => null)
    this.synced = new Float64Array(CANDLE_INTERVALS.length)
    this.styles = CANDLE_INTERVALS.map((iv) => createCandleStyle({ up: COLOR.up, down: COLOR.down, width: iv * 0.7, wick: 1 }))
    this.volumeStyles = CANDLE_INTERVALS.map((iv) => createCandleStyle({ up: COLOR.upBar, down: COLOR.downBar, width: iv * 0.7, wick: 1 }))
    this.priceView = createChartView({ left: 0, top: 0, width: 1, height: 1, x0: 0, x1: 1, y0: 0, y1: 1 })
    this.volumeView = createChartView({ left: 0, top: 0, width: 1, height: 1, x0: 0, x1: 1, y0: 0, y1: 1 })
  }

  /** Brings the GPU candles of level `k` up to the CPU candles `c` (all of them the first time). */
  sync(k, c) {
    let g = this.series[k]
    if (g === null) {
      g = createCandleSeries(this.queue, { layer: LAYER.fill, capacity: Math.max(1024, c.length * 2), clip: this.clip, label: `candles ${CANDLE_INTERVALS[k]} ms` })
      this.series[k] = g
    }
    const half = c.interval / 2
    let i = this.synced[k]
    // The candle the GPU holds last may have grown since: rewrite it, then append the new ones.
    if (i > 0) g.setLast(c.open[i - 1], c.high[i - 1], c.low[i - 1], c.close[i - 1], c.volume[i - 1])
    for (; i < c.length; i++) g.append(c.start[i] + half, c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i])
    this.synced[k] = i
  }

  /** Maps time [x0, x1] and prices [lo, hi] (ticks) onto the price area, volume 0..`maxVolume` onto the strip. */
  setViews(x0, x1, left, width, priceTop, priceBottom, lo, hi, volumeTop, volumeBottom, maxVolume) {
    this.priceView.setRect(left, priceTop, width, priceBottom - priceTop)
    this.priceView.setWindow(x0, x1, lo, hi)
    this.volumeView.setRect(left, volumeTop, width, volumeBottom - volumeTop)
    this.volumeView.setWindow(x0, x1, 0, maxVolume)
  }

  draw(k, x0, x1, candles, volume) {
    const g = this.series[k]
    if (g === null) return
    if (volume) g.drawVolume(this.volumeView.matrix, this.volumeStyles[k], x0, x1)
    if (candles) g.draw(this.priceView.matrix, this.styles[k], x0, x1)
  }

  destroy() {
    for (const g of this.series) g?.destroy()
  }
}

/** Trades a `GpuLine.catchUp` call appends at most. */
export const LINE_SLICE = 1 << 15

/**
 * The price line on the GPU: every trade (time, price in ticks) in one retained line series
 * (createLineSeries: its min/max pyramid decimates to the plot's width at any zoom), made on
 * first use and filled from the store's columns a slice a frame (`catchUp`), then kept in step a
 * trade at a time. Drawn through the candles' price view, so a pan or a zoom uploads nothing.
 */
export class GpuLine {
  constructor(queue, clip, style) {
    this.queue = queue
    this.clip = clip
    this.style = style
    this.series = null
    /** The series' origin: a whole millisecond (the newest trade's when the series was made). */
    this.origin = 0
    /** Trades the series holds (the store's first `held`). */
    this.held = 0
    /** Scratch columns a slice goes through (see `catchUp`). */
    this.xs = new Float64Array(LINE_SLICE)
    this.ys = new Float64Array(LINE_SLICE)
  }

  /** Appends up to `max` of the store's trades the series lacks (at most LINE_SLICE a call); returns how many it still lacks. */
  catchUp(store, max) {
    if (store.length === 0) return 0
    if (this.series === null) {
      this.origin = Math.floor(store.lastTime)
      this.series = createLineSeries(this.queue, {
        layer: LAYER.line, capacity: Math.max(4096, store.time.length), originX: this.origin, clip: this.clip, label: 'price line',
      })
    }
    // The series stores x − origin in float32 and checks each x against the last one as stored,
    // so x goes in already rounded the way it is stored: whole milliseconds from a whole-ms
    // origin (exact in float32 up to 2^24 ms, 4.6 hours, from it; beyond, float32's even steps),
    // which keeps x from ever decreasing (both roundings are monotonic). A millisecond is far
    // below a pixel at the chart's narrowest zoom.
    const n = Math.min(store.length - this.held, max, LINE_SLICE)
    if (n <= 0) return store.length - this.held
    const o = this.origin
    const { xs, ys } = this
    for (let i = 0; i < n; i++) {
      xs[i] = o + Math.fround(Math.round(store.time[this.held + i] - o))
      ys[i] = store.tick[this.held + i]
    }
    this.series.appendMany(xs, ys, n)
    this.held += n
    return store.length - this.held
  }

  draw(matrix, x0, x1) {
    if (this.series !== null && this.held > 1) this.series.draw(matrix, this.style, x0, x1)
  }

  destroy() {
    this.series?.destroy()
  }
}

/** A linear map from data (time or price) to pixels: px = origin + (v − v0) × scale. */
export class Axis {
  constructor() {
    this.v0 = 0
    this.v1 = 1
    this.p0 = 0
    this.p1 = 1
  }
  set(v0, v1, p0, p1) {
    this.v0 = v0
    this.v1 = v1
    this.p0 = p0
    this.p1 = p1
  }
  toPx(v) {
    return this.p0 + ((v - this.v0) / (this.v1 - this.v0)) * (this.p1 - this.p0)
  }
  fromPx(p) {
    return this.v0 + ((p - this.p0) / (this.p1 - this.p0)) * (this.v1 - this.v0)
  }
}

export class ChartDraw {
  constructor(kit) {
    this.kit = kit
  }

  /** Horizontal and vertical 1 px grid lines at ticks (values through an axis; y values / `unit`). */
  gridY(ticks, yAxis, x, w, unit = 1) {
    for (let i = 0; i < ticks.count; i++) this.kit.fill(x, Math.round(yAxis.toPx(ticks.values[i] / unit)), w, 1, this.kit.rect.grid)
  }
  gridX(ticks, xAxis, y, h) {
    for (let i = 0; i < ticks.count; i++) this.kit.fill(Math.round(xAxis.toPx(ticks.values[i])), y, 1, h, this.kit.rect.grid)
  }
}
