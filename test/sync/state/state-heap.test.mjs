// Allocation checks for the hot paths: each loop body (an "iteration") allocates nothing, measured
// by test/support/heap.mjs over 100k iterations a round (bytes allocated between two heap readings
// plus everything collected in between; no gc() between the readings; best of a few rounds).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { defineStateSchema } from '../../../dist/sync/state/state-schema.js'
import { createSharedState } from '../../../dist/sync/state/shared-state.js'
import { createInputRing, createInputEvent, InputKind } from '../../../dist/sync/input/input-ring.js'
import { createInputLatch } from '../../../dist/sync/input/input-latch.js'
import { createFrameTrace, Stage } from '../../../dist/sync/frame-trace.js'
import { assertAllocatesNothing } from '../../support/heap.mjs'

const N = 100_000
// Bytes per iteration past the harness's slack: a quarter of the smallest object (a 16-byte boxed
// number), so one allocation per iteration fails. (1 B failed once in a full suite at load 9-11:
// 1.4 B an iteration in every round, 0 alone: code waiting for the optimising compiler.)
const LIMIT = 4

function check(name, fn) {
  return assertAllocatesNothing(name, fn, { frames: N, warmup: 20_000, limit: LIMIT })
}

test('gc() is exposed (the runner passes --expose-gc)', () => {
  assert.type(global.gc, 'function')
})

test('publish() + read() + interpolate() allocate nothing', async () => {
  const st = createSharedState(defineStateSchema({ x: 'f32', pos: { type: 'f32', length: 64 }, id: 'u32' }))
  const w = st.writer()
  const r = st.reader({ interpolate: true })
  const sink = new Float64Array(1) // not a closure variable: a boxed number would allocate per +=
  await check('publish+read', (i) => {
    const v = w.begin()
    v.x[0] = i
    v.pos[3] = i
    w.publish(i)
    sink[0] += r.read().views.x[0]
  })
  // Integer times on purpose: V8 boxes a fractional number passed to a non-inlined call on the
  // caller's side (performance.now() already returns a boxed number), which is not this API's
  // allocation. alpha is still 0.5 here: snapshots at 2i-2 and 2i, rendered at 2i-1.
  await check('interpolate', (i) => {
    w.begin().x[0] = i
    w.publish(i * 2)
    const o = r.interpolate(i * 2 - 1)
    sink[0] += o.views.x[0] + o.alpha
  })
  assert.ok(sink[0] > 0)
})

test('input push + latch + ring read allocate nothing', async () => {
  const ring = createInputRing({ capacity: 256 })
  const latch = createInputLatch(ring)
  const reader = ring.reader()
  const e = createInputEvent()
  const sink = new Float64Array(1) // not a closure variable: a boxed number would allocate per +=
  await check('push+latch', (i) => {
    ring.push(InputKind.PointerMove, 0, i, i, 0, 0, 0, i)
    ring.push(i & 1 ? InputKind.KeyDown : InputKind.KeyUp, 4, 0, 0, 0, 0, 0, i)
    ring.push(InputKind.Wheel, 0, 0, 0, 0, 1, 0, i)
    sink[0] += latch.latch(i).events
    while (reader.next(e)) sink[0] += e.code
  })
  assert.ok(sink[0] > 0)
})

test('trace begin + mark allocate nothing', async () => {
  const trace = createFrameTrace({ capacity: 600 })
  await check('trace', (i) => {
    trace.begin(i)
    trace.mark(Stage.InputArrival, i)
    trace.mark(Stage.InputLatch, i + 1)
    trace.mark(Stage.RecordStart, i + 2)
    trace.mark(Stage.SwapReturn, i + 3)
  })
})

test.run()
