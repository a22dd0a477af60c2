// The ticker, fed a simulated display, converges to its period (within 0.1%) and phase (within
// 0.25 ms) after 120 frames, at 60, 144 and 240 Hz, with jitter, missed vblanks and outliers.
// Virtual time only: nothing here depends on how fast the machine is.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createTicker } from '../../../dist/sync/ticker/ticker.js'
import { SimulatedDisplay } from '../../../dist/sync/ticker/simulated-display.js'
import { PeriodEstimator } from '../../../dist/sync/ticker/period-estimator.js'
import { createVirtualScheduler } from './ticker-virtual.mjs'
import { mulberry32Float } from '../../support/prng.mjs'

async function runLocked({ hz, withMsc, seed, frames = 120, tickerHz = 60 }) {
  const period = 1000 / hz
  const display = new SimulatedDisplay({
    hz, seed, startMs: 5000, startMsc: 777, jitterMs: 0.2,
    missProbability: 0.05, outlierProbability: 0.03, outlierMs: Math.min(3, 0.4 * period),
  })
  const sched = createVirtualScheduler({ startMs: 5000 - period })
  const ticker = createTicker({ hz: tickerHz, scheduler: sched })
  let v = display.next()
  for (let i = 0; i < frames; i++) {
    const f = await ticker.waitForFrame()
    assert.is(f.reason, 'vblank')
    // Deliver every vblank reported up to now (reports reach the ticker after the vblank).
    while (v.trueMs <= sched.t) {
      ticker.onVblank(v.tMs, withMsc ? v.msc : -1)
      v = display.next()
    }
    sched.t += 3 // the frame's work
    ticker.frameEnd(3)
  }
  return { ticker, display, sched }
}

for (const hz of [60, 144, 240]) {
  for (const withMsc of [true, false]) {
    test(`${hz} Hz ${withMsc ? 'with' : 'without'} MSC: period within 0.1%, phase within 0.25 ms after 120 frames`, async () => {
      for (const seed of [1, 2, 3]) {
        const { ticker, display, sched } = await runLocked({ hz, withMsc, seed })
        const truePeriod = 1000 / hz
        const periodErr = Math.abs(ticker.period - truePeriod) / truePeriod
        assert.ok(periodErr < 0.001, `seed ${seed}: period ${ticker.period} vs ${truePeriod} (${(periodErr * 100).toFixed(4)}%)`)
        const predicted = ticker.predictVblank(sched.t)
        const actual = display.nextVblankAfter(sched.t)
        assert.ok(Math.abs(predicted - actual) < 0.25, `seed ${seed}: predicted vblank ${predicted} vs ${actual}`)
        assert.ok(ticker.calibrated, `seed ${seed}: calibrated`)
        assert.ok(ticker.confidence > 0.3 && ticker.confidence <= 1, `seed ${seed}: confidence ${ticker.confidence}`)
        assert.ok(ticker.estimator.outliers > 0, 'the injected outliers were seen and rejected')
        assert.ok(display.missed > 0, 'the display did miss vblanks')
      }
    })
  }
}

test('after convergence, frames are scheduled to end just before a true vblank', async () => {
  const { ticker, display } = await runLocked({ hz: 144, withMsc: true, seed: 9, frames: 200 })
  const f = ticker.current
  const trueNext = display.nextVblankAfter(f.predictedPresentMs - 1)
  assert.ok(Math.abs(f.predictedPresentMs - trueNext) < 0.25, `predicted present ${f.predictedPresentMs} vs vblank ${trueNext}`)
  // start = present − predicted cost (3 ms) − margin (1 ms)
  assert.ok(Math.abs(f.predictedPresentMs - f.targetStartMs - 4) < 1e-9)
})

test('estimator: outliers in a row mean the display changed; it re-locks to the new rate', () => {
  const est = new PeriodEstimator({ hz: 60 })
  const a = new SimulatedDisplay({ hz: 60, jitterMs: 0.05, seed: 4, startMs: 0, startMsc: 0 })
  for (let i = 0; i < 200; i++) {
    const s = a.next()
    est.addVblank(s.tMs, s.msc)
  }
  assert.ok(Math.abs(est.period - 1000 / 60) < 0.01)
  const b = new SimulatedDisplay({ hz: 144, jitterMs: 0.05, seed: 5, startMs: a.vblankTime(a.startMsc + 250), startMsc: 0 })
  for (let i = 0; i < 200; i++) {
    const s = b.next()
    est.addVblank(s.tMs, s.msc)
  }
  assert.ok(est.resets >= 1, 'restarted')
  assert.ok(Math.abs(est.period - 1000 / 144) / (1000 / 144) < 0.001, `period ${est.period}`)
})

test('estimator: blocking swap returns (no vblank clock) give the display period, even at a rate the nominal hz does not divide', () => {
  for (const hz of [60, 144, 240]) {
    const display = new SimulatedDisplay({ hz, jitterMs: 0.1, seed: hz })
    const est = new PeriodEstimator({ hz: 60 })
    // A loop whose frames take a varying time; each swap blocks until the display's next vblank.
    // (Swap returns only show the vblanks a loop hits: a loop that always waits exactly 4
    // periods of a 240 Hz display looks like a 60 Hz display, and is paced as one.)
    const rand = mulberry32Float(hz)
    let t = 1000
    for (let i = 0; i < 240; i++) {
      const issue = t + 2 + rand() * 12
      const ret = display.swapReturn(issue)
      est.addSwap(ret, ret - issue)
      t = ret
    }
    assert.is(est.nonBlocking, false)
    assert.ok(Math.abs(est.period - 1000 / hz) / (1000 / hz) < 0.001, `${hz} Hz: period ${est.period}`)
  }
})

test('estimator: swaps that do not block are detected; the ticker then paces at the configured hz', async () => {
  const sched = createVirtualScheduler({ startMs: 100 })
  const ticker = createTicker({ hz: 75, scheduler: sched })
  const starts = []
  for (let i = 0; i < 80; i++) {
    const f = await ticker.waitForFrame()
    starts.push(f.targetStartMs)
    sched.t += 2
    ticker.frameEnd(2)
    sched.t += 0.05 // a swap that returns at once (Xvfb, vsync off)
    ticker.onSwap(sched.t)
  }
  assert.ok(ticker.nonBlockingSwaps, 'detected')
  assert.ok(ticker.calibrated)
  assert.ok(Math.abs(ticker.period - 1000 / 75) < 1e-9)
  for (let i = 41; i < starts.length; i++) {
    const d = starts[i] - starts[i - 1]
    assert.ok(Math.abs(d - 1000 / 75) < 1e-6, `frame ${i}: interval ${d}`)
  }
})

test.run()
