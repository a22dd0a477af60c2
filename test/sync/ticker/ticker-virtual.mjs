// Test helper (not a test file): a virtual scheduler for the ticker. No real time passes; each
// wait jumps the virtual clock to its target, or to the next scripted input when the wait may
// be woken by input. `lateMs(i)` adds a scripted wake-up lateness (as a busy OS would).
export function createVirtualScheduler({ startMs = 0, lateMs = null } = {}) {
  const s = {
    t: startMs,
    waits: 0,
    inputs: [], // sorted virtual times at which input arrives
    onInput: null, // called when the clock passes an input time
    onWait: null, // called at the start of each wait (may call ticker.requestFrame())
    woken: false,
    now: () => s.t,
    wake() {
      s.woken = true
    },
    // Callback scheduler (TickerScheduler): calls done(woken) synchronously, as the real one
    // does for short waits.
    waitUntil(target, opts, done) {
      s.waits++
      s.woken = false
      if (s.onWait) s.onWait(s.t, target)
      if (s.woken) return done(true)
      while (s.inputs.length > 0 && s.inputs[0] <= target) {
        const at = s.inputs.shift()
        if (at > s.t) s.t = at
        if (s.onInput) s.onInput(at)
        // wake() ends any wait, as PreciseWaiter.wake() does (not only input-wakeable ones).
        if (s.woken) return done(true)
      }
      if (!Number.isFinite(target)) throw new Error('virtual scheduler: infinite wait with nothing scripted')
      if (target > s.t) s.t = target
      if (lateMs) s.t += lateMs(s.waits)
      done(false)
    },
  }
  return s
}
