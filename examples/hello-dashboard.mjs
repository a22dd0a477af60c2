#!/usr/bin/env node
// A small dashboard built on the engine: panels (rects), a 10,000-point price line (one
// polyline, M4-decimated to the chart's pixel columns by createSeries), a grid of moving markers
// (sprites), labels (text), and the HUD when windowed.
// Everything moves by frame index, so `--frames N` renders the same picture every run.
//
//   node examples/hello-dashboard.mjs                      # a window
//   node examples/hello-dashboard.mjs --headless --frames 10 --screenshot out.png --json
//   node examples/hello-dashboard.mjs --latency-probe      # top-left square flips on key press
import { pathToFileURL } from 'node:url'
import {
  runApp, rgba,
  createRectBatcher, createLineBatcher, createSpriteBatcher, createTextBatcher, createHud, createSeries,
  createRectStyle, createLineStyle, createSpriteStyle, createTextStyle,
} from 'framelatch'
import { mulberry32Float } from 'framelatch/random'

const POINTS = 10_000

/** Deterministic random walk (mulberry32), so the reference image never changes. */
function priceSeries(n, seed) {
  const rand = mulberry32Float(seed)
  const out = new Float64Array(n)
  let p = 100
  for (let i = 0; i < n; i++) {
    p += (rand() - 0.5) * 0.8
    out[i] = p
  }
  return out
}

/** The app (importable: the soak benchmark runs this same scene). */
export const dashboard = {
  title: 'framelatch: hello dashboard',
  width: 480,
  height: 320,
  engine: { clearColor: [0.06, 0.07, 0.09, 1] },
  setup(engine, args) {
    const q = engine.queue
    const rects = createRectBatcher(q, { layer: 0 })
    const lines = createLineBatcher(q, { layer: 1 })
    const sprites = createSpriteBatcher(q, { layer: 2 })
    const text = createTextBatcher(q, { layer: 3, pixelSize: 14 })
    const hud = args.headless ? null : createHud(q, {})
    const series = priceSeries(POINTS, 42)
    let lo = Infinity
    let hi = -Infinity
    for (const v of series) {
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
    const chart = { x: 16, y: 48, w: 448, h: 160 }
    // The visible window scrolls through the series and wraps around: keep two copies end to end
    // (x = point index) so every window is one contiguous x range of the series.
    const dense = createSeries({ capacity: POINTS * 2 })
    for (let i = 0; i < POINTS * 2; i++) dense.push(i, series[i % POINTS])
    // 10,000 points over 448 pixel columns is ~22 a column: drawing them all cost ~16 ms a frame
    // on llvmpipe for the same pixels. M4 decimation keeps the first, lowest, highest and last
    // point of each column, so the drawn envelope is the same.
    const points = new Float32Array(2 * (4 * chart.w + 2)) // preallocated; rewritten in place each frame
    // Styles are made once and reused every frame (colours are 0xRRGGBBAA; rgba() builds one from 0..1).
    const header = createRectStyle({ fill: rgba(0.12, 0.14, 0.18, 1), border: rgba(0.3, 0.34, 0.4, 1), borderWidth: 1, radius: 4 })
    const panel = createRectStyle({ fill: rgba(0.09, 0.1, 0.13, 1), border: rgba(0.25, 0.28, 0.33, 1), borderWidth: 1, radius: 4 })
    const price = createLineStyle({ color: rgba(0.3, 0.85, 0.5, 1), thickness: 1.5, join: 'bevel' })
    const markers = [0, 1, 2, 3].map((row) => createSpriteStyle({ tint: rgba(0.9, 0.5 + row * 0.1, 0.2, 1) }))
    const title = createTextStyle({ color: rgba(0.9, 0.92, 0.95, 1) })
    const quote = createTextStyle({ color: rgba(0.3, 0.85, 0.5, 1), align: 'right' })
    engine.onFrame((f) => {
      // Panels with borders.
      rects.add(8, 8, f.width - 16, 32, header)
      rects.add(8, 44, f.width - 16, 168, panel)
      rects.add(8, 216, f.width - 16, f.height - 224, panel)
      // The price line: the visible window scrolls by 25 points a frame.
      const shift = f.index * 25
      const x0 = shift % POINTS
      const n = dense.decimate(x0, x0 + POINTS - 1, chart.w, points)
      for (let i = 0; i < n; i++) {
        // (x − x0, price) → pixels
        points[i * 2] = chart.x + (points[i * 2] / (POINTS - 1)) * chart.w
        points[i * 2 + 1] = chart.y + chart.h - ((points[i * 2 + 1] - lo) / (hi - lo)) * chart.h
      }
      lines.polyline(points, n, price)
      // Moving markers.
      for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 24; col++) {
          const x = 20 + col * 18 + ((f.index * (row + 1)) % 18)
          const y = 228 + row * 18
          sprites.add(x, y, 10, 10, (f.index + col) * 0.05, markers[row])
        }
      }
      text.draw('framelatch  BTC-USD', 16, 30, title)
      text.draw(`${series[shift % POINTS].toFixed(2)}`, f.width - 16, 30, quote)
      if (hud) {
        hud.push(f.dtMs, 0)
        hud.draw(f.width - 260, f.height - 110)
      }
    })
  },
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runApp(dashboard)
