import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState, attachSharedState } from '../../../dist/sync/state/shared-state.js'

const spec = { x: 'f32', pos: { type: 'f64', length: 3 }, id: 'u32', tags: { type: 'i32', length: 2 } }

test('reader sees seq 0 (zeros) before the first publish, then the newest snapshot', () => {
  const st = createSharedState(defineStateSchema(spec))
  const w = st.writer()
  const r = st.reader()
  let s = r.read()
  assert.is(s.seq, 0)
  assert.is(s.views.x[0], 0)
  w.begin().x[0] = 1.5
  assert.is(w.publish(10), 1)
  s = r.read()
  assert.is(s.seq, 1)
  assert.is(s.time, 10)
  assert.is(s.views.x[0], 1.5)
  assert.is(s.fresh, true)
  s = r.read()
  assert.is(s.fresh, false)
  assert.is(s.seq, 1)
  // several publishes between reads: only the newest is seen
  for (let i = 2; i <= 5; i++) {
    w.begin().x[0] = i
    w.publish(10 * i)
  }
  s = r.read()
  assert.is(s.seq, 5)
  assert.is(s.views.x[0], 5)
  assert.is(s.time, 50)
  assert.is(st.publishes, 5)
})

test('the reader’s copy is never written by the writer until the reader reads again', () => {
  const st = createSharedState(defineStateSchema(spec))
  const w = st.writer({ carry: false })
  const r = st.reader()
  w.begin().x[0] = 1
  w.publish(1)
  const held = r.read()
  for (let i = 2; i < 50; i++) {
    const v = w.begin()
    assert.is.not(v.x, held.views.x, 'writer never gets the reader’s copy')
    v.x[0] = i
    w.publish(i)
    assert.is(held.views.x[0], 1)
  }
  assert.is(r.read().views.x[0], 49)
})

test('carry: begin() starts from the last published snapshot; carry:false does not', () => {
  const st = createSharedState(defineStateSchema(spec))
  const w = st.writer()
  const r = st.reader()
  for (let i = 0; i < 10; i++) {
    const v = w.begin()
    v.pos[0] += 1 // incremental update needs the previous state
    if (i === 0) v.id[0] = 77 // written once, must persist
    w.publish(i)
    r.read()
  }
  const s = r.read()
  assert.is(s.views.pos[0], 10)
  assert.is(s.views.id[0], 77)
  const st2 = createSharedState(defineStateSchema(spec))
  const w2 = st2.writer({ carry: false })
  for (let i = 0; i < 4; i++) {
    w2.begin().pos[0] += 1
    w2.publish(i)
  }
  assert.ok(st2.reader().read().views.pos[0] < 4)
})

test('set() writes checked values and rejects wrong lengths and unknown fields with FL_STATE_WRITE', () => {
  const st = createSharedState(defineStateSchema(spec))
  const w = st.writer()
  w.set('x', 2)
  w.set('pos', [1, 2, 3])
  w.set('tags', new Int32Array([4, 5]))
  w.publish(0)
  const s = st.reader().read()
  assert.is(s.views.x[0], 2)
  assert.equal([...s.views.pos], [1, 2, 3])
  assert.equal([...s.views.tags], [4, 5])
  const bad = [
    () => w.set('pos', [1, 2]),
    () => w.set('pos', [1, 2, 3, 4]),
    () => w.set('pos', 1),
    () => w.set('nope', 1),
    () => w.set('tags', 'ab'),
  ]
  for (const fn of bad) {
    try {
      fn()
      assert.unreachable('should throw')
    } catch (e) {
      assert.is(e.code, 'FL_STATE_WRITE')
      assert.match(e.message, /pos|nope|tags/)
    }
  }
})

test('interpolate blends float fields of the last two snapshots, ints come from the newest', () => {
  const st = createSharedState(defineStateSchema(spec))
  const w = st.writer()
  const r = st.reader({ interpolate: true })
  let v = w.begin()
  v.x[0] = 0
  v.pos.set([0, 10, -4])
  v.id[0] = 1
  w.publish(100)
  r.read()
  v = w.begin()
  v.x[0] = 10
  v.pos.set([100, 20, 4])
  v.id[0] = 2
  w.publish(200)
  let o = r.interpolate(150)
  assert.is(o.alpha, 0.5)
  assert.is(o.time, 150)
  assert.is(o.views.x[0], 5)
  assert.equal([...o.views.pos], [50, 15, 0])
  assert.is(o.views.id[0], 2)
  o = r.interpolate(500)
  assert.is(o.alpha, 1)
  assert.is(o.views.x[0], 10)
  o = r.interpolate(0)
  assert.is(o.alpha, 0)
  assert.is(o.views.x[0], 0)
  r.close()
  const plain = st.reader()
  try {
    plain.interpolate(1)
    assert.unreachable()
  } catch (e) {
    assert.is(e.code, 'FL_INVALID_DESC')
  }
})

test('a replacement writer continues numbering and never takes the reader’s or the newest copy', () => {
  const schema = defineStateSchema(spec)
  const st = createSharedState(schema)
  const r = st.reader()
  const w1 = st.writer()
  w1.set('x', 1)
  w1.publish(1)
  w1.set('x', 2)
  w1.publish(2)
  const held = r.read()
  assert.is(held.views.x[0], 2)
  w1.begin().x[0] = -1 // abandoned half-written snapshot
  // w1 stands for a writer whose thread died: it cannot close(), so the replacement takes over.
  const w2 = attachSharedState(schema, st.buffer).writer({ takeOver: true })
  assert.is(w2.nextSeq, 3)
  const v = w2.begin()
  assert.is(v.x[0], 2, 'carry starts from the newest published snapshot, not the abandoned write')
  v.x[0] = 3
  w2.publish(3)
  assert.is(held.views.x[0], 2)
  const s = r.read()
  assert.is(s.seq, 3)
  assert.is(s.views.x[0], 3)
})

test.run()
