// The trading terminal is damage-aware: its panels are engine panels redrawn only when what they
// show changed (their `version`), the crosshair and the frame HUD are overlays recorded every
// frame over the kept canvas, and the depth chart is drawn as filled, stepped areas. Checked in
// the engine's damage figures, the panels' draw counts and pixels.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine, createSharedState, decodePNG, InputKind } from '../../dist/index.js'
import { marketSchema } from '../../examples/trading-terminal/market/schema.mjs'
import { TradeStore } from '../../examples/trading-terminal/market/trade-store.mjs'
import { generateHistory } from '../../examples/trading-terminal/market/history.mjs'
import { SESSION_OPEN, createSyncFeed } from '../../examples/trading-terminal/feed.mjs'
import { createTerminal } from '../../examples/trading-terminal/terminal.mjs'
import { COLOR, GUTTER_COLOR } from '../../examples/trading-terminal/kit.mjs'

const rgb = (c) => [(c >>> 24) & 0xff, (c >>> 16) & 0xff, (c >>> 8) & 0xff]
const near = (a, b, tol = 3) => a.every((v, i) => Math.abs(v - b[i]) <= tol)

async function open() {
  const state = createSharedState(marketSchema)
  const engine = await createEngine({ headless: true, width: 1280, height: 720, state, vblank: false, clearColor: GUTTER_COLOR })
  const store = new TradeStore(1 << 18)
  generateHistory(store, { seed: 5, count: 100_000, endTime: SESSION_OPEN, endTick: 10_000 })
  const terminal = createTerminal(engine, { store, clock: (f) => f.index * 16, damage: true })
  const feed = createSyncFeed(state, { seed: 5, ratePerSec: 4000 })
  const ctl = { live: true }
  engine.onFrame((f) => {
    terminal.frame(f)
    if (ctl.live) feed.step()
  })
  const shot = async () => decodePNG(await engine.screenshot())
  const pixel = (png, x, y) => {
    const i = (y * png.width + x) * 4
    return [png.data[i], png.data[i + 1], png.data[i + 2]]
  }
  return { engine, terminal, ctl, shot, pixel, push: (kind, code, x, y) => engine.input.push(kind, code, x, y, 0, 0, 0, performance.now()) }
}

const drawCounts = (t) => t.terminal.enginePanels.map((p) => p.drawCount)

test('a still market redraws no panel; the crosshair still follows the pointer over the kept canvas; a key redraws only its panel', async () => {
  const t = await open()
  try {
    for (let i = 0; i < 20; i++) t.engine.renderFrame() // a live market
    assert.is(t.terminal.enginePanels.length, 5)
    t.ctl.live = false
    for (let i = 0; i < 40; i++) t.engine.renderFrame() // flashes fade out (450 ms at 16 ms a frame)
    const before = drawCounts(t)
    for (let i = 0; i < 5; i++) {
      t.engine.renderFrame()
      assert.is(t.engine.damageStats.panelsDrawn, 0, `still frame ${i}: no panel redrawn`)
    }
    assert.equal(drawCounts(t), before)
    // The pointer moves over the chart: the crosshair (an overlay) moves, no panel is redrawn.
    const p = t.terminal.chart.plot
    const x = p.x + 150
    t.push(InputKind.PointerMove, 0, x, p.y + 60)
    t.engine.renderFrame()
    assert.is(t.engine.damageStats.panelsDrawn, 0, 'the crosshair redraws no panel')
    let img = await t.shot()
    assert.ok(near(t.pixel(img, x, p.y + 200), rgb(COLOR.cross)), 'the crosshair line at the pointer')
    t.push(InputKind.PointerMove, 0, x + 40, p.y + 60)
    t.engine.renderFrame()
    img = await t.shot()
    assert.ok(near(t.pixel(img, x + 40, p.y + 200), rgb(COLOR.cross)), 'the crosshair line moved with the pointer')
    assert.ok(!near(t.pixel(img, x, p.y + 200), rgb(COLOR.cross)), 'and is gone from where it was (the canvas under it was kept clean)')
    assert.equal(drawCounts(t), before)
    // ']' regroups the book: the book panel alone is redrawn.
    t.push(InputKind.KeyDown, 48, 0, 0)
    t.engine.renderFrame()
    assert.is(t.engine.damageStats.panelsDrawn, 1)
    const after = drawCounts(t)
    const book = t.terminal.panels.indexOf(t.terminal.book)
    for (let i = 0; i < after.length; i++) assert.is(after[i], before[i] + (i === book ? 1 : 0), `panel ${i}`)
  } finally {
    t.terminal.destroy()
    t.engine.destroy()
  }
})

test('the depth chart fills the area under each side\'s steps', async () => {
  const t = await open()
  try {
    for (let i = 0; i < 10; i++) t.engine.renderFrame()
    const img = await t.shot()
    const d = t.terminal.depth
    const v = d.view
    const bottom = Math.round(v.top + v.height) - 3
    // Far from the mid, each side holds its whole depth: filled down to the baseline.
    assert.ok(near(t.pixel(img, Math.round(v.left) + 6, bottom), rgb(COLOR.upCum)), 'bids filled')
    assert.ok(near(t.pixel(img, Math.round(v.left + v.width) - 6, bottom), rgb(COLOR.downCum)), 'asks filled')
    // Above the steps near the mid: the panel's own colour.
    const mid = Math.round(v.left + v.width / 2)
    assert.ok(near(t.pixel(img, mid - 12, Math.round(v.top) + 4), rgb(COLOR.panel)), 'nothing above the bid steps')
    assert.ok(near(t.pixel(img, mid + 12, Math.round(v.top) + 4), rgb(COLOR.panel)), 'nothing above the ask steps')
  } finally {
    t.terminal.destroy()
    t.engine.destroy()
  }
})

test.run()
