import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine, decodePNG, ErrorCode, ShaderError, FramelatchError, GLCallError } from '../../dist/index.js'
import { errorCode } from '../support/errors.mjs'

const VS = `attribute vec2 a_pos;
void main() { gl_Position = vec4(a_pos, 0.0, 1.0); }`
const FS = `precision mediump float;
uniform vec4 u_color;
void main() { gl_FragColor = u_color; }`

// Lower-left half of clip space: in a top-row-first image, the bottom-left triangle.
const TRI = new Float32Array([-1, -1, 1, -1, -1, 1])

function px(pixels, width, x, y) {
  const i = (y * width + x) * 4
  return [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
}

function drawTriangle(engine, color) {
  const d = engine.device
  const program = d.createProgram({ vertex: VS, fragment: FS, name: 'tri' })
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
  const vb = d.createBuffer({ data: TRI })
  d.beginPass({ clearColor: [0, 0, 1, 1] })
  d.applyPipeline(pipeline)
  d.applyBindings({ vertexBuffers: [vb] })
  d.useProgram(program)
  d.gl.uniform4f(d.uniformLocation(program, 'u_color'), color[0], color[1], color[2], color[3])
  d.draw(0, 3)
  return { program, pipeline, vb }
}

test('headless triangle reads back the expected colours at known pixels', async () => {
  const engine = await createEngine({ headless: true, width: 64, height: 64, debug: true })
  try {
    drawTriangle(engine, [1, 0, 0, 1])
    const pixels = engine.device.readPixels(0, 0, 64, 64)
    assert.equal(px(pixels, 64, 4, 59), [255, 0, 0, 255], 'inside (bottom-left) is red')
    assert.equal(px(pixels, 64, 59, 4), [0, 0, 255, 255], 'outside (top-right) is the clear colour')
    const png = decodePNG(await engine.screenshot())
    assert.is(png.width, 64)
    assert.is(png.height, 64)
    assert.equal(px(png.data, 64, 4, 59), [255, 0, 0, 255], 'screenshot is top row first')
    assert.equal(px(png.data, 64, 59, 4), [0, 0, 255, 255])
  } finally {
    engine.destroy()
  }
})

test('windowed triangle reads back the expected colours', async () => {
  const engine = await createEngine({ window: { title: 'framelatch test', width: 64, height: 64 }, debug: true })
  try {
    assert.ok(engine.window, 'has an SDL window')
    assert.is(engine.headless, false)
    const w = engine.width
    const h = engine.height
    drawTriangle(engine, [0, 1, 0, 1])
    const pixels = engine.device.readPixels(0, 0, w, h)
    assert.equal(px(pixels, w, 3, h - 4), [0, 255, 0, 255])
    assert.equal(px(pixels, w, w - 4, 3), [0, 0, 255, 255])
    // The device reads the back buffer as it is now (before present); engine.screenshot() renders
    // an engine frame on windows, see test/core/engine-loop.test.mjs.
    const png = decodePNG(engine.device.screenshot())
    assert.is(png.width, w)
    assert.is(png.height, h)
    assert.equal(px(png.data, w, 3, h - 4), [0, 255, 0, 255], 'windowed screenshot, top row first')
    engine.present()
  } finally {
    engine.destroy()
  }
  assert.ok(engine.destroyed)
})

test('render target round trip: draw into it, sample it onto the screen', async () => {
  const engine = await createEngine({ headless: true, width: 32, height: 32, debug: true })
  try {
    const d = engine.device
    const target = d.createRenderTarget({ width: 32, height: 32, depth: true })
    const program = d.createProgram({ vertex: VS, fragment: FS })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
    const vb = d.createBuffer({ data: TRI })
    d.beginPass({ target, clearColor: [0, 0, 0, 1], clearDepth: 1 })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [vb] })
    d.gl.uniform4f(d.uniformLocation(program, 'u_color'), 1, 1, 0, 1)
    d.draw(0, 3)
    const inTarget = d.readPixels(0, 0, 32, 32, undefined, target)
    assert.equal(px(inTarget, 32, 2, 29), [255, 255, 0, 255], 'target holds the triangle')
    assert.equal(px(inTarget, 32, 29, 2), [0, 0, 0, 255])
    d.endPass()

    const blit = d.createProgram({
      vertex: `attribute vec2 a_pos; varying vec2 v_uv;
        void main() { v_uv = a_pos * 0.5 + 0.5; gl_Position = vec4(a_pos, 0.0, 1.0); }`,
      fragment: `precision mediump float; uniform sampler2D u_tex; varying vec2 v_uv;
        void main() { gl_FragColor = texture2D(u_tex, v_uv); }`,
    })
    const quad = d.createBuffer({ data: new Float32Array([-1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1]) })
    const blitPipe = d.createPipeline({ program: blit, attributes: [{ name: 'a_pos', format: 'float2' }] })
    d.beginPass({ clearColor: [1, 0, 1, 1] })
    d.applyPipeline(blitPipe)
    d.applyBindings({ vertexBuffers: [quad], textures: [d.renderTargetTexture(target)] })
    d.draw(0, 6)
    const screen = d.readPixels(0, 0, 32, 32)
    assert.equal(px(screen, 32, 2, 29), [255, 255, 0, 255], 'sampled triangle lands where it was drawn')
    assert.equal(px(screen, 32, 29, 2), [0, 0, 0, 255])
    d.destroyRenderTarget(target)
    assert.is(d.queryRenderTargetState(target), 'destroyed')
  } finally {
    engine.destroy()
  }
})

test('float data texture round trip keeps values beyond 8-bit range and precision', async () => {
  const engine = await createEngine({ headless: true, width: 4, height: 1, debug: true })
  try {
    const d = engine.device
    // Four texels; the shader maps each red value v to (v - base) * scale, which only comes out
    // right if the texture kept full float values.
    const data = new Float32Array([
      1234.5, 0, 0, 1,
      -7.25, 0, 0, 1,
      0.001, 0, 0, 1,
      65536.25, 0, 0, 1,
    ])
    const tex = d.createTexture({ width: 4, height: 1, format: 'rgba32f', data })
    const program = d.createProgram({
      vertex: 'attribute vec2 a_pos; void main() { gl_Position = vec4(a_pos, 0.0, 1.0); }',
      fragment: `precision highp float; uniform sampler2D u_data;
        void main() {
          float i = floor(gl_FragCoord.x);
          float v = texture2D(u_data, vec2((i + 0.5) / 4.0, 0.5)).r;
          float expect = i < 0.5 ? 1234.5 : i < 1.5 ? -7.25 : i < 2.5 ? 0.001 : 65536.25;
          float ok = abs(v - expect) <= abs(expect) * 1e-6 ? 1.0 : 0.0;
          gl_FragColor = vec4(ok, fract(abs(v)), 0.0, 1.0);
        }`,
    })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
    const vb = d.createBuffer({ data: new Float32Array([-1, -1, 3, -1, -1, 3]) })
    d.beginPass({ clearColor: [0, 0, 0, 0] })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [vb], textures: [tex] })
    d.draw(0, 3)
    const out = d.readPixels(0, 0, 4, 1)
    for (let i = 0; i < 4; i++) assert.is(out[i * 4], 255, `texel ${i} kept its float value`)
    assert.ok(Math.abs(out[1] - 128) <= 1, 'fract(1234.5) = 0.5')
    assert.ok(Math.abs(out[4 + 1] - 64) <= 1, 'fract(7.25) = 0.25')
    // Update a texel region and read it through the shader again.
    d.updateTexture(tex, new Float32Array([1234.5, 0, 0, 1]), { x: 1, y: 0, width: 1, height: 1 })
    d.beginPass({ clearColor: [0, 0, 0, 0] })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [vb], textures: [tex] })
    d.draw(0, 3)
    const out2 = d.readPixels(0, 0, 4, 1)
    assert.is(out2[4], 0, 'texel 1 now holds 1234.5, not -7.25')
    assert.ok(Math.abs(out2[4 + 1] - 128) <= 1)
  } finally {
    engine.destroy()
  }
})

test('a compile error reports the stage, the right line and numbered source', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8 })
  try {
    const bad = `precision mediump float;
uniform vec4 u_color;
void main() {
  vec4 c = u_color;
  gl_FragColor = c * undefinedThing;
}`
    let err
    try {
      engine.device.createProgram({ vertex: VS, fragment: bad, name: 'broken' })
    } catch (e) {
      err = e
    }
    assert.instance(err, ShaderError)
    assert.instance(err, FramelatchError)
    assert.is(err.code, ErrorCode.SHADER_COMPILE)
    assert.is(err.stage, 'fragment')
    assert.is(err.line, 5)
    assert.is(err.programName, 'broken')
    assert.match(err.message, /^framelatch: /)
    assert.match(err.numberedSource, />> 5 \|   gl_FragColor = c \* undefinedThing;/)
    assert.match(err.message, /undefinedThing/)

    const failed = engine.device.tryCreateProgram({ vertex: VS, fragment: bad }, () => {})
    assert.is(engine.device.queryProgramState(failed), 'failed')
  } finally {
    engine.destroy()
  }
})

test('using a destroyed resource throws a coded error, never crashes', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, debug: true })
  const d = engine.device
  const vb = d.createBuffer({ size: 64 })
  const tex = d.createTexture({ width: 2, height: 2 })
  const program = d.createProgram({ vertex: VS, fragment: FS })
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
  d.destroyBuffer(vb)
  d.destroyTexture(tex)
  d.destroyPipeline(pipeline)
  assert.is(d.queryBufferState(vb), 'destroyed')
  assert.is(d.queryTextureState(tex), 'destroyed')
  assert.is(d.queryPipelineState(pipeline), 'destroyed')
  assert.is(errorCode(() => d.updateBuffer(vb, new Float32Array(4))), ErrorCode.RESOURCE_DESTROYED)
  assert.is(errorCode(() => d.updateTexture(tex, new Uint8Array(16))), ErrorCode.RESOURCE_DESTROYED)
  assert.is(errorCode(() => d.applyPipeline(pipeline)), ErrorCode.RESOURCE_DESTROYED)
  assert.is(errorCode(() => d.updateTexture(vb, new Uint8Array(16))), ErrorCode.WRONG_HANDLE_KIND)
  // A recycled slot gets a new generation: the stale handle stays dead.
  const vb2 = d.createBuffer({ size: 64 })
  assert.is.not(vb2, vb)
  assert.is(d.queryBufferState(vb), 'destroyed')
  assert.is(d.queryBufferState(vb2), 'valid')
  d.destroyBuffer(vb) // destroying twice is harmless
  assert.is(d.queryBufferState(vb2), 'valid')
  engine.destroy()
  assert.is(errorCode(() => d.createBuffer({ size: 4 })), ErrorCode.RESOURCE_DESTROYED)
  let engineErr
  try {
    await engine.screenshot()
  } catch (e) {
    engineErr = e
  }
  assert.is(engineErr?.code, ErrorCode.ENGINE_STATE)
})

test('release mode skips draws with invalid handles and counts them', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, debug: false })
  try {
    const d = engine.device
    const program = d.createProgram({ vertex: VS, fragment: FS })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
    const vb = d.createBuffer({ data: TRI })
    d.destroyBuffer(vb)
    d.beginPass({ clearColor: [0, 0, 0, 1] })
    assert.is(d.applyPipeline(pipeline), true)
    assert.is(d.applyBindings({ vertexBuffers: [vb] }), false)
    d.draw(0, 3)
    assert.is(d.stats.drawsSkipped, 1)
    assert.is(d.stats.drawCalls, 0)
    d.destroyPipeline(pipeline)
    assert.is(d.applyPipeline(pipeline), false)
    d.draw(0, 3)
    assert.is(d.stats.drawsSkipped, 2)
  } finally {
    engine.destroy()
  }
})

test('1,000 identical state sets make the GL state call once', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16 })
  try {
    const d = engine.device
    const program = d.createProgram({ vertex: VS, fragment: FS })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }], blend: 'alpha' })
    const vb = d.createBuffer({ data: TRI })
    const gl = d.rawGL
    const calls = { useProgram: 0, blendFuncSeparate: 0, enable: 0, bindVertexArrayOES: 0 }
    for (const name of ['useProgram', 'blendFuncSeparate', 'enable']) {
      const orig = gl[name].bind(gl)
      gl[name] = (...args) => {
        calls[name]++
        return orig(...args)
      }
    }
    const vaoExt = gl.getExtension('OES_vertex_array_object')
    const origBind = vaoExt.bindVertexArrayOES.bind(vaoExt)
    vaoExt.bindVertexArrayOES = (v) => {
      calls.bindVertexArrayOES++
      return origBind(v)
    }
    d.beginPass({ clearColor: [0, 0, 0, 1] })
    const before = { made: d.stats.stateCalls, skipped: d.stats.stateSkipped }
    const bindings = { vertexBuffers: [vb] }
    for (let i = 0; i < 1000; i++) {
      d.applyPipeline(pipeline)
      d.applyBindings(bindings)
      d.gl.uniform4f(d.uniformLocation(program, 'u_color'), 1, 1, 1, 1)
      d.draw(0, 3)
    }
    assert.is(calls.useProgram, 1, 'program bound once')
    assert.is(calls.enable, 1, 'blending enabled once')
    assert.is(calls.blendFuncSeparate, 1, 'blend function set once')
    assert.is(calls.bindVertexArrayOES, 1, 'vertex array bound once')
    assert.is(d.stats.drawCalls, 1000)
    assert.ok(d.stats.stateSkipped - before.skipped >= 999 * 3, 'redundant calls counted as skipped')
    assert.ok(d.stats.stateCalls - before.made <= 8, `at most a handful of state calls made (${d.stats.stateCalls - before.made})`)
  } finally {
    engine.destroy()
  }
})

test('stats.firstUses counts one-time work: programs compiled, textures made, a pipeline\'s first draw', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16, vblank: false })
  try {
    const d = engine.device
    const count = () => d.stats.firstUses
    const start = count()
    const { program, pipeline } = drawTriangle(engine, [1, 0, 0, 1])
    d.endPass()
    assert.is(count(), start + 2, 'the program compiled and the pipeline drawn with for the first time')
    const again = count()
    for (let i = 0; i < 3; i++) {
      d.beginPass({})
      d.applyPipeline(pipeline)
      d.endPass()
    }
    assert.is(count(), again, 'later draws with the same pipeline are not one-time work')
    d.createTexture({ width: 4, height: 4 })
    d.createRenderTarget({ width: 4, height: 4 })
    assert.is(count(), again + 2, 'a texture and a render target made')
    d.replaceProgram(program, { vertex: VS, fragment: FS.replace('u_color;', 'u_color;\n// v2'), name: 'tri' })
    assert.is(count(), again + 3, 'a replaced program is compiled')
    d.beginPass({})
    d.applyPipeline(pipeline)
    d.applyPipeline(pipeline)
    d.endPass()
    assert.is(count(), again + 4, 'and its pipelines\' next first draw counts once')
  } finally {
    engine.destroy()
  }
})

test('bad descriptors are rejected with coded errors before any GL call', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, debug: true })
  try {
    const d = engine.device
    const gl = d.rawGL
    let glCreates = 0
    for (const name of ['createBuffer', 'createTexture', 'createFramebuffer']) {
      const orig = gl[name].bind(gl)
      gl[name] = (...a) => {
        glCreates++
        return orig(...a)
      }
    }
    assert.is(errorCode(() => d.createBuffer({ size: -4 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createBuffer({})), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createBuffer({ size: 4, usage: 'sometimes' })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createBuffer({ size: 4, data: new Float32Array(4) })), ErrorCode.DATA_SIZE_MISMATCH)
    assert.is(errorCode(() => d.createTexture({ width: -1, height: 4 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createTexture({ width: 4, height: 4, format: 'rgb565' })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createTexture({ width: 4, height: 4, data: new Uint8Array(10) })), ErrorCode.DATA_SIZE_MISMATCH)
    assert.is(errorCode(() => d.createTexture({ width: 4, height: 4, format: 'rgba32f', data: new Uint8Array(64) })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createTexture({ width: 3, height: 4, wrapS: 'repeat' })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createRenderTarget({ width: 0, height: 4 })), ErrorCode.INVALID_DESC)
    assert.is(glCreates, 0, 'no GL object was created for any bad descriptor')
    const program = d.createProgram({ vertex: VS, fragment: FS })
    assert.is(errorCode(() => d.createPipeline({ program, attributes: [{ name: 'a_nope', format: 'float2' }] })), ErrorCode.UNKNOWN_ATTRIBUTE)
    assert.is(errorCode(() => d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float7' }] })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }], blend: 'sparkle' })), ErrorCode.INVALID_DESC)
  } finally {
    engine.destroy()
  }
})

test('debug mode checks getError after GL calls and names the failing call', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, debug: true })
  try {
    let err
    try {
      engine.device.gl.enable(0x1234)
    } catch (e) {
      err = e
    }
    assert.instance(err, GLCallError)
    assert.is(err.code, ErrorCode.GL_ERROR)
    assert.is(err.call, 'enable')
    assert.match(err.message, /INVALID_ENUM/)
  } finally {
    engine.destroy()
  }
})

test('capabilities are reported once from the context', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8 })
  try {
    const caps = engine.device.caps
    assert.ok(caps.renderer.length > 0)
    assert.ok(caps.extensions.includes('ANGLE_instanced_arrays'))
    assert.is(caps.instancing, true)
    assert.is(caps.vertexArrayObjects, true)
    assert.is(caps.floatTextures, true)
    assert.ok(caps.maxVertexUniformVectors >= 128)
    assert.ok(Object.isFrozen(caps))
  } finally {
    engine.destroy()
  }
})

test.run()
