// Mapped uniform views are plain Float32Arrays in GL's column-major order, so gl-matrix (the
// project's math library) writes straight into them: no copies, no conversion.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mat3, mat4 } from 'gl-matrix'
import { createEngine, createUniformBlock, writeMat3 } from '../../dist/index.js'

test('gl-matrix writes a projection and a model matrix into mapped views; the shader uses them', async () => {
  const engine = await createEngine({ headless: true, width: 64, height: 64, debug: true, vblank: false })
  try {
    const d = engine.device
    const block = createUniformBlock({ name: 'Camera', fields: { proj: 'mat4', model: 'mat4', tint: 'mat3' } })
    // Pixel-space projection (y down) and a model matrix that places a unit square at (40, 8), 16 px wide.
    mat4.ortho(block.views.proj, 0, 64, 64, 0, -1, 1)
    mat4.fromTranslation(block.views.model, [40, 8, 0])
    mat4.scale(block.views.model, block.views.model, [16, 16, 1])
    // mat3 is 9 packed floats in gl-matrix and 3 padded columns in the block: writeMat3 converts.
    const m3 = mat3.fromValues(0, 1, 0, 1, 0, 0, 0, 0, 1) // swaps red and green
    writeMat3(block.views.tint, m3)
    const program = d.createProgram({
      name: 'camera',
      vertex: `attribute vec2 a_pos;
        ${block.glsl}
        void main() { gl_Position = proj * model * vec4(a_pos, 0.0, 1.0); }`,
      fragment: `precision highp float;
        ${block.glsl}
        void main() { gl_FragColor = vec4(tint * vec3(1.0, 0.0, 0.0), 1.0); }`,
    })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
    const quad = d.createBuffer({ data: new Float32Array([0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1]) })
    d.beginPass({ clearColor: [0, 0, 0, 1] })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [quad] })
    block.upload(d.gl, d.programInfo(program).program)
    d.draw(0, 6)
    const px = d.readPixels(0, 0, 64, 64)
    const at = (x, y) => Array.from(px.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4))
    assert.equal(at(48, 16), [0, 255, 0, 255], 'inside the square: red swapped into green by the mat3')
    assert.equal(at(39, 16), [0, 0, 0, 255], 'left of the square')
    assert.equal(at(48, 25), [0, 0, 0, 255], 'below the square (y down)')
    assert.equal(at(40, 8), [0, 255, 0, 255], 'top-left corner pixel at (40, 8)')
    // Moving it is one more gl-matrix call on the same view: the block uploads only what changed.
    mat4.fromTranslation(block.views.model, [0, 40, 0])
    mat4.scale(block.views.model, block.views.model, [16, 16, 1])
    d.beginPass({ clearColor: [0, 0, 0, 1] })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [quad] })
    const slotsBefore = block.stats.slotsUploaded
    block.upload(d.gl, d.programInfo(program).program)
    assert.ok(block.stats.slotsUploaded - slotsBefore <= 4, 'only the model matrix slots were sent')
    d.draw(0, 6)
    const px2 = d.readPixels(0, 0, 64, 64)
    assert.equal(Array.from(px2.subarray((48 * 64 + 8) * 4, (48 * 64 + 8) * 4 + 4)), [0, 255, 0, 255])
  } finally {
    engine.destroy()
  }
})

test.run()
