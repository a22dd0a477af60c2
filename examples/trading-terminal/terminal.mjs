// The terminal: creates the kit and the panels, lays them out for the drawing size, routes input
// (keys, wheel, drag) to them, and each frame ingests the market snapshot, updates every panel and
// records its draws. Everything per frame reuses preallocated objects.
import { InputKind } from 'framelatch'
import { createKit, CLEAR_COLOR } from './kit.mjs'
import { ChartDraw } from './chart-draw.mjs'
import { MarketView } from './feed.mjs'
import { OrderBookPanel } from './panels/order-book.mjs'
import { DepthPanel } from './panels/depth.mjs'
import { PriceChartPanel } from './panels/price-chart.mjs'
import { TapePanel } from './panels/tape.mjs'
import { HeaderPanel } from './panels/header.mjs'
import { CrosshairLayer } from './panels/crosshair.mjs'

const HEADER_H = 32
const GAP = 2
const BOOK_W = 340
const TAPE_W = 200

/** Panel rectangles for a drawing size (pixels, y down): header on top, chart over depth on the left, book, tape. */
export function computeLayout(width, height) {
  const top = HEADER_H + GAP
  const tapeX = width - TAPE_W
  const bookX = tapeX - GAP - BOOK_W
  const chartW = bookX - GAP
  const bodyH = height - top
  const depthH = Math.round(bodyH * 0.3)
  return {
    header: { x: 0, y: 0, w: width, h: HEADER_H },
    chart: { x: 0, y: top, w: chartW, h: bodyH - depthH - GAP },
    depth: { x: 0, y: height - depthH, w: chartW, h: depthH },
    book: { x: bookX, y: top, w: BOOK_W, h: bodyH },
    tape: { x: tapeX, y: top, w: TAPE_W, h: bodyH },
  }
}

function inside(r, x, y) {
  return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h
}

/**
 * Builds the terminal on an engine. `store` holds the trades (history already in it);
 * `clock(frame)` gives the render time in ms the flashes fade by.
 *
 * Damage-aware (`damage: true`, main.mjs's --damage): header, chart, depth, book and tape are engine
 * panels (`engine.createPanel`), redrawn into the engine's persistent canvas only in frames where
 * their `version` moved; the gutters between them are the engine's clear colour showing where no
 * panel is (terminalApp sets it to the gutter colour). The engine asks the panels' `changed` at
 * the start of a frame, before the `onFrame` callbacks, so the frame's work (layout, input,
 * market snapshot, panel updates) runs in `prepare(frame)`, once a frame, from whichever comes
 * first: a panel's `changed`, or `frame(f)`. `frame(f)`, called from `onFrame`, then records what
 * changes every frame on top of the canvas: the crosshair and the HUD.
 * `damage: false` (the default) records every panel every frame: with the simulator at 2,000
 * updates/s the header, book, depth and tape change every frame and the chart's live candle
 * most frames, so there is nothing to keep and the canvas copy is extra work
 * (benchmarks/examples/terminal.bench.mjs measures both).
 */
export function createTerminal(engine, { store, clock, feedLabel = '', damage = false }) {
  const kit = createKit(engine.queue)
  const draws = new ChartDraw(kit)
  const market = new MarketView(store)
  const header = new HeaderPanel(kit, store, { trace: engine.trace, feedLabel })
  const chart = new PriceChartPanel(kit, draws, store, engine.queue)
  const depth = new DepthPanel(kit)
  const book = new OrderBookPanel(kit)
  const tape = new TapePanel(kit, store)
  const crosshair = new CrosshairLayer(kit, chart)
  /** The panels in drawing order; the crosshair and the HUD (`header.drawHud`) are overlays. */
  const panels = [header, chart, depth, book, tape]
  const ctx = { market, now: 0, tickSize: 0.01, pointerX: -1, pointerY: -1, pointerInside: false, feedLabel }
  const reader = engine.input.reader()
  const ev = { kind: 0, code: 0, x: 0, y: 0, dx: 0, dy: 0, mods: 0, time: 0, seq: 0 }
  let width = 0
  let height = 0
  let gutters = null
  let prepared = -1
  /** Engine panels, one per entry of `panels` (damage-aware), and the version each last drew. */
  const enginePanels = []
  const drawnVersion = new Float64Array(panels.length).fill(-1)
  // Laid out before the first compose (a panel's rectangle must not move while the canvas draws).
  layout(engine.width, engine.height)
  const offResize = engine.onResize((e) => layout(e.width, e.height))
  if (damage) {
    for (let i = 0; i < panels.length; i++) {
      const p = panels[i]
      enginePanels.push(engine.createPanel({
        x: p.rect.x, y: p.rect.y, w: p.rect.w, h: p.rect.h, background: CLEAR_COLOR, label: `terminal ${p.constructor.name}`,
        changed: (f) => {
          prepare(f)
          return p.version !== drawnVersion[i]
        },
        draw: (f) => {
          prepare(f)
          drawnVersion[i] = p.version
          p.draw(ctx)
        },
      }))
    }
  }

  function layout(w, h) {
    width = w
    height = h
    const l = computeLayout(w, h)
    header.rect = l.header
    chart.layout(l.chart)
    depth.layout(l.depth)
    book.layout(l.book)
    tape.layout(l.tape)
    gutters = [
      [0, l.header.h, w, GAP], // under the header
      [l.chart.x + l.chart.w, l.chart.y, GAP, h - l.chart.y], // chart | book
      [l.book.x + l.book.w, l.book.y, GAP, h - l.book.y], // book | tape
      [0, l.chart.y + l.chart.h, l.chart.w, GAP], // chart / depth
    ]
    for (let i = 0; i < enginePanels.length; i++) {
      const r = panels[i].rect
      const p = enginePanels[i]
      if (p.x !== r.x || p.y !== r.y || p.w !== r.w || p.h !== r.h) p.setRect(r.x, r.y, r.w, r.h)
    }
  }

  /** Routes this frame's input events, in order, to the panels. */
  function handleInput(f) {
    while (reader.next(ev)) {
      switch (ev.kind) {
        case InputKind.KeyDown:
          if (!book.onKey(ev.code) && !tape.onKey(ev.code)) chart.onKey(ev.code)
          break
        case InputKind.Wheel: {
          // Wheel events carry no position on every platform: route by the latched pointer.
          const x = f.input.pointerX
          const y = f.input.pointerY
          if (chart.contains(x, y)) chart.onWheel(ev.dy, x)
          else if (inside(tape.rect, x, y)) tape.onWheel(ev.dy)
          break
        }
        case InputKind.ButtonDown:
          if (ev.code === 1) chart.onPointerDown(ev.x, ev.y)
          break
        case InputKind.ButtonUp:
          if (ev.code === 1) chart.onPointerUp()
          break
        case InputKind.PointerMove:
          chart.onPointerMove(ev.x)
          break
      }
    }
  }

  /** The frame's work before anything draws (once a frame): layout, input, market snapshot, panel updates. */
  function prepare(f) {
    if (f.index === prepared) return
    prepared = f.index
    if (f.width !== width || f.height !== height) layout(f.width, f.height)
    ctx.now = clock(f)
    ctx.pointerX = f.input.pointerX
    ctx.pointerY = f.input.pointerY
    ctx.pointerInside = f.input.events > 0 || ctx.pointerInside || f.input.pointerX !== 0 || f.input.pointerY !== 0
    handleInput(f)
    market.ingest(f.state, ctx.now)
    if (market.views !== null) ctx.tickSize = market.views.tickSize[0] || 0.01
    for (let i = 0; i < panels.length; i++) panels[i].update(ctx)
    crosshair.update(ctx)
  }

  return {
    kit, panels, enginePanels, header, chart, depth, book, tape, crosshair, market, ctx,
    /** Records one frame (call from onFrame): the panels when not damage-aware, then the overlays. */
    frame(f) {
      prepare(f)
      if (!damage) {
        for (let i = 0; i < gutters.length; i++) kit.panels.add(gutters[i][0], gutters[i][1], gutters[i][2], gutters[i][3], kit.rect.gutter)
        for (let i = 0; i < panels.length; i++) panels[i].draw(ctx)
      }
      header.drawHud(ctx)
      crosshair.draw(ctx)
    },
    destroy() {
      offResize()
      for (const p of enginePanels) p.destroy()
      chart.destroy()
      kit.destroy()
    },
  }
}
