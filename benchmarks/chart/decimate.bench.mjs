// Dense-series decimation: what a frame of panning a 1,000,000-point line chart costs on the CPU
// before any GL call. `DenseSeries.decimate` (M4 from a min/max pyramid) versus a linear M4 scan
// of the visible points (the usual hand-written decimation) versus no decimation (copying every
// visible point into a Float32Array for upload, as a naive full-upload polyline does).
// Run directly: `node benchmarks/chart/decimate.bench.mjs [--quick]`.
import { Bench } from 'tinybench'
import { pathToFileURL } from 'node:url'
import { createSeries } from '../../dist/chart/decimate.js'
import { mulberry32Float } from '../../test/support/prng.mjs'

const N = 1_000_000
const COLUMNS = 1280

/** Linear M4: one pass over the visible points, first/min/max/last per column. */
function linearM4(xs, ys, x0, x1, columns, out) {
  let lo = 0, hi = xs.length
  while (lo < hi) { const m = (lo + hi) >>> 1; if (xs[m] < x0) lo = m + 1; else hi = m }
  let i = lo
  let count = 0
  const w = (x1 - x0) / columns
  for (let c = 0; c < columns; c++) {
    const colEnd = x0 + w * (c + 1)
    if (i >= xs.length || xs[i] >= colEnd) continue
    const first = i
    let iMin = i, iMax = i
    for (; i < xs.length && xs[i] < colEnd; i++) {
      if (ys[i] < ys[iMin]) iMin = i
      if (ys[i] > ys[iMax]) iMax = i
    }
    const last = i - 1
    const a = iMin < iMax ? iMin : iMax
    const b = iMin < iMax ? iMax : iMin
    for (const k of [first, a, b, last]) { out[2 * count] = xs[k] - x0; out[2 * count + 1] = ys[k]; count++ }
  }
  return count
}

export async function run({ quick = false } = {}) {
  const rand = mulberry32Float(5)
  const series = createSeries({ capacity: N })
  const xs = new Float64Array(N)
  const ys = new Float64Array(N)
  let y = 100
  for (let i = 0; i < N; i++) {
    y += rand() - 0.5
    xs[i] = 1_700_000_000_000 + i * 10
    ys[i] = y
    series.push(xs[i], y)
  }
  const out = new Float32Array(2 * (4 * COLUMNS + 2))
  const all = new Float32Array(2 * N)
  // A pan: each call moves the visible window (half the series) by 1/200 of its width.
  const span = (xs[N - 1] - xs[0]) / 2
  let frame = 0
  const windowAt = () => {
    const t = (frame++ % 200) / 200
    return xs[0] + t * span
  }
  const bench = new Bench({ time: quick ? 200 : 1000, warmupTime: quick ? 50 : 200 })
  let sink = 0
  bench
    .add('DenseSeries.decimate (M4 from the min/max pyramid)', () => {
      const x0 = windowAt()
      sink += series.decimate(x0, x0 + span, COLUMNS, out)
    })
    .add('linear M4 scan of the visible points', () => {
      const x0 = windowAt()
      sink += linearM4(xs, ys, x0, x0 + span, COLUMNS, out)
    })
    .add('no decimation: copy every visible point for upload', () => {
      const x0 = windowAt()
      let n = 0
      for (let i = series.lowerBound(x0); i < N && xs[i] <= x0 + span; i++) { all[2 * n] = xs[i] - x0; all[2 * n + 1] = ys[i]; n++ }
      sink += n
    })
  await bench.run()
  if (sink < 0) console.log(sink)
  const med = (t) => t.result.latency.p50 // ms
  const base = med(bench.tasks[0])
  let md = `Panning a ${N.toLocaleString('en-US')}-point series (half of it visible) across ${COLUMNS} pixel columns: CPU ` +
    'time per frame to produce the vertices to upload, before any GL call. The pyramid keeps the min and max of aligned ' +
    'blocks of 8, 16, 32, … points, so a column costs O(log n) however many points it covers. Medians from tinybench ' +
    `(${quick ? 'quick run' : '1000 ms per task'}); ratio = time / time of the first row.\n\n` +
    '| method | ms per frame (median) | vertices | ratio |\n|---|---:|---:|---:|\n'
  const counts = [series.decimate(xs[0], xs[0] + span, COLUMNS, out), linearM4(xs, ys, xs[0], xs[0] + span, COLUMNS, out), N / 2]
  bench.tasks.forEach((t, k) => {
    md += `| ${t.name} | ${med(t).toFixed(3)} | ${Math.round(counts[k]).toLocaleString('en-US')} | ${(med(t) / base).toFixed(2)}x |\n`
  })
  return { title: 'Series decimation: panning 1,000,000 points', markdown: md }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
}
