// The input block (src/engine/input-block.ts): a latched record written by writeInputBlock into the
// block's storage is uploaded as `uniform highp vec4 u_FlInput[11]` and INPUT_GLSL's accessors and
// helpers decode it on the GPU (ANGLE/llvmpipe, headless @kmamal/gl under the runner's Xvfb).
// Each output pixel answers one query.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import createGL from '@kmamal/gl'
import { createInputRing, InputKind } from '../../dist/sync/input/input-ring.js'
import { createInputLatch } from '../../dist/sync/input/input-latch.js'
import { createInputBlock, writeInputBlock, INPUT_GLSL, INPUT_VEC4S } from '../../dist/engine/input-block.js'

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
         : i < 6.5 ? flInput_events == 3.0
         : mod(flKeyPresses(), 2.0) == 0.0;
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

test('INPUT_GLSL declares one highp uniform, u_FlInput, generated from the block', () => {
  const block = createInputBlock()
  assert.is(block.uniformName, 'u_FlInput')
  assert.is(block.data.length, INPUT_VEC4S * 4)
  const uniforms = [...INPUT_GLSL.matchAll(/uniform\s+(\w+)\s+vec4\s+(\w+)\[(\d+)\]/g)].map((m) => m.slice(1))
  assert.equal(uniforms, [['highp', 'u_FlInput', String(INPUT_VEC4S)]])
  assert.ok(INPUT_GLSL.startsWith(block.glsl), 'the same declaration the block generates')
  assert.not.match(INPUT_GLSL, /u_input/)
})

test('writeInputBlock puts each latched field where the generated accessors read it', () => {
  const ring = createInputRing({ capacity: 64 })
  const latch = createInputLatch(ring)
  const block = createInputBlock()
  ring.push(InputKind.PointerMove, 0, 10, 20, 0, 0, 0, 101)
  ring.push(InputKind.ButtonDown, 3, 11, 21, 0, 0, 0, 102)
  ring.push(InputKind.KeyDown, 300, 0, 0, 0, 0, 3, 103)
  ring.push(InputKind.Wheel, 0, 11, 21, 0.5, 2, 0, 104)
  writeInputBlock(block.data, latch.latch(110))
  const v = block.views
  assert.equal([...v.pointer], [11, 21])
  assert.equal([v.buttons[0], v.events[0], v.mods[0], v.lost[0], v.keyPresses[0]], [4, 4, 3, 0, 1])
  assert.equal([...v.wheel], [0.5, 2])
  assert.equal([v.oldestAgeMs[0], v.newestAgeMs[0]], [9, 6])
  // scancode 300: float 18 (300 / 16), bit 12 (300 % 16)
  assert.is(v.keys[18], 1 << 12)
  writeInputBlock(block.data, latch.latch(120))
  assert.equal([v.events[0], v.oldestAgeMs[0], v.newestAgeMs[0]], [0, 0, -1], 'no events: ages 0 / -1')
})

test('INPUT_GLSL decodes the block (keys, buttons, pointer, event count, key presses) in a shader', () => {
  const W = 8
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
    const loc = gl.getUniformLocation(p, 'u_FlInput[0]') ?? gl.getUniformLocation(p, 'u_FlInput')
    assert.ok(loc, 'u_FlInput is active')
    const block = createInputBlock()

    const ring = createInputRing({ capacity: 64 })
    const latch = createInputLatch(ring)
    ring.push(InputKind.KeyDown, 4, 0, 0, 0, 0, 0, 1)
    ring.push(InputKind.KeyDown, 300, 0, 0, 0, 0, 0, 2)
    ring.push(InputKind.ButtonDown, 3, 12, 34, 0, 0, 0, 3)
    writeInputBlock(block.data, latch.latch(4))

    const draw = () => {
      gl.uniform4fv(loc, block.data) // the late-latch upload
      gl.viewport(0, 0, W, 1)
      gl.drawArrays(gl.TRIANGLES, 0, 3)
      const px = new Uint8Array(W * 4)
      gl.readPixels(0, 0, W, 1, gl.RGBA, gl.UNSIGNED_BYTE, px)
      return Array.from({ length: W }, (_, i) => px[i * 4] > 127)
    }
    assert.equal(draw(), [true, true, true, false, false, true, true, true])

    ring.push(InputKind.KeyUp, 4, 0, 0, 0, 0, 0, 5)
    ring.push(InputKind.ButtonDown, 1, 12, 34, 0, 0, 0, 6)
    ring.push(InputKind.KeyDown, 5, 0, 0, 0, 0, 0, 6)
    writeInputBlock(block.data, latch.latch(7))
    assert.equal(draw(), [false, true, true, true, true, true, true, false], 'one key press more: odd')
  } finally {
    gl.getExtension('STACKGL_destroy_context')?.destroy()
  }
})

test.run()
