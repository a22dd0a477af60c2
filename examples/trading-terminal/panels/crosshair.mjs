// The crosshair over the price chart: a vertical and a horizontal 1 px line through the pointer,
// the price under it in a box on the price axis, its time in a box on the time axis, and the
// candle under it (open, high, low, close, volume) in the chart's title row. It reads the pointer
// latched right before this frame was recorded (`frame.input`), and draws in its own layers above
// every panel, so it never needs the panels redrawn.
import { CodeLine } from '../format.mjs'
import { timeLabel } from './price-chart.mjs'

export class CrosshairLayer {
  constructor(kit, chart) {
    this.kit = kit
    this.chart = chart
    this.visible = false
    this.x = 0
    this.y = 0
    this.version = 0
    this.line = new CodeLine(64)
  }

  update(ctx) {
    const x = Math.floor(ctx.pointerX)
    const y = Math.floor(ctx.pointerY)
    const visible = ctx.pointerInside && this.chart.contains(x, y)
    if (visible !== this.visible || x !== this.x || y !== this.y) this.version++
    this.visible = visible
    this.x = x
    this.y = y
  }

  draw(ctx) {
    if (!this.visible) return
    const { kit, chart } = this
    const p = chart.plot
    const f = kit.crossFills
    f.add(this.x, p.y, 1, p.h, kit.rect.cross)
    f.add(p.x, this.y, p.w, 1, kit.rect.cross)
    const ts = ctx.tickSize
    const line = this.line
    const text = kit.crossText
    const st = kit.style
    // Price box on the axis.
    const s = kit.rect.crossLabel
    const price = chart.yAxis.fromPx(this.y) * ts
    line.clear().fixed(price, 2)
    f.add(p.x + p.w, this.y - 8, chart.rect.x + chart.rect.w - p.x - p.w, 16, s)
    text.drawCodes(line.codes, line.length, p.x + p.w + 6, this.y, st.cross)
    // Time box on the axis.
    const t = chart.xAxis.fromPx(this.x)
    timeLabel(line, t, chart.span > 120_000 ? 1000 : 1)
    const w = line.length * 7 + 12
    f.add(this.x - (w >> 1), p.y + p.h + 1, w, 16, s)
    text.drawCodes(line.codes, line.length, this.x, p.y + p.h + 9, st.crossCenter)
    // The candle under the pointer.
    const i = chart.candleAt(t)
    if (i >= 0) {
      const c = chart.store.candles[chart.level]
      line.clear().text('O ').fixed(c.open[i] * ts, 2).text('  H ').fixed(c.high[i] * ts, 2).text('  L ').fixed(c.low[i] * ts, 2)
        .text('  C ').fixed(c.close[i] * ts, 2).text('  V ').grouped(c.volume[i])
      text.drawCodes(line.codes, line.length, chart.rect.x + 290, chart.rect.y + 11, st.cross)
    }
  }
}
