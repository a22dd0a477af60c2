// The input doorbell against a private Xvfb: XTEST input rings it (XInput2 raw events), and a
// wait blocked on it is woken. Behaviour only; no timing is asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createDriver } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'
import { createInputDoorbell } from '../../dist/platform/input-doorbell.js'
import { ErrorCode } from '../../dist/errors.js'
import { until } from '../support/wait.mjs'

const xvfb = await startXvfb()
const driver = await createDriver({ display: xvfb.display })

test('key presses, pointer motion and clicks ring the doorbell', async () => {
  const bell = createInputDoorbell(xvfb.display)
  await bell.start()
  try {
    assert.ok(bell.running)
    const rings = () => Atomics.load(bell.cell, 0)
    let before = rings()
    await driver.key('a')
    await until(() => rings() >= before + 2, 'a key press and release ringing it', 5000)
    before = rings()
    await driver.move(40, 50)
    await until(() => rings() > before, 'pointer motion ringing it', 5000)
    before = rings()
    await driver.click(60, 70)
    await until(() => rings() >= before + 2, 'a click (press and release) ringing it', 5000)
  } finally {
    await bell.stop()
  }
  assert.is(bell.running, false)
})

test('no display: start rejects with FL_INPUT_DOORBELL_UNAVAILABLE', async () => {
  const bell = createInputDoorbell('')
  try {
    await bell.start()
    assert.unreachable('start should reject')
  } catch (e) {
    assert.is(e.code, ErrorCode.INPUT_DOORBELL_UNAVAILABLE)
  }
})

test.after(async () => {
  driver.close()
  await xvfb.stop()
})

test.run()
