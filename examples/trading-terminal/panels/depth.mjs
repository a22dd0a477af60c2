// The depth chart: cumulative size against price on both sides of the mid, as stepped, filled
// areas with their outline (bids green, left; asks red, right) over the 400 published ticks of
// each side. Each side is a retained line series (createLineSeries) rewritten whole at each
// book snapshot (a few hundred points: ticks from the mid, cumulative size), filled down to 0 and
// outlined, through a chart view mapping the ticks around the mid and 0..the deepest side onto the plot.
import { createAreaStyle, createChartView, createClip, createLineSeries } from 'framelatch'
import { BOOK_TICKS } from '../market/schema.mjs'
import { CodeLine } from '../format.mjs'
import { COLOR, LAYER } from '../kit.mjs'

const PAD = 6
const SPAN_TICKS = 120

export class DepthPanel {
  constructor(kit, queue) {
    this.kit = kit
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.seen = -1
    const n = 2 * BOOK_TICKS + 2
    /** One side's stepped outline in data units (x ticks from the mid, ascending; y cumulative size). */
    this.xs = new Float64Array(n)
    this.ys = new Float64Array(n)
    this.plotClip = createClip({ x: 0, y: 0, w: 0, h: 0, label: 'depth plot' })
    // Sequenced: each side's fill, then its outline, in that order.
    const series = (label) => createLineSeries(queue, { layer: LAYER.fill, sequenced: true, capacity: 1024, originX: 0, clip: this.plotClip, label })
    this.bidSeries = series('depth bids')
    this.askSeries = series('depth asks')
    this.bidArea = createAreaStyle({ color: COLOR.upCum, baseline: 0 })
    this.askArea = createAreaStyle({ color: COLOR.downCum, baseline: 0 })
    this.view = createChartView({ left: 0, top: 0, width: 1, height: 1, x0: -SPAN_TICKS, x1: SPAN_TICKS, y0: 0, y1: 1 })
    this.maxCum = 1
    this.mid = NaN
    this.line = new CodeLine(32)
  }

  layout(rect) {
    this.rect = rect
    const top = rect.y + 22
    const bottom = rect.y + rect.h - 18
    this.view.setRect(rect.x + PAD, top, rect.w - 2 * PAD, bottom - top)
    this.plotClip.set(rect.x + PAD, top, rect.w - 2 * PAD, bottom - top + 1)
    this.version++
  }

  update(ctx) {
    const m = ctx.market
    if (m.views === null || m.bookVersion === this.seen) return
    this.seen = m.bookVersion
    this.version++
    const v = m.views
    const bb = v.bestBid[0]
    const ba = v.bestAsk[0]
    this.mid = (bb + ba) / 2
    // total depth within the span on each side sets the scale
    let cb = 0
    let ca = 0
    for (let k = 0; k < BOOK_TICKS; k++) {
      if (bb - k >= this.mid - SPAN_TICKS) cb += v.bids[k]
      if (ba + k <= this.mid + SPAN_TICKS) ca += v.asks[k]
    }
    const maxCum = Math.max(cb, ca, 1)
    this.maxCum = maxCum
    this.view.setWindow(-SPAN_TICKS, SPAN_TICKS, 0, maxCum)
    const { xs, ys } = this
    this.bidSeries.clear()
    this.bidSeries.appendMany(xs, ys, steps(v.bids, bb, -1, this.mid, SPAN_TICKS, xs, ys))
    this.askSeries.clear()
    this.askSeries.appendMany(xs, ys, steps(v.asks, ba, 1, this.mid, SPAN_TICKS, xs, ys))
  }

  destroy() {
    this.bidSeries.destroy()
    this.askSeries.destroy()
  }

  draw(ctx) {
    const { kit, rect: r } = this
    const st = kit.style
    kit.text.draw('Depth', r.x + 8, r.y + 11, st.dim)
    const cx = Math.round(r.x + r.w / 2)
    kit.fill(cx, r.y + 22, 1, r.h - 40, kit.rect.grid)
    kit.fill(r.x + PAD, r.y + r.h - 18, r.w - 2 * PAD, 1, kit.rect.border)
    const m = this.view.matrix
    this.bidSeries.fill(m, this.bidArea, -SPAN_TICKS, 0)
    this.bidSeries.draw(m, kit.bidLine, -SPAN_TICKS, 0)
    this.askSeries.fill(m, this.askArea, 0, SPAN_TICKS)
    this.askSeries.draw(m, kit.askLine, 0, SPAN_TICKS)
    const line = this.line
    const ts = ctx.tickSize
    line.clear().fixed((this.mid - SPAN_TICKS) * ts, 2)
    kit.text.drawCodes(line.codes, line.length, r.x + PAD, r.y + r.h - 9, st.dim)
    line.clear().fixed(this.mid * ts, 3)
    kit.text.drawCodes(line.codes, line.length, cx, r.y + r.h - 9, st.dimCenter)
    line.clear().fixed((this.mid + SPAN_TICKS) * ts, 2)
    kit.text.drawCodes(line.codes, line.length, r.x + r.w - PAD, r.y + r.h - 9, st.dimRight)
    line.clear().grouped(this.maxCum)
    kit.text.drawCodes(line.codes, line.length, r.x + r.w - PAD, r.y + 11, st.dimRight)
  }
}

/**
 * Writes the stepped outline of one side's cumulative depth into `xs`, `ys` in data units (x in
 * ticks from the mid, ascending; y cumulative size) and returns the point count: from the mid
 * outward, up at each level by its size, flat to the next level (bids are written outward, then
 * reversed, so x ascends as the series needs).
 */
function steps(sizes, best, dir, mid, span, xs, ys) {
  let n = 0
  let cum = 0
  xs[n] = 0
  ys[n++] = 0
  for (let k = 0; k < BOOK_TICKS; k++) {
    const size = sizes[k]
    if (!(size > 0)) continue
    const tick = best + dir * k
    if (Math.abs(tick - mid) > span) break
    xs[n] = tick - mid
    ys[n++] = cum
    cum += size
    xs[n] = tick - mid
    ys[n++] = cum
  }
  xs[n] = dir * span
  ys[n++] = cum
  if (dir < 0) {
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const x = xs[i]
      xs[i] = xs[j]
      xs[j] = x
      const y = ys[i]
      ys[i] = ys[j]
      ys[j] = y
    }
  }
  return n
}
