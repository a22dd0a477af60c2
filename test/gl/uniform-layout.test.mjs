// Uniform block layout (std140-style vec4 slots), generated GLSL text and schema errors. No GL.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { layoutUniformBlock } from '../../dist/gl/uniform-layout.js'
import { generateBlockGLSL } from '../../dist/gl/uniform-glsl.js'
import { createUniformBlock, writeMat3 } from '../../dist/gl/uniform-block.js'

const where = (layout, name) => {
  const f = layout.byName[name]
  return [f.slot, f.component, f.floats, f.slotCount]
}

test('the brief example lays out std140-style', () => {
  const l = layoutUniformBlock({
    name: 'Frame',
    fields: {
      time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', normal: 'mat3', count: 'int',
      offsets: { type: 'vec4', length: 8 },
    },
  })
  assert.is(l.uniformName, 'u_Frame')
  assert.equal(where(l, 'time'), [0, 0, 1, 1])
  assert.equal(where(l, 'pointer'), [0, 2, 2, 1]) // vec2 aligned to 2: .zw of slot 0
  assert.equal(where(l, 'color'), [1, 0, 4, 1])
  assert.equal(where(l, 'model'), [2, 0, 16, 4])
  assert.equal(where(l, 'normal'), [6, 0, 12, 3]) // mat3: 3 padded columns
  assert.equal(where(l, 'count'), [9, 0, 1, 1])
  assert.equal(where(l, 'offsets'), [10, 0, 32, 8])
  assert.is(l.slots, 18)
  assert.is(l.floats, 72)
  assert.equal(l.fields.map((f) => f.name), ['time', 'pointer', 'color', 'model', 'normal', 'count', 'offsets'])
})

test('scalars pack into vec4 slots, vec3 leaves .w for the next scalar', () => {
  const l = layoutUniformBlock({ name: 'P', fields: { a: 'vec3', b: 'float', c: 'float', d: 'vec2', e: 'float', f: 'vec3' } })
  assert.equal(where(l, 'a'), [0, 0, 3, 1])
  assert.equal(where(l, 'b'), [0, 3, 1, 1]) // fills a's .w
  assert.equal(where(l, 'c'), [1, 0, 1, 1])
  assert.equal(where(l, 'd'), [1, 2, 2, 1]) // aligned to 2, skips .y
  assert.equal(where(l, 'e'), [2, 0, 1, 1])
  assert.equal(where(l, 'f'), [3, 0, 3, 1]) // vec3 starts on a slot
  assert.is(l.slots, 4)
})

test('a vec2 never straddles slots, ints pack like floats', () => {
  const l = layoutUniformBlock({ name: 'Q', fields: { a: 'float', b: 'int', c: 'float', d: 'vec2', e: 'int' } })
  assert.equal(where(l, 'a'), [0, 0, 1, 1])
  assert.equal(where(l, 'b'), [0, 1, 1, 1])
  assert.equal(where(l, 'c'), [0, 2, 1, 1])
  assert.equal(where(l, 'd'), [1, 0, 2, 1])
  assert.equal(where(l, 'e'), [1, 2, 1, 1])
  assert.is(l.slots, 2)
})

test('arrays start on a slot, every element on a slot, the next field on a new slot', () => {
  const l = layoutUniformBlock({
    name: 'A',
    fields: {
      s: 'float',
      fs: { type: 'float', length: 3 },
      t: 'float',
      v2: { type: 'vec2', length: 2 },
      v3: { type: 'vec3', length: 2 },
      is: { type: 'int', length: 2 },
      m3: { type: 'mat3', length: 2 },
      m4: { type: 'mat4', length: 2 },
      one: { type: 'vec4', length: 1 },
      u: 'float',
    },
  })
  assert.equal(where(l, 's'), [0, 0, 1, 1])
  assert.equal(where(l, 'fs'), [1, 0, 12, 3])
  assert.is(l.byName.fs.slotsPerElement, 1)
  assert.equal(where(l, 't'), [4, 0, 1, 1])
  assert.equal(where(l, 'v2'), [5, 0, 8, 2])
  assert.equal(where(l, 'v3'), [7, 0, 8, 2])
  assert.equal(where(l, 'is'), [9, 0, 8, 2])
  assert.equal(where(l, 'm3'), [11, 0, 24, 6])
  assert.is(l.byName.m3.slotsPerElement, 3)
  assert.equal(where(l, 'm4'), [17, 0, 32, 8])
  assert.is(l.byName.m4.slotsPerElement, 4)
  assert.equal(where(l, 'one'), [25, 0, 4, 1])
  assert.ok(l.byName.one.isArray)
  assert.equal(where(l, 'u'), [26, 0, 1, 1])
  assert.is(l.slots, 27)
})

test('generated GLSL maps every field to its slots and swizzle', () => {
  const l = layoutUniformBlock({
    name: 'Frame',
    fields: {
      time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', normal: 'mat3', count: 'int', dir: 'vec3', w: 'float',
      offsets: { type: 'vec4', length: 8 }, ws: { type: 'float', length: 2 }, ids: { type: 'int', length: 2 },
      bones: { type: 'mat4', length: 2 }, rots: { type: 'mat3', length: 2 },
    },
  })
  const glsl = generateBlockGLSL(l)
  const lines = glsl.split('\n')
  const has = (line) => assert.ok(lines.includes(line), `missing: ${line}\n${glsl}`)
  has(`uniform highp vec4 u_Frame[${l.slots}];`)
  has('#define time u_Frame[0].x')
  has('#define pointer u_Frame[0].zw')
  has('#define color u_Frame[1]')
  has('#define model mat4(u_Frame[2], u_Frame[3], u_Frame[4], u_Frame[5])')
  has('#define normal mat3(u_Frame[6].xyz, u_Frame[7].xyz, u_Frame[8].xyz)')
  has('#define count int(u_Frame[9].x)')
  has('#define dir u_Frame[10].xyz')
  has('#define w u_Frame[10].w')
  has('#define offsets(i) u_Frame[11 + (i)]')
  has('#define ws(i) u_Frame[19 + (i)].x')
  has('#define ids(i) int(u_Frame[21 + (i)].x)')
  has('#define bones(i) mat4(u_Frame[23 + 4 * (i)], u_Frame[24 + 4 * (i)], u_Frame[25 + 4 * (i)], u_Frame[26 + 4 * (i)])')
  has('#define rots(i) mat3(u_Frame[31 + 3 * (i)].xyz, u_Frame[32 + 3 * (i)].xyz, u_Frame[33 + 3 * (i)].xyz)')
  assert.is(l.slots, 37)
  assert.ok(glsl.startsWith('#ifndef FL_BLOCK_Frame\n#define FL_BLOCK_Frame 1\n'))
  assert.ok(glsl.trimEnd().endsWith('#endif'))
  assert.ok(generateBlockGLSL(l, 'mediump').includes('uniform mediump vec4 u_Frame[37];'))
})

test('a prefix renames the accessors, not the uniform', () => {
  const b = createUniformBlock({ name: 'Frame', prefix: 'frame_', fields: { time: 'float' } })
  assert.ok(b.glsl.includes('#define frame_time u_Frame[0].x'))
  assert.ok(b.glsl.includes('uniform highp vec4 u_Frame[1];'))
})

test('views cover their fields, share one buffer and never move', () => {
  const b = createUniformBlock({
    name: 'Frame',
    fields: { time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', normal: 'mat3', count: 'int', offsets: { type: 'vec4', length: 8 } },
  })
  assert.is(b.data.length, 72)
  const lens = Object.fromEntries(Object.entries(b.views).map(([k, v]) => [k, v.length]))
  assert.equal(lens, { time: 1, pointer: 2, color: 4, model: 16, normal: 12, count: 1, offsets: 32 })
  for (const [k, v] of Object.entries(b.views)) {
    assert.is(v.buffer, b.data.buffer, k)
    assert.is(v.byteOffset, b.layout.byName[k].offset * 4, k)
  }
  b.views.pointer[1] = 7
  assert.is(b.data[3], 7)
  b.elements.offsets[3][2] = 9
  assert.is(b.data[40 + 3 * 4 + 2], 9)
  assert.is(b.elements.offsets.length, 8)
  assert.is(b.elements.offsets[7].length, 4)
  assert.is(b.views.time, b.views.time) // the same object every time
  assert.ok(Object.isFrozen(b.views))
  writeMat3(b.views.normal, [1, 2, 3, 4, 5, 6, 7, 8, 9])
  assert.equal(Array.from(b.views.normal), [1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0])
})

const schemaError = (desc, field) => {
  try {
    layoutUniformBlock(desc)
  } catch (err) {
    assert.is(err.code, 'FL_UNIFORM_SCHEMA', err.message)
    assert.ok(err.message.startsWith('framelatch: '), err.message)
    if (field !== undefined) {
      assert.is(err.info.field, field)
      assert.ok(err.message.includes(`"${field}"`), err.message)
    }
    return err
  }
  assert.unreachable(`schema was accepted: ${JSON.stringify(desc)}`)
}

test('bad schemas give UNIFORM_SCHEMA errors naming the field', () => {
  schemaError({ name: 'F', fields: { a: 'float', b: 'vec5' } }, 'b')
  schemaError({ name: 'F', fields: { a: { type: 'dvec4', length: 2 } } }, 'a')
  schemaError({ name: 'F', fields: { a: { type: 'vec4', length: 0 } } }, 'a')
  schemaError({ name: 'F', fields: { a: { type: 'vec4', length: -1 } } }, 'a')
  schemaError({ name: 'F', fields: { a: { type: 'vec4', length: 2.5 } } }, 'a')
  schemaError({ name: 'F', fields: { a: { type: 'vec4' } } }, 'a')
  schemaError({ name: 'F', fields: { a: 42 } }, 'a')
  schemaError({ name: 'F', fields: { '1abc': 'float' } }, '1abc')
  schemaError({ name: 'F', fields: { 'my-field': 'float' } }, 'my-field')
  schemaError({ name: 'F', fields: { gl_Position: 'vec4' } }, 'gl_Position')
  schemaError({ name: 'F', fields: { a__b: 'float' } }, 'a__b')
  schemaError({ name: 'F', fields: { float: 'float' } }, 'float')
  schemaError({ name: 'F', fields: { length: 'float' } }, 'length') // a built-in function
  schemaError({ name: 'F', fields: { u_F: 'float' } }, 'u_F')
  schemaError({ name: 'F', fields: { _x: 'float' } }, '_x')
  schemaError({ name: 'F', fields: {} })
  schemaError({ name: 'F' })
  schemaError({ name: '9F', fields: { a: 'float' } })
  schemaError({ name: 'F G', fields: { a: 'float' } })
  schemaError({ name: 'F', prefix: 'bad-', fields: { a: 'float' } })
})

test('a block over the slot limit names the field that crosses it', () => {
  // default limit 1024 slots
  const ok = layoutUniformBlock({ name: 'Big', fields: { a: { type: 'vec4', length: 1023 }, b: 'float' } })
  assert.is(ok.slots, 1024)
  const err = schemaError({ name: 'Big', fields: { a: { type: 'vec4', length: 1024 }, b: 'float' } }, 'b')
  assert.ok(err.message.includes('1024'), err.message)
  schemaError({ name: 'Big', fields: { m: { type: 'mat4', length: 257 } } }, 'm')
  // a smaller limit passed in
  schemaError({ name: 'Small', maxVectors: 4, fields: { a: 'vec4', m: 'mat4' } }, 'm')
  assert.is(layoutUniformBlock({ name: 'Small', maxVectors: 5, fields: { a: 'vec4', m: 'mat4' } }).slots, 5)
  schemaError({ name: 'Small', maxVectors: 0, fields: { a: 'vec4' } })
})

test('bad block options are INVALID_DESC; unknown fields in markDirty are UNKNOWN_UNIFORM', () => {
  try {
    createUniformBlock({ name: 'F', fields: { a: 'float' }, tracking: 'sometimes' })
    assert.unreachable()
  } catch (err) {
    assert.is(err.code, 'FL_INVALID_DESC')
  }
  const b = createUniformBlock({ name: 'F', fields: { a: 'float', arr: { type: 'vec4', length: 2 } } })
  try {
    b.markDirty('nope')
    assert.unreachable()
  } catch (err) {
    assert.is(err.code, 'FL_UNKNOWN_UNIFORM')
    assert.ok(err.message.includes('nope'))
  }
  try {
    b.markDirty('arr', 2)
    assert.unreachable()
  } catch (err) {
    assert.is(err.code, 'FL_OUT_OF_RANGE')
  }
})

test.run()
