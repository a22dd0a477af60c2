// An example driven from outside, as a user would: the dashboard runs in a real window with its
// latency probe, the X11 driver presses a key, and the probe square (top-left) turns from black
// to white on screen. Checks pixels, not timing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fs from 'node:fs'
import Os from 'node:os'
import { createDriver, LATENCY_PROBE_SIZE, TRACE_ENV } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'
import { FOCUS_SETTLE_MS } from '../../dist/probe/driver.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

test('a key press into hello-dashboard flips its probe square on screen', async () => {
  // A private display: other test files running beside this one open windows and move the focus.
  const xvfb = await startXvfb()
  const driver = await createDriver({ display: xvfb.display })
  // The engine writes a line per frame that consumed input here (FRAMELATCH_TRACE): for the failure message.
  const trace = Path.join(Os.tmpdir(), `framelatch-drive-example-${process.pid}.jsonl`)
  const inputFrames = () => (Fs.existsSync(trace) ? Fs.readFileSync(trace, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0)
  const app = spawn(process.execPath, [Path.join(root, 'examples', 'hello-dashboard.mjs'), '--latency-probe'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DISPLAY: xvfb.display, [TRACE_ENV]: trace } })
  try {
    const win = await driver.findWindow({ pid: app.pid }, { timeoutMs: 30000 })
    assert.is(win.title, 'framelatch: hello dashboard')
    const square = { window: win, x: 8, y: 8, width: LATENCY_PROBE_SIZE - 16, height: LATENCY_PROBE_SIZE - 16 }
    const all = (v) => (c) => {
      for (let i = 0; i < c.data.length; i += 4) if (c.data[i] !== v || c.data[i + 1] !== v || c.data[i + 2] !== v) return false
      return true
    }
    // The first frames are up when the dashboard's panels are drawn (the window starts black).
    await driver.waitFor({ window: win, x: 100, y: 100, width: 8, height: 8 }, (c) => !all(0)(c), 15000)
    // SDL took the focus itself when it mapped the window and applies a FocusIn only 200 ms after
    // it reads it, dropping keys before (see Driver.focus, which returns at once for a window
    // that has the focus). One fresh-clone CI run waited 15 s for the square below; the cause is
    // not known (keys sent right after the first frames arrived in 6 of 6 tries here), so the
    // key waits the focus out, and a failure says whether the app's engine ever got the key.
    await new Promise((r) => setTimeout(r, FOCUS_SETTLE_MS))
    assert.ok(all(0)(await driver.capture(square)), 'the probe square starts black')
    await driver.key('space', { window: win })
    const white = await driver.waitFor(square, all(255), 15000).catch((err) => {
      throw new Error(`${err.message}; input frames the app's engine traced: ${inputFrames()} (0: the key never reached the engine)`)
    })
    assert.ok(all(255)(white))
    await driver.key('space', { window: win })
    await driver.waitFor(square, all(0), 15000)
  } finally {
    app.kill('SIGINT')
    driver.close()
    xvfb.stop()
    Fs.rmSync(trace, { force: true })
  }
})

test.run()
