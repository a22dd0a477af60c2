// The trade tape: every trade the terminal holds (history and live, over a million), newest on
// top, as a virtual-scrolled list: only the rows in view are recorded, whatever the length. The
// wheel and the keys (Up/Down, Page Up/Down, Home) scroll it; scrolled away from the top, the
// view stays on the same trades while new ones arrive. New trades flash (green buy, red sell).
import { createClip, rowAt } from 'framelatch'
import { CodeLine } from '../format.mjs'
import { RAMP_STEPS } from '../kit.mjs'

export const FLASH_MS = 400
const HEAD_H = 18
const SC_UP = 82
const SC_DOWN = 81
const SC_PAGEUP = 75
const SC_PAGEDOWN = 78
const SC_HOME = 74

export class TapePanel {
  constructor(kit, store, { rowHeight = 13 } = {}) {
    this.kit = kit
    this.store = store
    this.rect = { x: 0, y: 0, w: 0, h: 0 }
    this.rowHeight = rowHeight
    this.version = 0
    /** Rows scrolled down from the newest trade (0: the newest is the top row). */
    this.scroll = 0
    this.seenLength = 0
    this.hover = -1
    this.line = new CodeLine(32)
    this.now = 0
    /** Rows recorded by the last draw (tests check the list is virtual). */
    this.drawnRows = 0
    /** The scrolling rows' area (under the column heads). */
    this.rowsClip = createClip({ x: 0, y: 0, w: 0, h: 0, label: 'tape rows' })
  }

  layout(rect) {
    this.rect = rect
    this.rowsClip.set(rect.x, this.rowsTop, rect.w, rect.y + rect.h - this.rowsTop)
    this.version++
  }

  get rowsTop() {
    return this.rect.y + HEAD_H
  }
  get visibleRows() {
    return Math.max(1, Math.floor((this.rect.h - HEAD_H) / this.rowHeight))
  }

  /** Index in the store of the trade in row `row` of the view, or −1. */
  tradeOfRow(row) {
    const i = this.store.length - 1 - this.scroll - row
    return row >= 0 && i >= 0 ? i : -1
  }

  /** Index in the store of the trade under (x, y), or −1. */
  tradeAt(x, y) {
    const r = this.rect
    if (!(x >= r.x && x < r.x + r.w)) return -1
    const row = rowAt(y, this.rowsTop, this.rowHeight, Math.min(this.visibleRows, this.store.length - this.scroll))
    return this.tradeOfRow(row)
  }

  scrollBy(rows) {
    const max = Math.max(0, this.store.length - this.visibleRows)
    const s = Math.max(0, Math.min(max, this.scroll + rows))
    if (s !== this.scroll) {
      this.scroll = s
      this.version++
    }
  }

  onKey(scancode) {
    const page = this.visibleRows - 1
    if (scancode === SC_DOWN) this.scrollBy(1)
    else if (scancode === SC_UP) this.scrollBy(-1)
    else if (scancode === SC_PAGEDOWN) this.scrollBy(page)
    else if (scancode === SC_PAGEUP) this.scrollBy(-page)
    else if (scancode === SC_HOME) this.scrollBy(-this.scroll)
    else return false
    return true
  }

  /** Wheel `dy` notches (positive: up, toward newer trades). */
  onWheel(dy) {
    this.scrollBy(-Math.round(dy * 3))
  }

  update(ctx) {
    this.now = ctx.now
    const n = this.store.length
    if (n !== this.seenLength) {
      // Scrolled away from the top: keep the same trades in view as new ones arrive above.
      if (this.scroll > 0) this.scroll += n - this.seenLength
      this.seenLength = n
      this.version++
    }
    const hover = this.tradeAt(ctx.pointerX, ctx.pointerY)
    if (hover !== this.hover) {
      this.hover = hover
      this.version++
    }
    // New trades flash, fading: the tape changes every frame until the newest flash is over.
    const arrived = n > 0 ? this.store.arrived[n - 1] : 0
    if (arrived > 0 && ctx.now - arrived < FLASH_MS && this.scroll < this.visibleRows) this.version++
  }

  draw(ctx) {
    const { kit, rect: r, store } = this
    const st = kit.style
    const text = kit.text
    const line = this.line
    const ts = ctx.tickSize
    const cy = r.y + (HEAD_H >> 1)
    text.draw('Time', r.x + 6, cy, st.dim)
    text.draw('Price', r.x + r.w - 52, cy, st.dimRight)
    text.draw('Size', r.x + r.w - 6, cy, st.dimRight)
    const rh = this.rowHeight
    const rows = this.visibleRows
    let drawn = 0
    kit.fills.clip = this.rowsClip
    text.clip = this.rowsClip
    for (let row = 0; row < rows; row++) {
      const i = this.tradeOfRow(row)
      if (i < 0) break
      const y = this.rowsTop + row * rh
      const buy = store.side[i] > 0
      const arrived = store.arrived[i]
      const age = this.now - arrived
      if (i === this.hover) kit.fill(r.x, y, r.w, rh - 1, kit.rect.grid)
      else if (arrived > 0 && age >= 0 && age < FLASH_MS) {
        // A strip at the row's start, fading (a whole-row flash would repaint most of the tape
        // every frame at this trade rate: fill costs on software GL).
        kit.fill(r.x, y, 4, rh - 1, kit.flash(buy, Math.round((1 - age / FLASH_MS) * (RAMP_STEPS - 1))))
      }
      const ty = y + (rh >> 1)
      // The time only where its second changes (and on the top row), as tapes print it: the
      // same 8 glyphs on every row would be most of the tape's primitives.
      if (row === 0 || Math.floor(store.time[i] / 1000) !== Math.floor(store.time[i + 1] / 1000)) {
        line.clear().clockAt(store.time, i, false)
        text.drawCodes(line.codes, line.length, r.x + 6, ty, st.dim)
      }
      line.clear().fixed(store.tick[i] * ts, 2)
      text.drawCodes(line.codes, line.length, r.x + r.w - 52, ty, buy ? st.upRight : st.downRight)
      line.clear().fixed(store.size[i], 0)
      text.drawCodes(line.codes, line.length, r.x + r.w - 6, ty, st.textRight)
      drawn++
    }
    this.drawnRows = drawn
    kit.fills.clip = null
    text.clip = null
    if (this.scroll > 0) {
      // Scroll position: a thin thumb on the right edge.
      const h = r.h - HEAD_H
      const thumb = Math.max(6, Math.round((rows / store.length) * h))
      const y = this.rowsTop + Math.round((this.scroll / Math.max(1, store.length - rows)) * (h - thumb))
      kit.fill(r.x + r.w - 3, y, 2, thumb, kit.rect.dim)
    }
  }
}
