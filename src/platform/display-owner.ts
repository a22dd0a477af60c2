/**
 * The one owner, per process, of the Xvfb framelatch starts when a headless engine (or a test or
 * benchmark runner) needs an X display and `DISPLAY` names none.
 *
 * - Reference counted: every engine holds a lease (`acquireDisplay`); engines may be created and
 *   destroyed in any order, and a second engine reuses the running server.
 * - When the last lease is released (and on normal exit) the server is stopped, and before that
 *   the GL binding's X connection is closed (`eglTerminate` through @kmamal/gl's `cleanup`):
 *   ANGLE keeps one X connection for the whole process, and a connection to a dead server makes
 *   Xlib end the process at the next context ("XIO: fatal IO error") — the reason a second
 *   headless engine used to die. `DISPLAY` and `XAUTHORITY` get their previous values back.
 * - SIGINT, SIGTERM and SIGHUP with no other listener: the server is stopped, then the signal is
 *   raised again so the process ends the default way. When the app listens itself (runApp does),
 *   the app decides; its `destroy()`, or the exit hook, stops the server.
 * - Authorised: the server only accepts clients presenting a random MIT-MAGIC-COOKIE-1, written
 *   to a private (0700) directory; `XAUTHORITY` points our process and its children (test
 *   files, the vblank worker's `x11` client) at a copy that also keeps the user's own entries.
 * - Lost: if the server dies while leased, nothing can continue (Xlib would end the process at
 *   its next request with a bare "XIO" line); the owner logs `FL_DISPLAY_LOST` saying what
 *   happened and exits with status 1.
 * - Stale lock files and sockets of our own dead servers are removed at the next start (xvfb.ts).
 */
import { Fs } from '../node-builtins.js'
import Os from 'node:os'
import Path from 'node:path'
import { createRequire } from 'node:module'
import { ErrorCode } from '../errors.js'
import { log } from '../log.js'
import { cryptoModule } from './builtins-on-demand.js'
import { deadDisplaySocket, encodeXauthority, startXvfb, type XauthEntry, type XvfbDesc, type XvfbServer } from './xvfb.js'

/** A hold on the auto-started display; `release()` once (later calls do nothing). */
export interface DisplayLease {
  /** The DISPLAY value, e.g. ":91". */
  readonly display: string
  /** The Xvfb process (shared by every lease). */
  readonly server: XvfbServer
  release(): void
}

interface Owner {
  server: XvfbServer
  refs: number
  prevDisplay: string | undefined
  prevXauthority: string | undefined
  authDir: string
  stopping: boolean
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const FAMILY_WILD = 65535
const COOKIE = 'MIT-MAGIC-COOKIE-1'

let owner: Owner | null = null
let starting: Promise<Owner> | null = null

/**
 * Leases the auto-started Xvfb: the running one when there is one, otherwise (when `DISPLAY` is
 * unset or names a local display with no server) a new one, with `DISPLAY` and `XAUTHORITY`
 * set. Returns null when `DISPLAY` already names a live display that is not ours.
 */
export async function acquireDisplay(desc: XvfbDesc = {}): Promise<DisplayLease | null> {
  if (owner === null && starting === null) {
    const current = process.env['DISPLAY']
    if (current && deadDisplaySocket(current) === null) return null
    starting = startOwner(desc)
  }
  let o: Owner
  if (owner !== null && !owner.stopping) {
    o = owner
  } else {
    try {
      o = await starting!
    } finally {
      starting = null
    }
  }
  o.refs++
  let held = true
  return {
    display: o.server.display,
    server: o.server,
    release(): void {
      if (!held) return
      held = false
      if (owner !== o) return
      o.refs--
      if (o.refs === 0) shutdown()
    },
  }
}

/** The auto-started display and its lease count, or null (for tests and `framelatch doctor`). */
export function ownedDisplay(): { display: string; pid: number; refs: number } | null {
  return owner === null ? null : { display: owner.server.display, pid: owner.server.process.pid ?? 0, refs: owner.refs }
}

/**
 * Makes sure `process.env.DISPLAY` names an X server: leaves a live one alone, otherwise leases
 * the auto-started Xvfb. Returns the lease in the old `XvfbServer` shape (its `stop()`
 * releases the lease), or null. For runners (tests, benchmarks); engines lease by themselves.
 */
export async function ensureDisplay(desc: XvfbDesc = {}): Promise<XvfbServer | null> {
  const lease = await acquireDisplay(desc)
  if (lease === null) return null
  return { display: lease.display, number: lease.server.number, process: lease.server.process, stop: () => lease.release() }
}

async function startOwner(desc: XvfbDesc): Promise<Owner> {
  const authDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-x-'))
  Fs.chmodSync(authDir, 0o700)
  const cookie = cryptoModule().randomBytes(16)
  const serverAuth = Path.join(authDir, 'server.xauth')
  // The server loads every cookie in its file, whatever display an entry names.
  Fs.writeFileSync(serverAuth, encodeXauthority([{ family: FAMILY_WILD, address: '', display: '', name: COOKIE, data: cookie }]), { mode: 0o600 })
  let server: XvfbServer
  try {
    server = await startXvfb({ ...desc, authFile: serverAuth })
  } catch (err) {
    Fs.rmSync(authDir, { recursive: true, force: true })
    throw err
  }
  const clientAuth = Path.join(authDir, 'Xauthority')
  const ours: XauthEntry = { family: FAMILY_WILD, address: '', display: String(server.number), name: COOKIE, data: cookie }
  Fs.writeFileSync(clientAuth, Buffer.concat([encodeXauthority([ours]), userXauthority()]), { mode: 0o600 })
  const o: Owner = {
    server, refs: 0, authDir, stopping: false,
    prevDisplay: process.env['DISPLAY'], prevXauthority: process.env['XAUTHORITY'],
  }
  process.env['DISPLAY'] = server.display
  process.env['XAUTHORITY'] = clientAuth
  owner = o
  server.process.once('exit', (code, signal) => {
    if (owner !== o || o.stopping) return
    displayLost(o, code, signal)
  })
  process.on('exit', onExit)
  for (const s of SIGNALS) process.on(s, onSignal)
  return o
}

/** The user's own Xauthority entries, kept so other displays still authenticate with our XAUTHORITY. */
function userXauthority(): Buffer {
  const file = process.env['XAUTHORITY'] || Path.join(Os.homedir(), '.Xauthority')
  try {
    return Fs.readFileSync(file)
  } catch {
    return Buffer.alloc(0)
  }
}

/**
 * Closes the GL binding's X connection (ANGLE's EGL display) if the binding is loaded, so the
 * next context opens a fresh one. Every GL context of the process is freed with it: call only
 * when no engine is left on the display.
 */
function releaseGLConnection(): void {
  const require = createRequire(import.meta.url)
  for (const key of Object.keys(require.cache)) {
    if (!/[\\/]@kmamal[\\/]gl[\\/].*\.node$/.test(key)) continue
    const cleanup = (require.cache[key]?.exports as { cleanup?: () => void } | undefined)?.cleanup
    if (typeof cleanup === 'function') cleanup()
  }
}

function shutdown(): void {
  const o = owner
  if (o === null) return
  o.stopping = true
  owner = null
  process.removeListener('exit', onExit)
  for (const s of SIGNALS) process.removeListener(s, onSignal)
  try {
    releaseGLConnection()
  } finally {
    o.server.stop()
    if (process.env['DISPLAY'] === o.server.display) restoreEnv('DISPLAY', o.prevDisplay)
    if (process.env['XAUTHORITY'] === Path.join(o.authDir, 'Xauthority')) restoreEnv('XAUTHORITY', o.prevXauthority)
    Fs.rmSync(o.authDir, { recursive: true, force: true })
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

function onExit(): void {
  shutdown()
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener means the app handles this signal (and will destroy its engines).
  if (process.listenerCount(signal) > 1) return
  shutdown()
  process.kill(process.pid, signal)
}

function displayLost(o: Owner, code: number | null, signal: NodeJS.Signals | null): void {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
  log('error', ErrorCode.DISPLAY_LOST, `the Xvfb framelatch started on ${o.server.display} (pid ${o.server.process.pid}) ${how} while ` +
    `${o.refs} engine(s) used it; GL cannot continue without its X server, so the process ends (exit status 1). ` +
    'Restart the program; if it happens again, check what kills Xvfb (memory limits, a cleanup job)')
  o.stopping = true
  owner = null
  process.removeListener('exit', onExit)
  for (const s of SIGNALS) process.removeListener(s, onSignal)
  Fs.rmSync(o.authDir, { recursive: true, force: true })
  process.exit(1)
}
