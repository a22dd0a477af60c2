/**
 * The main thread's side of a logic worker's hot reload (the thread's side is hot-swap.ts): sends
 * a reload request to the running thread and turns its reply into a `WorkerReloadResult`.
 *
 * One reload runs at a time per worker; the caller (src/hot's worker host) queues saves that come
 * meanwhile. A reply that never comes (an import whose top-level await never settles, a thread
 * that ended) resolves as a failure after `timeoutMs` or at the thread's exit; it never rejects.
 *
 * It also keeps `kept`: `ctx.hot` as the newest reload's `dispose` left it (hot-swap.ts), which
 * a crash restart gives to the new thread's `init`.
 */
import type { Worker } from 'node:worker_threads'
import { ErrorCode, WorkerError } from '../../errors.js'
import { log } from '../../log.js'
import type { KeptHot, ReloadReply, ReloadRequest } from './hot-swap.js'
import { folderHref } from './worker-imports.js'

export interface WorkerReloadDesc {
  /**
   * file: URL of ESM loader hooks that give the module's imports in `roots` the reload's
   * generation, so changed files it imports reload with it (src/hot passes its own). Default
   * none: only the module file itself is imported afresh.
   */
  hooks?: string
  /** file: URLs or paths of folders (see `hooks`). Default: none. */
  roots?: readonly string[]
  /** Folders inside `roots` whose files keep their one instance. Default: none. */
  exclude?: readonly string[]
}

export interface WorkerReloadResult {
  ok: boolean
  /** FL_HOT_RELOAD naming the file and what failed (`info.phase`: 'load', 'dispose', 'init' or 'thread'); `workerStack` holds the thread's stack. */
  error: WorkerError | null
  /** Request to reply (the new module stepping, or the old one back), ms. */
  ms: number
  /** Successful reloads of this worker so far (`ctx.hot.generation` in the thread). */
  generation: number
}

interface Pending {
  generation: number
  t0: number
  resolve: (r: WorkerReloadResult) => void
  timer: NodeJS.Timeout
}

const PHASE_TEXT = { load: 'failed to load', dispose: 'threw in dispose() (the old version)', init: 'threw in init()' } as const
type ReloadPhase = keyof typeof PHASE_TEXT | 'thread'

/**
 * The FL_HOT_RELOAD error of a failed reload of `file`: `info` holds `file`, `phase` and
 * `detail` (what the thread said; src/hot adds where a syntax error is when Node did not say).
 */
export function reloadError(file: string, phase: ReloadPhase, detail: string, stack: string, extra: Record<string, unknown> = {}): WorkerError {
  return new WorkerError(ErrorCode.HOT_RELOAD,
    `logic worker module "${file}" ${phase === 'thread' ? 'did not reload' : PHASE_TEXT[phase]}: ${detail}; ` +
    'fix it and save again: the last good version keeps running', stack, { file, phase, detail, ...extra })
}

/** @internal one per LogicWorker. */
export class WorkerReloads {
  private requests = 0
  private good = 0
  private pending: Pending | null = null
  /** `ctx.hot` as the newest reload's `dispose` left it, for a crash restart's `init`; null before any. */
  kept: KeptHot | null = null

  constructor(private readonly file: string, private readonly timeoutMs: number) {}

  /** Successful reloads so far. */
  get generation(): number {
    return this.good
  }

  request(worker: Worker | null, desc: WorkerReloadDesc): Promise<WorkerReloadResult> {
    const t0 = performance.now()
    if (worker === null || this.pending !== null) {
      const why = worker === null ? 'the worker is not running (stopped, or waiting to restart: a restart loads the file as it is on disk)' : 'a reload of this worker is in progress'
      return Promise.resolve(this.result(false, 'thread', why, '', t0))
    }
    const generation = ++this.requests
    const req: ReloadRequest = {
      type: 'reload', generation,
      hooks: desc.hooks ?? null,
      roots: (desc.roots ?? []).map(folderHref),
      exclude: (desc.exclude ?? []).map(folderHref),
    }
    return new Promise<WorkerReloadResult>((resolve) => {
      const timer = setTimeout(() => this.settle(this.result(false, 'thread', `no reply within ${this.timeoutMs} ms (does its top level await something that never settles?)`, '', t0)), this.timeoutMs)
      timer.unref()
      this.pending = { generation, t0, resolve, timer }
      worker.postMessage(req)
    })
  }

  /** A 'reloaded' message from the thread. */
  reply(m: ReloadReply): void {
    const p = this.pending
    if (p === null || p.generation !== m.generation) return
    if (m.kept !== null) this.kept = m.kept
    else if (m.keptError !== '') {
      this.kept = null
      log('warn', ErrorCode.HOT_RELOAD, `logic worker module "${this.file}": ctx.hot.data as dispose() left it cannot be structured-cloned (${m.keptError}), ` +
        'so a crash restart will start from an empty ctx.hot.data; keep plain data there (numbers, strings, arrays, plain objects, typed arrays)')
    }
    if (m.ok) this.good++
    this.settle(m.ok ? this.result(true, null, '', '', p.t0) : this.result(false, m.phase ?? 'thread', m.message, m.stack, p.t0))
  }

  /** The thread ended: a reload still waiting fails. */
  threadEnded(): void {
    if (this.pending !== null) this.settle(this.result(false, 'thread', 'the worker thread ended during the reload', '', this.pending.t0))
  }

  private settle(r: WorkerReloadResult): void {
    const p = this.pending
    if (p === null) return
    this.pending = null
    clearTimeout(p.timer)
    p.resolve(r)
  }

  private result(ok: boolean, phase: ReloadPhase | null, message: string, stack: string, t0: number): WorkerReloadResult {
    const error = ok ? null : reloadError(this.file, phase ?? 'thread', message, stack)
    return { ok, error, ms: performance.now() - t0, generation: this.good }
  }
}
