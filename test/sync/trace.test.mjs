import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createFrameTrace, Stage, STAGE_NAMES } from '../../dist/sync/frame-trace.js'

function fill(trace, frames) {
  for (let f = 0; f < frames; f++) {
    const t0 = 1000 + f * 16
    trace.begin(f)
    trace.mark(Stage.InputArrival, t0 - 3)
    trace.mark(Stage.InputLatch, t0)
    trace.mark(Stage.StateSnapshot, t0 - 5)
    trace.mark(Stage.RecordStart, t0 + 0.5)
    trace.mark(Stage.RecordEnd, t0 + 2.5)
    trace.mark(Stage.FlushEnd, t0 + 3)
    trace.mark(Stage.SwapReturn, t0 + 3 + (f % 10)) // swap 0..9 ms
  }
}

test('a ring keeps the last N frames and computes span percentiles', () => {
  const trace = createFrameTrace({ capacity: 100 })
  fill(trace, 250)
  assert.is(trace.frames, 100)
  assert.is(trace.get(Stage.InputLatch, 0), 1000 + 249 * 16)
  assert.is(trace.get(Stage.InputLatch, 99), 1000 + 150 * 16)
  assert.ok(Number.isNaN(trace.get(Stage.InputLatch, 100)))
  assert.ok(Number.isNaN(trace.get(Stage.Finish, 0)), 'unmarked stages are NaN')
  const s = trace.summary()
  assert.is(s.frames, 100)
  assert.equal(s.spans['input-to-latch'], { count: 100, mean: 3, p50: 3, p90: 3, p99: 3, max: 3 })
  assert.is(s.spans.record.p50, 2)
  assert.is(s.spans.swap.count, 100)
  assert.is(s.spans.swap.p50, 4)
  assert.is(s.spans.swap.p90, 8)
  assert.is(s.spans.swap.max, 9)
  assert.is(s.spans.finish.count, 0, 'finish was never marked')
  assert.is(s.spans['frame-interval'].p50, 16)
  assert.is(s.spans['frame-interval'].count, 99)
  assert.is(s.spans['state-age-at-record'].p50, 5.5)
  trace.clear()
  assert.is(trace.frames, 0)
})

test('toChromeTrace produces valid trace-event JSON', () => {
  const trace = createFrameTrace({ capacity: 8 })
  fill(trace, 3)
  trace.mark(Stage.Finish, 1000 + 2 * 16 + 20)
  const json = JSON.stringify(trace.toChromeTrace())
  const parsed = JSON.parse(json)
  assert.is(parsed.displayTimeUnit, 'ms')
  assert.ok(Array.isArray(parsed.traceEvents))
  const ev = parsed.traceEvents
  for (const e of ev) {
    assert.type(e.name, 'string')
    assert.ok(['X', 'i', 'M'].includes(e.ph), e.ph)
    assert.type(e.pid, 'number')
    assert.type(e.tid, 'number')
    if (e.ph !== 'M') assert.ok(Number.isFinite(e.ts), 'finite µs timestamp')
    if (e.ph === 'X') assert.ok(e.dur >= 0)
  }
  const frames = ev.filter((e) => e.ph === 'X' && e.name.startsWith('frame '))
  assert.is(frames.length, 3)
  assert.is(frames[0].ts, (1000 - 3) * 1000)
  const inst = ev.filter((e) => e.ph === 'i')
  assert.is(inst.length, 3 * 7 + 1)
  assert.ok(inst.every((e) => STAGE_NAMES.includes(e.name)))
  const i2l = ev.filter((e) => e.name === 'input-to-latch')
  assert.is(i2l.length, 3)
  assert.is(i2l[0].dur, 3000)
  assert.is(ev.filter((e) => e.name === 'finish' && e.ph === 'X').length, 1)
})

test('mark before begin is ignored; capacity is validated', () => {
  const trace = createFrameTrace({ capacity: 4 })
  trace.mark(Stage.InputLatch, 5)
  assert.is(trace.frames, 0)
  try {
    createFrameTrace({ capacity: 0 })
    assert.unreachable()
  } catch (e) {
    assert.is(e.code, 'FL_INVALID_DESC')
  }
})

test.run()
