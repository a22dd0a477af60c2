// Shared by the fault suite. Anything that can hang runs in a child process of its own process
// group, with a hard timeout that kills the whole group (the child and any Xvfb it started).
// Children get a private TMPDIR, so the Xvfb servers they start (whose -auth file lives there)
// can be counted without counting anyone else's.
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { spawn, execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
export const fixture = (name) => Path.join(root, 'test/faults/fixtures', name)
export const caseFile = (name) => Path.join(root, 'test/faults/cases', name)

/** A private temp folder for one test's children (their Xvfb auth files live in it). */
export function privateTmp() {
  return Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-fault-'))
}

/**
 * Runs `node file ...args` in a new process group. Resolves with { code, signal, stdout, stderr,
 * timedOut, pid, results } where `results` are the JSON objects the child printed on lines
 * starting with '@@'. On timeout the whole group gets SIGKILL (never a hang of the suite).
 */
export function runChild(file, args = [], { timeoutMs = 60_000, env = {}, onStart } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(env),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
      onStart?.(stdout, child)
    })
    child.stderr.on('data', (d) => (stderr += d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid, 'SIGKILL')
    }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      // Whatever the child left in its group (an Xvfb) goes too.
      killGroup(child.pid, 'SIGKILL')
      const results = stdout.split('\n').filter((l) => l.startsWith('@@')).map((l) => JSON.parse(l.slice(2)))
      resolve({ code, signal, stdout, stderr, timedOut, pid: child.pid, results })
    })
  })
}

/** process.env plus `env`; a null value removes the variable. */
function childEnv(env) {
  const out = { ...process.env, NO_COLOR: '1' }
  for (const [k, v] of Object.entries(env)) {
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out
}

export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // the group is gone
  }
}

/** Pids of live Xvfb processes whose command line names `marker` (a private TMPDIR). */
export function xvfbWith(marker) {
  try {
    return execFileSync('pgrep', ['-f', `Xvfb .*${marker}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

/** Waits until `cond()` is true, polling; false after `ms` (a safety net, not a timing assertion). */
export async function eventually(cond, ms = 10_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return cond()
}

/** The error codes a child's output names ("framelatch: [FL_X]" lines and "code: 'FL_X'"). */
export function codesIn(text) {
  return [...text.matchAll(/FL_[A-Z_]+/g)].map((m) => m[0])
}
