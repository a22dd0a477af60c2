/**
 * The control block's protocol of shared state (shared-state.ts): which of the three copies each
 * side owns, and who holds the writer and the reader role.
 *
 * Protocol (triple buffering, all role changes in ONE atomic word): each of the three copies is in
 * exactly one role, `back` (owned by the writer), `middle` (the newest published copy nobody
 * owns) or `front` (owned by the reader). The state word packs the three slot indices plus a
 * `fresh` bit. `publish` swaps back and middle and sets fresh, in one compare-and-swap;
 * `read` swaps middle and front and clears fresh, in one compare-and-swap. Neither side ever
 * waits: a CAS retries only when the other side made progress in between.
 *
 * Why no torn snapshot is possible: the writer only writes its back copy, and the reader only
 * reads its front copy; a copy changes owner only through the atomic state word, whose
 * sequentially consistent update orders all the plain writes before it. A writer killed halfway
 * through a snapshot never swapped, so its half-written copy is still its own back copy; a new
 * writer attached later reads the roles from the same word and carries on.
 *
 * Roles: one writer and one reader at a time (single producer, single consumer), enforced. Each
 * role is a claim token in the control block (`Ctl.WRITER`, `Ctl.READER`), taken with one CAS
 * by `writer()` / `reader()` in any thread, so a second writer or reader throws `FL_STATE_ROLE`
 * instead of silently corrupting the protocol (two readers swapping the one front copy tear each
 * other's snapshots). `close()` gives the role back; `{ takeOver: true }` replaces a holder
 * known to be dead (a thread that was terminated cannot close). Why not several readers: a
 * second reader would need its own front copy and a newest-copy handoff that the one-word
 * protocol cannot express without waiting; a recorder reads `frame.state` on the render thread.
 */
import { workerThreads } from '../../node-builtins.js'
import { ErrorCode, ValidationError } from '../../errors.js'
import { Ctl } from './state-schema.js'

/** The state word's `fresh` bit: the middle copy holds a snapshot the reader has not taken. */
export const FRESH = 64

export function backOf(s: number): number {
  return s & 3
}
export function middleOf(s: number): number {
  return (s >> 2) & 3
}
export function frontOf(s: number): number {
  return (s >> 4) & 3
}
export function pack(back: number, middle: number, front: number, fresh: number): number {
  return back | (middle << 2) | (front << 4) | fresh
}

let nextToken = 1
/** A role-claim token, unique across the threads of this process: thread id, then a counter. Never 0. */
export function newToken(): number {
  return ((workerThreads().threadId & 0x7ff) << 20) | (nextToken++ & 0xfffff) | 0x80000000
}

function roleName(index: number): string {
  return index === Ctl.WRITER ? 'writer' : 'reader'
}

/** Takes role `index` (Ctl.WRITER / Ctl.READER) for `token`, or throws FL_STATE_ROLE. */
export function claimRole(ctl: Int32Array, index: number, token: number, takeOver: boolean): void {
  const prev = takeOver ? Atomics.exchange(ctl, index, token) : Atomics.compareExchange(ctl, index, 0, token)
  if (prev === 0 || takeOver || prev === token) return
  const role = roleName(index)
  throw new ValidationError(ErrorCode.STATE_ROLE,
    `this shared state already has a ${role}; a state allows one ${role} at a time` +
    (index === Ctl.WRITER
      ? ' (a logic worker holds the writer role while it runs): stop that worker or close() the other writer first'
      : ' (an engine created with this state holds the reader role): read frame.state in onFrame, or close() the other reader first') +
    `; pass { takeOver: true } only to replace a ${role} whose thread is gone`, { role })
}

export function releaseRole(ctl: Int32Array, index: number, token: number): void {
  Atomics.compareExchange(ctl, index, token, 0)
}
