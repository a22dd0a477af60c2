// The header: symbol, last price (green after an up-tick, red after a down-tick), change since the
// first trade held, spread, order updates a second, trades held, the feed, and a small frame HUD
// from the engine's frame trace (the previous frame's record + flush + swap, and its latch-to-swap
// time). The HUD changes every frame, so it is an overlay (`drawHud`, recorded every frame over
// the panel's empty space), not part of the panel: the panel's `version` moves only when one of
// the figures it prints changes.
import { Stage } from 'framelatch/low-level'
import { CodeLine } from '../format.mjs'

export class HeaderPanel {
  constructor(kit, store, { symbol = 'SIM-USD', trace = null, feedLabel = '' } = {}) {
    this.kit = kit
    this.store = store
    this.symbol = symbol
    this.trace = trace
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.feedLabel = feedLabel
    /** What the panel printed last: [last tick, previous tick, first tick, bid, ask, rate, trades]. */
    this.shown = new Float64Array(7).fill(NaN)
    this.now = new Float64Array(7)
    this.line = new CodeLine(96)
    /** Right edge of the HUD text, measured once for a header width (`hudFor`). */
    this.hudRight = 0
    this.hudFor = -1
    /** [frame ms, latch-to-swap ms], smoothed; a typed array because a fractional number stored in a field costs a heap number a store. */
    this.figures = new Float64Array([NaN, NaN])
  }

  update(ctx) {
    const { store, now, shown } = this
    const n = store.length
    if (n > 0) {
      const last = store.tick[n - 1]
      now[0] = last
      now[1] = this.previousTick(last)
      now[2] = store.tick[0]
    }
    const v = ctx.market.views
    if (v !== null) {
      now[3] = v.bestBid[0]
      now[4] = v.bestAsk[0]
    }
    now[5] = ctx.market.rate
    now[6] = n
    for (let i = 0; i < now.length; i++) {
      if (now[i] !== shown[i]) {
        shown.set(now)
        this.version++
        break
      }
    }
    const t = this.trace
    if (t !== null && t.frames > 1) {
      const cost = t.get(Stage.SwapReturn, 1) - t.get(Stage.RecordStart, 1)
      const latch = t.get(Stage.SwapReturn, 1) - t.get(Stage.InputLatch, 1)
      // smoothed so the figures can be read
      const f = this.figures
      f[0] = Number.isFinite(f[0]) ? f[0] * 0.9 + cost * 0.1 : cost
      f[1] = Number.isFinite(f[1]) ? f[1] * 0.9 + latch * 0.1 : latch
    }
  }

  draw(ctx) {
    const { kit, rect: r, store } = this
    const st = kit.style
    const line = this.line
    const ts = ctx.tickSize
    const cy = r.y + r.h / 2
    kit.big.draw(this.symbol, r.x + 10, cy, st.text)
    const n = store.length
    if (n === 0) return
    const last = store.tick[n - 1]
    const up = last >= this.previousTick(last)
    line.clear().fixed(last * ts, 2)
    kit.big.drawCodes(line.codes, line.length, r.x + 110, cy, up ? st.up : st.down)
    const change = (last - store.tick[0]) * ts
    const pct = (change / (store.tick[0] * ts)) * 100
    line.clear().text(change >= 0 ? '+' : '').fixed(change, 2).text(' (').text(change >= 0 ? '+' : '').fixed(pct, 2).text('%)')
    kit.text.drawCodes(line.codes, line.length, r.x + 200, cy, change >= 0 ? st.up : st.down)
    const m = ctx.market
    const v = m.views
    line.clear().text('Spread ')
    if (v !== null) line.fixed((v.bestAsk[0] - v.bestBid[0]) * ts, 2)
    line.text('   Updates/s ').grouped(m.rate).text('   Trades ').grouped(n)
    kit.text.drawCodes(line.codes, line.length, r.x + 330, cy, st.text)
    kit.text.draw(this.feedLabel, r.x + r.w - 10, cy, st.dimRight)
  }

  /** The latest different price before `last` (among the newest 64 trades), or `last`. */
  previousTick(last) {
    const { store } = this
    const n = store.length
    for (let i = n - 2; i >= 0 && i >= n - 64; i--) if (store.tick[i] !== last) return store.tick[i]
    return last
  }

  /** The frame HUD, recorded every frame over the header (left of the feed label) on the overlay layer. */
  drawHud() {
    const { kit, rect: r, line } = this
    if (this.hudFor !== r.w) {
      this.hudFor = r.w
      this.hudRight = Math.round(r.x + r.w - 10 - kit.text.measure(this.feedLabel) - 24)
    }
    line.clear().text('frame ').fixed(this.figures[0], 2).text(' ms   latch-swap ').fixed(this.figures[1], 2).text(' ms')
    kit.crossText.drawCodes(line.codes, line.length, this.hudRight, Math.round(r.y + r.h / 2), kit.style.dimRight)
  }
}
