// Fault suite, item 2: engine lifecycle. run() after stop() runs again; after destroy() every
// call throws a coded error (device calls too); an onFrame callback that throws becomes
// FL_FRAME_CALLBACK with the original as its cause, logged, under the 'stop' or 'skip' policy;
// stop() reaches a logic worker still in init. Each scenario runs in a child with a hard timeout.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runChild, caseFile } from './support.mjs'

async function scenario(name) {
  const r = await runChild(caseFile('engine-case.mjs'), [name], { timeoutMs: 60_000 })
  assert.not.ok(r.timedOut, `${name}: the child hung\n${r.stdout}\n${r.stderr}`)
  assert.is(r.code, 0, `${name}: the child exited ${r.code} (${r.signal})\n${r.stdout}\n${r.stderr}`)
  assert.ok(r.results.some((x) => x.done), `${name}: the child finished`)
  return r.results
}

test('run() after stop() runs again (frames limit and stop() both work the second time)', async () => {
  const [r] = await scenario('run-after-stop')
  assert.ok(r.afterFirst >= 3)
  assert.is(r.afterSecond, r.afterFirst + 5)
  assert.ok(r.afterThird >= r.afterSecond + 2)
})

test('after destroy() every engine call throws FL_ENGINE_STATE and device calls FL_RESOURCE_DESTROYED; stop/destroy stay safe', async () => {
  const [r] = await scenario('after-destroy')
  for (const name of ['onFrame', 'setClearColor', 'renderFrame', 'run', 'startLogic', 'screenshot', 'present']) {
    assert.is(r.codes[name], 'FL_ENGINE_STATE', name)
  }
  for (const name of ['device.readPixels', 'device.screenshot', 'device.finish', 'device.createBuffer', 'device.createTexture', 'device.updateBuffer', 'device.beginPass']) {
    assert.is(r.codes[name], 'FL_RESOURCE_DESTROYED', name)
  }
  assert.is(r.stop, 'no error')
  assert.is(r.destroy, 'no error')
})

test("onFrameError 'stop' (default): run() rejects with FL_FRAME_CALLBACK carrying the original as cause, logged once; the engine runs again", async () => {
  const [r] = await scenario('onframe-stop')
  assert.is(r.rejected.code, 'FL_FRAME_CALLBACK')
  assert.is(r.rejected.cause, 'kaboom in frame 2')
  assert.is(r.rejected.causeType, 'TypeError')
  assert.is(r.rejected.frame, 2)
  assert.match(r.rejected.message, /onFrameError: 'skip'/)
  assert.is(r.callsAfterRun, 3, 'the loop stopped at the throwing frame')
  assert.is(r.frameErrors, 1)
  assert.is(r.logs.length, 1)
  assert.match(r.logs[0], /kaboom in frame 2/)
})

test("onFrameError 'skip': broken frames are dropped and logged, the loop goes on", async () => {
  const [r] = await scenario('onframe-skip')
  assert.is(r.rejected, null)
  assert.is(r.callsAfterRun, 8, 'all 8 frames ran their callbacks')
  assert.is(r.frameErrors, 2)
  assert.is(r.logs.length, 2)
  assert.match(r.logs[1], /\(2 frames in a row\)/)
})

test('renderFrame() with a throwing callback throws FL_FRAME_CALLBACK and drops the half-recorded frame', async () => {
  const [r] = await scenario('renderframe-throws')
  assert.is(r.code, 'FL_FRAME_CALLBACK')
  assert.equal(r.px, [0, 0, 255, 255], 'the next frame shows the clear colour, not the abandoned red rect')
})

test('engine.stop() reaches a logic worker whose init never returns; startLogic rejects and the process exits by itself', async () => {
  const [r] = await scenario('stop-during-init')
  assert.is(r.startLogic, 'FL_WORKER_LOAD')
})

test.run()
