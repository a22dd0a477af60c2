// Hot swaps on the device: replaceProgram puts a new GL program under the same ProgramHandle
// (pipelines keep drawing with it, a broken replacement leaves the old one drawing and reports the
// failing line), and replaceTexture puts new pixels, at a new size, under the same TextureHandle.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine, createUniformBlock, ErrorCode, ShaderError } from '../../dist/index.js'

const VS = `attribute vec2 a_pos;
varying vec2 v_uv;
void main() { v_uv = a_pos * 0.5 + 0.5; gl_Position = vec4(a_pos, 0.0, 1.0); }`
const FS = (rgb) => `precision mediump float;
void main() { gl_FragColor = vec4(${rgb}, 1.0); }`
const BIG_TRI = new Float32Array([-1, -1, 3, -1, -1, 3])

function setup(d, fragment) {
  const program = d.createProgram({ vertex: VS, fragment, name: 'swap' })
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
  const vb = d.createBuffer({ data: BIG_TRI })
  return { program, pipeline, vb }
}

function centre(d, s, textures) {
  d.beginPass({ clearColor: [0, 0, 0, 1] })
  d.applyPipeline(s.pipeline)
  d.applyBindings({ vertexBuffers: [s.vb], ...(textures ? { textures } : {}) })
  d.draw(0, 3)
  d.endPass()
  const px = d.readPixels(8, 8, 1, 1)
  return [px[0], px[1], px[2]]
}

test('replaceProgram: same program and pipeline handles draw the new code', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16, debug: true })
  try {
    const d = engine.device
    const s = setup(d, FS('1.0, 0.0, 0.0'))
    assert.equal(centre(d, s), [255, 0, 0])
    const live = d.liveResources
    d.replaceProgram(s.program, { vertex: VS, fragment: FS('0.0, 1.0, 0.0'), name: 'swap' })
    assert.equal(centre(d, s), [0, 255, 0], 'the pipeline draws with the new program')
    assert.is(d.queryProgramState(s.program), 'valid')
    assert.is(d.pipelineProgram(s.pipeline), s.program)
    assert.equal(d.liveResources, live, 'no resource was added')
    // A vertex shader whose attribute moves to another location: the pipeline re-resolves it.
    const VS2 = `attribute float a_unused; attribute vec2 a_pos;
void main() { gl_Position = vec4(a_pos + a_unused * 0.0, 0.0, 1.0); }`
    d.replaceProgram(s.program, { vertex: VS2, fragment: FS('0.0, 0.0, 1.0') })
    assert.equal(centre(d, s), [0, 0, 255])
  } finally {
    engine.destroy()
  }
})

test('replaceProgram: a compile error throws ShaderError with its line and the old program keeps drawing', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16, debug: true })
  try {
    const d = engine.device
    const s = setup(d, FS('1.0, 1.0, 0.0'))
    const broken = `precision mediump float;
void main() {
  gl_FragColor = vec4(nope, 1.0);
}`
    let err = null
    try {
      d.replaceProgram(s.program, { vertex: VS, fragment: broken })
    } catch (e) {
      err = e
    }
    assert.instance(err, ShaderError)
    assert.is(err.stage, 'fragment')
    assert.is(err.line, 3)
    assert.match(err.numberedSource, />>\s+3 \|\s+gl_FragColor = vec4\(nope/)
    assert.equal(centre(d, s), [255, 255, 0], 'the last good program draws')
    // Dropping an attribute a pipeline reads is refused before anything changes.
    const noPos = `void main() { gl_Position = vec4(0.0); }`
    assert.throws(() => d.replaceProgram(s.program, { vertex: noPos, fragment: FS('0.0, 1.0, 1.0') }),
      (e) => e.code === ErrorCode.UNKNOWN_ATTRIBUTE)
    assert.equal(centre(d, s), [255, 255, 0])
    // A failed handle from tryCreateProgram becomes valid when a replacement compiles.
    const failed = d.tryCreateProgram({ vertex: VS, fragment: broken }, () => {})
    assert.is(d.queryProgramState(failed), 'failed')
    d.replaceProgram(failed, { vertex: VS, fragment: FS('0.0, 1.0, 0.0') })
    assert.is(d.queryProgramState(failed), 'valid')
  } finally {
    engine.destroy()
  }
})

test('replaceProgram: a uniform block uploading to the program cached before the swap reaches the new one', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16, debug: true })
  try {
    const d = engine.device
    const block = createUniformBlock({ name: 'Tint', fields: { color: 'vec4' } })
    const fs = (k) => `precision highp float;\n${block.glsl}\nvoid main() { gl_FragColor = vec4(color.rgb * ${k}, 1.0); }`
    const s = setup(d, fs('1.0'))
    const cached = d.programInfo(s.program).program // what a queue batch keeps
    block.views.color.set([0, 1, 0, 1])
    const frame = () => {
      d.beginPass({ clearColor: [0, 0, 0, 1] })
      d.applyPipeline(s.pipeline)
      block.upload(d.gl, cached)
      d.applyBindings({ vertexBuffers: [s.vb] })
      d.draw(0, 3)
      d.endPass()
      const px = d.readPixels(8, 8, 1, 1)
      return [px[0], px[1], px[2]]
    }
    assert.equal(frame(), [0, 255, 0])
    d.replaceProgram(s.program, { vertex: VS, fragment: fs('0.5') })
    const px = frame()
    assert.ok(px[1] >= 126 && px[1] <= 129 && px[0] === 0, `the new program got the block's values: ${px}`)
  } finally {
    engine.destroy()
  }
})

test('replaceTexture: same handle samples the new pixels at a new size', async () => {
  const engine = await createEngine({ headless: true, width: 16, height: 16, debug: true })
  try {
    const d = engine.device
    const FS_TEX = `precision mediump float;
uniform sampler2D u_tex;
varying vec2 v_uv;
void main() { gl_FragColor = texture2D(u_tex, v_uv); }`
    const s = setup(d, FS_TEX)
    const tex = d.createTexture({ width: 1, height: 1, data: new Uint8Array([255, 0, 0, 255]), minFilter: 'nearest', magFilter: 'nearest' })
    assert.equal(centre(d, s, [tex]), [255, 0, 0])
    const live = d.liveResources
    d.replaceTexture(tex, { width: 2, height: 2, data: new Uint8Array(16).fill(255).map((v, i) => (i % 4 === 0 ? 0 : v)), minFilter: 'nearest', magFilter: 'nearest' })
    assert.equal(centre(d, s, [tex]), [0, 255, 255])
    assert.equal(d.textureSize(tex), { width: 2, height: 2 })
    assert.equal(d.liveResources, live)
    assert.throws(() => d.replaceTexture(tex, { width: 2, height: 2, data: new Uint8Array(3) }), (e) => e.code === ErrorCode.DATA_SIZE_MISMATCH)
    assert.equal(centre(d, s, [tex]), [0, 255, 255], 'a rejected replacement leaves the texture as it was')
  } finally {
    engine.destroy()
  }
})

test.run()
