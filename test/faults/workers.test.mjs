// Fault suite, item 1: logic workers that never finish init, stall, run out of memory, crash in a
// loop or call process.exit are reported with their own codes and honest messages, and none of
// them hangs or kills the process (each scenario runs in a child with a hard timeout).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runChild, caseFile } from './support.mjs'

async function scenario(name) {
  const r = await runChild(caseFile('worker-case.mjs'), [name], { timeoutMs: 60_000 })
  assert.not.ok(r.timedOut, `${name}: the child hung\n${r.stdout}\n${r.stderr}`)
  assert.is(r.code, 0, `${name}: the child exited ${r.code} (${r.signal})\n${r.stdout}\n${r.stderr}`)
  assert.ok(r.results.some((x) => x.done), `${name}: the child finished`)
  return r.results
}

test('an init() promise nobody can settle is FL_WORKER_LOAD saying so (not "exited with code 0")', async () => {
  const [r] = await scenario('init-never-settles')
  assert.is(r.code, 'FL_WORKER_LOAD')
  assert.match(r.message, /init\(\)'s promise never settled/)
  assert.not.match(r.message, /process\.exit/)
})

test('an init() that outlasts initTimeoutMs is FL_WORKER_INIT_TIMEOUT and the thread is ended', async () => {
  const [r] = await scenario('init-hangs')
  assert.is(r.code, 'FL_WORKER_INIT_TIMEOUT')
  assert.match(r.message, /initTimeoutMs \(300 ms\)/)
  assert.is(r.info.initTimeoutMs, 300)
})

for (const how of ['loop', 'wait']) {
  test(`a step that ${how === 'loop' ? 'loops forever' : 'awaits a promise that never settles'} is FL_WORKER_STALLED, terminated and restarted`, async () => {
    const [r, s] = await scenario(`stall-${how}`)
    assert.is(r.errors.length, 1)
    assert.is(r.errors[0].code, 'FL_WORKER_STALLED')
    assert.is(r.errors[0].info.step, 20)
    assert.is(r.errors[0].restartInMs, 0)
    assert.is(r.status, 'running')
    assert.is(r.restarts, 1)
    assert.ok(r.value > 40, 'the restarted worker carries on from the last good state')
    assert.ok(r.minValue >= 0, 'the stalled step\'s half-written copy (-1) was never visible')
    assert.is(s.stopped, 'stopped')
  })
}

test('a worker that allocates without bound is FL_WORKER_OUT_OF_MEMORY naming the limit; the process lives on', async () => {
  const [r] = await scenario('oom')
  assert.is(r.errors.length, 1)
  const e = r.errors[0]
  assert.is(e.code, 'FL_WORKER_OUT_OF_MEMORY')
  assert.match(e.message, /maxOldGenerationSizeMb = 32 MB/)
  assert.is(e.info.maxOldGenerationSizeMb, 32)
  assert.is(e.restartInMs, null)
  assert.is(r.status, 'failed')
  assert.ok(r.value > 0, 'the last good snapshot stays readable')
})

test('a crash on the same step every time stops restarting with FL_WORKER_CRASH_LOOP; state and status tell the app', async () => {
  const [r] = await scenario('crash-loop')
  assert.equal(r.errors.map((e) => e.code), ['FL_WORKER_CRASHED', 'FL_WORKER_CRASHED', 'FL_WORKER_CRASH_LOOP'])
  assert.equal(r.errors.map((e) => e.restartInMs), [0, 0, null])
  const loop = r.errors[2]
  assert.is(loop.cause, 'FL_WORKER_CRASHED', 'the fault that completed the loop is the cause')
  assert.is(loop.info.crashes, 3)
  assert.match(loop.message, /always fails at step 50/)
  assert.is(r.status, 'failed')
  assert.is(r.lastError, 'FL_WORKER_CRASH_LOOP')
  assert.is(r.value, 50, 'the last good state (step 49 wrote 50) is kept')
  assert.not.ok(r.stepsGrew, 'no more steps once the loop is detected')
})

test('a module that calls process.exit is reported as such, with the step it happened in', async () => {
  const [r] = await scenario('exit')
  assert.is(r.errors[0].code, 'FL_WORKER_CRASHED')
  assert.match(r.errors[0].message, /called process\.exit\(3\) in step 5/)
})

test.run()
