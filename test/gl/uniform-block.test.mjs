// Uniform blocks on a headless GL context: generated GLSL compiles in both stages and matches the
// layout, mapped-view writes reach the shader, clean blocks are not uploaded, only dirty slots are.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createUniformBlock } from '../../dist/gl/uniform-block.js'
import { countCalls, destroyGL, fullScreenTriangle, link, makeGL, readPixel } from './uniform-helpers.mjs'

const gl = makeGL(8, 8)
fullScreenTriangle(gl)

const VS = (glsl, body = '') => `precision highp float;
${glsl}
attribute vec2 a_pos;
varying float v_ok;
void main() {
  v_ok = 1.0;
  ${body}
  gl_Position = vec4(a_pos, 0.0, 1.0);
}`

const COLOR_FS = (glsl, field = 'color') => `precision highp float;
${glsl}
varying float v_ok;
void main() { gl_FragColor = ${field}; }`

function draw(program) {
  gl.useProgram(program)
  gl.clearColor(0, 0, 0, 0)
  gl.clear(gl.COLOR_BUFFER_BIT)
  gl.drawArrays(gl.TRIANGLES, 0, 3)
  return readPixel(gl, 4, 4)
}

const glslFloat = (x) => (Number.isInteger(x) ? `${x}.0` : String(x))
const vecLit = (type, arr) => `${type}(${Array.from(arr, glslFloat).join(', ')})`

/** A GLSL boolean expression: every field read through its accessor equals what its view holds. */
function checksFor(block) {
  const parts = []
  for (const f of block.layout.fields) {
    const elems = f.isArray ? block.elements[f.name] : [block.views[f.name]]
    elems.forEach((v, i) => {
      const acc = f.isArray ? `${f.name}(${i})` : f.name
      switch (f.type) {
        case 'float': parts.push(`${acc} == ${glslFloat(v[0])}`); break
        case 'int': parts.push(`${acc} == ${v[0]}`); break
        case 'vec2': case 'vec3': case 'vec4': parts.push(`${acc} == ${vecLit(f.type, v)}`); break
        case 'mat4': parts.push(`${acc} == ${vecLit('mat4', v)}`); break
        case 'mat3': parts.push(`${acc} == ${vecLit('mat3', [v[0], v[1], v[2], v[4], v[5], v[6], v[8], v[9], v[10]])}`); break
      }
    })
  }
  return parts.join(' && ')
}

const ALL_TYPES = {
  time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', normal: 'mat3', count: 'int', dir: 'vec3', w: 'float',
  k: 'int', v2: 'vec2', offsets: { type: 'vec4', length: 3 }, ws: { type: 'float', length: 3 },
  ids: { type: 'int', length: 2 }, pts: { type: 'vec2', length: 2 }, dirs: { type: 'vec3', length: 2 },
  bones: { type: 'mat4', length: 2 }, rots: { type: 'mat3', length: 2 },
}

test('generated GLSL compiles in both stages and every accessor reads what its view wrote', () => {
  const block = createUniformBlock({ name: 'Frame', fields: ALL_TYPES, debug: true })
  // distinct values everywhere (padding too), whole numbers in int fields
  for (let i = 0; i < block.data.length; i++) block.data[i] = i + 0.5
  block.views.count[0] = 1001
  block.views.k[0] = -7
  block.elements.ids[0][0] = 2002
  block.elements.ids[1][0] = 2003
  const checks = checksFor(block)
  const vs = VS(block.glsl, `v_ok = (${checks}) ? 1.0 : 0.0;`)
  const fs = `precision highp float;
${block.glsl}
varying float v_ok;
void main() { gl_FragColor = (v_ok > 0.5 && (${checks})) ? vec4(0.0, 1.0, 0.0, 1.0) : vec4(1.0, 0.0, 0.0, 1.0); }`
  const program = link(gl, vs, fs)
  gl.useProgram(program)
  assert.ok(block.upload(gl, program))
  assert.equal(draw(program), [0, 255, 0, 255], 'all accessors match the views')

  // the check is not vacuous: one wrong value turns it red
  block.elements.rots[1][9] += 1 // column 2, row 1 of rots[1]
  assert.ok(block.upload(gl, program))
  assert.equal(draw(program), [255, 0, 0, 255])
  block.elements.rots[1][9] -= 1
  block.views.count[0] = 1002
  block.upload(gl, program)
  assert.equal(draw(program), [255, 0, 0, 255])
  block.views.count[0] = 1001
  block.upload(gl, program)
  assert.equal(draw(program), [0, 255, 0, 255])
})

test('a colour written through a mapped view reaches the shader', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' } })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  const color = block.views.color
  color.set([1, 0, 0, 1])
  gl.useProgram(program)
  block.upload(gl, program)
  assert.equal(draw(program), [255, 0, 0, 255])
  color[0] = 0
  color[2] = 1
  gl.useProgram(program)
  assert.ok(block.upload(gl, program))
  assert.equal(draw(program), [0, 0, 255, 255])
  assert.is(block.views.color, color, 'the view object is unchanged')
})

test('clean blocks are not uploaded (stats and a counting uniform4fv)', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' } })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  gl.useProgram(program)
  const calls = countCalls(gl, 'uniform4fv')
  try {
    block.views.color.set([0, 1, 0, 1])
    assert.ok(block.upload(gl, program))
    assert.is(calls.length, 1)
    assert.is(block.stats.uploads, 1)
    for (let i = 0; i < 5; i++) assert.not.ok(block.upload(gl, program))
    block.views.color[1] = 1 // same value written again: still clean
    assert.not.ok(block.upload(gl, program))
    assert.is(calls.length, 1, 'no GL call for a clean block')
    assert.is(block.stats.uploads, 1)
    assert.is(block.stats.skipped, 6)
    assert.equal(draw(program), [0, 255, 0, 255])
  } finally {
    calls.restore()
  }
})

test('only the dirty slot range is uploaded, in one uniform4fv', () => {
  const block = createUniformBlock({
    name: 'Frame',
    fields: { time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', normal: 'mat3', count: 'int', offsets: { type: 'vec4', length: 8 } },
  })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl, 'color + offsets(7) + vec4(model[1][1], time, float(count), normal[2][2])'))
  gl.useProgram(program)
  const calls = countCalls(gl, 'uniform4fv')
  const range = (i) => {
    const v = calls[i][1]
    assert.is(v.buffer, block.data.buffer, 'uploads a view of the mapped storage')
    return [v.byteOffset / 16, v.length / 4]
  }
  try {
    assert.ok(block.upload(gl, program))
    assert.equal(range(0), [0, 18], 'first upload sends every slot')
    assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [0, 18])

    block.views.model[5] = 0.5 // column 1 → slot 3
    block.upload(gl, program)
    assert.is(calls.length, 2)
    assert.equal(range(1), [3, 1])

    block.views.time[0] = 1 // slot 0
    block.views.count[0] = 1 // slot 9
    block.upload(gl, program)
    assert.equal(range(2), [0, 10])

    block.elements.offsets[7][3] = 1 // slot 17
    block.upload(gl, program)
    assert.equal(range(3), [17, 1])

    // markDirty forces slots even when the values did not change
    block.markDirty('normal')
    block.upload(gl, program)
    assert.equal(range(4), [6, 3])
    block.markDirty('offsets', 2)
    block.upload(gl, program)
    assert.equal(range(5), [12, 1])
    block.markDirty()
    block.upload(gl, program)
    assert.equal(range(6), [0, 18])
    assert.is(block.stats.slotsUploaded, 18 + 1 + 10 + 1 + 3 + 1 + 18)
    // the values reached the shader: color(0) + offsets(7)=(0,0,0,1) + (0.5, 1, 1, 0)
    assert.equal(draw(program), [128, 255, 255, 255])
  } finally {
    calls.restore()
  }
})

test('a multi-slot upload that starts past slot 0 reaches the shader', () => {
  const block = createUniformBlock({ name: 'T', fields: { a: 'vec4', b: 'vec4', c: 'vec4' } })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl, 'c + b'))
  gl.useProgram(program)
  block.upload(gl, program)
  assert.equal(draw(program), [0, 0, 0, 0])
  block.views.b.set([1, 0, 0, 0])
  block.views.c.set([0, 0, 1, 1])
  assert.ok(block.upload(gl, program))
  assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [1, 2])
  assert.is(gl.getError(), gl.NO_ERROR)
  assert.equal(draw(program), [255, 0, 255, 255])
})

test('manual tracking sends only marked slots; debug catches unmarked writes', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' }, tracking: 'manual' })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  gl.useProgram(program)
  block.views.color.set([1, 0, 0, 1])
  block.upload(gl, program)
  block.views.color.set([0, 1, 0, 1])
  assert.not.ok(block.upload(gl, program), 'unmarked write is not seen in manual mode')
  assert.equal(draw(program), [255, 0, 0, 255])
  block.markDirty('color')
  assert.ok(block.upload(gl, program))
  assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [1, 1])
  assert.equal(draw(program), [0, 255, 0, 255])

  const dbg = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' }, tracking: 'manual', debug: true })
  const p2 = link(gl, VS(dbg.glsl), COLOR_FS(dbg.glsl))
  gl.useProgram(p2)
  dbg.upload(gl, p2)
  dbg.views.color[2] = 1
  try {
    dbg.upload(gl, p2)
    assert.unreachable('unmarked write should throw in debug')
  } catch (err) {
    assert.is(err.code, 'FL_UNIFORM_WRITE')
    assert.is(err.info.field, 'color')
    assert.ok(err.message.includes('markDirty'))
  }
  dbg.markDirty('color')
  assert.ok(dbg.upload(gl, p2))
})

test('many marks before an upload fall back to a full upload, never a missed slot', () => {
  const block = createUniformBlock({ name: 'M', fields: { a: { type: 'vec4', length: 100 } }, tracking: 'manual' })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl, 'a(99)'))
  gl.useProgram(program)
  block.upload(gl, program)
  for (let i = 0; i < 100; i++) {
    block.elements.a[i].set([0, 0, 1, 1])
    block.markDirty('a', i)
  }
  assert.ok(block.upload(gl, program))
  assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [0, 100])
  assert.equal(draw(program), [0, 0, 255, 255])
})

test('at most once per program per frame; each program gets its own dirty range', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' } })
  const p1 = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  const p2 = link(gl, VS(block.glsl), COLOR_FS(block.glsl, 'color.bgra'))
  gl.useProgram(p1)
  assert.ok(block.upload(gl, p1, 1))
  block.views.color.set([1, 0, 0, 1])
  assert.not.ok(block.upload(gl, p1, 1), 'second upload in frame 1 is skipped')
  gl.useProgram(p2)
  assert.ok(block.upload(gl, p2, 1), 'another program still uploads in frame 1')
  assert.equal(draw(p2), [0, 0, 255, 255])
  gl.useProgram(p1)
  assert.ok(block.upload(gl, p1, 2))
  assert.equal(draw(p1), [255, 0, 0, 255])
  gl.useProgram(p2)
  assert.not.ok(block.upload(gl, p2, 2), 'p2 already has the new colour')
  assert.equal(draw(p2), [0, 0, 255, 255])
})

test('a program that does not use the block is skipped without GL calls or errors', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' } })
  const program = link(gl, VS(''), 'precision highp float; void main() { gl_FragColor = vec4(1.0); }')
  gl.useProgram(program)
  const calls = countCalls(gl, 'uniform4fv')
  try {
    block.views.color[0] = 1
    assert.not.ok(block.upload(gl, program))
    assert.is(calls.length, 0)
    assert.is(gl.getError(), gl.NO_ERROR)
  } finally {
    calls.restore()
  }
})

test('debug mode: uploading to a program that is not bound throws UNIFORM_WRITE', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { color: 'vec4' }, debug: true })
  const p1 = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  const p2 = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  gl.useProgram(p2)
  try {
    block.upload(gl, p1)
    assert.unreachable()
  } catch (err) {
    assert.is(err.code, 'FL_UNIFORM_WRITE')
    assert.ok(err.message.includes('useProgram'))
  }
  gl.useProgram(p1)
  assert.ok(block.upload(gl, p1))
})

test('forgetProgram makes the next upload send every slot', () => {
  const block = createUniformBlock({ name: 'Frame', fields: { time: 'float', color: 'vec4' } })
  const program = link(gl, VS(block.glsl), COLOR_FS(block.glsl))
  gl.useProgram(program)
  block.upload(gl, program)
  assert.not.ok(block.upload(gl, program))
  block.forgetProgram(program)
  assert.ok(block.upload(gl, program))
  assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [0, 2])
})

test.after(() => destroyGL(gl))
test.run()
