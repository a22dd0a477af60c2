// The price chart: candles (or the trade line, or both; 'L' cycles) over every trade
// the terminal holds (over a million), volume bars below, a price axis on the right and a time
// axis at the bottom with round-number ticks. Drag to pan, wheel to zoom (about the pointer, or
// about the live edge while the view follows the market; 'End' returns to following).
//
// Its `version` moves only when the picture does: while following, the live edge advances in
// whole pixels of time (not with every trade), and a new trade changes the picture only when it
// moves the newest candle's (or the line's last point's) pixels, the price range, or starts a
// candle (`update` compares a pixel signature). Candles, volume, grid and line are drawn through
// the plot's clip rectangle, which cuts them at the plot's edges.
import { createClip, createTickSet, niceTicks, timeTicks } from 'framelatch'
import { Axis, GpuCandles, GpuLine } from '../chart-draw.mjs'
import { CANDLE_INTERVALS, pickLevel } from '../market/candles.mjs'
import { CodeLine } from '../format.mjs'

const AXIS_W = 64
const AXIS_H = 18
const MIN_SPAN = 5000
const MIN_CANDLE_PX = 6
const SC_L = 15
const SC_END = 77
const SC_HOME = 74
/** Numbers in the plot's picture signature. */
const SIG = 18
/** Trades added to the line's series a frame until it holds them all (~10 ms on this machine). */
const SERIES_SLICE = 1 << 15
export const CHART_MODES = ['candles', 'line', 'both']

/** Writes a time-axis label for tick `ms` at `step` ms into `line` (HH:MM, HH:MM:SS or .mmm). */
export function timeLabel(line, ms, step) {
  line.clear()
  if (step >= 60_000) {
    line.clock(ms, false)
    line.length -= 3
  } else line.clock(ms, step < 1000)
  return line
}

export class PriceChartPanel {
  constructor(kit, chartDraw, store, queue, { initialSpanMs = 30 * 60_000 } = {}) {
    this.kit = kit
    this.draws = chartDraw
    this.store = store
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    /** The plot area (inside the axes) and the volume strip at its bottom. */
    this.plot = { x: 0, y: 0, w: 0, h: 0 }
    this.volumeH = 0
    this.version = 0
    // Candles by default: the line is a few thousand segments at any zoom (its series' min/max
    // pyramid), and on software GL every primitive costs; 'L' shows it.
    this.mode = 0
    this.follow = true
    this.span = initialSpanMs
    this.x0 = 0
    this.x1 = 1
    this.xAxis = new Axis()
    this.yAxis = new Axis()
    this.yTicks = createTickSet(16)
    this.xTicks = createTickSet(16)
    this.level = 0
    this.i0 = 0
    this.i1 = 0
    this.maxVolume = 1
    this.dragging = false
    this.dragX = 0
    this.label = new CodeLine(32)
    this.seenStore = -1
    this.seenViewVersion = -1
    this.viewVersion = 0
    /** What the plot showed last, in pixels (see `signature`), and this frame's. */
    this.shown = new Float64Array(SIG)
    this.sig = new Float64Array(SIG)
    /** The plot area: what the series draw is cut at its edges. */
    this.plotClip = createClip({ x: 0, y: 0, w: 0, h: 0, label: 'price chart plot' })
    this.gpu = new GpuCandles(queue, this.plotClip)
    /** The price line: every trade in a retained GPU line series, made when the line is first shown. */
    this.line = new GpuLine(queue, this.plotClip, kit.line)
  }

  /** True when the line's series holds every trade (the line is drawn from then on). */
  get lineReady() {
    return this.line.held === this.store.length
  }

  destroy() {
    this.gpu.destroy()
    this.line.destroy()
  }

  layout(rect) {
    this.rect = rect
    const p = this.plot
    p.x = rect.x + 1
    p.y = rect.y + 22
    p.w = rect.w - AXIS_W - 2
    p.h = rect.h - AXIS_H - 23
    this.volumeH = Math.round(p.h * 0.16)
    this.plotClip.set(p.x, p.y, p.w, p.h)
    this.viewVersion++
  }

  contains(x, y) {
    const p = this.plot
    return x >= p.x && x < p.x + p.w && y >= p.y && y < p.y + p.h
  }

  onKey(scancode) {
    if (scancode === SC_L) this.mode = (this.mode + 1) % CHART_MODES.length
    else if (scancode === SC_END || scancode === SC_HOME) this.follow = true
    else return false
    this.viewVersion++
    return true
  }

  /**
   * Wheel `dy` notches at pointer x: zoom in (dy > 0) or out. Following the market, the live edge
   * stays put; otherwise the time under the pointer does.
   */
  onWheel(dy, x) {
    const full = Math.max(MIN_SPAN, this.store.lastTime - this.store.time[0])
    const span = Math.min(full * 1.1, Math.max(MIN_SPAN, (this.x1 - this.x0) * Math.pow(1.2, -dy)))
    this.span = span
    if (!this.follow) {
      const at = this.xAxis.fromPx(x)
      const t = (at - this.x0) / (this.x1 - this.x0)
      this.x0 = at - t * span
      this.x1 = this.x0 + span
      this.clampView()
    }
    this.viewVersion++
  }

  onPointerDown(x, y) {
    if (!this.contains(x, y)) return false
    this.dragging = true
    this.dragX = x
    return true
  }

  onPointerMove(x) {
    if (!this.dragging) return
    const dt = ((x - this.dragX) / this.plot.w) * (this.x1 - this.x0)
    this.dragX = x
    if (dt === 0) return
    this.x0 -= dt
    this.x1 -= dt
    this.follow = false
    this.clampView()
    if (this.x1 >= this.store.lastTime) this.follow = true
    this.viewVersion++
  }

  onPointerUp() {
    this.dragging = false
  }

  clampView() {
    const first = this.store.time[0]
    const last = this.store.lastTime
    const span = this.x1 - this.x0
    const lo = first - span * 0.05
    const hi = last + span * 0.05
    if (this.x0 < lo) {
      this.x0 = lo
      this.x1 = lo + span
    }
    if (this.x1 > hi) {
      this.x1 = hi
      this.x0 = hi - span
    }
  }

  update(ctx) {
    const store = this.store
    if (store.length === 0) return
    if (this.follow) {
      // The newest trade sits a twentieth of the span from the right edge; the edge moves in
      // whole pixels' worth of time, so the picture stands still between them.
      const msPerPx = this.span / Math.max(1, this.plot.w)
      this.x1 = Math.ceil((store.lastTime + this.span * 0.05) / msPerPx) * msPerPx
      this.x0 = this.x1 - this.span
    }
    if (this.mode !== 0) {
      // The line's series is built on first use, a slice a frame, then kept in step.
      const caughtUp = this.line.held === store.length
      if (this.line.catchUp(store, SERIES_SLICE) === 0 && !caughtUp) this.viewVersion++
    }
    if (store.version === this.seenStore && this.viewVersion === this.seenViewVersion) return
    this.seenStore = store.version
    this.seenViewVersion = this.viewVersion
    const p = this.plot
    const x0 = this.x0
    const x1 = this.x1
    this.span = x1 - x0
    // Candles: the finest interval giving at least MIN_CANDLE_PX pixels a candle.
    this.level = pickLevel(x1 - x0, p.w / MIN_CANDLE_PX)
    const c = store.candles[this.level]
    const iv = CANDLE_INTERVALS[this.level]
    this.i0 = Math.max(0, c.lowerBound(x0 - iv))
    this.i1 = c.lowerBound(x1)
    let lo = Infinity
    let hi = -Infinity
    let maxVolume = 1
    for (let i = this.i0; i < this.i1; i++) {
      if (c.low[i] < lo) lo = c.low[i]
      if (c.high[i] > hi) hi = c.high[i]
      if (c.volume[i] > maxVolume) maxVolume = c.volume[i]
    }
    if (!(hi >= lo)) {
      lo = store.lastTick - 10
      hi = store.lastTick + 10
    }
    const pad = Math.max(2, (hi - lo) * 0.06)
    this.maxVolume = maxVolume
    this.xAxis.set(x0, x1, p.x, p.x + p.w)
    // Prices fill the plot above the volume strip (y down: high at the top).
    this.yAxis.set(lo - pad, hi + pad, p.y + p.h - this.volumeH - 4, p.y + 4)
    this.gpu.sync(this.level, c)
    this.gpu.setViews(x0, x1, p.x, p.w, p.y + 4, p.y + p.h - this.volumeH - 4, lo - pad, hi + pad,
      p.y + p.h - (this.volumeH - 2), p.y + p.h, maxVolume)
    const ts = ctx.tickSize
    niceTicks((lo - pad) * ts, (hi + pad) * ts, Math.max(2, Math.floor((p.h - this.volumeH) / 48)), this.yTicks)
    timeTicks(x0, x1, Math.max(2, Math.floor(p.w / 110)), this.xTicks)
    this.signature(c)
    const sig = this.sig
    const shown = this.shown
    for (let i = 0; i < SIG; i++) {
      if (sig[i] !== shown[i]) {
        shown.set(sig)
        this.version++
        break
      }
    }
  }

  /**
   * The plot's picture in a few numbers (into `sig`): the view and its mapping, the candles in
   * view, the newest candle's pixels and volume bar, the line's last point. Older candles never
   * change, so equal signatures draw equal pixels.
   */
  signature(c) {
    const g = this.sig
    const ya = this.yAxis
    const last = this.i1 - 1
    g[0] = this.viewVersion
    g[1] = this.x0
    g[2] = this.x1
    g[3] = this.level
    g[4] = this.i0
    g[5] = this.i1
    g[6] = ya.v0
    g[7] = ya.v1
    g[8] = this.maxVolume
    g[9] = last >= 0 ? Math.round(ya.toPx(c.open[last])) : -1
    g[10] = last >= 0 ? Math.round(ya.toPx(c.high[last])) : -1
    g[11] = last >= 0 ? Math.round(ya.toPx(c.low[last])) : -1
    g[12] = last >= 0 ? Math.round(ya.toPx(c.close[last])) : -1
    g[13] = last >= 0 ? Math.round((c.volume[last] / this.maxVolume) * (this.volumeH - 2)) : -1
    g[14] = this.mode
    // The line's newest point, in pixels (older points never move while the view stands still).
    const n = this.store.length
    const line = this.mode !== 0 && this.lineReady && n > 0
    g[15] = line ? 1 : 0
    g[16] = line ? Math.round(ya.toPx(this.store.tick[n - 1]) * 4) : -1
    g[17] = line ? Math.round(this.xAxis.toPx(this.store.time[n - 1])) : -1
  }

  draw(ctx) {
    const { kit, draws, rect: r, plot: p } = this
    const text = kit.text
    const st = kit.style
    const ts = ctx.tickSize
    kit.fills.clip = this.plotClip
    draws.gridY(this.yTicks, this.yAxis, p.x, p.w, ts)
    draws.gridX(this.xTicks, this.xAxis, p.y, p.h)
    kit.fill(p.x, p.y + p.h - this.volumeH - 1, p.w, 1, kit.rect.border)
    this.gpu.draw(this.level, this.x0, this.x1, this.mode !== 1, true)
    if (this.mode !== 0 && this.lineReady) this.line.draw(this.gpu.priceView.matrix, this.x0, this.x1)
    kit.fills.clip = null
    const label = this.label
    const yt = this.yTicks
    for (let i = 0; i < yt.count; i++) {
      const y = Math.round(this.yAxis.toPx(yt.values[i] / ts))
      if (y < p.y + 6 || y > p.y + p.h - this.volumeH - 2) continue
      label.clear().fixed(yt.values[i], yt.decimals)
      text.drawCodes(label.codes, label.length, p.x + p.w + 6, y, st.dim)
    }
    const xt = this.xTicks
    for (let i = 0; i < xt.count; i++) {
      const x = Math.round(this.xAxis.toPx(xt.values[i]))
      if (x < p.x + 24 || x > p.x + p.w - 24) continue
      timeLabel(label, xt.values[i], xt.step)
      text.drawCodes(label.codes, label.length, x, p.y + p.h + (AXIS_H >> 1), st.dimCenter)
    }
    // Title row: instrument, interval, mode, follow state.
    label.clear().text('Price  ').text(CHART_MODES[this.mode]).text('  candle ')
    const iv = CANDLE_INTERVALS[this.level]
    if (iv >= 3_600_000) label.fixed(iv / 3_600_000, 0).text('h')
    else if (iv >= 60_000) label.fixed(iv / 60_000, 0).text('m')
    else label.fixed(iv / 1000, 0).text('s')
    if (this.mode !== 0 && !this.lineReady) label.text('  line loading')
    label.text(this.follow ? '  live' : '  (End: live)')
    text.drawCodes(label.codes, label.length, r.x + 8, r.y + 11, st.dim)
  }

  /** The candle index (of the current level) under time `t`, or −1. */
  candleAt(t) {
    const c = this.store.candles[this.level]
    const i = c.lowerBound(t + 1) - 1
    return i >= 0 && t < c.start[i] + c.interval ? i : -1
  }
}
