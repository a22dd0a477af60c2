// The order book: bids (left) and asks (right), 50 grouped levels each from the touch outward,
// with a bar for each level's size over a darker bar of the cumulative depth (the pointer's level
// shows its cumulative total in the mid row), a mid-price and
// spread row on top, and a flash on every level whose size changed (green up, red down, fading
// over FLASH_MS). Keys '[' and ']' (or '-' and '=') change the tick-size grouping.
//
// A panel is { rect, version, update(ctx), draw(ctx), ...input }: `update` reads the market and
// bumps `version` when what it shows changed; `draw` records this frame's draws. (A damage-aware
// frame can skip `draw` for panels whose version did not move.)
import { groupSide } from '../market/book.mjs'
import { BOOK_TICKS } from '../market/schema.mjs'
import { createClip, rowAt } from 'framelatch'
import { CodeLine } from '../format.mjs'
import { RAMP_STEPS } from '../kit.mjs'

export const LEVELS = 50
/** Tick-size groupings the keys step through (in ticks of the instrument). */
export const GROUPS = [1, 2, 5, 10, 25, 50, 100]
export const FLASH_MS = 450
const HEAD_H = 18
const SIZE_CELL = 44
const MID_H = 20
/** Flash memory per side, indexed by bucket tick & MASK (a price window far wider than the book). */
const MASK = 0xffff
const SC_LEFTBRACKET = 47
const SC_RIGHTBRACKET = 48
const SC_MINUS = 45
const SC_EQUALS = 46

function sideArrays() {
  return { ticks: new Float64Array(LEVELS), sizes: new Float64Array(LEVELS), cum: new Float64Array(LEVELS), n: 0 }
}

export class OrderBookPanel {
  constructor(kit) {
    this.kit = kit
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.version = 0
    this.groupIndex = 0
    this.sides = [sideArrays(), sideArrays()] // 0 bids, 1 asks
    this.lastSize = [new Float64Array(MASK + 1), new Float64Array(MASK + 1)]
    this.flashAt = [new Float64Array(MASK + 1).fill(-1e9), new Float64Array(MASK + 1).fill(-1e9)]
    this.flashUp = [new Uint8Array(MASK + 1), new Uint8Array(MASK + 1)]
    this.seenVersion = -1
    this.tickSize = 0.01
    this.bestBid = NaN
    this.bestAsk = NaN
    /** Level under the pointer: side * LEVELS + level, or −1. */
    this.hover = -1
    this.line = new CodeLine(32)
    this.now = 0
    /** Render time of the newest flash (flashes fade: the panel changes every frame until it is over). */
    this.lastFlash = -1e9
    /** The level rows' area: bars and labels never reach the panel's edge or its head rows. */
    this.rowsClip = createClip({ x: 0, y: 0, w: 0, h: 0, label: 'order book levels' })
  }

  layout(rect) {
    this.rect = rect
    this.rowsClip.set(rect.x, this.rowsTop, rect.w, rect.y + rect.h - this.rowsTop)
    this.version++
  }

  get group() {
    return GROUPS[this.groupIndex]
  }
  get rowHeight() {
    return Math.max(8, Math.floor((this.rect.h - HEAD_H - MID_H) / LEVELS))
  }
  get rowsTop() {
    return this.rect.y + HEAD_H + MID_H
  }

  /** The level under (x, y) as side * LEVELS + level (side 0 bids, 1 asks), or −1. */
  levelAt(x, y) {
    const r = this.rect
    if (!(x >= r.x && x < r.x + r.w)) return -1
    const row = rowAt(y, this.rowsTop, this.rowHeight, LEVELS)
    if (row < 0) return -1
    const side = x < r.x + r.w / 2 ? 0 : 1
    return row < this.sides[side].n ? side * LEVELS + row : -1
  }

  setGroup(index) {
    const i = Math.max(0, Math.min(GROUPS.length - 1, index))
    if (i === this.groupIndex) return
    this.groupIndex = i
    // Buckets change meaning: forget sizes so the regrouped book does not flash as a whole.
    for (let s = 0; s < 2; s++) this.lastSize[s].fill(0)
    this.seenVersion = -1
    this.version++
  }

  onKey(scancode) {
    if (scancode === SC_LEFTBRACKET || scancode === SC_MINUS) this.setGroup(this.groupIndex - 1)
    else if (scancode === SC_RIGHTBRACKET || scancode === SC_EQUALS) this.setGroup(this.groupIndex + 1)
    else return false
    return true
  }

  update(ctx) {
    const market = ctx.market
    const v = market.views
    this.now = ctx.now
    const hover = this.levelAt(ctx.pointerX, ctx.pointerY)
    if (hover !== this.hover) {
      this.hover = hover
      this.version++
    }
    if (v === null) return
    // Flashes fade every frame while any is live.
    if (ctx.now - this.lastFlash < FLASH_MS) this.version++
    if (market.bookVersion === this.seenVersion) return
    this.version++
    const first = this.seenVersion === -1
    this.seenVersion = market.bookVersion
    this.tickSize = v.tickSize[0] || 0.01
    this.bestBid = v.bestBid[0]
    this.bestAsk = v.bestAsk[0]
    const g = this.group
    for (let s = 0; s < 2; s++) {
      const side = this.sides[s]
      side.n = groupSide(s === 0 ? v.bids : v.asks, BOOK_TICKS, s === 0 ? this.bestBid : this.bestAsk, s === 0 ? -1 : 1, g, LEVELS,
        side.ticks, side.sizes, side.cum)
      const last = this.lastSize[s]
      const at = this.flashAt[s]
      const up = this.flashUp[s]
      for (let i = 0; i < side.n; i++) {
        const k = side.ticks[i] & MASK
        const size = side.sizes[i]
        if (size !== last[k]) {
          if (!first) {
            at[k] = ctx.now
            up[k] = size > last[k] ? 1 : 0
            this.lastFlash = ctx.now
          }
          last[k] = size
        }
      }
    }
  }

  draw() {
    const { kit, rect: r } = this
    const st = kit.style
    const text = kit.text
    const line = this.line
    const half = Math.floor(r.w / 2)
    const cy = r.y + (HEAD_H >> 1)
    // Column heads
    text.draw('Size', r.x + 6, cy, st.dim)
    text.draw('Bid', r.x + half - 6, cy, st.dimRight)
    text.draw('Ask', r.x + half + 6, cy, st.dim)
    text.draw('Size', r.x + r.w - 6, cy, st.dimRight)
    // Mid and spread; over a level, its cumulative depth (bars show it for every level)
    const my = r.y + HEAD_H
    kit.fill(r.x, my, r.w, MID_H, kit.rect.header)
    const ts = this.tickSize
    const mid = ((this.bestBid + this.bestAsk) / 2) * ts
    const spread = (this.bestAsk - this.bestBid) * ts
    line.clear().text('Mid ').fixed(mid, 3)
    text.drawCodes(line.codes, line.length, r.x + 6, my + (MID_H >> 1), st.text)
    if (this.hover >= 0) {
      const side = this.sides[this.hover >= LEVELS ? 1 : 0]
      const i = this.hover % LEVELS
      line.clear().text(this.hover >= LEVELS ? 'Ask ' : 'Bid ').fixed(side.ticks[i] * ts, 2).text('  total ').grouped(side.cum[i])
    } else {
      line.clear().text('Spread ').fixed(spread, 2).text('  Group ').fixed(this.group * ts, 2)
    }
    text.drawCodes(line.codes, line.length, r.x + r.w - 6, my + (MID_H >> 1), st.dimRight)
    // Levels
    const rh = this.rowHeight
    const top = this.rowsTop
    const maxCum = Math.max(this.sides[0].n ? this.sides[0].cum[this.sides[0].n - 1] : 0, this.sides[1].n ? this.sides[1].cum[this.sides[1].n - 1] : 0, 1)
    let maxSize = 1
    for (let s = 0; s < 2; s++) for (let i = 0; i < this.sides[s].n; i++) if (this.sides[s].sizes[i] > maxSize) maxSize = this.sides[s].sizes[i]
    const decimals = this.group * ts >= 1 ? 0 : ts >= 1 ? 0 : ts >= 0.1 ? 1 : 2
    kit.fills.clip = this.rowsClip
    text.clip = this.rowsClip
    for (let s = 0; s < 2; s++) {
      const side = this.sides[s]
      const x0 = s === 0 ? r.x : r.x + half
      const w = s === 0 ? half : r.w - half
      const at = this.flashAt[s]
      const up = this.flashUp[s]
      for (let i = 0; i < side.n; i++) {
        const y = top + i * rh
        const k = side.ticks[i] & MASK
        const age = this.now - at[k]
        const fade = age >= 0 && age < FLASH_MS ? 1 - age / FLASH_MS : 0
        if (this.hover === s * LEVELS + i) kit.fill(x0, y, w, rh - 1, kit.rect.grid)
        // The level's own size over its cumulative depth, both growing from the middle of the
        // book: the cumulative bar is drawn only where it shows past the size bar (fill rate).
        const cw = Math.max(1, Math.round((side.cum[i] / maxCum) * (w - 2)))
        const sw = Math.max(1, Math.round((side.sizes[i] / maxSize) * (w - 2) * 0.5))
        const cumStyle = s === 0 ? kit.rect.upCum : kit.rect.downCum
        const barStyle = s === 0 ? kit.rect.upBar : kit.rect.downBar
        kit.fill(s === 0 ? x0 + w - sw : x0, y, sw, rh - 1, barStyle)
        // The flash: the size cell at the book's outer edge, in the colour of the change, fading.
        // The cumulative bar stops where a flashing cell starts (the cell covers it: each pixel
        // drawn once; at this feed rate most levels flash and the deep levels' bars reach the edge).
        const cumEnd = fade > 0 ? Math.min(cw, w - 2 - SIZE_CELL) : cw
        if (cumEnd > sw) kit.fill(s === 0 ? x0 + w - cumEnd : x0 + sw, y, cumEnd - sw, rh - 1, cumStyle)
        if (fade > 0) kit.fill(s === 0 ? x0 + 2 : x0 + w - SIZE_CELL - 2, y, SIZE_CELL, rh - 1, kit.flash(up[k] === 1, Math.round(fade * (RAMP_STEPS - 1))))
        const ty = y + (rh >> 1)
        line.clear().fixed(side.ticks[i] * ts, decimals)
        if (s === 0) text.drawCodes(line.codes, line.length, x0 + w - 6, ty, st.upRight)
        else text.drawCodes(line.codes, line.length, x0 + 6, ty, st.down)
        line.clear().fixed(side.sizes[i], 0)
        if (s === 0) text.drawCodes(line.codes, line.length, x0 + 6, ty, st.text)
        else text.drawCodes(line.codes, line.length, x0 + w - 6, ty, st.textRight)
      }
    }
    kit.fills.clip = null
    text.clip = null
  }
}
