/**
 * The vblank service of the shared X worker thread (x-worker-main.ts; vblank-source.ts owns the
 * shared-memory layout). Asks the Present extension for a CompleteNotify at every vblank
 * (`NotifyMSC` for msc + 1, re-armed on each event) and publishes the newest UST/MSC through a
 * seqlock in the service's SharedArrayBuffer. Never imported by the render thread.
 *
 * Only notifications for the vblank that was asked for are published: a NotifyMSC whose target
 * has already passed completes at once with the *current* time, not a vblank time.
 */
import { VBLANK_LAYOUT as L } from './vblank-source.js'
import type { XServiceRunner } from './x11-types.js'

export const runVblank: XServiceRunner = (ctx, X, root) => {
  const i32 = new Int32Array(ctx.sab, 0, L.INTS)
  const f64 = new Float64Array(ctx.sab, L.FLOAT_OFFSET, L.FLOATS)
  const fail = (reason: string): void => {
    Atomics.store(i32, L.STATE, L.STATE_FAILED)
    Atomics.notify(i32, L.SEQ)
    ctx.fail(reason)
  }
  const target = ctx.window > 0 ? ctx.window : root
  X.require('present', (perr, Present) => {
    if (perr || !Present) return fail(`the X server on ${ctx.display} has no Present extension (${perr?.message ?? 'missing'})`)
    const eid = X.AllocID()
    Present.SelectInput(eid, target, Present.EventMask.CompleteNotify)
    let wanted = -1
    X.on('event', (ev) => {
      if (ctx.stopping || ev.name !== 'PresentCompleteNotify' || ev.kind !== Present.CompleteKind.NotifyMSC) return
      const msc: number = ev.msc
      if (wanted >= 0 && msc === wanted) {
        // seqlock: odd while writing, so readers retry instead of seeing a torn pair
        Atomics.add(i32, L.SEQ, 1)
        f64[L.UST] = ev.ust
        f64[L.MSC] = msc
        f64[L.COUNT] = (f64[L.COUNT] as number) + 1
        Atomics.add(i32, L.SEQ, 1)
        if (Atomics.load(i32, L.STATE) !== L.STATE_RUNNING) {
          Atomics.store(i32, L.STATE, L.STATE_RUNNING)
          ctx.ready() // the first vblank
        }
        Atomics.notify(i32, L.SEQ)
      }
      wanted = msc + 1
      Present.NotifyMSC(target, wanted >>> 0, wanted, 0, 0)
    })
    // Target 0 completes at once with the current MSC: the starting point of the chain.
    Present.NotifyMSC(target, 0, 0, 0, 0)
  })
}
