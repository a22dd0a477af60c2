/**
 * Every GL context here, even a headless one, needs an X display (ANGLE over Mesa uses GLX).
 * `startXvfb` starts a private virtual display on a free number for tests, benchmarks and
 * `--headless` runs on machines without one, and stops it when asked or when the process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import Fs from 'node:fs'
import { EnvironmentError, ErrorCode } from '../errors.js'
import { checkDesc, descKeys } from '../check.js'

export interface XvfbDesc {
  /** Screen size in pixels. Default 1280x1024. */
  width?: number
  height?: number
  /** First display number tried. Default 90; numbers in use are skipped. */
  firstDisplay?: number
  /** How long to wait for the server socket. Default 10 000 ms. */
  timeoutMs?: number
}

export interface XvfbServer {
  /** Value for the DISPLAY variable, e.g. ":93". */
  readonly display: string
  readonly process: ChildProcess
  /** Kills the server; safe to call twice. */
  stop(): void
}

function displayInUse(n: number): boolean {
  return Fs.existsSync(`/tmp/.X${n}-lock`) || Fs.existsSync(`/tmp/.X11-unix/X${n}`)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

const XVFB_KEYS = descKeys<XvfbDesc>({ width: true, height: true, firstDisplay: true, timeoutMs: true })

/** Starts Xvfb on the first free display number at or after `firstDisplay`. */
export async function startXvfb(desc: XvfbDesc = {}): Promise<XvfbServer> {
  checkDesc('startXvfb', desc, XVFB_KEYS, false)
  const width = desc.width ?? 1280
  const height = desc.height ?? 1024
  const timeoutMs = desc.timeoutMs ?? 10_000
  let lastError = ''
  for (let n = desc.firstDisplay ?? 90; n < (desc.firstDisplay ?? 90) + 100; n++) {
    if (displayInUse(n)) continue
    let stderr = ''
    let child: ChildProcess
    try {
      child = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '+extension', 'GLX'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
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
    while (!exited && !Fs.existsSync(`/tmp/.X11-unix/X${n}`) && Date.now() - start < timeoutMs) {
      await sleep(20)
    }
    if (spawnError) throw xvfbMissing(String(spawnError))
    if (!exited && Fs.existsSync(`/tmp/.X11-unix/X${n}`)) {
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
      return { display: `:${n}`, process: child, stop }
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
  const socket = `/tmp/.X11-unix/X${m[1]}`
  return Fs.existsSync(socket) ? null : socket
}

/**
 * Makes sure `process.env.DISPLAY` names an X server: leaves a live one alone, otherwise (unset,
 * or a local display with no server behind it) starts Xvfb and sets DISPLAY. Returns the server
 * it started, or null.
 */
export async function ensureDisplay(desc: XvfbDesc = {}): Promise<XvfbServer | null> {
  const current = process.env['DISPLAY']
  if (current && deadDisplaySocket(current) === null) return null
  const server = await startXvfb(desc)
  process.env['DISPLAY'] = server.display
  return server
}
