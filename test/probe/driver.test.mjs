// The X11 driver against a plain X11 window (benchmarks/probe/apps/x11-delay.mjs, no GL): it
// flips black/white on each key or button press, draws a white marker at the pointer, and with
// --log reports each press on stdout. Behaviour only; no timing is asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDriver, measureLatency } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const appPath = Path.join(root, 'benchmarks', 'probe', 'apps', 'x11-delay.mjs')

// A private display: other test files running beside this one open windows and move the focus.
const xvfb = await startXvfb()
const driver = await createDriver({ display: xvfb.display })
const app = spawn(process.execPath, [appPath, '--log', '--title', 'driver-test-app'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DISPLAY: xvfb.display } })
const events = []
let buffered = ''
app.stdout.on('data', (d) => {
  buffered += d
  const lines = buffered.split('\n')
  buffered = lines.pop()
  for (const l of lines) if (l.trim()) events.push(JSON.parse(l))
})
const win = await driver.findWindow({ pid: app.pid })
await driver.focus(win)

const isColour = (c, v) => {
  for (let i = 0; i < c.data.length; i += 4) if (c.data[i] !== v || c.data[i + 1] !== v || c.data[i + 2] !== v || c.data[i + 3] !== 255) return false
  return true
}
const corner = { window: win, x: 4, y: 4, width: 12, height: 12 }
async function shade() {
  const c = await driver.capture(corner)
  return isColour(c, 255) ? 'white' : isColour(c, 0) ? 'black' : 'mixed'
}
/** The `k` events logged after the first `n`, once they have arrived (or what came in 3 s). */
async function eventsAfter(n, k) {
  await driver.waitFor(corner, () => events.length >= n + k, 10000).catch(() => {})
  return events.slice(n, n + k)
}

test('findWindow by pid, title and largest finds the app window', async () => {
  assert.is(win.width, 200)
  assert.is(win.height, 200)
  assert.is(win.pid, app.pid)
  assert.is(win.title, 'driver-test-app')
  assert.is((await driver.findWindow({ title: 'driver-test' })).id, win.id)
  assert.is((await driver.findWindow('largest')).id, win.id)
  const err = await driver.findWindow({ title: 'no such window' }, { timeoutMs: 200 }).catch((e) => e)
  assert.is(err.code, 'FL_PROBE_NO_WINDOW')
})

test('capture reads a region as RGBA and rejects a region outside the window', async () => {
  const c = await driver.capture(corner)
  assert.is(c.width, 12)
  assert.is(c.height, 12)
  assert.is(c.data.length, 12 * 12 * 4)
  assert.ok(isColour(c, 0), 'the app starts black')
  const full = await driver.capture({ window: win })
  assert.is(full.data.length, 200 * 200 * 4)
  const err = await driver.capture({ window: win, x: 190, y: 0, width: 20, height: 4 }).catch((e) => e)
  assert.is(err.code, 'FL_OUT_OF_RANGE')
})

test('a key press flips the app and waitFor sees it', async () => {
  const before = await shade()
  const n = events.length
  await driver.key('a', { window: win })
  const want = before === 'black' ? 255 : 0
  const seen = await driver.waitFor(corner, (c) => isColour(c, want), 10000)
  assert.ok(isColour(seen, want))
  const [ev] = await eventsAfter(n, 1)
  assert.is(ev.event, 'KeyPress')
  assert.is(ev.detail, driver.keycode('a').keycode)
})

test('a click lands where it was sent and flips the app', async () => {
  const before = await shade()
  const n = events.length
  await driver.click(50, 60, { window: win })
  await driver.waitFor(corner, (c) => isColour(c, before === 'black' ? 255 : 0), 10000)
  const [ev] = await eventsAfter(n, 1)
  assert.equal([ev.event, ev.detail, ev.x, ev.y], ['ButtonPress', 1, 50, 60])
})

test('type sends each character, with Shift for capitals', async () => {
  const n = events.length
  await driver.type('aB', { window: win })
  const got = await eventsAfter(n, 3)
  const codes = got.filter((e) => e.event === 'KeyPress')
  // a, Shift_L, b (with the Shift bit in the state)
  assert.is(codes[0].detail, driver.keycode('a').keycode)
  assert.is(codes[1].detail, driver.keycode('Shift_L').keycode)
  assert.is(codes[2].detail, driver.keycode('b').keycode)
  assert.is(codes[2].state & 1, 1)
})

test('a mouse path is timestamped step by step and ends on its target', async () => {
  await driver.move(20, 20, { window: win, durationMs: 0 })
  const steps = await driver.move(150, 120, { window: win, durationMs: 150, rateHz: 100, curve: 'bezier', seed: 7 })
  assert.is(steps.length, 15)
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i].tMs > steps[i - 1].tMs, 'timestamps increase')
  assert.equal([steps.at(-1).x, steps.at(-1).y], [win.x + 150, win.y + 120])
  assert.equal(await driver.x11.pointer(), { x: win.x + 150, y: win.y + 120 })
  // The app draws its marker (the opposite shade) centred on the pointer.
  const bg = await shade()
  const marker = await driver.waitFor({ window: win, x: 146, y: 116, width: 8, height: 8 }, (c) => isColour(c, bg === 'black' ? 255 : 0), 10000)
  assert.ok(marker)
})

test('drag presses, follows the path and releases; wheel sends buttons 4/5', async () => {
  const n = events.length
  const steps = await driver.drag([{ x: 30, y: 30 }, { x: 90, y: 40 }, { x: 120, y: 100 }], { window: win, durationMs: 100, curve: 'ease' })
  assert.ok(steps.length >= 3)
  assert.equal([steps.at(-1).x, steps.at(-1).y], [win.x + 120, win.y + 100])
  await driver.wheel(2)
  await driver.wheel(-1)
  const got = await eventsAfter(n, 4)
  assert.equal(got.map((e) => [e.event, e.detail]), [['ButtonPress', 1], ['ButtonPress', 5], ['ButtonPress', 5], ['ButtonPress', 4]])
  assert.equal([got[0].x, got[0].y], [30, 30])
})

test('unknown keys and desc fields are rejected with codes', async () => {
  assert.throws(() => driver.keycode('NoSuchKey'), (e) => e.code === 'FL_INVALID_DESC')
  const err = await createDriver({ displya: ':1' }).catch((e) => e)
  assert.is(err.code, 'FL_INVALID_DESC')
  const bad = await measureLatency(driver, { window: win, region: { x: 0, y: 0, width: 4, height: 4 }, sample: 3 }).catch((e) => e)
  assert.is(bad.code, 'FL_INVALID_DESC')
  const outside = await measureLatency(driver, { window: win, region: { x: 198, y: 0, width: 4, height: 4 } }).catch((e) => e)
  assert.is(outside.code, 'FL_OUT_OF_RANGE')
  const none = await createDriver({ display: ':597' }).catch((e) => e)
  assert.is(none.code, 'FL_NO_DISPLAY')
})

test.after(() => {
  app.kill()
  driver.close()
  xvfb.stop()
})

test.run()
