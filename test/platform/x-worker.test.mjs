// The vblank clock and the input doorbell share one X worker thread (x-worker.ts): both run on it
// at once, each keeps working when the other stops or fails, and the thread ends with the last
// service and is started again by the next. Behaviour only; no timing is asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createDriver } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'
import { createInputDoorbell } from '../../dist/platform/input-doorbell.js'
import { createVblankSource } from '../../dist/platform/vblank-source.js'
import { xWorkerStatus } from '../../dist/platform/x-worker.js'
import { ErrorCode, FramelatchError } from '../../dist/errors.js'
import { until } from '../support/wait.mjs'

const xvfb = await startXvfb()
const driver = await createDriver({ display: xvfb.display })

/** Resolves when the vblank counter has moved on (the clock is alive); throws naming `what` after 5 s. */
async function ticks(src, what) {
  const seq = src.latest().seq
  await until(() => src.latest().seq > seq, what, 5000)
}

test('the vblank clock and the doorbell run on one thread; each survives the other stopping', async () => {
  assert.is(xWorkerStatus(), null, 'no X thread before a service starts')
  const vblank = createVblankSource({ display: xvfb.display })
  const bell = createInputDoorbell(xvfb.display)
  await Promise.all([vblank.start(), bell.start()])
  try {
    const status = xWorkerStatus()
    assert.ok(status !== null)
    assert.is(status.services, 2, 'both services on the one thread')
    await ticks(vblank, 'vblanks arriving')
    await vblank.stop()
    assert.is(vblank.running, false)
    assert.equal(xWorkerStatus(), { threadId: status.threadId, services: 1 }, 'the doorbell keeps the same thread')
    const before = Atomics.load(bell.cell, 0)
    await driver.key('a')
    await until(() => Atomics.load(bell.cell, 0) >= before + 2, 'the doorbell ringing', 5000)
    assert.ok(bell.running)
  } finally {
    await vblank.stop()
    await bell.stop()
  }
  assert.is(xWorkerStatus(), null, 'the thread ended with the last service')
  // The next service starts a thread again.
  const again = createVblankSource({ display: xvfb.display })
  await again.start()
  try {
    await ticks(again, 'vblanks arriving on the new thread')
  } finally {
    await again.stop()
  }
  assert.is(xWorkerStatus(), null)
})

test('a service that cannot start rejects with its own code and leaves the other running', async () => {
  const bell = createInputDoorbell(xvfb.display)
  await bell.start()
  try {
    const missing = createVblankSource({ display: ':4243', timeoutMs: 5000 })
    try {
      await missing.start()
      assert.unreachable('started on a missing display')
    } catch (err) {
      assert.instance(err, FramelatchError)
      assert.is(err.code, ErrorCode.VBLANK_UNAVAILABLE)
      assert.ok(err.message.includes(':4243'), err.message)
    }
    assert.is(missing.running, false)
    assert.is(xWorkerStatus()?.services, 1, 'only the doorbell is left')
    const before = Atomics.load(bell.cell, 0)
    await driver.move(30, 40)
    await until(() => Atomics.load(bell.cell, 0) > before, 'the doorbell ringing', 5000)
    // A doorbell on the missing display fails the same way, with the doorbell's code.
    const lost = createInputDoorbell(':4243', 5000)
    const err = await lost.start().then(() => null, (e) => e)
    assert.ok(err !== null, 'start rejected')
    assert.is(err.code, ErrorCode.INPUT_DOORBELL_UNAVAILABLE)
  } finally {
    await bell.stop()
  }
  assert.is(xWorkerStatus(), null)
})

test('stop() while a service is starting rejects its start and ends the thread', async () => {
  const vblank = createVblankSource({ display: xvfb.display })
  const started = vblank.start().then(() => null, (e) => e)
  await vblank.stop()
  const err = await started
  assert.ok(err !== null, 'start rejected')
  assert.is(err.code, ErrorCode.VBLANK_UNAVAILABLE)
  assert.is(vblank.running, false)
  assert.is(xWorkerStatus(), null)
})

test.after(async () => {
  driver.close()
  await xvfb.stop()
})

test.run()
