// preciseWaitUntil: never returns early, keeps the event loop running while it sleeps, polls
// input while it blocks, and wakes on input or wake(). Behaviour only: no assertion on how late.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { preciseWaitUntil, wakePreciseWait, PreciseWaiter } from '../../dist/sync/precise-wait.js'
import { nowMs } from '../../dist/clock.js'

test('never returns before the target; resolves false when the target was reached', async () => {
  for (const ms of [0, 0.1, 0.5, 1.5, 3, 7, 20]) {
    const target = nowMs() + ms
    const woken = await preciseWaitUntil(target)
    assert.is(woken, false)
    assert.ok(nowMs() >= target, `returned before a ${ms} ms target`)
  }
})

test('a past target resolves at once with false', async () => {
  assert.is(await preciseWaitUntil(nowMs() - 5), false)
})

test('the event loop keeps running during the coarse phase (SDL polls on a 1 ms interval)', async () => {
  let ticks = 0
  const iv = setInterval(() => ticks++, 1)
  await preciseWaitUntil(nowMs() + 40)
  clearInterval(iv)
  // A wait that blocked the loop throughout would leave 0 (≥ 1 holds even if the process is
  // descheduled for the whole wait: the 1 ms interval falls due before the wait's own timer).
  assert.ok(ticks >= 1, `interval ran ${ticks} times during a 40 ms wait`)
})

test('poll() is called while the loop is blocked, and input ends the wait with wakeOnInput', async () => {
  let calls = 0
  // A margin wider than the wait keeps it all in the blocking phase (however slow the machine).
  const fine = { sleepMarginMs: 120_000 }
  const woken = await preciseWaitUntil(nowMs() + 60_000, { ...fine, poll: () => ++calls >= 3, wakeOnInput: true })
  assert.is(woken, true)
  assert.ok(calls >= 3)
  // Without wakeOnInput, input is still pumped but the wait runs to its target.
  calls = 0
  const target = nowMs() + 1.5
  const w2 = await preciseWaitUntil(target, { poll: () => (++calls, true) })
  assert.is(w2, false)
  assert.ok(calls >= 1)
  assert.ok(nowMs() >= target)
})

test('a wait that input may end polls while it sleeps, and the event loop keeps turning', async () => {
  // Input delivered by an event-loop callback (as SDL's interval delivers it to a listener that
  // does not call wake()) must be found by poll() long before the coarse sleep would end.
  const waiter = new PreciseWaiter()
  let arrived = false
  let guardFired = false
  setTimeout(() => (arrived = true), 5)
  const guard = setTimeout(() => {
    guardFired = true
    waiter.wake()
  }, 5_000)
  const woken = await waiter.waitUntil(nowMs() + 60_000, { poll: () => arrived, wakeOnInput: true })
  clearTimeout(guard)
  assert.is(woken, true)
  assert.is(guardFired, false, 'poll() found the input before the 5 s guard (a plain coarse sleep polls only at its end)')
})

test('wake() ends a long sleep early, and an Infinity wait until woken', async () => {
  const start = nowMs()
  setTimeout(() => wakePreciseWait(), 10)
  assert.is(await preciseWaitUntil(start + 60_000), true)
  const waiter = new PreciseWaiter()
  setTimeout(() => waiter.wake(), 5)
  assert.is(await waiter.waitUntil(Infinity), true)
  assert.is(waiter.waiting, false)
})

test('a wake() from inside poll() (an input listener) ends the fine phase', async () => {
  const waiter = new PreciseWaiter()
  let n = 0
  const woken = await waiter.waitUntil(nowMs() + 60_000, {
    sleepMarginMs: 120_000, // all in the blocking phase
    poll: () => {
      if (++n === 2) waiter.wake()
      return false
    },
  })
  assert.is(woken, true)
})

test('cancel() resolves the pending wait; a second wait ends the first', async () => {
  const waiter = new PreciseWaiter()
  const p = waiter.waitUntil(nowMs() + 60_000)
  waiter.cancel()
  assert.is(await p, true)
  const a = waiter.waitUntil(nowMs() + 60_000)
  const b = waiter.waitUntil(nowMs() + 1)
  assert.is(await a, true)
  assert.is(await b, false)
})

test.run()
