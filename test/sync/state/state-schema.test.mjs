import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState, attachSharedState } from '../../../dist/sync/state/shared-state.js'

function codeAndField(fn) {
  try {
    fn()
  } catch (e) {
    return { code: e.code, field: e.info?.field, message: e.message }
  }
  return null
}

test('lays out fields in order, each aligned to its element size, copies 64-byte aligned', () => {
  const s = defineStateSchema({ a: 'f32', b: 'f64', c: { type: 'u32', length: 3 }, d: { type: 'f64', length: 2 }, e: 'i32' })
  const off = Object.fromEntries(s.fields.map((f) => [f.name, f.offset]))
  assert.equal(off, { a: 0, b: 8, c: 16, d: 32, e: 48 })
  for (const f of s.fields) assert.is(f.offset % (f.type === 'f64' ? 8 : 4), 0)
  assert.is(s.copyStride % 64, 0)
  assert.ok(s.copyStride >= s.copyBytes)
  assert.is(s.byteLength, 128 + 3 * s.copyStride)
  assert.equal(s.fields.map((f) => f.float), [true, true, false, true, false])
})

test('views are typed arrays of the declared type and length over the shared buffer', () => {
  const state = createSharedState(defineStateSchema({ x: 'f32', pos: { type: 'f64', length: 3 }, n: 'u32', k: 'i32' }))
  const v = state.writer().begin()
  assert.ok(v.x instanceof Float32Array && v.x.length === 1)
  assert.ok(v.pos instanceof Float64Array && v.pos.length === 3)
  assert.ok(v.n instanceof Uint32Array)
  assert.ok(v.k instanceof Int32Array)
  assert.is(v.pos.buffer, state.buffer)
})

test('unknown types give FL_STATE_SCHEMA naming the field', () => {
  const r = codeAndField(() => defineStateSchema({ ok: 'f32', speed: 'float' }))
  assert.is(r.code, 'FL_STATE_SCHEMA')
  assert.is(r.field, 'speed')
  assert.match(r.message, /speed/)
  assert.match(r.message, /f32/)
  const r2 = codeAndField(() => defineStateSchema({ arr: { type: 'f16', length: 4 } }))
  assert.is(r2.code, 'FL_STATE_SCHEMA')
  assert.is(r2.field, 'arr')
  const r3 = codeAndField(() => defineStateSchema({ n: 42 }))
  assert.is(r3.code, 'FL_STATE_SCHEMA')
  assert.is(r3.field, 'n')
})

test('zero, negative, non-integer and missing lengths give FL_STATE_SCHEMA naming the field', () => {
  for (const length of [0, -3, 2.5, NaN, undefined, '4']) {
    const r = codeAndField(() => defineStateSchema({ good: 'f32', bad: { type: 'f32', length } }))
    assert.is(r?.code, 'FL_STATE_SCHEMA', `length ${String(length)}`)
    assert.is(r.field, 'bad')
    assert.match(r.message, /"bad"/)
  }
})

test('bad names and empty schemas are rejected', () => {
  for (const name of ['1abc', 'has space', '__proto__', '']) {
    const r = codeAndField(() => defineStateSchema({ [name]: 'f32' }))
    assert.is(r?.code, 'FL_STATE_SCHEMA', `name ${JSON.stringify(name)}`)
    assert.is(r.field, name)
  }
  assert.is(codeAndField(() => defineStateSchema({})).code, 'FL_STATE_SCHEMA')
  assert.is(codeAndField(() => defineStateSchema(null)).code, 'FL_STATE_SCHEMA')
  assert.is(codeAndField(() => defineStateSchema([1])).code, 'FL_STATE_SCHEMA')
})

test('attachSharedState checks buffer size and schema fingerprint', () => {
  const a = defineStateSchema({ x: 'f32', y: 'f32' })
  const b = defineStateSchema({ x: 'f32', z: 'f32' })
  const st = createSharedState(a)
  assert.is(attachSharedState(defineStateSchema(a.spec), st.buffer).schema.fingerprint, a.fingerprint)
  assert.is(codeAndField(() => attachSharedState(b, st.buffer)).code, 'FL_STATE_SCHEMA')
  assert.is(codeAndField(() => attachSharedState(a, new SharedArrayBuffer(16))).code, 'FL_STATE_SCHEMA')
  assert.is(codeAndField(() => attachSharedState(a, new ArrayBuffer(a.byteLength))).code, 'FL_STATE_SCHEMA')
  assert.is(codeAndField(() => attachSharedState(a, new SharedArrayBuffer(a.byteLength))).code, 'FL_STATE_SCHEMA')
})

test.run()
