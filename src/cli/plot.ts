/**
 * Charts drawn by framelatch itself (a headless engine with the rect, line and text batchers),
 * for `framelatch latency --png` and `framelatch bench`: histograms, cumulative distributions and
 * horizontal bar charts laid out in a grid of panels, written as one PNG.
 *
 * Not a hot path: each call builds one engine, renders one frame and destroys it.
 */
import { createEngine } from '../engine/engine.js'
import { createRectBatcher, createRectStyle } from '../draw/rect-batcher.js'
import { createLineBatcher, createLineStyle } from '../draw/line-batcher.js'
import { createTextBatcher, createTextStyle } from '../draw/text-batcher.js'
import { rgba } from '../draw/color.js'
import type { TextAlign } from '../text/layout.js'

export type Rgb = readonly [number, number, number]

export interface PlotSeries {
  label: string
  values: readonly number[]
  color?: Rgb
}

export type PlotPanel =
  | { kind: 'histogram'; title: string; unit: string; series: readonly PlotSeries[]; bins?: number }
  | { kind: 'cdf'; title: string; unit: string; series: readonly PlotSeries[] }
  | { kind: 'bars'; title: string; unit: string; bars: readonly { label: string; value: number; color?: Rgb }[] }

export interface PlotDesc {
  /** Panel size in pixels. Default 560x320. */
  panelWidth?: number
  panelHeight?: number
  /** Panels per row. Default 2. */
  columns?: number
}

/** Colours series and bars take in turn. */
export const PALETTE: readonly Rgb[] = [
  [0.30, 0.75, 0.95], [0.95, 0.55, 0.25], [0.45, 0.85, 0.45], [0.90, 0.35, 0.45],
  [0.70, 0.55, 0.95], [0.95, 0.85, 0.35], [0.55, 0.80, 0.80], [0.80, 0.80, 0.80],
]

const TEXT: Rgb = [0.88, 0.9, 0.93]
const MUTED: Rgb = [0.55, 0.58, 0.63]
const GRID: Rgb = [0.18, 0.2, 0.24]

/** A "nice" axis maximum at or above `v` (1, 2 or 5 times a power of ten). */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1
  const p = Math.pow(10, Math.floor(Math.log10(v)))
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)
}

/** Renders the panels into one PNG (headless; starts Xvfb when there is no display). */
export async function renderPlotPng(panels: readonly PlotPanel[], desc: PlotDesc = {}): Promise<Buffer> {
  const pw = desc.panelWidth ?? 560
  const ph = desc.panelHeight ?? 320
  const cols = Math.max(1, Math.min(desc.columns ?? 2, panels.length))
  const rows = Math.ceil(panels.length / cols)
  const engine = await createEngine({ headless: true, width: pw * cols, height: ph * rows, clearColor: [0.07, 0.08, 0.1, 1] })
  try {
    const q = engine.queue
    const rects = createRectBatcher(q, { layer: 0 })
    const lines = createLineBatcher(q, { layer: 1 })
    const text = createTextBatcher(q, { layer: 2, pixelSize: 13 })
    // One frame is drawn: reusable styles set before each draw keep the calls short.
    const panelStyle = createRectStyle({ fill: rgba(0.1, 0.11, 0.14, 1), border: rgba(0.22, 0.24, 0.28, 1), borderWidth: 1, radius: 4 })
    const fillStyle = createRectStyle()
    const lineStyle = createLineStyle({ thickness: 1 })
    const textStyle = createTextStyle()
    const rect = (x: number, y: number, w: number, h: number, c: Rgb, a = 1): void => {
      fillStyle.fill = rgba(c[0], c[1], c[2], a)
      rects.add(x, y, w, h, fillStyle)
    }
    const segment = (x0: number, y0: number, x1: number, y1: number, c: Rgb): void => {
      lineStyle.color = rgba(c[0], c[1], c[2], 1)
      lines.segment(x0, y0, x1, y1, lineStyle)
    }
    const label = (s: string, x: number, y: number, c: Rgb, align: TextAlign = 'left'): void => {
      textStyle.color = rgba(c[0], c[1], c[2], 1)
      textStyle.align = align
      text.draw(s, x, y, textStyle)
    }
    engine.onFrame(() => {
      panels.forEach((panel, i) => {
        const ox = (i % cols) * pw
        const oy = Math.floor(i / cols) * ph
        rects.add(ox + 6, oy + 6, pw - 12, ph - 12, panelStyle)
        label(panel.title, ox + 18, oy + 26, TEXT)
        const area = { x: ox + 64, y: oy + 44, w: pw - 64 - 24, h: ph - 44 - 48 }
        if (panel.kind === 'bars') drawBars(panel, area)
        else drawDistribution(panel, area)
      })
    })

    function axes(area: { x: number; y: number; w: number; h: number }, xMax: number, yMax: number, xUnit: string, yFmt: (v: number) => string): void {
      segment(area.x, area.y + area.h, area.x + area.w, area.y + area.h, MUTED)
      segment(area.x, area.y, area.x, area.y + area.h, MUTED)
      for (let k = 0; k <= 4; k++) {
        const x = area.x + (area.w * k) / 4
        const y = area.y + area.h - (area.h * k) / 4
        segment(x, area.y + area.h, x, area.y + area.h + 4, MUTED)
        label(fmt((xMax * k) / 4), x, area.y + area.h + 18, MUTED, 'center')
        if (k > 0) segment(area.x, y, area.x + area.w, y, GRID)
        label(yFmt((yMax * k) / 4), area.x - 6, y + 4, MUTED, 'right')
      }
      label(xUnit, area.x + area.w, area.y + area.h + 36, MUTED, 'right')
    }

    function legend(series: readonly PlotSeries[], area: { x: number; y: number; w: number }): void {
      series.forEach((s, k) => {
        const c = s.color ?? PALETTE[k % PALETTE.length]!
        const y = area.y + 4 + k * 16
        rect(area.x + area.w - 180, y, 10, 10, c)
        label(s.label, area.x + area.w - 164, y + 10, TEXT)
      })
    }

    function drawDistribution(panel: Extract<PlotPanel, { kind: 'histogram' | 'cdf' }>, area: { x: number; y: number; w: number; h: number }): void {
      const all = panel.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)))
      const xMax = niceMax(all.length ? Math.max(...all) : 1)
      if (panel.kind === 'cdf') {
        axes(area, xMax, 1, panel.unit, (v) => `${Math.round(v * 100)}%`)
        panel.series.forEach((s, k) => {
          const c = s.color ?? PALETTE[k % PALETTE.length]!
          const v = s.values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
          if (v.length === 0) return
          // A step curve: (x_i, i/n) → (x_i, (i+1)/n) for every sorted value.
          const pts = new Float32Array(v.length * 4 + 2)
          pts[0] = area.x
          pts[1] = area.y + area.h
          let n = 1
          v.forEach((x, i) => {
            const px = area.x + (x / xMax) * area.w
            pts[n * 2] = px
            pts[n * 2 + 1] = area.y + area.h - (i / v.length) * area.h
            pts[n * 2 + 2] = px
            pts[n * 2 + 3] = area.y + area.h - ((i + 1) / v.length) * area.h
            n += 2
          })
          lines.polyline(pts, n, createLineStyle({ color: rgba(c[0], c[1], c[2], 1), thickness: 1.5, join: 'bevel' }))
        })
      } else {
        const bins = panel.bins ?? 40
        const counts = panel.series.map((s) => {
          const h = new Array<number>(bins).fill(0)
          for (const x of s.values) if (Number.isFinite(x)) h[Math.min(bins - 1, Math.floor((x / xMax) * bins))]!++
          return h
        })
        const yMax = niceMax(Math.max(1, ...counts.flat()))
        axes(area, xMax, yMax, panel.unit, (v) => v.toFixed(0))
        const bw = area.w / bins / panel.series.length
        counts.forEach((h, k) => {
          const c = panel.series[k]!.color ?? PALETTE[k % PALETTE.length]!
          h.forEach((count, b) => {
            if (count === 0) return
            const hh = (count / yMax) * area.h
            rect(area.x + (area.w * b) / bins + k * bw, area.y + area.h - hh, Math.max(1, bw - 1), hh, c, 0.9)
          })
        })
      }
      legend(panel.series, area)
    }

    function drawBars(panel: Extract<PlotPanel, { kind: 'bars' }>, area: { x: number; y: number; w: number; h: number }): void {
      const labelW = 150
      const xMax = niceMax(Math.max(0, ...panel.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))))
      const inner = { x: area.x - 64 + labelW, y: area.y, w: area.w + 64 - labelW, h: area.h }
      axes(inner, xMax, 0, panel.unit, () => '')
      const rowH = inner.h / Math.max(1, panel.bars.length)
      panel.bars.forEach((b, k) => {
        const c = b.color ?? PALETTE[k % PALETTE.length]!
        const y = inner.y + k * rowH
        const w = Number.isFinite(b.value) ? (b.value / xMax) * inner.w : 0
        rect(inner.x, y + rowH * 0.15, Math.max(1, w), rowH * 0.7, c)
        label(b.label, inner.x - 8, y + rowH / 2 + 4, TEXT, 'right')
        label(Number.isFinite(b.value) ? fmt(b.value) : 'n/a', inner.x + w + 6, y + rowH / 2 + 4, TEXT)
      })
    }

    engine.renderFrame()
    return await engine.screenshot()
  } finally {
    engine.destroy()
  }
}
