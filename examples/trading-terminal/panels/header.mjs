// The header: symbol, last price (green after an up-tick, red after a down-tick), change since the
// first trade held, spread, order updates a second, and a small frame HUD from the engine's frame
// trace (the previous frame's record + flush + swap, and its latch-to-swap time).
import { Stage } from 'framelatch/low-level'
import { CodeLine } from '../format.mjs'

export class HeaderPanel {
  constructor(kit, store, { symbol = 'SIM-USD', trace = null } = {}) {
    this.kit = kit
    this.store = store
    this.symbol = symbol
    this.trace = trace
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.line = new CodeLine(96)
    /** [frame ms, latch-to-swap ms], smoothed; a typed array because a fractional number stored in a field costs a heap number a store. */
    this.figures = new Float64Array([NaN, NaN])
  }

  update(ctx) {
    this.version++
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
    let prev = last
    for (let i = n - 2; i >= 0 && i >= n - 64; i--) {
      if (store.tick[i] !== last) {
        prev = store.tick[i]
        break
      }
    }
    const up = last >= prev
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
    line.text('   Updates/s ').grouped(m.rate)
    kit.text.drawCodes(line.codes, line.length, r.x + 330, cy, st.text)
    line.clear().text('frame ').fixed(this.figures[0], 2).text(' ms   latch-swap ').fixed(this.figures[1], 2).text(' ms   ')
    line.text(ctx.feedLabel)
    kit.text.drawCodes(line.codes, line.length, r.x + r.w - 10, cy, st.dimRight)
  }
}
