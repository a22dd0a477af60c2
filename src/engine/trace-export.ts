/**
 * Frame-trace export for outside measurement (`framelatch latency`): when the environment
 * variable FRAMELATCH_TRACE names a file (or `fd:N`, an open descriptor), the engine appends one
 * JSON line per frame that consumed input, right after that frame's swap returned:
 *
 *   {"framelatch":"trace","version":1,"pid":1234,"clock":"monotonic-ms"}      (first line)
 *   {"frame":41,"input-arrival":5321.2,"input-latch":5321.9,"record-start":5322.0,
 *    "record-end":5322.4,"flush-end":5323.1,"swap-return":5323.6}
 *
 * Times are ms on CLOCK_MONOTONIC (`process.hrtime`), the clock every process on the machine
 * shares, so the probe can line them up with its own injection and detection stamps. Stages the
 * frame did not mark are left out. Frames without input are not written, so the cost is one
 * small synchronous write per input frame, after the swap, and nothing otherwise.
 */
import { Fs } from '../node-builtins.js'
import { HRTIME_OFFSET_MS } from '../clock.js'
import { Stage, STAGE_COUNT, STAGE_NAMES, type FrameTrace } from '../sync/frame-trace.js'

/** The environment variable the engine reads. */
export const TRACE_ENV = 'FRAMELATCH_TRACE'

export interface TraceExport {
  /** Writes the trace's current frame when it consumed input. */
  afterFrame(trace: FrameTrace, frameIndex: number): void
  /** Closes the file (idempotent; a passed-in fd is left open). */
  close(): void
}

/** Opens the export named by FRAMELATCH_TRACE, or returns null when it is unset or unusable. */
export function traceExportFromEnv(env: NodeJS.ProcessEnv = process.env): TraceExport | null {
  const target = env[TRACE_ENV]
  if (!target) return null
  let fd: number
  let owned = true
  try {
    const m = /^fd:(\d+)$/.exec(target)
    if (m) {
      fd = Number(m[1])
      owned = false
    } else {
      fd = Fs.openSync(target, 'a')
    }
    Fs.writeSync(fd, JSON.stringify({ framelatch: 'trace', version: 1, pid: process.pid, clock: 'monotonic-ms' }) + '\n')
  } catch {
    return null // a trace is a measurement aid: never stop the app over it
  }
  let open = true
  return {
    afterFrame(trace, frameIndex) {
      if (!open || Number.isNaN(trace.get(Stage.InputArrival))) return
      let line = `{"frame":${frameIndex}`
      for (let s = 0; s < STAGE_COUNT; s++) {
        const t = trace.get(s as (typeof Stage)[keyof typeof Stage])
        if (!Number.isNaN(t)) line += `,"${STAGE_NAMES[s]}":${(t + HRTIME_OFFSET_MS).toFixed(4)}`
      }
      try {
        Fs.writeSync(fd, line + '}\n')
      } catch {
        open = false
      }
    },
    close() {
      if (!open) return
      open = false
      if (owned) Fs.closeSync(fd)
    },
  }
}
