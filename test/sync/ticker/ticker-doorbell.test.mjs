// Waiting on an input doorbell (a shared counter another thread bumps when input arrives):
// PreciseWaiter blocks on it and polls when it rings; the ticker hands it to its scheduler.
// Behaviour only, no timing asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Worker } from 'node:worker_threads'
import { PreciseWaiter } from '../../../dist/sync/precise-wait.js'
import { createTicker } from '../../../dist/sync/ticker/ticker.js'
import { nowMs } from '../../../dist/clock.js'

/**
 * Rings `cell` (index 0) from another thread after `ms`, and sets index 1 after `lateMs` (a mark
 * that only a wait the ring failed to end lives to see). The main thread is blocked meanwhile.
 */
function ringFromWorker(cell, ms, lateMs = ms) {
  const w = new Worker(`const { workerData: c } = require('node:worker_threads')
    setTimeout(() => { Atomics.add(c, 0, 1); Atomics.notify(c, 0) }, ${ms})
    setTimeout(() => Atomics.store(c, 1, 1), ${lateMs})`, { eval: true, workerData: cell })
  return new Promise((resolve) => w.once('exit', resolve))
}

test('a ring wakes a wait that would otherwise block to its target, and poll then finds the input', async () => {
  const cell = new Int32Array(new SharedArrayBuffer(8))
  const waiter = new PreciseWaiter()
  let polls = 0
  let sawRing = false
  const poll = () => {
    polls++
    sawRing = Atomics.load(cell, 0) > 0
    return sawRing
  }
  const exited = ringFromWorker(cell, 50, 3000)
  // One doorbell slice covers the whole wait: only the ring can end it before the target.
  const woken = await waiter.waitUntil(nowMs() + 20000, { poll, wakeOnInput: true, doorbell: cell, doorbellSliceMs: 60000 })
  const lateMark = Atomics.load(cell, 1)
  await exited
  assert.is(woken, true, 'the ring ended the wait early')
  assert.ok(sawRing, 'poll ran after the ring and reported the input')
  assert.is(lateMark, 0, 'the wait ended at the ring, not at the end of a slice or its target')
  assert.ok(polls <= 3, `the wait blocked on the doorbell instead of polling in slices (${polls} polls)`)
})

test('a ring that poll finds no input for does not end the wait', async () => {
  // The ring comes from inside the first poll (input meant for another window rings it too):
  // the slice after it ends at once, finds nothing, and the wait goes on to its target.
  const cell = new Int32Array(new SharedArrayBuffer(8))
  const waiter = new PreciseWaiter()
  let polls = 0
  let polledAfterRing = false
  const woken = await waiter.waitUntil(nowMs() + 30, {
    poll: () => {
      if (polls++ === 0) Atomics.add(cell, 0, 1)
      else polledAfterRing = true
      return false
    },
    wakeOnInput: true, doorbell: cell,
  })
  assert.is(woken, false, 'the wait reached its target')
  assert.ok(polledAfterRing, 'it polled again after the ring')
})

test('the ticker passes the doorbell to its scheduler with the poll, and drops both after the frame', async () => {
  const cell = new Int32Array(new SharedArrayBuffer(8))
  let t = 0
  const seen = []
  const scheduler = {
    now: () => t,
    wake() {},
    waitUntil(target, opts, done) {
      seen.push({ doorbell: opts.doorbell, wakeOnInput: opts.wakeOnInput, poll: opts.poll })
      t = Math.max(t, target)
      done(false)
    },
  }
  const ticker = createTicker({ mode: 'low-latency', scheduler })
  const poll = () => false
  await ticker.waitForFrame({ poll, doorbell: cell })
  assert.ok(seen.length > 0)
  assert.is(seen[0].doorbell, cell, 'the wait got the doorbell')
  assert.is(seen[0].wakeOnInput, true)
  assert.is(seen[0].poll, poll)
  await ticker.waitForFrame({ poll })
  assert.is(seen[seen.length - 1].doorbell, null, 'a wait without one gets none')
})

test.run()
