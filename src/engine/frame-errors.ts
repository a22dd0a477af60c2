/**
 * What an engine does when an `onFrame` callback throws (EngineDesc.onFrameError): counts the
 * frame, logs it sparingly, and says whether the loop goes on. Errors that are not a callback's
 * (`FL_FRAME_CALLBACK`) always end the loop.
 */
import { ErrorCode, FramelatchError, ValidationError } from '../errors.js'
import { log } from '../log.js'

export type FrameErrorPolicyName = 'stop' | 'skip'

export class FrameErrorPolicy {
  readonly policy: FrameErrorPolicyName
  /** Frames dropped because a callback threw. */
  dropped = 0
  private inARow = 0

  constructor(policy: FrameErrorPolicyName | undefined) {
    const p = policy ?? 'stop'
    if (p !== 'stop' && p !== 'skip') {
      throw new ValidationError(ErrorCode.INVALID_DESC, `createEngine: onFrameError must be 'stop' or 'skip', got ${String(p)}`)
    }
    this.policy = p
  }

  /** A frame completed: the next failure starts a new run of failures. */
  succeeded(): void {
    this.inARow = 0
  }

  /**
   * A frame threw `e`: counts and logs it when a callback broke it (the 1st, 2nd, 4th, 8th… in
   * a row, so a broken callback at 60 Hz does not flood the log). Returns whether the loop
   * continues: only for a callback's error under 'skip'.
   */
  failed(e: unknown): boolean {
    if (!(e instanceof FramelatchError) || e.code !== ErrorCode.FRAME_CALLBACK) return false
    this.dropped++
    const n = ++this.inARow
    if ((n & (n - 1)) === 0) {
      const cause = e.cause instanceof Error ? `\n${e.cause.stack ?? e.cause.message}` : ''
      log('error', e.code, `${e.message}${n > 1 ? ` (${n} frames in a row)` : ''}${cause}`)
    }
    return this.policy === 'skip'
  }
}
