import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Worker } from 'node:worker_threads'
import { createInputRing, attachInputRing, createInputEvent, InputKind } from '../../../dist/sync/input/input-ring.js'

test('events come out in order with every field intact', () => {
  const ring = createInputRing({ capacity: 16 })
  const r = ring.reader()
  const e = createInputEvent()
  assert.is(r.next(e), false)
  ring.push(InputKind.KeyDown, 44, 0, 0, 0, 0, 3, 1000.25)
  ring.push(InputKind.PointerMove, 0, 10.5, 20.25, 0, 0, 0, 1001.5)
  ring.push(InputKind.Wheel, 0, 1, 2, -1.5, 3, 0, 1002)
  assert.is(r.pending(), 3)
  assert.ok(r.next(e))
  assert.equal({ ...e }, { kind: 1, code: 44, x: 0, y: 0, dx: 0, dy: 0, mods: 3, time: 1000.25, seq: 0 })
  assert.ok(r.next(e))
  assert.equal([e.kind, e.x, e.y, e.time, e.seq], [InputKind.PointerMove, 10.5, 20.25, 1001.5, 1])
  assert.ok(r.next(e))
  assert.equal([e.kind, e.dx, e.dy, e.seq], [InputKind.Wheel, -1.5, 3, 2])
  assert.is(r.next(e), false)
  assert.is(r.lost, 0)
})

test('readers keep their own cursors and start at the current write position', () => {
  const ring = createInputRing({ capacity: 16 })
  ring.push(InputKind.KeyDown, 1, 0, 0, 0, 0, 0, 1)
  const a = ring.reader()
  const b = ring.reader()
  ring.push(InputKind.KeyDown, 2, 0, 0, 0, 0, 0, 2)
  ring.push(InputKind.KeyDown, 3, 0, 0, 0, 0, 0, 3)
  const e = createInputEvent()
  const codesA = []
  while (a.next(e)) codesA.push(e.code)
  assert.equal(codesA, [2, 3])
  assert.is(b.pending(), 2, 'reader b is unaffected by a')
  ring.push(InputKind.KeyDown, 4, 0, 0, 0, 0, 0, 4)
  const codesB = []
  while (b.next(e)) codesB.push(e.code)
  assert.equal(codesB, [2, 3, 4])
  assert.ok(a.next(e) && e.code === 4)
})

test('overflow is detected and counted; the reader resumes at the oldest surviving event', () => {
  const ring = createInputRing({ capacity: 16 })
  const r = ring.reader()
  for (let i = 0; i < 40; i++) ring.push(InputKind.KeyDown, i, 0, 0, 0, 0, 0, i)
  const e = createInputEvent()
  const codes = []
  while (r.next(e)) codes.push(e.code)
  assert.is(r.lost, 24)
  assert.is(r.overflows, 1)
  assert.equal(codes, Array.from({ length: 16 }, (_, i) => 24 + i))
  ring.push(InputKind.KeyDown, 99, 0, 0, 0, 0, 0, 99)
  assert.ok(r.next(e) && e.code === 99)
  assert.is(r.lost, 24)
})

test('capacity must be a power of two in range', () => {
  for (const capacity of [0, 15, 100, 1 << 20, 2.5]) {
    try {
      createInputRing({ capacity })
      assert.unreachable()
    } catch (err) {
      assert.is(err.code, 'FL_INVALID_DESC')
    }
  }
  try {
    attachInputRing(new SharedArrayBuffer(64))
    assert.unreachable()
  } catch (err) {
    assert.is(err.code, 'FL_INVALID_DESC')
  }
})

test('a reader in another thread sees every event in order, or counts what it lost, never garbage', async () => {
  const ring = createInputRing({ capacity: 64 })
  const src = `
    const { workerData, parentPort } = require('node:worker_threads')
    import(workerData.lib).then(({ attachInputRing, createInputEvent }) => {
      const ring = attachInputRing(workerData.buffer)
      const r = ring.reader()
      const e = createInputEvent()
      const go = new Int32Array(workerData.go)
      Atomics.store(go, 0, 1)
      let expected = -1, bad = 0, got = 0
      while (got + r.lost < workerData.total) {
        if (!r.next(e)) continue
        got++
        // each event encodes its own number in code, x and time
        if (e.code !== e.seq || e.x !== (e.seq % 1000) || e.time !== e.seq * 2) bad++
        if (e.seq <= expected) bad++
        expected = e.seq
      }
      parentPort.postMessage({ got, lost: r.lost, bad })
    })
  `
  const go = new SharedArrayBuffer(4)
  const total = 200_000
  const w = new Worker(src, { eval: true, workerData: { buffer: ring.buffer, go, total, lib: new URL('../../../dist/sync/input/input-ring.js', import.meta.url).href } })
  const result = new Promise((r) => w.once('message', r))
  while (Atomics.load(new Int32Array(go), 0) === 0) await new Promise((r) => setTimeout(r, 1))
  for (let n = 0; n < total; n++) ring.push(InputKind.PointerMove, n, n % 1000, 0, 0, 0, 0, n * 2)
  const { got, lost, bad } = await result
  await w.terminate()
  assert.is(bad, 0)
  assert.is(got + lost, total)
  assert.ok(got > 0)
  console.log(`cross-thread: ${got} read, ${lost} lost to overflow (counted), ${bad} bad`)
})

test.run()
