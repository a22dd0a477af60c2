/**
 * Entry point of a logic worker thread (started by `createLogicWorker`; not for direct use).
 *
 * Loads the user module, attaches the shared state (and input ring), runs `init(ctx)` once, then
 * `step(ctx)` at a fixed rate or as fast as possible, publishing a snapshot after every step.
 * All control (stop flag, step count) goes through a small shared Int32Array, so stopping never
 * depends on this thread's event loop. Failures are posted to the parent with their stack and the
 * loop ends; the parent decides whether to restart.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { attachSharedState } from '../state/shared-state.js'
import { defineStateSchema, type StateSpec } from '../state/state-schema.js'
import { attachInputRing, createInputEvent, type InputReader } from '../input/input-ring.js'
import type { LogicContext, LogicModule } from './logic-module.js'
import type { LogicWorkerData, WorkerMessage } from './worker-messages.js'
import { WCtl, WPhase } from './worker-supervision.js'
import { HotSwap, type ReloadRequest } from './hot-swap.js'
import { ImportHooks, type TrackRequest } from './import-scan.js'

const wd = workerData as LogicWorkerData
const ctl = new Int32Array(wd.control)
// A module that calls process.exit ends this thread without a message: leave a note in the
// control block first, so the parent can say so instead of guessing from the exit code.
const realExit = process.exit.bind(process)
process.exit = ((code?: number | string | null) => {
  Atomics.store(ctl, WCtl.EXIT_CALLED, 1)
  Atomics.store(ctl, WCtl.EXIT_CODE, Number(code ?? process.exitCode ?? 0) | 0)
  return realExit(code as number | undefined)
}) as typeof process.exit
const post = (m: WorkerMessage): void => parentPort!.postMessage(m)
// performance.now() in a worker counts from the worker's own start; shift it onto the main
// thread's basis so snapshot times compare directly with the render thread's clock.
const clockOffset = performance.timeOrigin - wd.mainTimeOrigin
const now = (): number => performance.now() + clockOffset

function describe(e: unknown): { message: string; stack: string } {
  if (e instanceof Error) return { message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` }
  return { message: String(e), stack: String(e) }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function'
}

// Atomics.waitAsync exists in Node 20 (V8 11) but is not in TypeScript's ES2022 lib.
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: unknown }
}).waitAsync
const noop = (): void => {}
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function main(): Promise<void> {
  // Reload requests may come at any time from now on; a thread that never gets one pays one
  // field read per step (swap.ready). The port is unref'd: it must not keep the thread alive.
  const base = new URL(wd.moduleHref)
  base.searchParams.delete('fl-hot')
  const hooks = new ImportHooks(base.href, post)
  const swap = new HotSwap(base.href, hooks, post)
  parentPort!.on('message', (m: ReloadRequest | TrackRequest) => {
    if (m.type === 'reload') swap.request(m)
    else if (m.type === 'track') {
      hooks.ensure(m.hooks, m.roots, m.exclude)
      void hooks.scan()
    }
  })
  parentPort!.unref()
  let mod: LogicModule
  try {
    mod = (await import(wd.moduleHref)) as LogicModule
  } catch (e) {
    post({ type: 'load-error', ...describe(e) })
    return
  }
  if (typeof mod.step !== 'function') {
    post({ type: 'load-error', message: 'the module does not export a step(ctx) function', stack: '' })
    return
  }
  const state = attachSharedState(defineStateSchema(wd.spec as StateSpec), wd.stateBuffer)
  // The parent holds the writer role for this worker (across restarts); attach with its claim.
  const writer = state.writerWithClaim(wd.writerToken, { carry: wd.carry })
  const input: InputReader | null = wd.inputBuffer ? attachInputRing(wd.inputBuffer).reader() : null
  const dt = wd.hz > 0 ? 1000 / wd.hz : 0
  const ctx: LogicContext = {
    views: writer.begin(),
    dt,
    time: now(),
    step: Atomics.load(ctl, WCtl.STEPS),
    input,
    event: createInputEvent(),
    data: wd.data,
    restarts: wd.restarts,
    stopping: () => Atomics.load(ctl, WCtl.STOP) !== 0,
    // A crash restart gets what the last reload's dispose left (hot-swap.ts), else a fresh object.
    hot: { data: wd.hot?.data ?? {}, generation: wd.hot?.generation ?? 0 },
  }
  Atomics.store(ctl, WCtl.PHASE, WPhase.INIT)
  try {
    if (typeof mod.init === 'function') {
      const r = mod.init(ctx)
      if (isThenable(r)) await r
    }
  } catch (e) {
    post({ type: 'load-error', ...describe(e), phase: 'init' })
    return
  }
  writer.publish(ctx.time)
  post({ type: 'ready' })

  let step = ctx.step
  /** Between two steps: swaps a reloaded module in (hot-swap.ts) and publishes what its init wrote. */
  const swapIn = async (): Promise<void> => {
    ctx.views = writer.begin()
    Atomics.store(ctl, WCtl.IN_STEP, 1) // a dispose or init that never returns is a stall
    mod = await swap.apply(ctx, mod)
    Atomics.store(ctl, WCtl.IN_STEP, 0)
    writer.publish(ctx.time)
  }
  // Atomics.waitAsync promises do not keep a thread alive: hold one idle timer for the life of
  // the loop so the event loop stays up while a fixed-step worker waits.
  const keepAlive = setInterval(noop, 1 << 30)
  Atomics.store(ctl, WCtl.PHASE, WPhase.RUNNING)
  try {
    if (dt > 0) {
      // Fixed step: step k describes time t0 + k*dt and runs when the clock reaches it. Up to
      // MAX_CATCH_UP late steps run back to back; beyond that the schedule resyncs (steps are
      // dropped, never bursted).
      let t0 = now()
      let k = 0
      while (Atomics.load(ctl, WCtl.STOP) === 0) {
        ctx.views = writer.begin()
        ctx.time = t0 + k * dt
        ctx.step = step
        Atomics.store(ctl, WCtl.IN_STEP, 1)
        const r = mod.step(ctx)
        if (isThenable(r)) await r
        Atomics.store(ctl, WCtl.IN_STEP, 0)
        writer.publish(ctx.time)
        step++
        k++
        Atomics.store(ctl, WCtl.STEPS, step)
        if (swap.ready) await swapIn()
        const wait = t0 + k * dt - now()
        if (wait < -MAX_CATCH_UP * dt) {
          t0 = now() - k * dt
        } else if (wait > 0) {
          // Lets this thread's event loop run (user modules may receive data) while waiting;
          // a stop request wakes it at once.
          const w = waitAsync(ctl, WCtl.STOP, 0, wait)
          if (w.async) await w.value
        }
      }
    } else {
      let last = now()
      let lastYield = last
      while (Atomics.load(ctl, WCtl.STOP) === 0) {
        const t = now()
        ctx.views = writer.begin()
        ctx.dt = t - last
        ctx.time = t
        ctx.step = step
        last = t
        Atomics.store(ctl, WCtl.IN_STEP, 1)
        const r = mod.step(ctx)
        if (isThenable(r)) await r
        Atomics.store(ctl, WCtl.IN_STEP, 0)
        writer.publish(t)
        step++
        Atomics.store(ctl, WCtl.STEPS, step)
        if (swap.ready) await swapIn()
        if (t - lastYield > FREE_YIELD_MS) {
          lastYield = t
          await yieldToLoop()
        }
      }
    }
  } catch (e) {
    post({ type: 'step-error', ...describe(e), step })
    return
  } finally {
    clearInterval(keepAlive)
  }
  Atomics.store(ctl, WCtl.PHASE, WPhase.DISPOSE)
  try {
    if (typeof mod.dispose === 'function') {
      const r = mod.dispose(ctx)
      if (isThenable(r)) await r
    }
  } catch (e) {
    post({ type: 'step-error', ...describe(e), step, phase: 'dispose' })
    return
  }
  post({ type: 'stopped' })
}

const MAX_CATCH_UP = 4
const FREE_YIELD_MS = 8

void main()
