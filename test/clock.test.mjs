// The framelatch clock and its UST (X11 Present / process.hrtime µs) conversion.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { nowMs, hrtimeUs, ustToMs, msToUst, HRTIME_OFFSET_MS, HRTIME_OFFSET_UNCERTAINTY_MS } from '../dist/clock.js'

test('nowMs is performance.now: monotonic, sub-millisecond', () => {
  let prev = nowMs()
  let fractional = false
  for (let i = 0; i < 10_000; i++) {
    const t = nowMs()
    assert.ok(t >= prev)
    if (t !== Math.floor(t)) fractional = true
    prev = t
  }
  assert.ok(fractional, 'has sub-millisecond resolution')
  const a = performance.now()
  const b = nowMs()
  const c = performance.now()
  assert.ok(a <= b && b <= c, 'same basis as performance.now()')
})

test('ustToMs maps process.hrtime µs onto nowMs (bracketed read), and msToUst inverts it', () => {
  assert.ok(Number.isFinite(HRTIME_OFFSET_MS))
  assert.ok(HRTIME_OFFSET_UNCERTAINTY_MS >= 0)
  let ok = 0
  for (let i = 0; i < 50; i++) {
    const a = nowMs()
    const h = hrtimeUs()
    const b = nowMs()
    const t = ustToMs(h)
    // The converted hrtime must fall inside the bracket, give or take the offset's own error
    // bound (what one bracketed read could resolve when the offset was measured).
    const slack = HRTIME_OFFSET_UNCERTAINTY_MS + 0.002
    if (t >= a - slack && t <= b + slack) ok++
  }
  // A descheduled thread can widen a bracket, never move the conversion outside a tight one.
  assert.ok(ok >= 45, `${ok} of 50 bracketed reads agreed`)
  for (const ms of [0, 1.5, 123456.789]) assert.ok(Math.abs(ustToMs(msToUst(ms)) - ms) < 1e-6)
})

test('the offset between clocks is the same when measured again later (both are CLOCK_MONOTONIC)', async () => {
  const measure = () => {
    let best = Infinity
    let off = 0
    for (let i = 0; i < 32; i++) {
      const a = nowMs()
      const h = hrtimeUs() / 1000
      const b = nowMs()
      if (b - a < best) {
        best = b - a
        off = h - (a + b) / 2
      }
    }
    return { off, best }
  }
  const m1 = measure()
  await new Promise((r) => setTimeout(r, 50))
  const m2 = measure()
  assert.ok(Math.abs(m1.off - HRTIME_OFFSET_MS) <= m1.best + HRTIME_OFFSET_UNCERTAINTY_MS + 0.002)
  assert.ok(Math.abs(m2.off - HRTIME_OFFSET_MS) <= m2.best + HRTIME_OFFSET_UNCERTAINTY_MS + 0.002)
})

test('X11 Present UST is process.hrtime µs: a CompleteNotify parsed now carries a UST just before hrtime', async () => {
  const { createRequire } = await import('node:module')
  const x11 = createRequire(import.meta.url)('x11')
  const samples = await new Promise((resolve, reject) => {
    const out = []
    const client = x11.createClient({ display: process.env.DISPLAY }, (err, display) => {
      if (err) return reject(err)
      const X = display.client
      const root = display.screen[0].root
      X.require('present', (perr, Present) => {
        if (perr) return reject(perr)
        Present.SelectInput(X.AllocID(), root, Present.EventMask.CompleteNotify)
        let wanted = -1
        X.on('event', (ev) => {
          if (ev.name !== 'PresentCompleteNotify') return
          const h = hrtimeUs()
          if (ev.msc === wanted) out.push({ ust: ev.ust, hr: h })
          if (out.length >= 10) {
            X.terminate()
            return resolve(out)
          }
          wanted = ev.msc + 1
          Present.NotifyMSC(root, 0, wanted, 0, 0)
        })
        Present.NotifyMSC(root, 0, 0, 0, 0)
      })
    })
    client.on('error', reject)
  })
  for (const s of samples) {
    const lag = s.hr - s.ust
    // Parsed after it was stamped (never before), and on the same clock: seconds-scale or
    // negative lags would mean a different basis (boot time, wall time).
    assert.ok(lag >= 0, `UST ${s.ust} is after hrtime ${s.hr}`)
    assert.ok(lag < 5_000_000, `UST lags hrtime by ${lag} µs`)
  }
})

test.run()
