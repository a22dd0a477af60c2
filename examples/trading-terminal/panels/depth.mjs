// The depth chart: cumulative size against price on both sides of the mid, as stepped, filled
// areas with their outline (bids green, left; asks red, right) over the 400 published ticks of
// each side. Each book snapshot rewrites each side's stepped outline (a few hundred points:
// ticks from the mid, cumulative size), mapped onto the plot by a chart view (the ticks around
// the mid, 0..the deepest side). A stepped outline is all horizontal and vertical segments, so
// it is drawn as solid rectangles: one per step for the area (down to 0) and a 2-pixel one per
// segment for the outline, through the plot's clip. On software GL that measured a few times
// cheaper than two line series (createLineSeries) filled and outlined: the series' area fill is
// blended and runs the line shader over every pixel, and each of its draws shades a whole
// 512-segment chunk of vertices (benchmarks/examples/terminal-profile.mjs and the commit that
// made this change have the figures).
import { createChartView, createClip } from 'framelatch'
import { BOOK_TICKS } from '../market/schema.mjs'
import { CodeLine } from '../format.mjs'

const PAD = 6
const SPAN_TICKS = 120

export class DepthPanel {
  constructor(kit) {
    this.kit = kit
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.seen = -1
    const n = 2 * BOOK_TICKS + 2
    /** Each side's stepped outline in data units (x ticks from the mid, ascending; y cumulative size) and its point count. */
    this.xs = [new Float64Array(n), new Float64Array(n)]
    this.ys = [new Float64Array(n), new Float64Array(n)]
    this.count = new Int32Array(2)
    this.plotClip = createClip({ x: 0, y: 0, w: 0, h: 0, label: 'depth plot' })
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
    const { xs, ys, count } = this
    count[0] = steps(v.bids, bb, -1, this.mid, SPAN_TICKS, xs[0], ys[0])
    count[1] = steps(v.asks, ba, 1, this.mid, SPAN_TICKS, xs[1], ys[1])
  }

  /** Side `s`'s area under its stepped outline as solid rectangles in whole pixels, one per flat segment. */
  stepFills(s, style) {
    const xs = this.xs[s]
    const ys = this.ys[s]
    const n = this.count[s]
    const view = this.view
    const base = Math.round(view.pixelY(0))
    for (let i = 0; i + 1 < n; i++) {
      if (!(xs[i + 1] > xs[i]) || !(ys[i] > 0)) continue
      const x0 = Math.round(view.pixelX(xs[i]))
      const x1 = Math.round(view.pixelX(xs[i + 1]))
      const y = Math.round(view.pixelY(ys[i]))
      if (x1 > x0 && base > y) this.kit.fill(x0, y, x1 - x0, base - y, style)
    }
  }

  /** Side `s`'s stepped outline as 2-pixel solid rectangles, one per segment (each reaching one pixel past its ends, so corners meet). */
  stepOutline(s, style) {
    const xs = this.xs[s]
    const ys = this.ys[s]
    const n = this.count[s]
    const view = this.view
    for (let i = 0; i + 1 < n; i++) {
      const x0 = Math.round(view.pixelX(xs[i]))
      const x1 = Math.round(view.pixelX(xs[i + 1]))
      const y0 = Math.round(view.pixelY(ys[i]))
      const y1 = Math.round(view.pixelY(ys[i + 1]))
      if (y0 === y1) this.kit.fill(x0 - 1, y0 - 1, x1 - x0 + 2, 2, style)
      else if (x0 === x1) this.kit.fill(x0 - 1, Math.min(y0, y1) - 1, 2, Math.abs(y1 - y0) + 2, style)
    }
  }

  draw(ctx) {
    const { kit, rect: r } = this
    const st = kit.style
    kit.text.draw('Depth', r.x + 8, r.y + 11, st.dim)
    const cx = Math.round(r.x + r.w / 2)
    kit.fill(cx, r.y + 22, 1, r.h - 40, kit.rect.grid)
    kit.fill(r.x + PAD, r.y + r.h - 18, r.w - 2 * PAD, 1, kit.rect.border)
    // Both areas, then both outlines (a side's outline meets the other's area at the mid).
    kit.fills.clip = this.plotClip
    this.stepFills(0, kit.rect.upCum)
    this.stepFills(1, kit.rect.downCum)
    this.stepOutline(0, kit.rect.up)
    this.stepOutline(1, kit.rect.down)
    kit.fills.clip = null
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
 * reversed, so x ascends).
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
