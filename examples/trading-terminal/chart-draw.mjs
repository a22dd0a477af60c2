// Every draw call of the price chart, in one place (the depth chart draws retained series): candles, volume and grid are
// opaque rectangles and the lines are polylines in pixels, recomputed when the view moves. The
// panel draws them through its plot's clip rectangle (PriceChartPanel.plotClip), which cuts what
// crosses the plot's edges: nothing here trims by hand.

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

  /**
   * Candles [i0, i1) of a CandleSeries: a wick (1 px) and a body per candle, green when it closed
   * at or above its open. `xAxis` maps time, `yAxis` maps price in ticks.
   */
  candles(c, i0, i1, xAxis, yAxis, spacing) {
    const kit = this.kit
    const rect = kit.rect
    const body = Math.max(1, Math.floor(spacing * 0.7))
    const half = Math.floor(body / 2)
    for (let i = i0; i < i1; i++) {
      const x = Math.round(xAxis.toPx(c.start[i] + c.interval / 2))
      const up = c.close[i] >= c.open[i]
      const style = up ? rect.up : rect.down
      const yHigh = Math.round(yAxis.toPx(c.high[i]))
      const yLow = Math.round(yAxis.toPx(c.low[i]))
      const yOpen = yAxis.toPx(c.open[i])
      const yClose = yAxis.toPx(c.close[i])
      const top = Math.round(Math.min(yOpen, yClose))
      const h = Math.max(1, Math.round(Math.abs(yOpen - yClose)))
      if (body > 2) kit.fill(x, yHigh, 1, Math.max(1, yLow - yHigh), style)
      kit.fill(x - half, top, body, h, style)
    }
  }

  /** Volume bars of candles [i0, i1) from `bottom` up to `height` pixels at `maxVolume`. */
  volume(c, i0, i1, xAxis, bottom, height, maxVolume, spacing) {
    const kit = this.kit
    const body = Math.max(1, Math.floor(spacing * 0.7))
    const half = Math.floor(body / 2)
    for (let i = i0; i < i1; i++) {
      const x = Math.round(xAxis.toPx(c.start[i] + c.interval / 2))
      const h = Math.max(1, Math.round((c.volume[i] / maxVolume) * height))
      kit.fill(x - half, bottom - h, body, h, c.close[i] >= c.open[i] ? kit.rect.upBar : kit.rect.downBar)
    }
  }

  /**
   * The price line from M4 points (x − x0 ms, price ticks), `count` of them, mapped to pixels into
   * `out` and drawn as one polyline (decimation adds the points just outside the range so the
   * line reaches the plot's edges; the clip cuts it there).
   */
  priceLine(points, count, x0, xAxis, yAxis, out) {
    if (count < 2) return
    for (let i = 0; i < count; i++) {
      out[i * 2] = xAxis.toPx(points[i * 2] + x0)
      out[i * 2 + 1] = yAxis.toPx(points[i * 2 + 1])
    }
    this.kit.lines.polyline(out, count, this.kit.line)
  }

  /** Horizontal and vertical 1 px grid lines at ticks (values through an axis; y values / `unit`). */
  gridY(ticks, yAxis, x, w, unit = 1) {
    for (let i = 0; i < ticks.count; i++) this.kit.fill(x, Math.round(yAxis.toPx(ticks.values[i] / unit)), w, 1, this.kit.rect.grid)
  }
  gridX(ticks, xAxis, y, h) {
    for (let i = 0; i < ticks.count; i++) this.kit.fill(Math.round(xAxis.toPx(ticks.values[i])), y, 1, h, this.kit.rect.grid)
  }
}
