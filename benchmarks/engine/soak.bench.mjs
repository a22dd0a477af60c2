// Soak: the hello-dashboard example (examples/hello-dashboard.mjs, the same scene and flags),
// headless, paced at 60 Hz, plus a logic worker at 240 Hz publishing a price and a 200-level
// book that every frame reads. Every sample interval (10 s; 2 s with --quick) the process is
// garbage-collected and RSS, V8 heap and the device's live GL objects are recorded. Reported:
// heap and RSS growth from the end of the warm-up to the end (goal: heap <= 1 %), whether the
// GL object counts stayed constant, frames and logic steps; the samples are plotted as a PNG
// drawn by framelatch itself (benchmarks/engine/soak.png). The heap is also split into compiled
// code and data: V8 keeps compiling the frame path for thousands of frames (code space grew
// ~80 KB over the first 4,000 frames, then stopped, while the old space stayed flat), which is
// not a leak, so the goal is judged on the data heap and the total is reported beside it.
//
// Duration: 10 minutes, 30 s with --quick; FRAMELATCH_SOAK_SECONDS overrides both.
// Run directly: node --expose-gc benchmarks/engine/soak.bench.mjs [--quick]
import Fs from 'node:fs'
import v8 from 'node:v8'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  runApp, createEngine, createSharedState, defineStateSchema, createLineBatcher, createRectBatcher, createTextBatcher,
  createLineStyle, createRectStyle, createTextStyle, rgba,
} from 'framelatch'
import { dashboard } from '../../examples/hello-dashboard.mjs'

const PLOT = fileURLToPath(new URL('./soak.png', import.meta.url))

export async function run({ quick = false } = {}) {
  if (typeof globalThis.gc !== 'function') throw new Error('soak: run with node --expose-gc (benchmarks/run.mjs does)')
  const seconds = Number(process.env.FRAMELATCH_SOAK_SECONDS ?? (quick ? 30 : 600))
  const sampleMs = quick ? 2000 : 10_000
  // Heap and code caches settle over the first minute (JIT tiers, pools sized to the scene).
  const warmupS = Math.min(quick ? 10 : 60, seconds / 3)
  const state = createSharedState(defineStateSchema({ price: 'f64', book: { type: 'f32', length: 200 }, steps: 'u32' }))
  const samples = []
  let priceSeen = 0
  const started = Date.now()
  const summary = await runApp({
    ...dashboard,
    engine: { ...dashboard.engine, state },
    async setup(engine, args) {
      await dashboard.setup(engine, args)
      const worker = await engine.startLogic({ module: new URL('./soak-logic.mjs', import.meta.url), hz: 240 })
      engine.onFrame((f) => {
        if (f.state !== null) priceSeen = f.state.views.price[0]
      })
      const t0 = performance.now()
      const sample = () => {
        globalThis.gc()
        const m = process.memoryUsage()
        // Compiled code grows while V8 optimises the frame path and levels off; it is not data.
        const code = v8.getHeapSpaceStatistics().filter((sp) => sp.space_name.startsWith('code')).reduce((a, sp) => a + sp.space_used_size, 0)
        samples.push({
          t: (performance.now() - t0) / 1000, rss: m.rss, heap: m.heapUsed, data: m.heapUsed - code, code, external: m.external,
          gl: { ...engine.device.liveResources }, frames: engine.frameCount, steps: worker.steps, status: worker.status,
        })
      }
      sample()
      const timer = setInterval(sample, sampleMs)
      setTimeout(() => {
        clearInterval(timer)
        sample()
        void engine.stop()
      }, seconds * 1000)
    },
  }, ['--headless'])
  const wallS = (Date.now() - started) / 1000
  const figures = analyse(samples, warmupS, seconds)
  await plot(samples, warmupS)
  const mb = (b) => (b / 2 ** 20).toFixed(1)
  const first = samples.find((s) => s.frames > 0) ?? samples[0]
  const last = samples[samples.length - 1]
  const glList = (g) => `${g.buffers} buffers, ${g.textures} textures, ${g.programs} programs, ${g.pipelines} pipelines, ${g.renderTargets} targets`
  const markdown = [
    `The hello-dashboard example headless at 60 Hz plus a logic worker at 240 Hz (price + 200-level book, read every frame), ` +
      `${seconds} s${quick ? ' (--quick)' : ''}, sampled every ${sampleMs / 1000} s after a forced GC. Growth is measured from the end ` +
      `of the ${warmupS} s warm-up to the last sample. Goal: heap growth <= 1 %, GL object counts constant.`,
    '',
    '| figure | value |',
    '|---|---:|',
    `| duration (s) | ${wallS.toFixed(0)} |`,
    `| frames rendered | ${summary.frames} (${(summary.frames / seconds).toFixed(1)}/s) |`,
    `| logic steps | ${last.steps} (${(last.steps / seconds).toFixed(0)}/s), worker ${last.status} |`,
    `| V8 heap after warm-up → end (MB) | ${mb(figures.heapBase)} → ${mb(last.heap)} (${figures.heapGrowthPct.toFixed(2)} %) |`,
    `| of which data (heap minus compiled code) | ${mb(figures.dataBase)} → ${mb(last.data)}: ${figures.dataGrowthPct.toFixed(2)} % ${figures.dataGrowthPct <= 1 ? '(goal met)' : '(GOAL MISSED)'} |`,
    `| of which compiled code (JIT, levels off) | ${mb(figures.codeBase)} → ${mb(last.code)} |`,
    `| largest data-heap sample after warm-up vs its start | ${figures.dataPeakPct.toFixed(2)} % |`,
    `| RSS after warm-up → end (MB) | ${mb(figures.rssBase)} → ${mb(last.rss)} (${figures.rssGrowthPct.toFixed(2)} %) |`,
    `| GL objects | ${glList(first.gl)}; ${figures.glConstant ? 'constant in all' : 'CHANGED across'} ${samples.length} samples |`,
    `| last price read by the render thread | ${priceSeen.toFixed(3)} |`,
    '',
    `![RSS and heap over the soak](benchmarks/engine/soak.png)`,
  ].join('\n')
  return { title: 'Soak: dashboard + 240 Hz logic', markdown, figures, samples: samples.map((x) => ({ t: x.t, rss: x.rss, heap: x.heap, frames: x.frames })) }
}

function analyse(samples, warmupS, seconds) {
  const after = samples.filter((s) => s.t >= warmupS)
  const base = after[0] ?? samples[0]
  const last = samples[samples.length - 1]
  const withFrames = samples.filter((s) => s.frames > 0)
  const key = (g) => JSON.stringify(g)
  return {
    seconds,
    heapBase: base.heap,
    rssBase: base.rss,
    heapGrowthPct: ((last.heap - base.heap) / base.heap) * 100,
    dataBase: base.data,
    codeBase: base.code,
    dataGrowthPct: ((last.data - base.data) / base.data) * 100,
    dataPeakPct: ((Math.max(...after.map((s) => s.data)) - base.data) / base.data) * 100,
    rssGrowthPct: ((last.rss - base.rss) / base.rss) * 100,
    glConstant: withFrames.every((s) => key(s.gl) === key(withFrames[0].gl)),
    samples: samples.length,
  }
}

/**
 * Draws RSS and the V8 data heap (MB) against time (s) with framelatch's own batchers, one panel each with
 * its own scale (so a 1 % heap drift is visible), the warm-up end marked, and writes the PNG.
 */
async function plot(samples, warmupS) {
  const W = 640
  const H = 400
  const engine = await createEngine({ headless: true, width: W, height: H, vblank: false, clearColor: [0.06, 0.07, 0.09, 1] })
  try {
    const rects = createRectBatcher(engine.queue, { layer: 0 })
    const marks = createRectBatcher(engine.queue, { layer: 1 })
    const lines = createLineBatcher(engine.queue, { layer: 1 })
    const text = createTextBatcher(engine.queue, { layer: 2, pixelSize: 13 })
    const tMax = Math.max(1, samples[samples.length - 1].t)
    const panels = [
      { name: 'RSS', pick: (s) => s.rss, color: [0.35, 0.65, 1], box: { x: 70, y: 40, w: W - 90, h: 140 } },
      { name: 'V8 heap after GC, compiled code excluded', pick: (s) => s.data, color: [0.3, 0.85, 0.5], box: { x: 70, y: 220, w: W - 90, h: 140 } },
    ]
    // Styles made once (the batchers' style API); colours 0xRRGGBBAA from 0..1 channels.
    const title = createTextStyle({ color: rgba(0.85, 0.87, 0.9, 1) })
    const axisRight = createTextStyle({ color: rgba(0.7, 0.72, 0.76, 1), align: 'right' })
    const axisCenter = createTextStyle({ color: rgba(0.7, 0.72, 0.76, 1), align: 'center' })
    const box = createRectStyle({ fill: rgba(0.09, 0.1, 0.13, 1), border: rgba(0.3, 0.33, 0.38, 1), borderWidth: 1 })
    const mark = createRectStyle({ fill: rgba(0.75, 0.75, 0.8, 1) })
    for (const p of panels) {
      p.line = createLineStyle({ color: rgba(...p.color, 1), thickness: 2, join: 'bevel' })
      p.label = createTextStyle({ color: rgba(...p.color, 1) })
    }
    engine.onFrame(() => {
      text.draw('framelatch soak: MB over time (s); dashed: end of warm-up', 12, 22, title)
      for (const p of panels) {
        const b = p.box
        const values = samples.map((s) => p.pick(s) / 2 ** 20)
        const lo = Math.min(...values)
        const hi = Math.max(...values)
        const pad = Math.max((hi - lo) * 0.15, hi * 0.005)
        const y0 = lo - pad
        const y1 = hi + pad
        const px = (t) => b.x + (t / tMax) * b.w
        const py = (v) => b.y + b.h - ((v - y0) / (y1 - y0)) * b.h
        rects.add(b.x, b.y, b.w, b.h, box)
        for (let y = b.y; y < b.y + b.h; y += 8) marks.add(px(warmupS) - 1, y, 2, 4, mark)
        const pts = new Float32Array(samples.length * 2)
        values.forEach((v, i) => {
          pts[i * 2] = px(samples[i].t)
          pts[i * 2 + 1] = py(v)
        })
        lines.polyline(pts, samples.length, p.line)
        text.draw(`${p.name}: ${values[values.length - 1].toFixed(2)} MB at the end`, b.x + 8, b.y + 18, p.label)
        for (let i = 0; i <= 2; i++) {
          const v = y0 + ((y1 - y0) * i) / 2
          text.draw(v.toFixed(v < 20 ? 2 : 1), b.x - 6, py(v) + 4, axisRight)
        }
        for (let i = 0; i <= 4; i++) text.draw(`${((tMax * i) / 4).toFixed(0)}`, px((tMax * i) / 4), b.y + b.h + 16, axisCenter)
      }
    })
    engine.renderFrame()
    Fs.writeFileSync(PLOT, await engine.screenshot())
  } finally {
    engine.destroy()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run({ quick: process.argv.includes('--quick') })
  console.log(`## ${r.title}\n\n${r.markdown}`)
}
