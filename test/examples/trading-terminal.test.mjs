// The trading-terminal example: its reference image (seeded feed stepped on the render thread, a
// fixed frame count), hit-testing of book levels and tape rows under the pointer, and what the
// user does with it (keys group the book and scroll the tape, the wheel scrolls and zooms, a drag
// pans, the crosshair follows the pointer) checked in the panels' state and in pixels.
// To accept a deliberate visual change, regenerate the reference:
//   node examples/trading-terminal/main.mjs --headless --frames 60 --sync-feed --screenshot examples/reference/trading-terminal.png
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine, decodePNG, InputKind, ErrorCode } from '../../dist/index.js'
import { terminalApp, parseTerminalArgs } from '../../examples/trading-terminal/main.mjs'
import { COLOR } from '../../examples/trading-terminal/kit.mjs'
import { LEVELS, GROUPS } from '../../examples/trading-terminal/panels/order-book.mjs'
import { CHART_MODES } from '../../examples/trading-terminal/panels/price-chart.mjs'
import { similarity } from '../support/image-similarity.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-terminal-'))

for (const damage of [false, true]) test(`the terminal renders headless to its reference image (seeded feed, 60 frames${damage ? ', --damage' : ''})`, () => {
  const shot = Path.join(out, damage ? 'terminal-damage.png' : 'terminal.png')
  const r = spawnSync(process.execPath, [Path.join(root, 'examples/trading-terminal/main.mjs'), '--headless', '--frames', '60', '--sync-feed', '--screenshot', shot, '--json', ...(damage ? ['--damage'] : [])], {
    cwd: root, encoding: 'utf8', env: process.env, timeout: 180000,
  })
  assert.is(r.status, 0, r.stdout + r.stderr)
  const summary = JSON.parse(r.stdout.trim().split('\n').pop())
  assert.is(summary.frames, 60)
  assert.is(summary.width, 1280)
  assert.is(summary.height, 720)
  const got = decodePNG(Fs.readFileSync(shot))
  const want = decodePNG(Fs.readFileSync(Path.join(root, 'examples/reference/trading-terminal.png')))
  assert.is(got.width, want.width)
  assert.is(got.height, want.height)
  // The header's measured frame figures differ run to run (a few hundred pixels); all else is seeded.
  const sim = similarity(got.data, want.data, 8)
  assert.ok(sim >= 0.995, `${(sim * 100).toFixed(2)}% of pixels match the reference (need 99.5%); see ${shot}`)
})

/** A headless 1280x720 terminal with its feed stepped per frame; `frame()` renders one. */
async function openTerminal(opts = {}, beforeSetup = null) {
  let terminal = null
  const app = terminalApp({ seed: 3, replay: null, syncFeed: true, history: 200_000, rate: 4000, ...opts }, (t) => { terminal = t })
  const engine = await createEngine({ ...app.engine, headless: true, width: 1280, height: 720 })
  beforeSetup?.(engine)
  await app.setup(engine)
  const pixel = (png, x, y) => {
    const i = (y * png.width + x) * 4
    return [png.data[i], png.data[i + 1], png.data[i + 2]]
  }
  return {
    engine, terminal,
    frame: () => engine.renderFrame(),
    push: (kind, code, x, y, dx = 0, dy = 0) => engine.input.push(kind, code, x, y, dx, dy, 0, performance.now()),
    shot: async () => decodePNG(await engine.screenshot()),
    pixel,
  }
}

const rgb = (c) => [(c >>> 24) & 0xff, (c >>> 16) & 0xff, (c >>> 8) & 0xff]
const near = (a, b, tol = 3) => a.every((v, i) => Math.abs(v - b[i]) <= tol)

test('the terminal compiles no program its first frame does not draw with', async () => {
  const made = new Set()
  const bound = new Set()
  const t = await openTerminal({}, (engine) => {
    const gl = engine.device.rawGL
    const { createProgram, deleteProgram, useProgram } = gl
    gl.createProgram = function () {
      const p = createProgram.call(this)
      made.add(p)
      return p
    }
    gl.deleteProgram = function (p) {
      made.delete(p)
      return deleteProgram.call(this, p)
    }
    gl.useProgram = function (p) {
      if (p) bound.add(p)
      return useProgram.call(this, p)
    }
  })
  try {
    t.frame()
    assert.ok(made.size > 0)
    const unused = [...made].filter((p) => !bound.has(p)).length
    assert.is(unused, 0, `${made.size} programs compiled by setup and the first frame, ${unused} of them not drawn with`)
  } finally {
    t.engine.destroy()
  }
})

test('hit-testing: the book level and the tape row under the pointer, and the hover drawn there', async () => {
  const t = await openTerminal()
  try {
    for (let i = 0; i < 5; i++) t.frame()
    const { book, tape, market } = t.terminal
    const r = book.rect
    const rh = book.rowHeight
    // Row k of each side, at the middle of the row.
    for (const k of [0, 7, LEVELS - 1]) {
      const y = book.rowsTop + k * rh + rh / 2
      assert.is(book.levelAt(r.x + 20, y), k, `bid level ${k}`)
      assert.is(book.levelAt(r.x + r.w - 20, y), LEVELS + k, `ask level ${k}`)
    }
    assert.is(book.levelAt(r.x + 20, book.rowsTop - 1), -1, 'above the levels: the mid row')
    assert.is(book.levelAt(r.x - 1, book.rowsTop + 2), -1, 'left of the book')
    assert.is(book.levelAt(r.x + 20, book.rowsTop + LEVELS * rh), -1, 'below the last level')
    // Tape rows: newest first.
    const n = t.terminal.chart.store.length
    assert.ok(n > 200_000, `history and live trades (${n})`)
    assert.is(tape.tradeAt(tape.rect.x + 10, tape.rowsTop + 1), n - 1, 'top row: the newest trade')
    assert.is(tape.tradeAt(tape.rect.x + 10, tape.rowsTop + tape.rowHeight * 3 + 2), n - 4)
    assert.is(tape.tradeAt(tape.rect.x - 3, tape.rowsTop + 1), -1, 'left of the tape')
    assert.is(tape.tradeAt(tape.rect.x + 10, tape.rect.y + 2), -1, 'the column heads')
    // The pointer over bid level 3 (between its size cell and its bar): that row is drawn in the hover colour.
    const y3 = Math.round(book.rowsTop + 3 * rh + rh / 2)
    t.push(InputKind.PointerMove, 0, r.x + 100, y3)
    t.frame()
    assert.is(book.hover, 3)
    const png = await t.shot()
    assert.ok(near(t.pixel(png, r.x + 60, book.rowsTop + 3 * rh + 1), rgb(COLOR.grid)), `hovered row background ${t.pixel(png, r.x + 60, book.rowsTop + 3 * rh + 1)}`)
    assert.ok(!near(t.pixel(png, r.x + 60, book.rowsTop + 5 * rh + 1), rgb(COLOR.grid)), 'another row is not highlighted')
    assert.ok(market.views !== null)
  } finally {
    t.engine.destroy()
  }
})

test('keys group the book by tick size: bucket prices are multiples of the group, sizes add up; >= 2,000 updates/s arrive', async () => {
  const t = await openTerminal()
  try {
    for (let i = 0; i < 3; i++) t.frame()
    const { book } = t.terminal
    assert.is(book.group, GROUPS[0])
    t.push(InputKind.KeyDown, 48, 0, 0) // ']'
    t.push(InputKind.KeyDown, 48, 0, 0)
    t.frame()
    const g = GROUPS[2]
    assert.is(book.group, g)
    for (const side of book.sides) {
      assert.ok(side.n > 10, `${side.n} grouped levels`)
      for (let i = 0; i < side.n; i++) assert.is(side.ticks[i] % g, 0, `bucket ${side.ticks[i]} is a multiple of ${g}`)
      for (let i = 1; i < side.n; i++) assert.ok(Math.abs(side.cum[i] - side.cum[i - 1] - side.sizes[i]) < 1e-6, 'cumulative depth')
    }
    t.push(InputKind.KeyDown, 47, 0, 0) // '['
    t.frame()
    assert.is(book.group, GROUPS[1])
    // The feed reaches the terminal at the simulator's rate (4,000 order events/s asked, plus trades).
    for (let i = 0; i < 40; i++) t.frame()
    assert.ok(t.terminal.market.rate >= 2000, `${t.terminal.market.rate} updates/s reach the terminal`)
  } finally {
    t.engine.destroy()
  }
})

test('the tape is virtual: over a million trades, only the visible rows are recorded; wheel and keys scroll it', async () => {
  const t = await openTerminal({ history: 1_000_000 })
  try {
    t.frame()
    const { tape } = t.terminal
    const store = t.terminal.chart.store
    assert.ok(store.length >= 1_000_000, `${store.length} trades`)
    assert.is(tape.drawnRows, tape.visibleRows, 'rows recorded = rows in view')
    const inTape = [tape.rect.x + 50, tape.rect.y + 200]
    t.push(InputKind.PointerMove, 0, ...inTape)
    t.frame()
    const top0 = tape.tradeOfRow(0)
    t.push(InputKind.Wheel, 0, ...inTape, 0, -2) // down two notches: 6 rows
    t.frame()
    assert.is(tape.tradeOfRow(0), top0 - 6, 'six rows down (new trades do not move the view)')
    t.push(InputKind.KeyDown, 78, 0, 0) // Page Down
    t.frame()
    assert.is(tape.tradeOfRow(0), top0 - 6 - (tape.visibleRows - 1))
    // Scrolled away from the top, the same trade stays in the top row while new ones arrive.
    const top = tape.tradeOfRow(0)
    const before = store.length
    for (let i = 0; i < 5; i++) t.frame()
    assert.ok(store.length > before, 'new trades arrived')
    assert.is(tape.tradeOfRow(0), top)
    t.push(InputKind.KeyDown, 74, 0, 0) // Home
    t.frame()
    assert.is(tape.scroll, 0)
    assert.is(tape.tradeOfRow(0), store.length - 1)
    assert.is(tape.drawnRows, tape.visibleRows)
  } finally {
    t.engine.destroy()
  }
})

test('the price chart: the wheel zooms about the pointer, a drag pans into the past, End goes live; the crosshair follows the pointer', async () => {
  const t = await openTerminal()
  try {
    t.frame()
    const { chart, crosshair } = t.terminal
    const p = chart.plot
    assert.ok(chart.follow)
    const span0 = chart.x1 - chart.x0
    const px = p.x + Math.round(p.w / 2)
    const py = p.y + 100
    t.push(InputKind.PointerMove, 0, px, py)
    t.frame()
    t.push(InputKind.Wheel, 0, px, py, 0, 3) // zoom in while live: the live edge stays
    t.frame()
    assert.ok(chart.x1 - chart.x0 < span0 * 0.7, 'narrower view')
    assert.ok(chart.follow && chart.x1 >= chart.store.lastTime, 'still live')
    // Drag right by 200 px: the view moves back in time by 200 px worth.
    const x0 = chart.x0
    const perPx = (chart.x1 - chart.x0) / p.w
    t.push(InputKind.ButtonDown, 1, px, py)
    t.push(InputKind.PointerMove, 0, px + 120, py)
    t.push(InputKind.PointerMove, 0, px + 200, py)
    t.push(InputKind.ButtonUp, 1, px + 200, py)
    t.frame()
    assert.ok(!chart.follow, 'panned away from live')
    assert.ok(Math.abs(chart.x0 - (x0 - 200 * perPx)) < perPx * 2, `x0 moved by 200 px (${(x0 - chart.x0) / perPx})`)
    // Zoom out about the pointer: the time under it stays put.
    const atPointer = chart.xAxis.fromPx(px + 200)
    const span1 = chart.x1 - chart.x0
    t.push(InputKind.Wheel, 0, px + 200, py, 0, -2)
    t.frame()
    assert.ok(chart.x1 - chart.x0 > span1 * 1.3, 'wider view')
    assert.ok(Math.abs(chart.xAxis.fromPx(px + 200) - atPointer) < (chart.x1 - chart.x0) * 0.01, 'the time under the pointer stays put')
    // The crosshair: a vertical line at the pointer in the crosshair colour.
    assert.ok(crosshair.visible)
    const png = await t.shot()
    const cx = px + 200
    let hits = 0
    for (let y = p.y + 10; y < p.y + p.h - 10; y += 17) if (near(t.pixel(png, cx, y), rgb(COLOR.cross), 2)) hits++
    assert.ok(hits > 10, `vertical crosshair line at x=${cx} (${hits} samples)`)
    t.push(InputKind.KeyDown, 77, 0, 0) // End
    t.frame()
    assert.ok(chart.follow)
    assert.ok(chart.x1 >= chart.store.lastTime)
    // 'L': candles -> the line of every trade (a GPU line series): the line's colour appears in most columns.
    const lineColumns = (img) => {
      let n = 0
      for (let x = p.x + 4; x < p.x + p.w - 40; x += 8) {
        for (let y = p.y; y < p.y + p.h - chart.volumeH; y++) {
          if (near(t.pixel(img, x, y), rgb(COLOR.line), 40)) {
            n++
            break
          }
        }
      }
      return n
    }
    assert.is(CHART_MODES[chart.mode], 'candles')
    assert.is(lineColumns(await t.shot()), 0, 'no line in candle mode')
    assert.is(chart.line.series, null, 'the line\'s series is not built before the line is shown')
    t.push(InputKind.KeyDown, 15, 0, 0)
    t.frame()
    assert.is(CHART_MODES[chart.mode], 'line')
    // The GPU series is filled from the held trades a slice a frame, then drawn.
    for (let i = 0; i < 30 && !chart.lineReady; i++) t.frame()
    assert.ok(chart.lineReady, 'the series caught up with the trades')
    assert.is(chart.line.series.length, chart.store.length)
    const columns = lineColumns(await t.shot())
    assert.ok(columns > (p.w - 44) / 8 * 0.8, `the line crosses the plot (${columns} columns)`)
  } finally {
    t.engine.destroy()
  }
})

test('npm start without a display runs the terminal headless, writes a screenshot and prints a summary', () => {
  const cwd = Fs.mkdtempSync(Path.join(out, 'start-'))
  const env = { ...process.env }
  delete env.DISPLAY
  const r = spawnSync(process.execPath, [Path.join(root, 'examples/trading-terminal/start.mjs'), '--frames', '8', '--history', '20000', '--sync-feed'], {
    cwd, encoding: 'utf8', env, timeout: 180000,
  })
  assert.is(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /trading terminal: 8 frames at 1280x720 \(headless\)/)
  assert.match(r.stdout, /record p50 [\d.]+ \/ p99 [\d.]+ ms/)
  const png = decodePNG(Fs.readFileSync(Path.join(cwd, 'trading-terminal.png')))
  assert.is(png.width, 1280)
})

test('terminal flags are split from the shared app flags and checked', () => {
  const { opts, rest } = parseTerminalArgs(['--seed', '7', '--headless', '--sync-feed', '--frames', '3', '--history', '10'])
  assert.equal(rest, ['--headless', '--frames', '3'])
  assert.is(opts.seed, 7)
  assert.is(opts.syncFeed, true)
  assert.is(opts.history, 10)
  for (const bad of [['--seed'], ['--seed', 'x'], ['--history', '0'], ['--replay']]) {
    assert.throws(() => parseTerminalArgs(bad), (e) => e.code === ErrorCode.CLI_USAGE, bad.join(' '))
  }
})

test.run()
