// 10k independent coloured quads a frame: framelatch's draw queue (record + sort + flush) vs regl
// batch mode vs a naive WebGL loop, on one @kmamal/gl context, same scene, same run.
// Run directly: `node benchmarks/quads.bench.mjs [--quick]` prints the markdown section;
// `benchmarks/run.mjs` imports `run` and collects the section into BENCHMARKS.md.
import { pathToFileURL } from 'node:url'
import { createQueue } from '../../dist/core/queue.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { rgba } from '../../dist/draw/color.js'
import { mulberry32Float } from '../../test/support/prng.mjs'
import { createRegl, fmtMs, librarySwitch, median, openBenchGL, pixelDiffs } from '../support/gl.mjs'

const N = 10_000
const SIZE = 256
const QUAD = 2 // px

/** The scene: N quads at fixed pseudo-random whole-pixel positions with fixed colours. */
function scene() {
  const next = mulberry32Float(42)
  const rect = new Float32Array(N * 4)
  const color = new Float32Array(N * 4)
  for (let i = 0; i < N; i++) {
    rect[i * 4] = Math.floor(next() * (SIZE - QUAD))
    rect[i * 4 + 1] = Math.floor(next() * (SIZE - QUAD))
    rect[i * 4 + 2] = QUAD
    rect[i * 4 + 3] = QUAD
    // Colours on a 1/8 grid are exact in 8 bits, so every renderer produces identical pixels.
    for (let k = 0; k < 3; k++) color[i * 4 + k] = Math.floor(next() * 8) / 8
    color[i * 4 + 3] = 1
  }
  return { rect, color }
}

// One shader body for all three: a unit quad placed in pixel coordinates (y down).
const PLACE = `gl_Position = vec4((r.xy + c * r.zw) / target * vec2(2.0, -2.0) + vec2(-1.0, 1.0), 0.0, 1.0);`
const FRAG = 'precision mediump float; varying vec4 v_color; void main() { gl_FragColor = v_color; }'
const UNIT_QUAD = new Float32Array([0, 0, 1, 0, 0, 1, 1, 1])

export async function run({ quick = false } = {}) {
  const { device, gl, close } = await openBenchGL(SIZE)
  const { rect, color } = scene()
  const pass = { clearColor: [0, 0, 0, 1] }

  // ------------------------------------------------------------ framelatch: a minimal quad batch
  const queue = createQueue(device, { capacity: N, payloadCapacity: N * 8 + 4096 })
  const program = device.createProgram({
    name: 'bench quads',
    vertex: `precision highp float;\n${queue.view.glsl}
      attribute vec2 a_corner; attribute vec4 a_rect; attribute vec4 a_color; varying vec4 v_color;
      void main() { vec2 c = a_corner; vec4 r = a_rect; vec2 target = view_target; v_color = a_color; ${PLACE} }`,
    fragment: FRAG,
  })
  const pipeline = device.createPipeline({
    program, primitive: 'triangle-strip',
    buffers: [{ step: 'vertex' }, { step: 'instance' }],
    attributes: [
      { name: 'a_corner', format: 'float2', buffer: 0 },
      { name: 'a_rect', format: 'float4', buffer: 1 },
      { name: 'a_color', format: 'float4', buffer: 1 },
    ],
  })
  const quadBuf = device.createBuffer({ data: UNIT_QUAD })
  const batch = queue.createBatch({ pipeline, geometry: quadBuf, vertexCount: 4, floatsPerInstance: 8, blocks: [queue.view] })
  // Distinct keys: quad i gets depth i/N (front to back) and the quads are recorded in reverse, so
  // the radix sort really reorders 10k keys and the merge copies every payload, yet the draw
  // order (and the image) matches the other contenders.
  const depth = new Float64Array(N)
  for (let i = 0; i < N; i++) depth[i] = i / N
  const recordQuads = (distinctKeys) => {
    for (let n = 0; n < N; n++) {
      const i = distinctKeys ? N - 1 - n : n
      const off = distinctKeys ? queue.record(batch, 1, 0, depth[i]) : queue.record(batch, 1)
      const p = queue.payload
      const j = i * 4
      p[off] = rect[j]; p[off + 1] = rect[j + 1]; p[off + 2] = rect[j + 2]; p[off + 3] = rect[j + 3]
      p[off + 4] = color[j]; p[off + 5] = color[j + 1]; p[off + 6] = color[j + 2]; p[off + 7] = color[j + 3]
    }
    queue.flush(pass)
  }
  const rects = createRectBatcher(queue, { translucent: false })
  const style = createRectStyle() // the fill is set per quad
  const hex = new Uint32Array(N) // each quad's colour as 0xRRGGBBAA
  for (let i = 0; i < N; i++) hex[i] = rgba(color[i * 4], color[i * 4 + 1], color[i * 4 + 2], 1)

  // ------------------------------------------------------------ regl batch mode
  const regl = createRegl(gl)
  const reglQuad = regl({
    vert: `precision highp float; attribute vec2 a_corner; uniform vec4 rect; uniform vec4 color; uniform vec2 target;
      varying vec4 v_color; void main() { vec2 c = a_corner; vec4 r = rect; v_color = color; ${PLACE} }`,
    frag: FRAG,
    attributes: { a_corner: regl.buffer(UNIT_QUAD) },
    uniforms: {
      rect: regl.prop('rect'), color: regl.prop('color'), target: [SIZE, SIZE],
    },
    primitive: 'triangle strip',
    count: 4,
    depth: { enable: false },
  })
  // regl's docs advise reusing props objects; each holds views into the scene arrays.
  const props = []
  for (let i = 0; i < N; i++) props.push({ rect: rect.subarray(i * 4, i * 4 + 4), color: color.subarray(i * 4, i * 4 + 4) })
  const reglFrame = () => {
    regl.clear({ color: [0, 0, 0, 1] })
    reglQuad(props)
  }

  // ------------------------------------------------------------ naive WebGL: uniforms + drawArrays per quad
  const naiveProgram = device.createProgram({
    name: 'bench naive',
    vertex: `precision highp float; attribute vec2 a_corner; uniform vec4 u_rect; uniform vec4 u_color; uniform vec2 u_target;
      varying vec4 v_color; void main() { vec2 c = a_corner; vec4 r = u_rect; vec2 target = u_target; v_color = u_color; ${PLACE} }`,
    fragment: FRAG,
  })
  const naivePipeline = device.createPipeline({ program: naiveProgram, primitive: 'triangle-strip', attributes: [{ name: 'a_corner', format: 'float2' }] })
  const uRect = device.uniformLocation(naiveProgram, 'u_rect')
  const uColor = device.uniformLocation(naiveProgram, 'u_color')
  const uTarget = device.uniformLocation(naiveProgram, 'u_target')
  const naiveBindings = { vertexBuffers: [quadBuf] }
  const naiveFrame = () => {
    device.beginPass(pass)
    device.applyPipeline(naivePipeline)
    device.applyBindings(naiveBindings)
    gl.uniform2f(uTarget, SIZE, SIZE)
    for (let i = 0; i < N; i++) {
      const j = i * 4
      gl.uniform4f(uRect, rect[j], rect[j + 1], rect[j + 2], rect[j + 3])
      gl.uniform4f(uColor, color[j], color[j + 1], color[j + 2], color[j + 3])
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4)
    }
    device.endPass()
  }

  const { useFramelatch, useRegl } = librarySwitch(device, regl)
  const contenders = [
    { name: 'framelatch queue (10k records of one batch, merged as recorded)', before: useFramelatch, frame: () => recordQuads(false) },
    { name: 'framelatch queue (10k distinct depth keys: radix-sorted, merged, staged copy)', before: useFramelatch, frame: () => recordQuads(true) },
    {
      name: 'framelatch rect batcher (border/rounded-corner shader)', before: useFramelatch,
      frame: () => {
        for (let i = 0; i < N; i++) {
          const j = i * 4
          style.fill = hex[i]
          rects.add(rect[j], rect[j + 1], rect[j + 2], rect[j + 3], style)
        }
        queue.flush(pass)
      },
    },
    { name: 'regl batch mode (`cmd(arrayOfProps)`)', before: useRegl, frame: reglFrame },
    { name: 'naive WebGL (2 × uniform4f + drawArrays per quad)', before: useFramelatch, frame: naiveFrame },
  ]

  // Correctness first: every contender must produce the same image.
  const images = []
  for (const c of contenders) {
    c.before()
    c.frame()
    gl.finish()
    images.push(device.readPixels(0, 0, SIZE, SIZE))
  }
  const diffs = pixelDiffs(images)
  const stats = {}
  queue.flush(pass) // empty frame, to read the stats of a recorded one below
  contenders[1].before()
  recordQuads(true)
  Object.assign(stats, queue.stats)

  // Interleaved rounds so drift on a noisy machine hits every contender alike.
  const rounds = quick ? 2 : 5
  const frames = quick ? 8 : 30
  const warm = quick ? 3 : 10
  const times = contenders.map(() => [])
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, k) => {
      c.before()
      for (let f = 0; f < warm; f++) c.frame()
      gl.finish()
      for (let f = 0; f < frames; f++) {
        const t0 = performance.now()
        c.frame()
        gl.finish()
        times[k].push(performance.now() - t0)
      }
    })
  }
  const med = times.map(median)
  const base = med[0]
  const reglMs = med[3]

  let md = `Compared: drawing ${N.toLocaleString('en')} independent ${QUAD}x${QUAD} px coloured quads per frame into a ${SIZE}x${SIZE} ` +
    'headless target, each frame recorded from scratch. All contenders run on one @kmamal/gl context in the same process, ' +
    'draw the same quads with the same vertex placement and the same fragment shader (except the rect batcher row), and ' +
    `produce identical images (pixels differing from the first row: ${diffs.join(', ')}). A frame is timed from the first ` +
    'record (or GL call) to the return of `gl.finish()`, so GPU work counts. GL here is ANGLE over Mesa llvmpipe, a CPU ' +
    'rasteriser: fill and triangle setup are part of every figure, which is why the quads and the target are small. ' +
    `Median of ${rounds} interleaved rounds × ${frames} frames after ${warm} warm-up frames per round.\n\n` +
    '| contender | ms / frame (median) | vs framelatch | regl batch mode ÷ this |\n|---|---:|---:|---:|\n'
  contenders.forEach((c, k) => {
    md += `| ${c.name} | ${fmtMs(med[k])} | ${(med[k] / base).toFixed(2)}x | ${(reglMs / med[k]).toFixed(2)}x |\n`
  })
  md += `\nframelatch with distinct keys: ${stats.commands} commands, ${stats.glDrawCalls} GL draw call, ` +
    `${stats.bytesUploaded.toLocaleString('en')} bytes streamed (one upload) per frame. regl batch mode and the naive loop make ` +
    `${N.toLocaleString('en')} draw calls per frame. Goal (issue 3): framelatch at least 5x faster than regl batch mode; ` +
    `measured ${(reglMs / base).toFixed(1)}x (one batch) and ${(reglMs / med[1]).toFixed(1)}x (distinct keys).\n`

  close(regl, queue)
  return { title: 'Quads: 10k independent coloured quads per frame', markdown: md }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
}
