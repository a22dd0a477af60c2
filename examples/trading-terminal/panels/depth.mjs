// The depth chart: cumulative size against price on both sides of the mid, as stepped lines
// (bids green, left; asks red, right) over the 400 published ticks of each side. (Filled areas
// under the steps come with the retained-series primitives; chart-draw.mjs draws the steps.)
import { BOOK_TICKS } from '../market/schema.mjs'
import { CodeLine } from '../format.mjs'

const PAD = 6
const SPAN_TICKS = 120

export class DepthPanel {
  constructor(kit, chartDraw) {
    this.kit = kit
    this.draws = chartDraw
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.seen = -1
    this.bid = new Float32Array(2 * (2 * BOOK_TICKS + 2))
    this.ask = new Float32Array(2 * (2 * BOOK_TICKS + 2))
    this.nBid = 0
    this.nAsk = 0
    this.maxCum = 1
    this.mid = NaN
    this.line = new CodeLine(32)
  }

  update(ctx) {
    const m = ctx.market
    if (m.views === null || m.bookVersion === this.seen) return
    this.seen = m.bookVersion
    this.version++
    const v = m.views
    const r = this.rect
    const bb = v.bestBid[0]
    const ba = v.bestAsk[0]
    this.mid = (bb + ba) / 2
    const top = r.y + 22
    const bottom = r.y + r.h - 18
    const cx = r.x + r.w / 2
    const kx = (r.w / 2 - PAD) / SPAN_TICKS
    // total depth within the span on each side sets the scale
    let cb = 0
    let ca = 0
    for (let k = 0; k < BOOK_TICKS; k++) {
      if (bb - k >= this.mid - SPAN_TICKS) cb += v.bids[k]
      if (ba + k <= this.mid + SPAN_TICKS) ca += v.asks[k]
    }
    const maxCum = Math.max(cb, ca, 1)
    this.maxCum = maxCum
    const ky = (bottom - top) / maxCum
    this.nBid = steps(v.bids, bb, -1, this.mid, SPAN_TICKS, cx, kx, bottom, ky, this.bid)
    this.nAsk = steps(v.asks, ba, 1, this.mid, SPAN_TICKS, cx, kx, bottom, ky, this.ask)
  }

  draw(ctx) {
    const { kit, rect: r } = this
    const st = kit.style
    kit.text.draw('Depth', r.x + 8, r.y + 11, st.dim)
    const cx = Math.round(r.x + r.w / 2)
    kit.fill(cx, r.y + 22, 1, r.h - 40, kit.rect.grid)
    kit.fill(r.x + PAD, r.y + r.h - 18, r.w - 2 * PAD, 1, kit.rect.border)
    this.draws.steps(this.bid, this.nBid, kit.bidLine)
    this.draws.steps(this.ask, this.nAsk, kit.askLine)
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
 * Writes the stepped outline of one side's cumulative depth into `out` (pixels) and returns the
 * point count: from the mid outward, up at each level by its size, flat to the next level.
 */
function steps(sizes, best, dir, mid, span, cx, kx, bottom, ky, out) {
  let n = 0
  let cum = 0
  out[n * 2] = cx
  out[n * 2 + 1] = bottom
  n++
  for (let k = 0; k < BOOK_TICKS; k++) {
    const size = sizes[k]
    if (!(size > 0)) continue
    const tick = best + dir * k
    if (Math.abs(tick - mid) > span) break
    const x = cx + (tick - mid) * kx
    out[n * 2] = x
    out[n * 2 + 1] = bottom - cum * ky
    n++
    cum += size
    out[n * 2] = x
    out[n * 2 + 1] = bottom - cum * ky
    n++
  }
  out[n * 2] = cx + dir * span * kx
  out[n * 2 + 1] = bottom - cum * ky
  n++
  return n
}
