// Panning a 100,000-point line: the view moves every frame. Two pairs, each measured in the same
// run on one context:
// 1. framelatch's line batcher (thick, joined, anti-aliased segments through the draw queue):
//    recompute every point's pixel position in JS and draw it (what a user had to do before view
//    transforms), against drawing the same data-unit points through a view transform whose matrix
//    is the only thing that changes. The queue still streams the segments every frame (it is
//    immediate mode), so the saving is the JS recompute.
// 2. A retained vertex buffer (1 px GL line strip, one program following the view-transform
//    convention, `viewShaderGLSL`): re-upload the 100k pixel positions every frame, against
//    uploading once and sending only the matrix (`createViewBlock` / `setViewBlock`: 3 vec4 slots).
// Before/after a change to the line batcher: `--baseline <dir>` (or `run({ baseline })`) adds pair
// 1 drawn by another build's dist (e.g. main's, built into /tmp) as a third pair, on the same
// context in the same run, taking turns frame by frame with the others. Only src/gl must agree
// between the builds (the baseline's queue draws through this build's Device).
// Run directly: `node benchmarks/draw/pan.bench.mjs [--quick] [--baseline <dist dir>]`;
// `benchmarks/run.mjs` collects it (without a baseline).
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createViewTransform } from '../../dist/core/view-transform.js'
import { viewShaderGLSL, createViewBlock, setViewBlock } from '../../dist/draw/view-transform.js'
import { LINE_FLOATS } from '../../dist/draw/line-shader.js'
import { mulberry32Float } from '../../test/support/prng.mjs'
import { fmtMs, median, openBenchGL, pixelDiffs } from '../support/gl.mjs'

const N = 100_000
const W = 512
const H = 256
const VISIBLE = 50_000 // points across the width
const STEP = 37 // points panned per frame

/** A random walk: x = index (data units), y = price. */
function series() {
  const next = mulberry32Float(11)
  const pts = new Float32Array(N * 2)
  let p = 100
  for (let i = 0; i < N; i++) {
    p += (next() - 0.5) * 0.4
    pts[2 * i] = i
    pts[2 * i + 1] = p
  }
  return pts
}

const VERT = (viewGLSL) => `precision highp float;
${viewShaderGLSL(viewGLSL)}
attribute vec2 a_pos;
void main() { gl_Position = flPixelToClip(flViewPoint(a_pos)); }`
const FRAG = 'precision mediump float; void main() { gl_FragColor = vec4(0.3, 0.85, 0.5, 1.0); }'

/** The line batcher modules of the dist directory `dir` (this build's when `dir` is null). */
async function lineModules(dir) {
  const at = (f) => (dir === null ? `../../dist/${f}` : pathToFileURL(Path.resolve(dir, f)).href)
  const [q, v, l] = await Promise.all([at('core/queue.js'), at('core/view-transform.js'), at('draw/line-batcher.js')].map((u) => import(u)))
  return { createQueue: q.createQueue, createViewTransform: v.createViewTransform, createLineBatcher: l.createLineBatcher, createLineStyle: l.createLineStyle }
}

export async function run({ quick = false, baseline = null } = {}) {
  const { device, gl, close } = await openBenchGL(W)
  device.resize(W, H)
  const pts = series()
  let lo = Infinity, hi = -Infinity
  for (let i = 0; i < N; i++) { lo = Math.min(lo, pts[2 * i + 1]); hi = Math.max(hi, pts[2 * i + 1]) }
  const pass = { clearColor: [0, 0, 0, 1], viewport: [0, 0, W, H] }
  const view = createViewTransform()
  /** Sets `v` to the view of frame f: VISIBLE points across the width, starting STEP * f points in (wrapping). */
  const setView = (f, v = view) => {
    const x0 = (f * STEP) % (N - VISIBLE)
    v.fitRange(x0, x0 + VISIBLE, lo, hi, 0, 0, W, H)
  }
  const scratch = new Float32Array(N * 2)
  const toPixels = () => {
    const m = view.matrix
    const sx = m[0], sy = m[4], tx = m[6], ty = m[7]
    for (let i = 0; i < N; i++) {
      scratch[2 * i] = pts[2 * i] * sx + tx
      scratch[2 * i + 1] = pts[2 * i + 1] * sy + ty
    }
  }

  // ------------------------------------------------------------ pair 1: the line batcher
  /** Pair 1 drawn by the line batcher of `m` (lineModules) on its own queue. */
  const linePair = (m) => {
    const queue = m.createQueue(device, { payloadCapacity: N * LINE_FLOATS + 4096 })
    const ownView = m.createViewTransform()
    const style = m.createLineStyle({ color: 0x4dd980ff, thickness: 1 })
    const plain = m.createLineBatcher(queue)
    const viewed = m.createLineBatcher(queue, { transform: ownView })
    return {
      queue,
      flush: () => queue.flush(pass),
      recompute: (f) => {
        setView(f)
        toPixels()
        plain.polyline(scratch, N, style)
      },
      transform: (f) => {
        setView(f, ownView)
        viewed.polyline(pts, N, style)
      },
    }
  }
  const lines = linePair(await lineModules(null))
  const queue = lines.queue
  const old = baseline === null ? null : linePair(await lineModules(baseline))

  // ------------------------------------------------------------ pair 2: a retained buffer
  const block = createViewBlock()
  const program = device.createProgram({ vertex: VERT(block.glsl), fragment: FRAG, name: 'pan bench strip' })
  const glProgram = device.programInfo(program).program
  const aPos = gl.getAttribLocation(glProgram, 'a_pos')
  const identity = createViewTransform()
  const dynamicBuf = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, dynamicBuf)
  gl.bufferData(gl.ARRAY_BUFFER, scratch.byteLength, gl.STREAM_DRAW)
  const staticBuf = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, staticBuf)
  gl.bufferData(gl.ARRAY_BUFFER, pts, gl.STATIC_DRAW) // uploaded once
  let uploaded = 0
  const strip = (buf, transform) => {
    device.state.invalidate()
    device.state.bindVertexArray(null)
    gl.bindFramebuffer(gl.FRAMEBUFFER, null)
    gl.viewport(0, 0, W, H)
    gl.clearColor(0, 0, 0, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    gl.useProgram(glProgram)
    setViewBlock(block, W, H, transform)
    if (block.upload(gl, glProgram)) uploaded += block.stats.lastSlotCount * 16
    gl.bindBuffer(gl.ARRAY_BUFFER, buf)
    gl.enableVertexAttribArray(aPos)
    gl.vertexAttribPointer(aPos, 2, gl.FLOAT, false, 0, 0)
    gl.drawArrays(gl.LINE_STRIP, 0, N)
  }
  const retainedReupload = (f) => {
    setView(f)
    toPixels()
    gl.bindBuffer(gl.ARRAY_BUFFER, dynamicBuf)
    gl.bufferData(gl.ARRAY_BUFFER, scratch.byteLength, gl.STREAM_DRAW) // orphan
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, scratch)
    uploaded += scratch.byteLength
  }
  const retainedTransform = (f) => setView(f)

  const contenders = [
    { name: 'line batcher: recompute 100k pixel positions in JS, `polyline`, flush', prepare: lines.recompute, submit: lines.flush, pair: 1, queue },
    { name: 'line batcher with a view transform: `fitRange`, `polyline` of the data-unit points, flush', prepare: lines.transform, submit: lines.flush, pair: 1, queue },
    { name: 'retained buffer: recompute and re-upload 100k positions (800 KB), 1 draw', prepare: retainedReupload, submit: () => strip(dynamicBuf, identity), pair: 2 },
    { name: 'retained buffer uploaded once + view transform: only the matrix is sent, 1 draw', prepare: retainedTransform, submit: () => strip(staticBuf, view), pair: 2 },
  ]
  if (old !== null) {
    contenders.push(
      { name: `baseline build (${baseline}): line batcher, recompute, \`polyline\`, flush`, prepare: old.recompute, submit: old.flush, pair: 3, queue: old.queue },
      { name: `baseline build (${baseline}): line batcher with a view transform`, prepare: old.transform, submit: old.flush, pair: 3, queue: old.queue },
    )
  }
  for (const c of contenders) c.frame = (f) => { c.prepare(f); c.submit() }

  // Correctness: each pair draws the same image for the same frame.
  const images = contenders.map((c) => {
    c.frame(5)
    gl.finish()
    return device.readPixels(0, 0, W, H)
  })
  const diffs = [pixelDiffs([images[0], images[1]])[1], pixelDiffs([images[2], images[3]])[1]]
  // Against the baseline build: the same frame's image of each line batcher contender.
  const baseDiffs = old === null ? [] : [pixelDiffs([images[0], images[4]])[1], pixelDiffs([images[1], images[5]])[1]]

  const rounds = quick ? 2 : 4
  const frames = quick ? 5 : 20
  const warm = quick ? 3 : 8
  const times = contenders.map(() => [])
  const cpu = contenders.map(() => [])
  const bytes = contenders.map(() => 0)
  // Contenders take turns frame by frame (after their warm-up), so load from other processes
  // falls on all of them alike; the bytes are those of each contender's last measured frame.
  let f = 0
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) for (let i = 0; i < warm; i++) c.frame(f++)
    gl.finish()
    for (let i = 0; i < frames; i++) {
      contenders.forEach((c, k) => {
        uploaded = 0
        const t0 = performance.now()
        c.prepare(f++)
        const t1 = performance.now()
        c.submit()
        gl.finish()
        times[k].push(performance.now() - t0)
        cpu[k].push(t1 - t0)
        bytes[k] = c.queue !== undefined ? c.queue.stats.bytesUploaded : uploaded
      })
    }
  }
  const med = times.map(median)
  const medCpu = cpu.map(median)

  let md = `Panning a ${N.toLocaleString('en')}-point line (${VISIBLE.toLocaleString('en')} points across a ${W}x${H} headless ` +
    `target, moved ${STEP} points every frame). Pair 1 draws through the line batcher (1 px anti-aliased segments, miter ` +
    'joins): recomputing pixel positions in JS every frame, against the same data-unit points through a view transform. ' +
    'The queue is immediate mode, so both stream the segments through its ring each frame; the transform saves the JS ' +
    'recompute. Pair 2 draws a 1 px GL line strip from a vertex buffer with a program that follows the view-transform ' +
    'convention: re-uploading the recomputed positions every frame, against a buffer uploaded once and only the matrix ' +
    `sent. Images within each pair differ in ${diffs[0]} and ${diffs[1]} pixels (float rounding of the two paths). ` +
    '"ms / frame" runs from the view update to the return of `gl.finish()`; "prepare" is the JS before any draw: the view ' +
    'update, the recompute and recording (pair 1) or the recompute and the upload calls (pair 2). ' +
    `GL is ANGLE over Mesa llvmpipe, a CPU rasteriser, on a machine shared with other work while measured. Median of ${rounds} ` +
    `rounds × ${frames} frames, the contenders taking turns frame by frame, after ${warm} warm-up frames each.\n\n` +
    '| contender | ms / frame (median) | ÷ first of its pair | prepare, ms (median) | bytes sent / frame |\n|---|---:|---:|---:|---:|\n'
  contenders.forEach((c, k) => {
    const base = c.pair === 1 ? 0 : c.pair === 2 ? 2 : 4
    md += `| ${c.name} | ${fmtMs(med[k])} | ${(med[k] / med[base]).toFixed(2)}x | ${fmtMs(medCpu[k])} | ${bytes[k].toLocaleString('en')} |\n`
  })
  md += `\nWith a retained buffer a pan sends ${bytes[3]} bytes (the changed matrix slots) instead of ${bytes[2].toLocaleString('en')}, ` +
    `and its JS before the draw is ${fmtMs(medCpu[3])} ms instead of ${fmtMs(medCpu[2])} ms; the frame (${fmtMs(med[3])} vs ${fmtMs(med[2])} ms) ` +
    'is llvmpipe rasterising 100k segments either way. Through the line batcher the transform removes the JS recompute ' +
    `(prepare ${fmtMs(medCpu[0])} → ${fmtMs(medCpu[1])} ms) but not the streaming of the segments through the ring ` +
    `(${bytes[1].toLocaleString('en')} bytes a frame), which only retained geometry drawn with this convention removes; ` +
    `its frame measured ${(med[1] / med[0]).toFixed(2)}x the recomputed one's (llvmpipe runs the vertex shader, and so the ` +
    'transform, on the CPU: four points per line vertex).\n'
  if (old !== null) {
    md += `\nAgainst the baseline build: this build's frame is ${(med[0] / med[4]).toFixed(2)}x (recompute) and ` +
      `${(med[1] / med[5]).toFixed(2)}x (view transform) the baseline's, CPU before the draw ${(medCpu[0] / medCpu[4]).toFixed(2)}x and ` +
      `${(medCpu[1] / medCpu[5]).toFixed(2)}x; images differ from the baseline's in ${baseDiffs[0]} and ${baseDiffs[1]} pixels.\n`
    old.queue.destroy()
  }
  queue.destroy()
  device.destroyProgram(program)
  gl.deleteBuffer(dynamicBuf)
  gl.deleteBuffer(staticBuf)
  close()
  return { title: 'Panning: view transforms against re-uploading (draw/pan)', markdown: md }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--baseline')
  const r = await run({ quick: process.argv.includes('--quick'), baseline: at < 0 ? null : process.argv[at + 1] })
  console.log(r.markdown)
}
