/**
 * Draw throughput for `framelatch bench`: one headless engine (1280x720) renders each scene for a
 * number of frames through the public batchers; a frame's cost is `renderFrame()` plus
 * `gl.finish()`, so the GPU's (or llvmpipe's) work is inside the figure. Reported as p50/p99 ms
 * and items per ms at the p50.
 */
import { createEngine, type Engine } from '../engine/engine.js'
import { createRectBatcher, createRectStyle } from '../draw/rect-batcher.js'
import { createSpriteBatcher, createSpriteStyle } from '../draw/sprite-batcher.js'
import { createLineBatcher, createLineStyle } from '../draw/line-batcher.js'
import { createTextBatcher, createTextStyle } from '../draw/text-batcher.js'
import { rgba } from '../draw/color.js'
import { nowMs } from '../clock.js'

export interface DrawRow {
  name: string
  /** Label for plots. */
  short: string
  /** Items drawn per frame (rects, sprites, line points, glyph strings). */
  items: number
  frames: number
  p50: number
  p99: number
  /** Items per ms at the p50 frame cost. */
  itemsPerMs: number
}

interface Scene {
  name: string
  short: string
  items: number
  setup(engine: Engine): void
}

function scenes(): Scene[] {
  const W = 1280
  const H = 720
  return [
    {
      name: '10,000 rects', short: 'rects', items: 10_000,
      setup(e) {
        const rects = createRectBatcher(e.queue, { layer: 0 })
        const styles = Array.from({ length: 7 }, (_, k) => createRectStyle({ fill: rgba(k / 7, 0.5, 0.8, 1) }))
        e.onFrame((f) => {
          for (let i = 0; i < 10_000; i++) rects.add((i * 37 + f.index) % W, (i * 91) % H, 8, 6, styles[i % 7])
        })
      },
    },
    {
      name: '10,000 sprites (rotated, tinted)', short: 'sprites', items: 10_000,
      setup(e) {
        const sprites = createSpriteBatcher(e.queue, { layer: 0 })
        const styles = Array.from({ length: 5 }, (_, k) => createSpriteStyle({ tint: rgba(1, k / 5, 0.4, 1) }))
        e.onFrame((f) => {
          for (let i = 0; i < 10_000; i++) sprites.add((i * 37 + f.index) % W, (i * 91) % H, 10, 10, i * 0.01 + f.index * 0.02, styles[i % 5])
        })
      },
    },
    {
      name: '10,000-point polyline', short: 'polyline', items: 10_000,
      setup(e) {
        const lines = createLineBatcher(e.queue, { layer: 0 })
        const pts = new Float32Array(20_000)
        const style = createLineStyle({ color: rgba(0.3, 0.85, 0.5, 1), thickness: 1.5, join: 'bevel' })
        e.onFrame((f) => {
          for (let i = 0; i < 10_000; i++) {
            pts[i * 2] = (i / 9_999) * W
            pts[i * 2 + 1] = H / 2 + Math.sin(i * 0.05 + f.index * 0.1) * 200
          }
          lines.polyline(pts, 10_000, style)
        })
      },
    },
    {
      name: '200 text labels (20 chars)', short: 'text', items: 200,
      setup(e) {
        const text = createTextBatcher(e.queue, { layer: 0, pixelSize: 14 })
        const style = createTextStyle({ color: rgba(0.9, 0.9, 0.9, 1) })
        e.onFrame((f) => {
          for (let i = 0; i < 200; i++) text.draw('BTC-USD 10432.55 +1%', (i % 8) * 160, 20 + Math.floor(i / 8) * 26 + (f.index % 4), style)
        })
      },
    },
  ]
}

/** Renders each scene `frames` times after a few warm-up frames. */
export async function runDrawSuite(frames: number, onProgress?: (name: string, i: number, n: number) => void): Promise<DrawRow[]> {
  const rows: DrawRow[] = []
  const list = scenes()
  for (const [i, scene] of list.entries()) {
    onProgress?.(scene.name, i, list.length)
    const engine = await createEngine({ headless: true, width: 1280, height: 720 })
    try {
      scene.setup(engine)
      const times: number[] = []
      for (let k = 0; k < frames + 5; k++) {
        const t0 = nowMs()
        engine.renderFrame()
        engine.device.finish()
        if (k >= 5) times.push(nowMs() - t0)
      }
      times.sort((a, b) => a - b)
      const q = (p: number): number => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!
      rows.push({ name: scene.name, short: scene.short, items: scene.items, frames, p50: q(0.5), p99: q(0.99), itemsPerMs: scene.items / q(0.5) })
    } finally {
      engine.destroy()
    }
  }
  return rows
}
