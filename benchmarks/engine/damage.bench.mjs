// Damage-aware redraw: a dashboard-like 1280x720 frame of N panels (each a background, 48 bars,
// a 300-point polyline and 3 text lines) where one panel's data changes per frame. Contenders, in
// one headless engine each, same scene, same run:
//   full redraw     every panel recorded and drawn every frame (what an app does without panels);
//   damage-aware    engine.createPanel: the changed panel redrawn into the canvas, then the canvas
//                   shown with one quad;
//   nothing changed the same panels with no damage: the floor of the damage-aware path (one copy);
//   per-panel targets the other design, built here from public parts: a render target per panel,
//                   the changed one redrawn into its own, all N composited with one quad each.
// Frame cost = renderFrame() + gl.finish() (record + flush + present + the GPU work, which
// llvmpipe does on the CPU). Run directly: `node benchmarks/engine/damage.bench.mjs [--quick]`.
import { pathToFileURL } from 'node:url'
import {
  createEngine, createLineBatcher, createLineStyle, createRectBatcher, createRectStyle, createSpriteBatcher, createSpriteStyle, createTextBatcher, createTextStyle,
} from '../../dist/index.js'
import { fmtMs, median } from '../support/gl.mjs'

const W = 1280
const H = 720
const COLS = 6
const ROWS = 4
const BARS = 48
const POINTS = 300

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

/** One engine with the dashboard scene; `panels`: 'full', 'canvas' (createPanel) or 'targets'. */
async function contender(panels) {
  const engine = await createEngine({ headless: true, width: W, height: H, vblank: false, finish: true, clearColor: [0.05, 0.06, 0.08, 1] })
  const rects = createRectBatcher(engine.queue)
  const lines = createLineBatcher(engine.queue, { layer: 1 })
  const text = createTextBatcher(engine.queue, { layer: 2 })
  const bg = createRectStyle({ fill: 0x1e2430ff })
  const bar = createRectStyle({ fill: 0x3fa7ffff })
  const line = createLineStyle({ color: 0xffd23fff, thickness: 1.5 })
  const label = createTextStyle({ color: 0xe0e0e0ff })
  const pw = Math.floor(W / COLS)
  const ph = Math.floor(H / ROWS)
  const n = COLS * ROWS
  // Per-panel data: a version number that changes the bars and the series.
  const version = new Int32Array(n)
  const pts = new Float32Array(POINTS * 2)
  const drawPanel = (i, x, y) => {
    const v = version[i]
    rects.add(x + 2, y + 2, pw - 4, ph - 4, bg)
    const bw = (pw - 16) / BARS
    for (let b = 0; b < BARS; b++) {
      const h = ((b * 37 + v * 11 + i * 5) % 97) / 97 * (ph * 0.4)
      rects.add(x + 8 + b * bw, y + ph - 8 - h, bw - 1, h, bar)
    }
    for (let k = 0; k < POINTS; k++) {
      pts[k * 2] = x + 8 + (k / (POINTS - 1)) * (pw - 16)
      pts[k * 2 + 1] = y + 40 + (Math.sin((k + v * 3 + i) * 0.07) * 0.5 + 0.5) * (ph * 0.35)
    }
    lines.polyline(pts, POINTS, line)
    text.draw('PANEL', x + 8, y + 8, label)
    text.draw('last 101.25', x + 8, y + 22, label)
    text.draw('vol 12345', x + pw - 80, y + 8, label)
  }
  let frame = 0
  if (panels === 'targets') {
    const device = engine.device
    const targets = []
    const quads = []
    const flip = createSpriteStyle({ region: [0, 1, 1, 0] })
    const pass = { target: 0, clearColor: [0.05, 0.06, 0.08, 1] }
    for (let i = 0; i < n; i++) {
      const rt = device.createRenderTarget({ width: pw, height: ph })
      targets.push(rt)
      quads.push(createSpriteBatcher(engine.queue, { texture: device.renderTargetTexture(rt), translucent: false, sequenced: true }))
    }
    let dirty = -1
    let first = true
    engine.onFrame(() => {
      // Queue empty here: this contender records nothing before its own flushes.
      for (let i = 0; i < n; i++) {
        if (!first && i !== dirty) continue
        drawPanel(i, 0, 0)
        pass.target = targets[i]
        engine.queue.flush(pass)
      }
      first = false
      for (let i = 0; i < n; i++) quads[i].add((i % COLS) * pw, Math.floor(i / COLS) * ph, pw, ph, 0, flip)
    })
    return {
      engine,
      step() {
        dirty = frame % n
        version[dirty]++
        frame++
        engine.renderFrame()
      },
    }
  }
  if (panels === 'canvas') {
    const handles = []
    for (let i = 0; i < n; i++) {
      const x = (i % COLS) * pw
      const y = Math.floor(i / COLS) * ph
      handles.push(engine.createPanel({ x, y, w: pw, h: ph, background: [0.05, 0.06, 0.08, 1], draw: () => drawPanel(i, x, y) }))
    }
    return {
      engine,
      step(changes) {
        if (changes) {
          const i = frame % n
          version[i]++
          handles[i].invalidate()
        }
        frame++
        engine.renderFrame()
      },
    }
  }
  engine.onFrame(() => {
    for (let i = 0; i < n; i++) drawPanel(i, (i % COLS) * pw, Math.floor(i / COLS) * ph)
  })
  return {
    engine,
    step() {
      version[frame % n]++
      frame++
      engine.renderFrame()
    },
  }
}

async function measure(c, frames, changes) {
  for (let i = 0; i < 20; i++) c.step(changes)
  const t = new Float64Array(frames)
  for (let i = 0; i < frames; i++) {
    const s = performance.now()
    c.step(changes)
    t[i] = performance.now() - s
  }
  const sorted = Array.from(t).sort((a, b) => a - b)
  const mean = sorted.reduce((a, b) => a + b, 0) / frames
  return { p50: median(sorted), p99: percentile(sorted, 0.99), mean, fps: 1000 / mean }
}

export async function run({ quick = false } = {}) {
  const frames = quick ? 60 : 400
  const rows = []
  // Interleaved rounds so the load other processes put on the machine hits every contender.
  const results = { full: [], damage: [], idle: [], targets: [] }
  const rounds = quick ? 1 : 3
  for (let r = 0; r < rounds; r++) {
    for (const [key, panels, changes] of [['full', 'full', true], ['damage', 'canvas', true], ['idle', 'canvas', false], ['targets', 'targets', true]]) {
      const c = await contender(panels)
      results[key].push(await measure(c, frames, changes))
      if (panels === 'canvas') {
        const s = c.engine.damageStats
        if (s.panelsDrawn !== (changes ? 1 : 0)) throw new Error(`damage bench: ${s.panelsDrawn} panels drawn in the last frame`)
      }
      c.engine.destroy()
    }
  }
  const best = (k) => results[k].reduce((a, b) => (b.mean < a.mean ? b : a))
  const full = best('full')
  for (const [k, name] of [['full', 'full redraw (every panel every frame)'], ['damage', 'damage-aware (1 panel changes a frame)'], ['idle', 'damage-aware, nothing changes'], ['targets', 'per-panel render targets composited (1 changes)']]) {
    const m = best(k)
    rows.push(`| ${name} | ${fmtMs(m.p50)} | ${fmtMs(m.p99)} | ${fmtMs(m.mean)} | ${m.fps.toFixed(0)} | ${(m.mean / full.mean).toFixed(2)} |`)
  }
  const markdown = [
    `${COLS * ROWS} panels of ${W}x${H} (each: background, ${BARS} bars, a ${POINTS}-point polyline, 3 text lines); ` +
    `one panel's data changes per frame. Frame = renderFrame() + gl.finish() (the GPU work is llvmpipe's CPU time); ` +
    `${frames} frames, best of ${rounds} interleaved rounds by mean. The machine is shared with other work, so compare within this table.`,
    '',
    '| frame | p50 | p99 | mean | frames/s | cost vs full redraw |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
  return { title: 'Damage-aware redraw: a dashboard frame, one panel changing per frame', markdown }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
  process.exit(0)
}
