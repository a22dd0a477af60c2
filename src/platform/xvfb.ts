/**
 * Every GL context here, even a headless one, needs an X display (ANGLE over Mesa uses GLX).
 * `startXvfb` starts a private virtual display on a free number, optionally with an
 * authorisation cookie (`-auth`), so no other local user can connect to it. The process-wide
 * owner of that display (reference counts, DISPLAY/XAUTHORITY, signals, the GL connection) is
 * display-owner.ts; `ensureDisplay` is its short form for runners.
 */
import type { ChildProcess } from 'node:child_process'
import { Fs } from '../node-builtins.js'
import { EnvironmentError, ErrorCode } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'
import { childProcessModule } from './builtins-on-demand.js'

export interface XvfbDesc {
  /** Screen size in pixels. Default 1280x1024. */
  width?: number
  height?: number
  /** First display number tried. Default 90; numbers in use are skipped. */
  firstDisplay?: number
  /** How long to wait for the server socket. Default 10 000 ms. */
  timeoutMs?: number
  /**
   * An Xauthority file the server reads its cookies from (`Xvfb -auth`); clients must then
   * present one of them. Default none: any local client may connect.
   */
  authFile?: string
}

export interface XvfbServer {
  /** Value for the DISPLAY variable, e.g. ":93". */
  readonly display: string
  /** The display number (93 for ":93"). */
  readonly number: number
  readonly process: ChildProcess
  /** Kills the server; safe to call twice. */
  stop(): void
}

const lockFile = (n: number): string => `/tmp/.X${n}-lock`
const socketFile = (n: number): string => `/tmp/.X11-unix/X${n}`

function displayInUse(n: number): boolean {
  return Fs.existsSync(lockFile(n)) || Fs.existsSync(socketFile(n))
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the lock file and socket of display `n` when they belong to this user and the server
 * named in the lock is dead (an Xvfb of ours killed with SIGKILL, or a crashed run). Returns true
 * when it cleaned something. Never touches another user's files or a live server's.
 */
export function removeStaleDisplay(n: number): boolean {
  const uid = process.getuid?.() ?? -1
  try {
    if (Fs.statSync(lockFile(n)).uid !== uid) return false
  } catch {
    return false
  }
  const pid = lockOwner(n)
  if (pid <= 0 || processAlive(pid)) return false
  for (const f of [lockFile(n), socketFile(n)]) {
    try {
      if (Fs.statSync(f).uid === uid) Fs.unlinkSync(f)
    } catch {
      // already gone
    }
  }
  return true
}

/** The pid in display `n`'s lock file, or 0. */
function lockOwner(n: number): number {
  try {
    return Number(Fs.readFileSync(lockFile(n), 'latin1').trim()) || 0
  } catch {
    return 0
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

const XVFB_KEYS = descKeys<XvfbDesc>({ width: true, height: true, firstDisplay: true, timeoutMs: true, authFile: true })

/** Starts Xvfb on the first free display number at or after `firstDisplay` (stale ones of ours are cleaned first). */
export async function startXvfb(desc: XvfbDesc = {}): Promise<XvfbServer> {
  checkDesc('startXvfb', desc, XVFB_KEYS, false)
  const width = desc.width ?? 1280
  const height = desc.height ?? 1024
  const timeoutMs = desc.timeoutMs ?? 10_000
  let lastError = ''
  for (let n = desc.firstDisplay ?? 90; n < (desc.firstDisplay ?? 90) + 100; n++) {
    if (displayInUse(n) && !(removeStaleDisplay(n) && !displayInUse(n))) continue
    let stderr = ''
    let child: ChildProcess
    const args = [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '+extension', 'GLX']
    if (desc.authFile) args.push('-auth', desc.authFile)
    try {
      child = childProcessModule().spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    } catch (err) {
      throw xvfbMissing(String(err))
    }
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    let exited = false
    let spawnError: Error | null = null
    child.on('exit', () => {
      exited = true
    })
    child.on('error', (err) => {
      spawnError = err
      exited = true
    })
    const start = Date.now()
    while (!exited && !Fs.existsSync(socketFile(n)) && Date.now() - start < timeoutMs) {
      await sleep(20)
    }
    if (spawnError) throw xvfbMissing(String(spawnError))
    // The socket alone does not prove it is ours: another process may have started a server on
    // the same number a moment earlier (ours then exits with "already active"). The lock file
    // names the server that owns the number.
    if (!exited && Fs.existsSync(socketFile(n)) && lockOwner(n) === child.pid) {
      child.unref()
      ;(child.stderr as unknown as { unref?: () => void } | null)?.unref?.()
      let stopped = false
      const stop = (): void => {
        if (stopped) return
        stopped = true
        process.removeListener('exit', stop)
        try {
          child.kill('SIGTERM')
        } catch {
          // already gone
        }
      }
      process.on('exit', stop)
      return { display: `:${n}`, number: n, process: child, stop }
    }
    lastError = stderr.trim().split('\n').slice(-3).join(' ')
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
    // Another process may have taken this number between the check and the spawn: try the next.
  }
  throw new EnvironmentError(ErrorCode.XVFB_FAILED, `could not start Xvfb on any display number: ${lastError}; ` +
    'check that Xvfb runs (apt-get install xvfb) or set DISPLAY to a running X server')
}

function xvfbMissing(detail: string): EnvironmentError {
  return new EnvironmentError(ErrorCode.XVFB_FAILED, `Xvfb could not be started (${detail}); ` +
    'install it with: apt-get install xvfb, or set DISPLAY to a running X server')
}

/**
 * The socket path of a local DISPLAY (":N", ":N.S", "unix:N") whose socket does not exist (a
 * stale DISPLAY), or null when DISPLAY names a live local display or a display we cannot check
 * (remote or abstract).
 */
export function deadDisplaySocket(display: string): string | null {
  const m = /^(?:unix)?:(\d+)(?:\.\d+)?$/.exec(display)
  if (m === null) return null
  const socket = socketFile(Number(m[1]))
  return Fs.existsSync(socket) ? null : socket
}

/** One entry of an Xauthority file (the format libXau and the `x11` package read). */
export interface XauthEntry {
  /** 256 Local, 65535 Wild (any address), 0 Internet. */
  family: number
  address: string
  /** Display number as text; '' matches every display. */
  display: string
  name: string
  data: Buffer
}

/** Encodes Xauthority entries: per entry a u16 family and four u16-length-prefixed strings, big-endian. */
export function encodeXauthority(entries: readonly XauthEntry[]): Buffer {
  const parts: Buffer[] = []
  const field = (b: Buffer): void => {
    const len = Buffer.alloc(2)
    len.writeUInt16BE(b.length)
    parts.push(len, b)
  }
  for (const e of entries) {
    const fam = Buffer.alloc(2)
    fam.writeUInt16BE(e.family)
    parts.push(fam)
    field(Buffer.from(e.address, 'latin1'))
    field(Buffer.from(e.display, 'latin1'))
    field(Buffer.from(e.name, 'latin1'))
    field(e.data)
  }
  return Buffer.concat(parts)
}

// `ensureDisplay` lives with the owner; re-exported here, where runners have always found it.
export { ensureDisplay } from './display-owner.js'
