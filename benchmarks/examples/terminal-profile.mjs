// Where the trading terminal's frame goes (issue 10): one 1280x720 window of the terminal, feed in
// the logic worker at 2,000 updates/s as in terminal.bench.mjs, and a list of variants that
// switch parts of the scene off (a panel, all text, the candles...). The variants take turns in
// blocks of BLOCK frames inside the same run (the first SETTLE frames of a block are dropped), so
// the machine's load falls on all of them alike; each row is frame cost (record start to swap
// return) and its flush and swap parts, p50 and p99. Not a benchmark of the suite (no .bench in
// the name): a tool to find what to cut.
//
// Run: node benchmarks/examples/terminal-profile.mjs [--frames N] [--only a,b,c]
import Os from 'node:os'
import { createAreaStyle, createLineSeries, createLineStyle, createRectBatcher, runApp } from 'framelatch'
import { Stage, ensureDisplay } from 'framelatch/low-level'
import { terminalApp } from '../../examples/trading-terminal/main.mjs'

await ensureDisplay()

const BLOCK = 24
const SETTLE = 4
const WARMUP = 90

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i < 0 ? dflt : process.argv[i + 1]
}
const totalFrames = Number(arg('--frames', '2400'))

const noop = () => {}
/** Replaces `obj[key]` with `fn` and returns the undo. */
function patch(obj, key, fn) {
  const had = Object.prototype.hasOwnProperty.call(obj, key)
  const old = obj[key]
  obj[key] = fn
  return () => {
    if (had) obj[key] = old
    else delete obj[key]
  }
}
/** Makes `panel.draw` run with the given [object, method] pairs switched off. */
function during(panel, ...pairs) {
  const draw = panel.draw
  return patch(panel, 'draw', function (...a) {
    const undo = pairs.map(([o, k]) => patch(o, k, noop))
    try { return draw.apply(this, a) } finally { undo.forEach((u) => u()) }
  })
}
/** Switches the chart to line mode ('L'), the line's series caught up first. */
function lineMode(t) {
  const c = t.chart
  while (c.line.catchUp(c.store, Infinity) > 0);
  const undo = patch(c, 'mode', 1)
  c.viewVersion++
  return () => {
    undo()
    c.viewVersion++
  }
}
const panelOff = (name) => (t) => patch(t[name], 'draw', noop)

const VARIANTS = {
  all: () => noop,
  'no header': panelOff('header'),
  'no chart': panelOff('chart'),
  'no depth': panelOff('depth'),
  'no book': panelOff('book'),
  'no tape': panelOff('tape'),
  'no panels': (t) => {
    const undo = ['header', 'chart', 'depth', 'book', 'tape'].map((n) => patch(t[n], 'draw', noop))
    return () => undo.forEach((u) => u())
  },
  'no text': (t) => {
    const undo = [t.kit.text, t.kit.big].flatMap((b) => [patch(b, 'draw', noop), patch(b, 'drawCodes', noop)])
    return () => undo.forEach((u) => u())
  },
  'no fills': (t) => patch(t.kit.fills, 'add', noop),
  'no book text': (t) => during(t.book, [t.kit.text, 'drawCodes'], [t.kit.text, 'draw']),
  'no book fills': (t) => during(t.book, [t.kit.fills, 'add']),
  'no tape text': (t) => during(t.tape, [t.kit.text, 'drawCodes'], [t.kit.text, 'draw']),
  // The same rectangles through the rounded-box shader (solid: false) instead of the solid one.
  'fills: rounded-box shader': (t) => {
    const undo = [patch(t.kit, 'fills', alt.fills), patch(t.kit, 'panels', alt.panels)]
    return () => undo.forEach((u) => u())
  },
  'line mode': lineMode,
  // The depth chart as it was drawn before: two line series filled and outlined.
  'depth: line series': (t) => {
    const d = t.depth
    const undo = [patch(d, 'stepFills', noop), patch(d, 'stepOutline', noop)]
    const draw = d.draw
    undo.push(patch(d, 'draw', function (ctx) {
      draw.call(this, ctx)
      const m = d.view.matrix
      for (let s = 0; s < 2; s++) {
        const ser = alt.depth[s]
        ser.clear()
        ser.appendMany(d.xs[s], d.ys[s], d.count[s])
        ser.fill(m, alt.area[s], s === 0 ? -120 : 0, s === 0 ? 0 : 120)
        ser.draw(m, alt.line[s], s === 0 ? -120 : 0, s === 0 ? 0 : 120)
      }
    }))
    return () => undo.forEach((u) => u())
  },
  'no candles': (t) => patch(t.chart.gpu, 'draw', noop),
}

/** Counts, over the next frame, rect pixels (w × h summed) and characters drawn per panel. */
const counts = {}
function countNextFrame(t) {
  const undo = []
  for (const name of ['header', 'chart', 'depth', 'book', 'tape']) {
    const c = counts[name] = { rects: 0, rectPx: 0, chars: 0 }
    const k = t.kit
    const add = k.fills.add
    const draw = t[name].draw
    undo.push(patch(t[name], 'draw', function (...a) {
      const u = [
        patch(k.fills, 'add', function (x, y, w, h, st) { c.rects++; c.rectPx += w * h; return add.call(this, x, y, w, h, st) }),
        ...[k.text, k.big].flatMap((b) => {
          const dc = b.drawCodes
          const dr = b.draw
          return [
            patch(b, 'drawCodes', function (codes, n, ...r) { c.chars += n; return dc.call(this, codes, n, ...r) }),
            patch(b, 'draw', function (str, ...r) { c.chars += str.length; return dr.call(this, str, ...r) }),
          ]
        }),
      ]
      try { return draw.apply(this, a) } finally { u.forEach((x) => x()) }
    }))
  }
  setTimeout(() => undo.forEach((u) => u()), 40)
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

const only = arg('--only', null)
const names = only ? only.split(',') : Object.keys(VARIANTS)
const samples = Object.fromEntries(names.map((n) => [n, { cost: [], flush: [], swap: [], record: [], draws: 0, n: 0 }]))
let terminal = null
/** Alternative batchers some variants swap in (made at setup, on the terminal's queue). */
const alt = {}
let undo = noop
let counted = 0
const variantOf = new Int32Array(totalFrames + 2).fill(-1)
const opts = { seed: 1, replay: null, syncFeed: false, history: 1_000_000, rate: 2000, damage: false }
const app = terminalApp(opts, (t, engine) => {
  terminal = t
  alt.fills = createRectBatcher(engine.queue, { layer: t.kit.fills.layer, translucent: false, capacity: 2048, label: 'profile fills (rounded box)' })
  alt.depth = [0, 1].map(() => createLineSeries(engine.queue, { layer: 1, sequenced: true, capacity: 1024, originX: 0, clip: t.depth.plotClip }))
  alt.area = [0x142b20ff, 0x30171aff].map((color) => createAreaStyle({ color, baseline: 0 }))
  alt.line = [0x33cc73ff, 0xed4d4dff].map((color) => createLineStyle({ color, thickness: 1.5, join: 'miter' }))
  alt.panels = createRectBatcher(engine.queue, { layer: t.kit.panels.layer, translucent: false, label: 'profile panels (rounded box)' })
})
const setup = app.setup
const loadBefore = Os.loadavg()[0]
await runApp({
  ...app,
  async setup(engine, args) {
    await setup(engine, args)
    engine.onFrame((f) => {
      const t = engine.trace
      const prev = f.index - 1
      if (prev > WARMUP && variantOf[prev] >= 0) {
        const s = samples[names[variantOf[prev]]]
        s.cost.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.RecordStart, 1))
        s.record.push(t.get(Stage.RecordEnd, 1) - t.get(Stage.RecordStart, 1))
        s.flush.push(t.get(Stage.FlushEnd, 1) - t.get(Stage.RecordEnd, 1))
        s.swap.push(t.get(Stage.SwapReturn, 1) - t.get(Stage.FlushEnd, 1))
      }
      // Choose the next frame's variant (terminal.frame of this frame has already recorded).
      const next = f.index + 1
      const block = Math.floor(next / BLOCK)
      const v = block % names.length
      if (next % BLOCK === 0) {
        undo()
        undo = VARIANTS[names[v]](terminal)
      }
      if (next % BLOCK >= SETTLE) variantOf[next] = v
      // Count one frame of the first variant after the warm-up.
      if (next > WARMUP && v === 0 && next % BLOCK === SETTLE && counted++ === 0) countNextFrame(terminal)
    })
  },
}, ['--frames', String(totalFrames), '--width', '1280', '--height', '720'])

const sorted = (a) => a.filter(Number.isFinite).sort((x, y) => x - y)
const cell = (a) => { const s = sorted(a); return `${pct(s, 50).toFixed(2)} / ${pct(s, 99).toFixed(2)}` }
console.log(`| variant | frames | cost p50 / p99 | record | flush | swap |\n|---|---:|---:|---:|---:|---:|`)
for (const n of names) {
  const s = samples[n]
  console.log(`| ${n} | ${s.cost.length} | ${cell(s.cost)} | ${cell(s.record)} | ${cell(s.flush)} | ${cell(s.swap)} |`)
}
console.log('counts over one frame (rect pixels = sum of w × h of kit.fills):', JSON.stringify(counts))
console.log(`load average ${loadBefore.toFixed(1)} before, ${Os.loadavg()[0].toFixed(1)} after; LP_NUM_THREADS=${process.env.LP_NUM_THREADS ?? '(default)'}`)
process.exit(0)
