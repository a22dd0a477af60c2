// The engine clears the window's depth buffer only while a pipeline uses depth (a depth clear is
// paid at every swap on llvmpipe), and depth-tested drawing stays correct frame after frame.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine } from '../../dist/index.js'

/** A full-screen triangle at depth `z` (per instance), coloured by a per-instance grey. */
function depthBatch(engine, depth) {
  const d = engine.device
  const program = d.createProgram({
    name: 'depth-quad',
    vertex: `attribute vec2 a_pos; attribute vec2 a_zc; varying float v_c;
      void main() { v_c = a_zc.y; gl_Position = vec4(a_pos, a_zc.x, 1.0); }`,
    fragment: `precision mediump float; varying float v_c; void main() { gl_FragColor = vec4(v_c, v_c, v_c, 1.0); }`,
  })
  const pipeline = d.createPipeline({
    program,
    buffers: [{}, { step: 'instance' }],
    attributes: [{ name: 'a_pos', format: 'float2', buffer: 0 }, { name: 'a_zc', format: 'float2', buffer: 1 }],
    ...(depth ? { depth: { test: true, write: true, compare: 'less' } } : {}),
  })
  const geometry = d.createBuffer({ data: new Float32Array([-1, -1, 3, -1, -1, 3]) })
  return { pipeline, batch: engine.queue.createBatch({ pipeline, geometry, vertexCount: 3, floatsPerInstance: 2 }) }
}

function recordClears(engine) {
  const gl = engine.device.gl
  const masks = []
  const clear = gl.clear.bind(gl)
  gl.clear = (mask) => {
    masks.push(mask)
    clear(mask)
  }
  return { masks, depthBit: gl.DEPTH_BUFFER_BIT }
}

test('no depth pipeline: frames clear colour only; a depth pipeline brings the depth clear back, its destruction removes it', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, vblank: false })
  try {
    const { masks, depthBit } = recordClears(engine)
    const flat = depthBatch(engine, false)
    engine.onFrame((f) => {
      const off = f.queue.record(flat.batch, 1)
      f.queue.payload[off] = 0
      f.queue.payload[off + 1] = 1
    })
    engine.renderFrame()
    assert.ok(masks.length > 0 && masks.every((m) => (m & depthBit) === 0), `no depth clear without a depth pipeline (${masks})`)
    const deep = depthBatch(engine, true)
    masks.length = 0
    engine.renderFrame()
    assert.ok(masks.some((m) => (m & depthBit) !== 0), 'a depth pipeline exists: the frame clears depth')
    engine.device.destroyPipeline(deep.pipeline)
    masks.length = 0
    engine.renderFrame()
    assert.ok(masks.every((m) => (m & depthBit) === 0), 'destroyed again: no depth clear')
  } finally {
    engine.destroy()
  }
})

test('depth-tested drawing: each frame starts from a cleared depth buffer', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8, vblank: false })
  try {
    engine.setClearColor(1, 0, 0, 1) // red where the triangle fails the depth test
    const deep = depthBatch(engine, true)
    let z = 0
    let grey = 1
    engine.onFrame((f) => {
      const off = f.queue.record(deep.batch, 1)
      f.queue.payload[off] = z
      f.queue.payload[off + 1] = grey
    })
    engine.renderFrame()
    assert.equal(Array.from(engine.device.readPixels(4, 4, 1, 1)), [255, 255, 255, 255], 'frame 1 drew white at z 0')
    // Farther than frame 1's triangle: it passes only if frame 1's depth was cleared.
    z = 0.5
    grey = 0
    engine.renderFrame()
    assert.equal(Array.from(engine.device.readPixels(4, 4, 1, 1)), [0, 0, 0, 255], 'frame 2 drew black at z 0.5 over a cleared depth buffer')
  } finally {
    engine.destroy()
  }
})

test.run()
