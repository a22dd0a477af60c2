// The Present vblank source on the test runner's Xvfb, and the ticker locked to it. Compares two
// measurements made in the same run (the ticker's period vs the clock's own mean UST interval);
// nothing asserts how fast anything ran.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createVblankSource } from '../../dist/platform/vblank-source.js'
import { createTicker } from '../../dist/sync/ticker/ticker.js'
import { nowMs, ustToMs, hrtimeUs } from '../../dist/clock.js'
import { FramelatchError } from '../../dist/errors.js'
import { until } from '../support/wait.mjs'

test('Present vblanks arrive with a growing MSC; UST converts to the past on the framelatch clock', async () => {
  const src = createVblankSource()
  await src.start()
  try {
    assert.ok(src.running)
    const first = { ...src.latest() }
    assert.ok(first.seq >= 1)
    // Wait (without timing anything) until at least 5 more vblanks were published.
    await until(() => src.latest().seq >= first.seq + 5, '5 more vblanks')
    const s = src.latest()
    assert.ok(s.msc >= first.msc + 5, `msc ${first.msc} -> ${s.msc}`)
    assert.ok(s.ustUs > first.ustUs)
    // UST is CLOCK_MONOTONIC µs, like process.hrtime: a published vblank lies in the past of both
    // clocks, and not by hours (a wall-clock or boot-time basis would be).
    assert.ok(s.ustUs <= hrtimeUs(), 'UST is not in the future of hrtime')
    assert.ok(s.tMs <= nowMs(), 'converted UST is not in the future of nowMs()')
    assert.ok(nowMs() - s.tMs < 60_000, `converted UST is ${nowMs() - s.tMs} ms old`)
    assert.ok(Math.abs(s.tMs - ustToMs(s.ustUs)) < 1e-9)
  } finally {
    await src.stop()
  }
  assert.is(src.running, false)
})

test('the ticker locked to Xvfb Present reports a period within 1% of the mean UST interval', async () => {
  const src = createVblankSource()
  await src.start()
  const ticker = createTicker({ vblank: src })
  const usts = []
  const mscs = []
  let lastSeq = 0
  try {
    for (let i = 0; i < 150; i++) {
      const f = await ticker.waitForFrame()
      assert.is(f.reason, 'vblank')
      const s = src.latest()
      if (s.seq !== lastSeq) {
        lastSeq = s.seq
        usts.push(s.ustUs)
        mscs.push(s.msc)
      }
      ticker.frameEnd()
    }
  } finally {
    await src.stop()
  }
  assert.ok(usts.length >= 30, `saw ${usts.length} vblanks`)
  // The clock's own figure: mean UST interval per MSC step over the whole run.
  const n = usts.length - 1
  const meanIntervalMs = (usts[n] - usts[0]) / (mscs[n] - mscs[0]) / 1000
  const rel = Math.abs(ticker.period - meanIntervalMs) / meanIntervalMs
  assert.ok(rel < 0.01, `ticker ${ticker.period} ms vs mean UST interval ${meanIntervalMs} ms (${(rel * 100).toFixed(3)}%)`)
  assert.ok(ticker.estimator.samples >= 20, `the estimate came from vblanks (${ticker.estimator.samples} in the fit)`)
  assert.ok(ticker.confidence > 0 && ticker.confidence <= 1, `confidence ${ticker.confidence}`)
})

test('no display: createVblankSource throws VBLANK_UNAVAILABLE', () => {
  const saved = process.env.DISPLAY
  delete process.env.DISPLAY
  try {
    createVblankSource()
    assert.unreachable('accepted no display')
  } catch (err) {
    assert.instance(err, FramelatchError)
    assert.is(err.code, 'FL_VBLANK_UNAVAILABLE')
    assert.ok(err.message.includes('DISPLAY'))
  } finally {
    process.env.DISPLAY = saved
  }
})

test('a display that does not exist: start() rejects with VBLANK_UNAVAILABLE', async () => {
  const src = createVblankSource({ display: ':4242', timeoutMs: 5000 })
  try {
    await src.start()
    assert.unreachable('started on a missing display')
  } catch (err) {
    assert.instance(err, FramelatchError)
    assert.is(err.code, 'FL_VBLANK_UNAVAILABLE')
    assert.ok(err.message.includes(':4242'))
  }
  assert.is(src.running, false)
})

test.run()
