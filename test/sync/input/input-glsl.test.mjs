// Late-latched input reaching a shader: the latch's packed Float32Array is uploaded as
// `uniform vec4 u_input[11]` and INPUT_GLSL's helpers decode it on the GPU (ANGLE/llvmpipe,
// headless @kmamal/gl under the runner's Xvfb). Each output pixel answers one query.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import createGL from '@kmamal/gl'
import { createInputRing, InputKind } from '../../../dist/sync/input/input-ring.js'
import { createInputLatch, INPUT_GLSL, INPUT_VEC4S } from '../../../dist/sync/input/input-latch.js'

const VS = 'attribute vec2 p; void main() { gl_Position = vec4(p, 0.0, 1.0); }'
const FS = `precision highp float;
${INPUT_GLSL}
void main() {
  float i = floor(gl_FragCoord.x);
  bool r = i < 0.5 ? flKeyDown(4.0)
         : i < 1.5 ? flKeyDown(300.0)
         : i < 2.5 ? flButtonDown(3.0)
         : i < 3.5 ? flKeyDown(5.0)
         : i < 4.5 ? flButtonDown(1.0)
         : i < 5.5 ? flPointer() == vec2(12.0, 34.0)
         : u_input[0].w == 3.0;
  gl_FragColor = vec4(r ? 1.0 : 0.0, 0.0, 0.0, 1.0);
}`

function program(gl) {
  const sh = (type, src) => {
    const s = gl.createShader(type)
    gl.shaderSource(s, src)
    gl.compileShader(s)
    assert.ok(gl.getShaderParameter(s, gl.COMPILE_STATUS), gl.getShaderInfoLog(s))
    return s
  }
  const p = gl.createProgram()
  gl.attachShader(p, sh(gl.VERTEX_SHADER, VS))
  gl.attachShader(p, sh(gl.FRAGMENT_SHADER, FS))
  gl.bindAttribLocation(p, 0, 'p')
  gl.linkProgram(p)
  assert.ok(gl.getProgramParameter(p, gl.LINK_STATUS), gl.getProgramInfoLog(p))
  return p
}

test('INPUT_GLSL decodes the packed latch (keys, buttons, pointer, event count) in a shader', () => {
  const W = 7
  const gl = createGL(W, 1, { preserveDrawingBuffer: true, window: {} })
  assert.ok(gl, 'headless GL context')
  try {
    const p = program(gl)
    gl.useProgram(p)
    const buf = gl.createBuffer()
    gl.bindBuffer(gl.ARRAY_BUFFER, buf)
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW)
    gl.enableVertexAttribArray(0)
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0)
    const loc = gl.getUniformLocation(p, 'u_input[0]') ?? gl.getUniformLocation(p, 'u_input')
    assert.ok(loc, 'u_input is active')

    const ring = createInputRing({ capacity: 64 })
    const latch = createInputLatch(ring)
    ring.push(InputKind.KeyDown, 4, 0, 0, 0, 0, 0, 1)
    ring.push(InputKind.KeyDown, 300, 0, 0, 0, 0, 0, 2)
    ring.push(InputKind.ButtonDown, 3, 12, 34, 0, 0, 0, 3)
    const s = latch.latch(4)
    assert.is(s.packed.length, INPUT_VEC4S * 4)

    const draw = () => {
      gl.uniform4fv(loc, s.packed) // the late-latch upload
      gl.viewport(0, 0, W, 1)
      gl.drawArrays(gl.TRIANGLES, 0, 3)
      const px = new Uint8Array(W * 4)
      gl.readPixels(0, 0, W, 1, gl.RGBA, gl.UNSIGNED_BYTE, px)
      return Array.from({ length: W }, (_, i) => px[i * 4] > 127)
    }
    assert.equal(draw(), [true, true, true, false, false, true, true])

    ring.push(InputKind.KeyUp, 4, 0, 0, 0, 0, 0, 5)
    ring.push(InputKind.ButtonDown, 1, 12, 34, 0, 0, 0, 6)
    latch.latch(7)
    assert.equal(draw(), [false, true, true, false, true, true, false])
  } finally {
    gl.getExtension('STACKGL_destroy_context')?.destroy()
  }
})

test.run()
