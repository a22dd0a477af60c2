// 100k moving sprites a frame (positions and angles updated in JS every frame): framelatch's sprite
// batcher (one `add` per sprite, and the bulk path `reserve`/`commit`) vs regl instanced vs
// hand-written instancing (the floor), one @kmamal/gl context, same scene, same shader, same run.
// Run directly: `node benchmarks/sprites.bench.mjs [--quick]` prints the markdown section;
// `benchmarks/run.mjs` imports `run` and collects the section into BENCHMARKS.md.
import { pathToFileURL } from 'node:url'
import { createQueue } from '../../dist/core/queue.js'
import { createSpriteBatcher, createSpriteStyle, SPRITE_FLOATS, UNIT_QUAD_STRIP } from '../../dist/draw/sprite-batcher.js'
import { packColor, packHexColor } from '../../dist/draw/color.js'
import { mulberry32Float } from '../../test/support/prng.mjs'
import { createRegl, fmtMs, librarySwitch, median, openBenchGL, pixelDiffs } from '../support/gl.mjs'

const N = 100_000
const SIZE = 256
const SPRITE = 2 // px

/**
 * Moving sprites: position, velocity, angle, spin, colour (packed for the GPU, and as 0xRRGGBBAA
 * for `add`'s style). Every contender steps the same state.
 */
function makeScene() {
  const next = mulberry32Float(7)
  const s = {
    x: new Float32Array(N), y: new Float32Array(N), vx: new Float32Array(N), vy: new Float32Array(N),
    angle: new Float32Array(N), spin: new Float32Array(N), color: new Uint32Array(N), hex: new Uint32Array(N),
  }
  for (let i = 0; i < N; i++) {
    s.x[i] = next() * SIZE
    s.y[i] = next() * SIZE
    s.vx[i] = next() * 2 - 1
    s.vy[i] = next() * 2 - 1
    s.angle[i] = next() * 6.28
    s.spin[i] = next() * 0.1
    s.color[i] = packColor(next(), next(), next(), 1)
    s.hex[i] = packHexColor(s.color[i]) // the byte swap is its own inverse
  }
  return s
}

/** One simulation step for sprite i (inlined into each contender's loop by V8). */
function step(s, i) {
  let x = s.x[i] + s.vx[i]
  let y = s.y[i] + s.vy[i]
  if (x < 0) x += SIZE; else if (x >= SIZE) x -= SIZE
  if (y < 0) y += SIZE; else if (y >= SIZE) y -= SIZE
  s.x[i] = x
  s.y[i] = y
  s.angle[i] += s.spin[i]
}

// The hand-written floor and regl use framelatch's sprite shader (pixel placement, rotation about
// the centre, texture region, tint), with `target` as a plain uniform instead of the view block.
const VERT = `precision highp float;
uniform vec2 target;
attribute vec2 a_corner; attribute vec4 a_rect; attribute float a_rotation; attribute vec4 a_uv; attribute vec4 a_color;
varying vec2 v_uv; varying vec4 v_color;
void main() {
  vec2 half_size = a_rect.zw * 0.5;
  vec2 local = (a_corner - 0.5) * a_rect.zw;
  float c = cos(a_rotation); float s = sin(a_rotation);
  vec2 p = a_rect.xy + half_size + vec2(local.x * c - local.y * s, local.x * s + local.y * c);
  gl_Position = vec4(p.x / target.x * 2.0 - 1.0, 1.0 - p.y / target.y * 2.0, 0.0, 1.0);
  v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
  v_color = a_color;
}`
const FRAG = `precision mediump float; uniform sampler2D u_texture; varying vec2 v_uv; varying vec4 v_color;
void main() { gl_FragColor = texture2D(u_texture, v_uv) * v_color; }`

export async function run({ quick = false } = {}) {
  const { device, gl, close } = await openBenchGL(SIZE)
  const inst = gl.getExtension('ANGLE_instanced_arrays')
  const pass = { clearColor: [0, 0, 0, 1] }
  const texData = new Uint8Array([255, 255, 255, 255, 200, 200, 200, 255, 200, 200, 200, 255, 255, 255, 255, 255])
  const texture = device.createTexture({ width: 2, height: 2, data: texData, minFilter: 'nearest', magFilter: 'nearest' })
  const scenes = []

  // ------------------------------------------------------------ framelatch
  const queue = createQueue(device, { payloadCapacity: N * SPRITE_FLOATS + 4096 })
  const sprites = createSpriteBatcher(queue, { texture, translucent: false })
  const sFl = makeScene()
  scenes.push(sFl)
  // Every sprite has its own colour here, so each gets its own style, made once (setting
  // `style.tint` per sprite instead costs V8's inlining budget in this loop: `add` stops being
  // inlined and its fractional arguments get boxed; for per-instance data the bulk path is the tool).
  const styles = Array.from(sFl.hex, (tint) => createSpriteStyle({ tint }))
  const framelatchFill = () => {
    const s = sFl
    for (let i = 0; i < N; i++) {
      step(s, i)
      sprites.add(s.x[i], s.y[i], SPRITE, SPRITE, s.angle[i], styles[i])
    }
  }
  const framelatchSubmit = () => queue.flush(pass)

  // ------------------------------------------------------------ framelatch bulk path
  // The same loop as the floor's, writing into the views `reserve` returns (the queue's payload).
  // The loop is a function of its own: a benchmark calls each fill only a few dozen times, so V8
  // runs it from on-stack-replacement code compiled during the first call, before `commit` had
  // ever run; code after the loop with no type feedback then deoptimises on every call (seen with
  // --trace-deopt). An app calling it every frame gets the function optimised whole instead.
  const bulkSprites = createSpriteBatcher(queue, { texture, translucent: false })
  const sBulk = makeScene()
  scenes.push(sBulk)
  const bulkWrite = (w) => {
    const s = sBulk
    const d = w.floats, u = w.uints
    for (let i = 0, o = w.offset; i < N; i++, o += SPRITE_FLOATS) {
      step(s, i)
      d[o] = s.x[i]; d[o + 1] = s.y[i]; d[o + 2] = SPRITE; d[o + 3] = SPRITE; d[o + 4] = s.angle[i]
      d[o + 5] = 0; d[o + 6] = 0; d[o + 7] = 1; d[o + 8] = 1
      u[o + 9] = s.color[i]
    }
  }
  const bulkFill = () => {
    bulkWrite(bulkSprites.reserve(N))
    bulkSprites.commit(N)
  }

  // ------------------------------------------------------------ hand-written instancing (the floor)
  const compile = (type, src) => {
    const sh = gl.createShader(type)
    gl.shaderSource(sh, src)
    gl.compileShader(sh)
    if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(sh))
    return sh
  }
  const prog = gl.createProgram()
  gl.attachShader(prog, compile(gl.VERTEX_SHADER, VERT))
  gl.attachShader(prog, compile(gl.FRAGMENT_SHADER, FRAG))
  gl.linkProgram(prog)
  const loc = (n) => gl.getAttribLocation(prog, n)
  const quadBuf = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, quadBuf)
  gl.bufferData(gl.ARRAY_BUFFER, UNIT_QUAD_STRIP, gl.STATIC_DRAW)
  const floorData = new Float32Array(N * SPRITE_FLOATS)
  const floorU32 = new Uint32Array(floorData.buffer)
  const instBuf = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, instBuf)
  gl.bufferData(gl.ARRAY_BUFFER, floorData.byteLength, gl.STREAM_DRAW)
  const sFloor = makeScene()
  scenes.push(sFloor)
  const uTarget = gl.getUniformLocation(prog, 'target')
  const uTex = gl.getUniformLocation(prog, 'u_texture')
  const glTex = device.glTexture(texture)
  const attribs = [['a_rect', 4, gl.FLOAT, false, 0], ['a_rotation', 1, gl.FLOAT, false, 16], ['a_uv', 4, gl.FLOAT, false, 20], ['a_color', 4, gl.UNSIGNED_BYTE, true, 36]]
  // The regl contender below has its own copy of this loop on purpose: one shared function
  // called for both scenes measured about 2x slower fills (V8 no longer specialises it to one
  // scene), which would have slowed the floor and flattered framelatch.
  const floorFill = () => {
    const s = sFloor
    const d = floorData, u = floorU32
    for (let i = 0; i < N; i++) {
      step(s, i)
      const o = i * SPRITE_FLOATS
      d[o] = s.x[i]; d[o + 1] = s.y[i]; d[o + 2] = SPRITE; d[o + 3] = SPRITE; d[o + 4] = s.angle[i]
      d[o + 5] = 0; d[o + 6] = 0; d[o + 7] = 1; d[o + 8] = 1
      u[o + 9] = s.color[i]
    }
  }
  const floorSubmit = () => {
    const d = floorData
    gl.bindFramebuffer(gl.FRAMEBUFFER, null)
    gl.viewport(0, 0, SIZE, SIZE)
    gl.clearColor(0, 0, 0, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    gl.useProgram(prog)
    gl.uniform2f(uTarget, SIZE, SIZE)
    gl.uniform1i(uTex, 0)
    gl.activeTexture(gl.TEXTURE0)
    gl.bindTexture(gl.TEXTURE_2D, glTex)
    gl.bindBuffer(gl.ARRAY_BUFFER, instBuf)
    gl.bufferData(gl.ARRAY_BUFFER, d.byteLength, gl.STREAM_DRAW) // orphan, like framelatch's ring
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, d)
    for (const [name, size, type, norm, off] of attribs) {
      const l = loc(name)
      gl.enableVertexAttribArray(l)
      gl.vertexAttribPointer(l, size, type, norm, SPRITE_FLOATS * 4, off)
      inst.vertexAttribDivisorANGLE(l, 1)
    }
    const c = loc('a_corner')
    gl.bindBuffer(gl.ARRAY_BUFFER, quadBuf)
    gl.enableVertexAttribArray(c)
    gl.vertexAttribPointer(c, 2, gl.FLOAT, false, 0, 0)
    inst.vertexAttribDivisorANGLE(c, 0)
    inst.drawArraysInstancedANGLE(gl.TRIANGLE_STRIP, 0, 4, N)
  }

  // ------------------------------------------------------------ regl instanced
  const regl = createRegl(gl)
  const reglData = new Float32Array(N * SPRITE_FLOATS)
  const reglU32 = new Uint32Array(reglData.buffer)
  const reglInst = regl.buffer({ usage: 'stream', type: 'float', length: reglData.byteLength })
  const reglTex = regl.texture({ width: 2, height: 2, data: texData, min: 'nearest', mag: 'nearest' })
  const stride = SPRITE_FLOATS * 4
  const reglDraw = regl({
    vert: VERT,
    frag: FRAG,
    attributes: {
      a_corner: regl.buffer(UNIT_QUAD_STRIP),
      a_rect: { buffer: reglInst, offset: 0, stride, divisor: 1, size: 4 },
      a_rotation: { buffer: reglInst, offset: 16, stride, divisor: 1, size: 1 },
      a_uv: { buffer: reglInst, offset: 20, stride, divisor: 1, size: 4 },
      a_color: { buffer: reglInst, offset: 36, stride, divisor: 1, size: 4, type: 'uint8', normalized: true },
    },
    uniforms: { target: [SIZE, SIZE], u_texture: reglTex },
    primitive: 'triangle strip',
    count: 4,
    instances: N,
    depth: { enable: false },
  })
  const sRegl = makeScene()
  scenes.push(sRegl)
  const reglFill = () => {
    const s = sRegl
    const d = reglData, u = reglU32
    for (let i = 0; i < N; i++) {
      step(s, i)
      const o = i * SPRITE_FLOATS
      d[o] = s.x[i]; d[o + 1] = s.y[i]; d[o + 2] = SPRITE; d[o + 3] = SPRITE; d[o + 4] = s.angle[i]
      d[o + 5] = 0; d[o + 6] = 0; d[o + 7] = 1; d[o + 8] = 1
      u[o + 9] = s.color[i]
    }
  }
  const reglSubmit = () => {
    const d = reglData
    regl.clear({ color: [0, 0, 0, 1] })
    reglInst.subdata(d)
    reglDraw()
  }

  const { useFramelatch, useRegl } = librarySwitch(device, regl)
  const useRaw = () => {
    device.state.bindVertexArray(null)
    for (let l = 0; l < 8; l++) inst.vertexAttribDivisorANGLE(l, 0)
  }
  const contenders = [
    { name: 'framelatch sprite batcher (`add` per sprite with a style, queue flush)', before: useFramelatch, fill: framelatchFill, submit: framelatchSubmit },
    { name: 'framelatch sprite batcher, bulk path (`reserve(n)`, fill the views, `commit(n)`, queue flush)', before: useFramelatch, fill: bulkFill, submit: framelatchSubmit },
    { name: 'regl instanced (divisor attributes, `buffer.subdata`)', before: useRegl, fill: reglFill, submit: reglSubmit },
    { name: 'hand-written instancing (fill Float32Array, 1 bufferSubData, 1 instanced draw): the floor', before: useRaw, fill: floorFill, submit: floorSubmit },
  ]

  // Correctness: after the same number of steps every contender shows the same image.
  const images = []
  for (const c of contenders) {
    c.before()
    c.fill()
    c.submit()
    gl.finish()
    images.push(device.readPixels(0, 0, SIZE, SIZE))
  }
  const diffs = pixelDiffs(images)

  const rounds = quick ? 2 : 4
  const frames = quick ? 4 : 15
  const warm = quick ? 2 : 5
  const times = contenders.map(() => [])
  const cpu = contenders.map(() => [])
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, k) => {
      c.before()
      for (let f = 0; f < warm; f++) {
        c.fill()
        c.submit()
      }
      gl.finish()
      for (let f = 0; f < frames; f++) {
        const t0 = performance.now()
        c.fill()
        const t1 = performance.now()
        c.submit()
        gl.finish()
        times[k].push(performance.now() - t0)
        cpu[k].push(t1 - t0)
      }
    })
  }
  const med = times.map(median)
  const medCpu = cpu.map(median)
  const FLOOR = 3
  const floor = med[FLOOR]
  const floorCpu = medCpu[FLOOR]

  let md = `Compared: ${N.toLocaleString('en')} moving ${SPRITE}x${SPRITE} px textured, tinted, rotated sprites per frame in a ` +
    `${SIZE}x${SIZE} headless target; every frame each sprite's position and angle are stepped in JS and its instance data ` +
    '(10 floats: rect, rotation, texture region, packed RGBA) written again. One @kmamal/gl context, one process, the same ' +
    `vertex and fragment shader for all four; images after the first frame differ from the first row in ${diffs.join(', ')} pixels. ` +
    '"ms / frame" runs from the first simulation step to the return of `gl.finish()`, so GPU work counts; "JS fill" is the ' +
    'first part alone: stepping the sprites and writing their instance data (framelatch: `add` or the bulk path into the queue; the others: ' +
    'a Float32Array), before any GL call. GL here is ANGLE over Mesa llvmpipe, a CPU ' +
    'rasteriser whose per-triangle setup makes 100k visible sprites expensive for every contender alike. ' +
    `Median of ${rounds} interleaved rounds × ${frames} frames after ${warm} warm-up frames per round.\n\n` +
    '| contender | ms / frame (median) | ÷ floor | JS fill, ms (median) | ÷ floor |\n|---|---:|---:|---:|---:|\n'
  contenders.forEach((c, k) => {
    md += `| ${c.name} | ${fmtMs(med[k])} | ${(med[k] / floor).toFixed(2)}x | ${fmtMs(medCpu[k])} | ${(medCpu[k] / floorCpu).toFixed(2)}x |\n`
  })
  md += `\nGoal (issue 3): framelatch within 1.5x of the hand-written floor; measured ${(med[0] / floor).toFixed(2)}x per frame with \`add\`, ` +
    `${(med[1] / floor).toFixed(2)}x with the bulk path. Goal (issue 7): the bulk path's JS fill at most 1.3x the floor's; measured ` +
    `${(medCpu[1] / floorCpu).toFixed(2)}x (${fmtMs(medCpu[1])} vs ${fmtMs(floorCpu)} ms). ` +
    `framelatch made ${queue.stats.glDrawCalls} GL draw call and streamed ${queue.stats.bytesUploaded.toLocaleString('en')} bytes per frame.\n`

  close(regl, queue)
  return { title: 'Sprites: 100k moving sprites per frame', markdown: md }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
}
