// Retained GPU series against the alternatives, on one 1280x720 headless context in one run:
// - cold load: 166,650 points (uPlot's published benchmark size, 25 ms there) from arrays to the
//   first drawn frame (gl.finish() included);
// - panning 1,000,000 points: CPU per frame (record + flush, no finish) and the whole frame with
//   finish;
// - live: 2,000 points/s appended at 60 frames/s (34 points a frame) to a 166,650-point series
//   whose window follows the newest point: CPU per frame and bytes sent per frame.
// Contenders: `createLineSeries` (retained texture, min/max pyramid, transform); a naive
// full-upload polyline (every visible point mapped to pixels in JS and streamed each frame, what
// the 100k-point chart did); CPU M4 (`createSeries().decimate` + a line batcher polyline,
// the best path before retained series).
// Run directly: `node benchmarks/chart/series-gpu.bench.mjs [--quick]`.
import { pathToFileURL } from 'node:url'
import { ensureDisplay } from '../../dist/platform/xvfb.js'
import { createContext } from '../../dist/gl/context.js'
import { Device } from '../../dist/gl/device.js'
import { createQueue } from '../../dist/core/queue.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { createLineSeries } from '../../dist/draw/line-series.js'
import { createSeries } from '../../dist/chart/decimate.js'
import { SERIES_CHUNK } from '../../dist/draw/series-shader.js'
import { mulberry32Float } from '../../test/support/prng.mjs'

const W = 1280
const H = 720
const COLD = 166_650
const BIG = 1_000_000
const T0 = 1_700_000_000_000

function walk(n, seed) {
  const rand = mulberry32Float(seed)
  const xs = new Float64Array(n)
  const ys = new Float64Array(n)
  let y = 100
  for (let i = 0; i < n; i++) {
    y += rand() - 0.5
    xs[i] = T0 + i * 10
    ys[i] = y
  }
  return { xs, ys }
}

const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1]
const now = () => performance.now()

/** The transform of window x0..x1, y 50..150 onto the whole target (Float64Array mat3). */
function viewOf(m, x0, x1) {
  const sx = W / (x1 - x0)
  const sy = -H / 100
  m[0] = sx; m[1] = 0; m[2] = 0; m[3] = 0; m[4] = sy; m[5] = 0; m[6] = -sx * x0; m[7] = -sy * 150; m[8] = 1
  return m
}

/** Naive: every point of [i0, i1) mapped to pixels in JS into `out`, drawn as one polyline. */
function naiveFrame(lines, style, xs, ys, i0, i1, m, out) {
  let k = 0
  for (let i = i0; i < i1; i++) {
    out[k++] = m[0] * xs[i] + m[6]
    out[k++] = m[4] * ys[i] + m[7]
  }
  lines.polyline(out, i1 - i0, style)
}

function lowerBound(xs, x) {
  let lo = 0, hi = xs.length
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (xs[mid] < x) lo = mid + 1; else hi = mid }
  return lo
}

export async function run({ quick = false } = {}) {
  const xvfb = await ensureDisplay()
  const context = createContext({ width: W, height: H })
  const device = new Device(context.gl, { debug: false, width: W, height: H })
  // Each contender on its own queue: the naive polylines stream megabytes a frame and need a big
  // ring, which would make every other frame pay for orphaning it.
  const queue = createQueue(device)
  const naiveQueue = createQueue(device, { payloadCapacity: 1 << 23 })
  const lines = createLineBatcher(naiveQueue)
  const m4Queue = createQueue(device)
  const m4Lines = createLineBatcher(m4Queue)
  const style = createLineStyle({ thickness: 1.5, color: 0x4dd980ff, join: 'bevel' })
  const pass = { clearColor: [0, 0, 0, 1] }
  const m = new Float64Array(9)
  const rows = []
  try {
    // Warm the programs of both paths (compiled once per queue, not part of a load).
    {
      const s = createLineSeries(queue, { capacity: 1024 })
      s.appendMany([0, 1, 2], [0, 1, 0])
      s.draw(viewOf(m, 0, 2), style, 0, 2)
      queue.flush(pass)
      lines.segment(0, 0, 1, 1, style)
      naiveQueue.flush(pass)
      m4Lines.segment(0, 0, 1, 1, style)
      m4Queue.flush(pass)
      device.finish()
      s.destroy()
    }

    // ---------------------------------------------------------------- cold load
    const cold = walk(COLD, 7)
    const coldX0 = cold.xs[0]
    const coldX1 = cold.xs[COLD - 1]
    const tries = quick ? 5 : 15
    const coldSeries = []
    const coldNaive = []
    const coldM4 = []
    const pts = new Float32Array(2 * COLD)
    const m4out = new Float32Array(2 * (4 * W + 2))
    for (let t = 0; t < tries; t++) {
      let start = now()
      const s = createLineSeries(queue, { capacity: COLD })
      s.appendMany(cold.xs, cold.ys)
      s.draw(viewOf(m, coldX0, coldX1), style, coldX0, coldX1)
      queue.flush(pass)
      device.finish()
      coldSeries.push(now() - start)
      s.destroy()

      start = now()
      naiveFrame(lines, style, cold.xs, cold.ys, 0, COLD, viewOf(m, coldX0, coldX1), pts)
      naiveQueue.flush(pass)
      device.finish()
      coldNaive.push(now() - start)

      start = now()
      const d = createSeries({ capacity: COLD })
      d.pushMany(cold.xs, cold.ys)
      const n = d.decimate(coldX0, coldX1, W, m4out)
      const sx = W / (coldX1 - coldX0)
      for (let i = 0; i < n; i++) { m4out[2 * i] *= sx; m4out[2 * i + 1] = -H / 100 * m4out[2 * i + 1] + H / 100 * 150 }
      m4Lines.polyline(m4out, n, style)
      m4Queue.flush(pass)
      device.finish()
      coldM4.push(now() - start)
    }

    // ---------------------------------------------------------------- panning 1M
    const big = walk(BIG, 11)
    const series = createLineSeries(queue, { capacity: BIG })
    series.appendMany(big.xs, big.ys)
    const dense = createSeries({ capacity: BIG })
    dense.pushMany(big.xs, big.ys)
    const span = (big.xs[BIG - 1] - big.xs[0]) / 2
    const frames = quick ? 60 : 300
    const naiveFrames = quick ? 3 : 8
    const bigPts = new Float32Array(BIG + 4)
    // Contenders take turns frame by frame (the order flips every frame), so load that comes and
    // goes on the shared machine falls on all of them; 10 warm-up frames each are not counted
    // (none for fewer than 10 frames: the naive polyline).
    const pan = (count, contenders) => {
      const runs = contenders.map(() => ({ cpu: [], full: [], rec: [] }))
      const warm = count < 10 ? 0 : 10
      for (let f = 0; f < count + warm; f++) {
        const x0 = big.xs[0] + ((f % 200) / 200) * span
        for (let k = 0; k < contenders.length; k++) {
          const i = f & 1 ? contenders.length - 1 - k : k
          const { q, draw } = contenders[i]
          const start = now()
          draw(x0, x0 + span)
          const drawn = now()
          q.flush(pass)
          const recorded = now()
          device.finish()
          if (f >= warm) { runs[i].cpu.push(recorded - start); runs[i].full.push(now() - start); runs[i].rec.push(drawn - start) }
        }
      }
      return contenders.map(({ label, q }, i) => ({
        label, cpu: median(runs[i].cpu), full: median(runs[i].full), record: median(runs[i].rec), uploaded: q.stats.bytesUploaded,
      }))
    }
    let panSeriesBytes = 0
    const [panSeries, panM4] = pan(frames, [{
      label: 'retained series (createLineSeries)', q: queue, draw: (x0, x1) => {
        const before = series.stats.bytesUploaded
        series.draw(viewOf(m, x0, x1), style, x0, x1)
        panSeriesBytes = series.stats.bytesUploaded - before
      },
    }, {
      label: 'CPU M4 pyramid + line batcher (createSeries)', q: m4Queue, draw: (x0, x1) => {
        const n = dense.decimate(x0, x1, W, m4out)
        const sx = W / (x1 - x0)
        for (let i = 0; i < n; i++) { m4out[2 * i] *= sx; m4out[2 * i + 1] = -H / 100 * m4out[2 * i + 1] + H / 100 * 150 }
        m4Lines.polyline(m4out, n, style)
      },
    }])
    // The naive polyline takes about a second a frame: a few frames of its own.
    const [panNaive] = pan(naiveFrames, [{
      label: 'naive full-upload polyline', q: naiveQueue, draw: (x0, x1) => {
        naiveFrame(lines, style, big.xs, big.ys, lowerBound(big.xs, x0), lowerBound(big.xs, x1), viewOf(m, x0, x1), bigPts)
      },
    }])
    const panVertices = series.stats.lastPoints
    const panLevel = series.stats.lastLevel

    // ---------------------------------------------------------------- live appends
    const live = walk(COLD + 60 * 40, 13)
    const liveSeries = createLineSeries(queue, { capacity: COLD * 2 })
    liveSeries.appendMany(live.xs.subarray(0, COLD), live.ys.subarray(0, COLD))
    const perFrame = 34 // 2,000 points/s at 60 frames/s
    const liveFrames = quick ? 30 : 60
    const liveRun = (label, q, draw) => {
      const cpu = []
      const bytes = []
      let n = COLD
      for (let f = 0; f < liveFrames; f++) {
        const deviceBefore = device.stats.bytesUploaded
        const start = now()
        draw(n, n + perFrame)
        n += perFrame
        q.flush(pass)
        cpu.push(now() - start)
        device.finish()
        bytes.push(device.stats.bytesUploaded - deviceBefore)
      }
      return { label, cpu: median(cpu), bytes: median(bytes) }
    }
    const window = (n) => [live.xs[n - 1] - (COLD / 2) * 10, live.xs[n - 1]]
    const liveSeriesRow = liveRun('retained series: append 34 points + draw', queue, (from, to) => {
      liveSeries.appendMany(live.xs.subarray(from, to), live.ys.subarray(from, to))
      const [x0, x1] = window(to)
      liveSeries.draw(viewOf(m, x0, x1), style, x0, x1)
    })
    const livePts = new Float32Array(COLD + 4)
    const liveNaiveRow = liveRun('naive: re-upload the visible 83,325 points', naiveQueue, (from, to) => {
      const [x0, x1] = window(to)
      const i0 = lowerBound(live.xs.subarray(0, to), x0)
      naiveFrame(lines, style, live.xs, live.ys, i0, to, viewOf(m, x0, x1), livePts)
    })
    series.destroy()
    liveSeries.destroy()

    // ---------------------------------------------------------------- report
    const c = median(coldSeries)
    const cn = median(coldNaive)
    const cm = median(coldM4)
    let md = `One ${W}x${H} headless context (llvmpipe), release mode, ${quick ? 'quick run' : 'full run'}; medians. ` +
      'The machine is shared with other developers\' builds and tests, so absolute figures carry their load; ratios are within this run.\n\n' +
      `**Cold load of ${COLD.toLocaleString('en-US')} points to the first drawn frame** (arrays in memory → series built, sent, drawn, gl.finish; ${tries} tries; goal ≤ 25 ms, uPlot's figure):\n\n` +
      '| method | ms (median) | ratio |\n|---|---:|---:|\n' +
      `| retained series (createLineSeries: pyramid built, drawn level sent) | ${c.toFixed(2)} | 1.00x |\n` +
      `| CPU M4 (createSeries + decimate + line batcher) | ${cm.toFixed(2)} | ${(cm / c).toFixed(2)}x |\n` +
      `| naive full-upload polyline | ${cn.toFixed(2)} | ${(cn / c).toFixed(2)}x |\n\n` +
      `**Panning ${BIG.toLocaleString('en-US')} points** (half visible, the window moves 1/200 of its width a frame; the retained series and CPU M4 take turns frame by frame; CPU = record + flush before gl.finish; goal ≤ 2 ms CPU):\n\n` +
      '| method | CPU ms/frame | of which recording | frame ms with finish | bytes streamed/frame | CPU ratio |\n|---|---:|---:|---:|---:|---:|\n'
    for (const r of [panSeries, panM4, panNaive]) {
      md += `| ${r.label} | ${r.cpu.toFixed(3)} | ${r.record.toFixed(3)} | ${r.full.toFixed(2)} | ${r.uploaded.toLocaleString('en-US')} | ${(r.cpu / panSeries.cpu).toFixed(2)}x |\n`
    }
    // The vertex stage of the retained series' pan frame: what llvmpipe shades on the calling thread.
    const segments = panVertices - 1
    const blocksPerColumn = (span / 10 + 3) / W / 2 ** (panLevel + 1)
    const chunks = Math.ceil(segments / SERIES_CHUNK)
    md += `\nThe retained series drew ${panVertices.toLocaleString('en-US')} points (pyramid level ${panLevel}: blocks of ${2 ** (panLevel + 1)} raw points, ` +
      `${blocksPerColumn.toFixed(2)} blocks a pixel column, the coarsest level whose blocks fit in a column) for ${W} columns and sent ${panSeriesBytes} bytes of point data during the pan; ` +
      `the naive polyline ran ${naiveFrames} frames. On llvmpipe the flush's CPU time includes vertex shading and triangle setup, which run on the calling thread (a GPU does them itself): ` +
      `${segments.toLocaleString('en-US')} segments a frame, each 4 corners named by 6 indices (llvmpipe shades a corner two indices name once), so ${(4 * segments).toLocaleString('en-US')} vertices ` +
      `of 2 texel fetches each, in ${chunks} instances of ${SERIES_CHUNK} segments (the ${(chunks * SERIES_CHUNK - segments).toLocaleString('en-US')} unused segments of the last one are sent outside the clip volume before any fetch).\n\n` +
      `**Live: 2,000 points/s** (34 points a frame at 60 frames/s) appended to a ${COLD.toLocaleString('en-US')}-point series whose window (the newest ${(COLD / 2).toLocaleString('en-US')} points) follows them; ${liveFrames} frames:\n\n` +
      '| method | CPU ms/frame | bytes sent/frame | CPU ratio |\n|---|---:|---:|---:|\n' +
      `| ${liveSeriesRow.label} | ${liveSeriesRow.cpu.toFixed(3)} | ${liveSeriesRow.bytes.toLocaleString('en-US')} | 1.00x |\n` +
      `| ${liveNaiveRow.label} | ${liveNaiveRow.cpu.toFixed(3)} | ${liveNaiveRow.bytes.toLocaleString('en-US')} | ${(liveNaiveRow.cpu / liveSeriesRow.cpu).toFixed(2)}x |\n`
    rows.push(md)
  } finally {
    lines.destroy()
    m4Lines.destroy()
    m4Queue.destroy()
    naiveQueue.destroy()
    queue.destroy()
    device.destroy()
    context.destroy()
    xvfb?.stop()
  }
  return { title: 'Retained GPU series: cold load, panning 1,000,000 points, live appends', markdown: rows.join('\n') }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
  process.exit(0)
}
