// CommandPool: pushes land in every field; growth past capacity (commands and payload, several
// doublings) keeps every command and float and warns once per pool; reset reuses the arrays;
// debug mode (the queue passes its own) rejects bad draws with coded errors, release mode stores
// them as given.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CommandPool } from '../../dist/core/command-pool.js'
import { encodeStateKey, sortKeyPipeline } from '../../dist/core/sort-key.js'
import { setLogger } from '../../dist/log.js'
import { ValidationError } from '../../dist/errors.js'

const logged = []
setLogger((level, code, message) => logged.push({ level, code, message }))

/** Deterministic field values for command i (each field distinct per command). */
function fill(pool, n) {
  for (let i = 0; i < n; i++) {
    const len = i % 5
    const off = pool.reserveFloats(len)
    for (let k = 0; k < len; k++) pool.payload[off + k] = i * 10 + k + 0.5
    const idx = pool.push(i * 7 + 1, 0xffffffff - i, i * 3, 1 + (i % 9), off, len, 1 + (i ^ 0xabc))
    assert.is(idx, i)
  }
}

function verify(pool, n) {
  assert.is(pool.count, n)
  let expectOff = 0
  for (let i = 0; i < n; i++) {
    const len = i % 5
    if (pool.keyHi[i] !== i * 7 + 1 || pool.keyLo[i] !== 0xffffffff - i || pool.batch[i] !== i * 3 ||
      pool.instanceCount[i] !== 1 + (i % 9) || pool.payloadOffset[i] !== expectOff || pool.payloadLength[i] !== len ||
      pool.records[i] !== 1 + (i ^ 0xabc)) {
      assert.unreachable(`command ${i} has a wrong field`)
    }
    for (let k = 0; k < len; k++) {
      if (pool.payload[expectOff + k] !== i * 10 + k + 0.5) assert.unreachable(`command ${i} payload float ${k}`)
    }
    expectOff += len
  }
  assert.is(pool.payloadUsed, expectOff)
}

test('growth past capacity several times keeps every command and payload float', () => {
  logged.length = 0
  const pool = new CommandPool({ capacity: 4, payloadCapacity: 8, label: 'test pool' })
  const n = 5000 // 4 -> 8192 commands: 11 doublings; payload 8 -> 16384 floats
  fill(pool, n)
  verify(pool, n)
  assert.is(pool.capacity, 8192)
  assert.is(pool.payload.length, 16384)
  assert.is(pool.growths, 11 + 11)
  // reported once for commands and once for payload, naming the new size and the desc field
  assert.is(logged.length, 2)
  assert.ok(logged.every((l) => l.level === 'warn' && l.code === 'FL_POOL_GREW'))
  const commands = logged.find((l) => /commands/.test(l.message))
  const payload = logged.find((l) => /payload/.test(l.message))
  assert.match(commands.message, /test pool grew from 4 to 8 commands/)
  assert.match(commands.message, /\{ capacity: 8 \}/)
  assert.match(payload.message, /test pool payload grew from 8 to 16 floats/)
  assert.match(payload.message, /\{ payloadCapacity: 16 \}/)
})

test('reset reuses the arrays; a second frame overwrites without growth or warnings', () => {
  logged.length = 0
  const pool = new CommandPool({ capacity: 64, payloadCapacity: 256 })
  fill(pool, 60)
  const arrays = [pool.keyHi, pool.keyLo, pool.batch, pool.payload]
  pool.reset()
  assert.is(pool.count, 0)
  assert.is(pool.payloadUsed, 0)
  fill(pool, 60)
  verify(pool, 60)
  assert.equal([pool.keyHi, pool.keyLo, pool.batch, pool.payload], arrays)
  assert.is(pool.growths, 0)
  assert.is(logged.length, 0)
})

test('each pool reports its own first growth once', () => {
  logged.length = 0
  const a = new CommandPool({ capacity: 1, label: 'A' })
  const b = new CommandPool({ capacity: 1, label: 'B' })
  for (let f = 0; f < 3; f++) {
    a.reset(); b.reset()
    for (let i = 0; i < 10; i++) { a.push(0, 0, 0, 1, 0, 0); b.push(0, 0, 0, 1, 0, 0) }
  }
  assert.equal(logged.map((l) => l.message.slice(0, 1)), ['A', 'B'])
})

test('keys can be encoded in place after push', () => {
  const pool = new CommandPool({ capacity: 2 })
  for (let p = 0; p < 10; p++) {
    const i = pool.push(0, 0, 1234, 1, 0, 0)
    encodeStateKey(pool.keyHi, pool.keyLo, i, 0, false, p, 0, 0)
  }
  for (let i = 0; i < 10; i++) assert.is(sortKeyPipeline(pool.keyHi[i], pool.keyLo[i]), i)
})

test('ensureCapacity preallocates silently and keeps what was recorded', () => {
  logged.length = 0
  const pool = new CommandPool({ capacity: 8, payloadCapacity: 16 })
  fill(pool, 8) // 13 floats
  pool.ensureCapacity(1000, 5000)
  assert.is(pool.capacity, 1000)
  assert.is(pool.payload.length, 5000)
  verify(pool, 8)
  pool.ensureCapacity(10, 10) // never shrinks
  assert.is(pool.capacity, 1000)
  assert.is(logged.length, 0)
  assert.is(pool.growths, 0)
})

function throwsCode(fn, code, field) {
  try {
    fn()
  } catch (e) {
    assert.instance(e, ValidationError)
    assert.is(e.code, code)
    assert.ok(e.message.startsWith('framelatch: '))
    if (field) assert.is(e.info.field, field)
    return
  }
  assert.unreachable(`expected ${code}`)
}

test('debug mode rejects negative or fractional counts and payload that was not reserved', () => {
  const pool = new CommandPool({ debug: true })
  throwsCode(() => pool.push(0, 0, 0, -1, 0, 0), 'FL_INVALID_DRAW', 'instanceCount')
  throwsCode(() => pool.push(0, 0, 0, 2.5, 0, 0), 'FL_INVALID_DRAW', 'instanceCount')
  throwsCode(() => pool.push(0, 0, 0, NaN, 0, 0), 'FL_INVALID_DRAW', 'instanceCount')
  throwsCode(() => pool.push(0, 0, 0, 1, 0, 0, 0), 'FL_INVALID_DRAW', 'records')
  throwsCode(() => pool.push(0, 0, 0, 1, 0, 4), 'FL_OUT_OF_RANGE')
  const off = pool.reserveFloats(4)
  pool.push(0, 0, 0, 1, off, 4)
  throwsCode(() => pool.push(0, 0, 0, 1, off + 1, 4), 'FL_OUT_OF_RANGE')
  throwsCode(() => pool.reserveFloats(-1), 'FL_OUT_OF_RANGE')
  assert.is(pool.count, 1, 'rejected draws are not recorded')
})

test('release mode records bad draws as given (the queue skips them) and never throws', () => {
  const pool = new CommandPool()
  const i = pool.push(0, 0, 0, -1, 100, 4, 0)
  assert.is(pool.instanceCount[i], -1)
  assert.is(pool.records[i], 0)
  assert.is(pool.count, 1)
})

test('invalid desc capacities are INVALID_DESC', () => {
  throwsCode(() => new CommandPool({ capacity: 0 }), 'FL_INVALID_DESC', 'capacity')
  throwsCode(() => new CommandPool({ payloadCapacity: 1.5 }), 'FL_INVALID_DESC', 'payloadCapacity')
})

test('makeRoom grows the payload as reserveFloats would (counted, warned once) but reserves nothing', () => {
  logged.length = 0
  const pool = new CommandPool({ payloadCapacity: 8, label: 'room' })
  pool.reserveFloats(3)
  assert.is(pool.makeRoom(20), 3)
  assert.is(pool.payloadUsed, 3)
  assert.ok(pool.payload.length >= 23)
  assert.is(pool.growths, 1)
  assert.is(logged.length, 1)
  assert.is(pool.makeRoom(1), 3, 'room already there: no growth')
  assert.is(pool.growths, 1)
})

test.run()
