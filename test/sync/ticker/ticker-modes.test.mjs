// Ticker behaviour in virtual time: modes, drops without bursts, stable dt when the rate halves,
// TICKER_CONFIG errors, and no allocation in the per-frame bookkeeping.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { assertAllocatesNothing } from '../../support/heap.mjs'
import { createTicker } from '../../../dist/sync/ticker/ticker.js'
import { SimulatedDisplay } from '../../../dist/sync/ticker/simulated-display.js'
import { FrameCostPredictor } from '../../../dist/sync/ticker/frame-cost.js'
import { FramelatchError } from '../../../dist/errors.js'
import { createVirtualScheduler } from './ticker-virtual.mjs'
import { mulberry32Float } from '../../support/prng.mjs'

const P60 = 1000 / 60

/** A paced 60 Hz ticker locked to a simulated display (MSC), warmed up for `warm` frames. */
async function locked({ mode = 'paced', warm = 60, lateMs = null, ...rest } = {}) {
  const display = new SimulatedDisplay({ hz: 60, jitterMs: 0.05, seed: 3, startMs: 1000, startMsc: 0 })
  const sched = createVirtualScheduler({ startMs: 990, lateMs })
  const ticker = createTicker({ mode, scheduler: sched, ...rest })
  let v = display.next()
  const feed = () => {
    while (v.trueMs <= sched.t) {
      ticker.onVblank(v.tMs, v.msc)
      v = display.next()
    }
  }
  const frame = async (cost, opts) => {
    feed()
    const f = await ticker.waitForFrame(opts)
    const copy = { ...f }
    sched.t += cost
    ticker.frameEnd(cost)
    feed()
    return copy
  }
  for (let i = 0; i < warm; i++) await frame(4)
  return { display, sched, ticker, frame, feed }
}

test('paced: one frame per vblank, each starting predicted cost + margin before its vblank', async () => {
  const { ticker, frame, display } = await locked()
  const missed0 = ticker.missed
  const dropped0 = ticker.dropped
  let prev = null
  for (let i = 0; i < 60; i++) {
    const f = await frame(4)
    assert.is(f.reason, 'vblank')
    const vb = display.nextVblankAfter(f.predictedPresentMs - 1)
    assert.ok(Math.abs(vb - f.predictedPresentMs) < 0.25, 'present predicted on a true vblank')
    assert.ok(f.actualStartMs >= f.targetStartMs, 'never starts early')
    if (prev) assert.ok(Math.abs(f.predictedPresentMs - prev.predictedPresentMs - P60) < 0.02, 'consecutive vblanks')
    prev = f
  }
  assert.is(ticker.missed - missed0, 0)
  assert.is(ticker.dropped - dropped0, 0)
})

test('paced and low-latency: with no vblank seen yet, the first frame starts at once', async () => {
  for (const mode of ['paced', 'low-latency']) {
    const sched = createVirtualScheduler({ startMs: 500 })
    const ticker = createTicker({ mode, scheduler: sched })
    const f = { ...(await ticker.waitForFrame()) }
    assert.is(f.actualStartMs, 500, `${mode}: no wait for a vblank nobody has seen`)
    assert.is(f.predictedPresentMs, 500 + f.predictedCostMs + ticker.marginMs, `${mode}: presents once its predicted cost and the margin are spent`)
    sched.t += 3
    ticker.frameEnd(3)
    const g = await ticker.waitForFrame()
    assert.ok(Math.abs(g.predictedPresentMs - f.predictedPresentMs - ticker.period) < 1e-9, `${mode}: the next frame aims one period later`)
  }
})

test('a late frame skips to the next vblank: no catch-up burst, drops counted', async () => {
  const { ticker, frame } = await locked()
  const before = ticker.dropped
  const long = await frame(45) // misses 2–3 vblanks
  const starts = [long]
  for (let i = 0; i < 20; i++) starts.push(await frame(4))
  assert.ok(ticker.missed >= 1, 'the long frame is counted as missed')
  assert.ok(ticker.dropped - before >= 2, `dropped ${ticker.dropped - before}`)
  assert.ok(starts[1].previousMissed, 'the next frame knows the previous one missed')
  assert.ok(starts[1].dropped >= 2)
  for (let i = 1; i < starts.length; i++) {
    const gap = starts[i].predictedPresentMs - starts[i - 1].predictedPresentMs
    assert.ok(gap > P60 * 0.99, `frame ${i}: presents ${gap} ms apart (a burst would be < 1 period)`)
    assert.ok(starts[i].actualStartMs - starts[i - 1].actualStartMs > P60 * 0.5, `frame ${i}: started right after the previous`)
  }
  // After the hiccup the cadence is back to one frame per vblank.
  for (let i = 3; i < starts.length; i++) {
    assert.ok(Math.abs(starts[i].predictedPresentMs - starts[i - 1].predictedPresentMs - P60) < 0.02)
  }
})

test('dt is exact and steady when the rate halves (frames costing more than a period), even with wake-up jitter', async () => {
  const rand = mulberry32Float(11)
  const { ticker, frame } = await locked({ lateMs: () => rand() * 0.8, cost: { window: 30 } })
  for (let i = 0; i < 30; i++) {
    const f = await frame(4 + rand())
    assert.ok(Math.abs(f.dtMs - f.periodMs) < 0.01, `60 Hz dt ${f.dtMs}`)
  }
  // Now every frame costs 18–21 ms: one frame every two vblanks.
  const dts = []
  let time = ticker.current.timeMs
  for (let i = 0; i < 120; i++) {
    const f = await frame(18 + rand() * 3)
    dts.push(f.dtMs)
    assert.ok(f.timeMs > time, 'time is monotonic')
    time = f.timeMs
  }
  // After the cost predictor has seen the new costs (a few frames), dt is two periods, every
  // frame: it is quantised to vblanks, so wake-up jitter and cost jitter do not reach it.
  const settled = dts.slice(10)
  for (const dt of settled) assert.ok(Math.abs(dt - 2 * ticker.period) < 0.01, `dt ${dt} vs ${2 * ticker.period}`)
  assert.ok(Math.max(...settled) - Math.min(...settled) < 0.02, 'no oscillation')
})

/** sokol_app's frame-duration filter as ANCHORS.md describes it: clamp, EMA α 0.025, reset past 4 ms. */
function sokolFilter() {
  let avg = -1
  return (raw) => {
    const d = Math.min(100, Math.max(0.001, raw))
    if (avg < 0 || Math.abs(d - avg) > 4) avg = d
    else avg += 0.025 * (d - avg)
    return avg
  }
}

test('costs hovering around one period: dt holds at two periods, where a vsync loop + sokol filter oscillates', async () => {
  const rand = mulberry32Float(5)
  const { ticker, frame, display } = await locked({ cost: { window: 60 } })
  const ours = []
  for (let i = 0; i < 150; i++) ours.push((await frame(14 + rand() * 5)).dtMs) // 14–19 ms, period 16.7
  const settled = ours.slice(30)
  assert.ok(Math.max(...settled) - Math.min(...settled) < 0.02, `ours spread ${Math.max(...settled) - Math.min(...settled)}`)
  assert.ok(Math.abs(settled[0] - 2 * ticker.period) < 0.01)
  assert.is(ticker.frameInterval, 2, 'p95 cost over a period: one frame every two vblanks')
  // Costs back under 90% of a period: back to one frame a vblank.
  for (let i = 0; i < 150; i++) await frame(5)
  assert.is(ticker.frameInterval, 1)
  assert.ok(Math.abs(ticker.current.dtMs - ticker.period) < 0.01)
  // The same costs in a loop that starts each frame when the previous swap returns (vsync).
  const rand2 = mulberry32Float(5)
  const filter = sokolFilter()
  let start = 2000
  let prevStart = NaN
  const theirs = []
  for (let i = 0; i < 150; i++) {
    if (!Number.isNaN(prevStart)) theirs.push(filter(start - prevStart))
    prevStart = start
    start = display.nextVblankAfter(start + 14 + rand2() * 5) // swap returns at the next vblank
  }
  const t = theirs.slice(30)
  assert.ok(Math.max(...t) - Math.min(...t) > 10, 'the naive loop alternates 1 and 2 periods, and the filter follows')
})

test('dt is clamped and time stays monotonic across a long stall', async () => {
  const { ticker, frame, sched } = await locked({ maxDtMs: 50 })
  const t0 = ticker.current.timeMs
  sched.t += 2000 // a breakpoint, a suspended laptop
  const f = await frame(4)
  assert.is(f.dtMs, 50)
  assert.ok(f.timeMs > t0)
})

test('low-latency: a frame starts as soon as input arrives, even right after a paced frame', async () => {
  const { ticker, frame, sched } = await locked({ mode: 'low-latency', maxHz: 200 })
  sched.onInput = () => ticker.notifyInput()
  const last = ticker.current.actualStartMs
  // Input 4.5 ms after the last (paced, 4 ms) frame started, well before the next paced start
  // and sooner than 1 / maxHz (5 ms): the maxHz bucket still holds a frame, so it starts at the input.
  sched.inputs.push(last + 4.5)
  const f = await frame(1)
  assert.is(f.reason, 'input')
  assert.ok(Math.abs(f.actualStartMs - (last + 4.5)) < 1e-9, `started ${f.actualStartMs - last} ms after the paced frame, want 4.5`)
  // Input long after: starts exactly at the input.
  const g0 = await frame(1)
  sched.inputs.push(g0.actualStartMs + 9)
  const g = await frame(1)
  assert.is(g.reason, 'input')
  assert.ok(Math.abs(g.actualStartMs - (g0.actualStartMs + 9)) < 1e-9)
  // The input frame is predicted at the first vblank it can make.
  assert.ok(g.predictedPresentMs >= g.actualStartMs + 1)
  // Without input, it paces like `paced`.
  const h = await frame(1)
  assert.is(h.reason, 'vblank')
})

test('low-latency: a flood of input is held to maxHz, and more input does not cut a maxHz wait short', async () => {
  const { ticker, frame, sched } = await locked({ mode: 'low-latency', maxHz: 200 })
  sched.onInput = () => ticker.notifyInput() // every input wakes the ticker, as the engine's listeners do
  const t0 = ticker.current.actualStartMs
  for (let t = t0 + 1; t < t0 + 400; t += 0.25) sched.inputs.push(t) // 4 kHz pointer motion
  const starts = []
  for (let i = 0; i < 40; i++) {
    const f = await frame(0.5)
    assert.is(f.reason, 'input')
    starts.push(f.actualStartMs)
  }
  // After the bucket's burst, consecutive frames are at least 1 / maxHz = 5 ms apart.
  for (let i = 3; i < starts.length; i++) {
    assert.ok(starts[i] - starts[i - 1] >= 5 - 1e-9, `frames ${i - 1}..${i} ${starts[i] - starts[i - 1]} ms apart`)
  }
  const rate = (starts.length - 3) / ((starts[starts.length - 1] - starts[2]) / 1000)
  assert.ok(rate <= 200 + 1e-6, `sustained ${rate} frames/s`)
})

test('low-latency: hasInput() and a synchronous poll() also start a frame', async () => {
  const { frame } = await locked({ mode: 'low-latency' })
  let pending = true
  const f = await frame(1, { hasInput: () => pending })
  assert.is(f.reason, 'input')
  pending = false
  const g = await frame(1, { hasInput: () => pending })
  assert.is(g.reason, 'vblank')
})

test('paced: input does not start frames early', async () => {
  const { ticker, frame, sched } = await locked({ mode: 'paced' })
  sched.onInput = () => ticker.notifyInput()
  sched.inputs.push(ticker.current.actualStartMs + 3)
  const f = await frame(1)
  assert.is(f.reason, 'vblank')
  assert.ok(f.actualStartMs >= f.targetStartMs)
})

test('on-demand: no frame without a request; a request or input starts one', async () => {
  const { ticker, frame, sched } = await locked({ mode: 'on-demand', warm: 0 })
  let idleWaits = 0
  const framesBefore = ticker.frames
  sched.onWait = (t) => {
    idleWaits++
    if (idleWaits === 50) ticker.requestFrame() // 50 idle periods later, state changes
  }
  const f = await frame(2)
  assert.is(f.reason, 'request')
  assert.is(ticker.frames, framesBefore + 1)
  assert.ok(idleWaits >= 50, 'it idled until the request')
  // Input wakes it too.
  idleWaits = 0
  sched.onWait = () => {
    idleWaits++
    if (idleWaits === 5) ticker.notifyInput()
  }
  const g = await frame(2)
  assert.is(g.reason, 'input')
  // stop() ends an idle wait.
  sched.onWait = () => ticker.stop()
  const h = await ticker.waitForFrame()
  assert.is(h.reason, 'stopped')
  assert.is(ticker.frames, framesBefore + 2)
})

test('stop(): waitForFrame resolves with reason "stopped", now and later', async () => {
  const { ticker } = await locked()
  ticker.stop()
  assert.is((await ticker.waitForFrame()).reason, 'stopped')
  assert.is((await ticker.waitForFrame()).reason, 'stopped')
  assert.ok(ticker.isStopped)
})

test('bad TickerDesc values throw TICKER_CONFIG errors naming the field', () => {
  const bad = [
    [{ mode: 'fast' }, 'mode'],
    [{ hz: 0 }, 'hz'],
    [{ hz: Number.NaN }, 'hz'],
    [{ hz: '60' }, 'hz'],
    [{ maxHz: -1 }, 'maxHz'],
    [{ marginMs: -0.5 }, 'marginMs'],
    [{ minDtMs: 10, maxDtMs: 5 }, 'minDtMs'],
    [{ hx: 60 }, 'hx'],
    [{ vblank: {} }, 'vblank'],
    [{ scheduler: { now: () => 0 } }, 'scheduler'],
    [{ cost: { percentile: 2 } }, 'percentile'],
    [{ cost: { window: 0 } }, 'window'],
    [{ estimator: { window: 3 } }, 'window'],
  ]
  for (const [desc, field] of bad) {
    try {
      createTicker(desc)
      assert.unreachable(`accepted ${JSON.stringify(desc)}`)
    } catch (err) {
      assert.instance(err, FramelatchError)
      assert.is(err.code, 'FL_TICKER_CONFIG', JSON.stringify(desc))
      assert.ok(err.message.startsWith('framelatch: '))
      assert.ok(err.message.includes(field), `${err.message} names ${field}`)
    }
  }
})

test('frame-cost predictor: p95 of the window, adapts when costs change', () => {
  const c = new FrameCostPredictor({ window: 100, percentile: 0.95, initialMs: 3 })
  assert.is(c.predict(), 3)
  for (let i = 1; i <= 100; i++) c.add(i / 10) // 0.1 … 10 ms
  assert.ok(Math.abs(c.predict() - 9.5) < 1e-9, `p95 ${c.predict()}`)
  for (let i = 0; i < 100; i++) c.add(2)
  assert.is(c.predict(), 2)
  c.add(-1)
  c.add(Number.NaN)
  assert.is(c.predict(), 2)
})

test('frame-cost predictor: costs older than maxAgeMs are forgotten once minSamples newer ones exist', () => {
  const c = new FrameCostPredictor({ window: 120, minSamples: 8, maxAgeMs: 2000 })
  for (let i = 0; i < 8; i++) c.add(200, i * 10) // start-up frames: shader compiles on first use
  for (let i = 0; i < 8; i++) c.add(4, 1000 + i * 250) // then 4 ms frames, spaced out by the prediction
  assert.is(c.predict(1900), 200, 'under 2 s old, the start-up costs still count')
  assert.is(c.predict(2100), 4, 'older than 2 s, with 8 newer costs: forgotten')
  const keep = new FrameCostPredictor({ window: 120, minSamples: 8, maxAgeMs: 2000 })
  for (let i = 0; i < 8; i++) keep.add(200, i * 10)
  for (let i = 0; i < 4; i++) keep.add(4, 1000 + i * 250)
  assert.is(keep.predict(60_000), 200, 'fewer than minSamples newer costs: old costs are kept, however old')
  try {
    new FrameCostPredictor({ maxAgeMs: 0 })
    assert.unreachable('accepted maxAgeMs 0')
  } catch (err) {
    assert.is(err.code, 'FL_TICKER_CONFIG')
    assert.match(err.message, /maxAgeMs/)
  }
})

test('paced: slow start-up frames do not keep the ticker at a low rate once frames are cheap', async () => {
  const { ticker, frame, sched } = await locked({ warm: 0 })
  for (let i = 0; i < 8; i++) await frame(200) // first frames: programs compiled on first use
  assert.ok(ticker.frameInterval > 10, `interval ${ticker.frameInterval} while frames cost 200 ms`)
  const t0 = sched.t
  while (sched.t < t0 + 4000) await frame(4)
  assert.is(ticker.frameInterval, 1, 'one frame a vblank again, seconds later')
})

test('frameEnd(cost, false): a one-time cost (an engine\'s first frame) does not hold the paced rate down', async () => {
  const { ticker, frame, sched, feed } = await locked({ warm: 0 })
  // The first frame: 60 ms of programs compiled on first use, not learned.
  feed()
  await ticker.waitForFrame()
  sched.t += 60
  ticker.frameEnd(60, false)
  const before = ticker.cost.samples
  for (let i = 0; i < 10; i++) await frame(4)
  assert.is(ticker.cost.samples - before, 10)
  assert.is(ticker.frameInterval, 1, 'one frame a vblank from the second frame on')
  assert.ok(ticker.current.predictedCostMs < 10, `predicted ${ticker.current.predictedCostMs} ms`)
  // Learned, the same 60 ms is the p95 of fewer than 20 costs: one frame every 4 vblanks.
  const learned = await locked({ warm: 0 })
  await learned.frame(60)
  for (let i = 0; i < 10; i++) await learned.frame(4)
  assert.is(learned.ticker.frameInterval, 4)
})

test('nextFrame (callback form): never calls back before returning, so a loop of synchronous waits does not recurse', async () => {
  const sched = createVirtualScheduler({ startMs: 0 })
  const ticker = createTicker({ scheduler: sched, hz: 60 })
  let returned = false
  let calledEarly = false
  let frames = 0
  let lastIndex = -1
  await new Promise((resolve) => {
    const step = (f) => {
      if (!returned) calledEarly = true
      assert.is(f.index, lastIndex + 1)
      lastIndex = f.index
      sched.t += 20 // longer than a period: every next wait is short or already due
      ticker.frameEnd()
      if (++frames === 20_000) return resolve()
      returned = false
      ticker.nextFrame(step)
      returned = true
    }
    ticker.nextFrame(step)
    returned = true
  })
  assert.is(calledEarly, false)
  assert.is(frames, 20_000)
  assert.ok(ticker.dropped > 0, 'frames longer than a period skip vblanks')
})

test('per-frame bookkeeping allocates nothing (onVblank, frameEnd, onSwap, notifyInput, requestFrame)', async () => {
  const { ticker, sched } = await locked({ mode: 'low-latency' })
  const display = new SimulatedDisplay({ hz: 60, jitterMs: 0.05, seed: 8, startMs: sched.t, startMsc: 10_000 })
  const N = 640_000
  const vt = new Float64Array(N)
  const vm = new Float64Array(N)
  for (let i = 0; i < N; i++) {
    const v = display.next()
    vt[i] = v.tMs
    vm[i] = v.msc
  }
  // One frame of bookkeeping; test/support/heap.mjs measures what it allocates (frames 0, 1, 2, ...
  // of the simulated display). One allocated number a frame would be 16 bytes.
  const frame = (k) => {
    ticker.onVblank(vt[k], vm[k])
    ticker.frameEnd(3 + (k % 7) * 0.1)
    ticker.onSwap(vt[k] + 1)
    ticker.notifyInput()
    ticker.requestFrame()
  }
  await assertAllocatesNothing('ticker bookkeeping', frame, { frames: 100_000, warmup: 20_000, limit: 1 })
  assert.ok(Math.abs(ticker.period - P60) < 0.01, 'the estimate kept working throughout')
})

test.run()
