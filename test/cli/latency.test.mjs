// `framelatch latency` end to end: a short probe against the example app (every sample detected,
// the JSON has its documented fields, the framelatch app's frame trace is matched), and the
// one-line coded errors. Behaviour only; no latency figure is asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn, spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = Path.join(root, 'bin', 'framelatch.mjs')
const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-latency-'))

// Each run gets a private Xvfb (DISPLAY empty: `framelatch latency` starts its own), so no other
// test's window takes the keyboard focus or covers the target while it is measured.
function run(args, env = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, DISPLAY: '', ...env }, timeout: 180000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function runAsync(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('a 10-sample probe of the example detects every sample and reports the documented JSON', () => {
  const png = Path.join(out, 'latency.png')
  // A generous per-sample timeout: on a loaded machine a frame of the dashboard can take over a
  // second, and this test is about detection, not speed.
  const r = run(['latency', '--samples', '10', '--timeout', '10000', '--json', '--png', png, '--', process.execPath, 'examples/hello-dashboard.mjs', '--latency-probe', '--mode', 'low-latency'])
  assert.is(r.code, 0, r.stdout + r.stderr)
  const report = JSON.parse(r.stdout)
  for (const k of ['command', 'display', 'window', 'input', 'region', 'expect', 'stats', 'pollRoundTripMs', 'samples', 'breakdown', 'stalls']) assert.ok(k in report, `report.${k}`)
  assert.is(report.stalls, null, 'no stall watch unless asked')
  for (const k of ['n', 'timeouts', 'min', 'p50', 'p90', 'p99', 'max', 'mean', 'stddev']) assert.type(report.stats[k], 'number', `stats.${k}`)
  assert.is(report.stats.n, 10)
  assert.is(report.stats.timeouts, 0, `every sample was detected: ${JSON.stringify(report.samples)}`)
  assert.is(report.samples.length, 10)
  for (const s of report.samples) {
    assert.type(s.latencyMs, 'number')
    assert.ok(s.latencyMs > 0 && s.detectMonoMs > s.injectMonoMs)
    assert.ok(s.polls >= 1)
  }
  assert.ok(report.stats.min <= report.stats.p50 && report.stats.p50 <= report.stats.p99 && report.stats.p99 <= report.stats.max)
  assert.equal(report.window.width, 480)
  assert.equal(report.input, 'key')
  // The example is a framelatch app: its trace lines up with the samples.
  assert.ok(report.breakdown, 'the frame trace was collected')
  assert.ok(report.breakdown.matched >= 8, `samples matched to frames: ${report.breakdown.matched}`)
  for (const k of ['deliver', 'wait', 'record', 'flush', 'swap', 'display']) assert.type(report.breakdown.stages[k].p50, 'number', k)
  for (const k of ['I>S', 'S>Q', 'Q>R', 'R>D']) assert.type(report.breakdown.reflex[k].p50, 'number', k)
  const p = report.breakdown.perSample[0]
  const sum = Object.values(p.stages).reduce((a, b) => a + b, 0)
  assert.ok(Math.abs(sum - report.samples[p.index].latencyMs) < 1e-6, 'the stages add up to the sample')
  const img = decodePNG(Fs.readFileSync(png))
  assert.is(img.width, 1120)
  // The progress line went to stderr, the report alone to stdout.
  assert.match(r.stderr, /latency: sample 10\/10/)
})

test('the text report names the percentiles and the stage split', () => {
  const r = run(['latency', '--samples', '3', '--timeout', '10000', '--quiet', '--', process.execPath, 'examples/hello-dashboard.mjs', '--latency-probe'])
  assert.is(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /n 3 {2}timeouts 0/, r.stdout)
  assert.match(r.stdout, /p50 [\d.]+ {2}p90/)
  assert.match(r.stdout, /I>S/)
  assert.not.match(r.stdout, /scheduling stalls/, 'no stall watch unless asked')
  assert.is(r.stderr, '')
})

test('--stalls watches for scheduling stalls and reports the samples that overlap one', () => {
  const r = run(['latency', '--samples', '4', '--timeout', '10000', '--quiet', '--stalls', '--json', '--', process.execPath, 'examples/hello-dashboard.mjs', '--latency-probe'])
  assert.is(r.code, 0, r.stdout + r.stderr)
  const { stalls, samples } = JSON.parse(r.stdout)
  assert.is(stalls.thresholdMs, 4)
  assert.type(stalls.count, 'number')
  assert.type(stalls.longestMs, 'number')
  assert.ok(Array.isArray(stalls.overlapping) && stalls.overlapping.every((i) => i >= 0 && i < samples.length))
  assert.is(stalls.statsWithout.n, samples.length - stalls.overlapping.length, 'the other samples')
  const text = run(['latency', '--samples', '2', '--timeout', '10000', '--quiet', '--stalls', '--per-sample', '--', process.execPath, 'examples/hello-dashboard.mjs', '--latency-probe'])
  assert.is(text.code, 0, text.stdout + text.stderr)
  assert.match(text.stdout, /scheduling stalls \(a thread sleeping 1 ms woke over 4\.00 ms late\): \d+, longest [\d.]+ ms; \d+ samples overlap one/)
  assert.match(text.stdout, /without them: n \d+/)
  assert.match(text.stdout, /swap +display +stall/, 'the per-sample table has a stall column')
})

test('--window attaches to a running window by title; --expect waits for a colour', async () => {
  const xvfb = await startXvfb()
  const app = spawn(process.execPath, ['benchmarks/probe/apps/x11-delay.mjs', '--title', 'attach-me'], { cwd: root, stdio: 'ignore', env: { ...process.env, DISPLAY: xvfb.display } })
  try {
    const r = await runAsync(['latency', '--window', 'attach-me', '--samples', '4', '--timeout', '10000', '--expect', 'white', '--region', '90,90,8,8', '--json'], { DISPLAY: xvfb.display })
    assert.is(r.code, 0, r.stdout + r.stderr)
    const report = JSON.parse(r.stdout)
    assert.is(report.command, null)
    assert.is(report.window.title, 'attach-me')
    assert.equal(report.expect, [255, 255, 255])
    assert.is(report.stats.timeouts, 0, 'each sample started from black (restored) and saw white')
    assert.is(report.breakdown, null, 'no trace from a non-framelatch app')
  } finally {
    app.kill()
    xvfb.stop()
  }
})

test('a command that exits early is FL_PROBE_TARGET_EXITED, one line', () => {
  const r = run(['latency', '--samples', '3', '--', process.execPath, '-e', 'console.error("boom"); process.exit(3)'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /exited with code 3.*boom.*\[FL_PROBE_TARGET_EXITED\]\n$/)
  assert.is(r.stderr.trim().split('\n').length, 1)
})

test('a command that opens no window is FL_PROBE_NO_WINDOW', () => {
  const r = run(['latency', '--samples', '3', '--wait', '500', '--', process.execPath, '-e', 'setTimeout(() => {}, 20000)'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /\[FL_PROBE_NO_WINDOW\]\n$/)
})

test('a display without a server is FL_NO_DISPLAY; bad flags are FL_CLI_USAGE', () => {
  let n = 500
  while (Fs.existsSync(`/tmp/.X11-unix/X${n}`)) n++
  // A remote-looking DISPLAY is not replaced by Xvfb, so the connection itself fails.
  const r = run(['latency', '--samples', '3', '--', 'true'], { DISPLAY: `127.0.0.1:${n}` })
  assert.is(r.code, 1)
  assert.match(r.stderr, /\[FL_NO_DISPLAY\]\n$/)
  const u = run(['latency', '--input', 'telepathy', '--', 'true'])
  assert.is(u.code, 2)
  assert.match(u.stderr, /\[FL_CLI_USAGE\]/)
  assert.is(run(['latency', '--samples', '3']).code, 2, 'neither a command nor --window')
})

test('an X server without XTEST is FL_XTEST_MISSING', async () => {
  let n = 540
  while (Fs.existsSync(`/tmp/.X11-unix/X${n}`) || Fs.existsSync(`/tmp/.X${n}-lock`)) n++
  const xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '320x240x24', '-nolisten', 'tcp', '-extension', 'XTEST'], { stdio: 'ignore' })
  try {
    for (let i = 0; i < 200 && !Fs.existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 25))
    const r = run(['latency', '--samples', '3', '--', 'true'], { DISPLAY: `:${n}` })
    assert.is(r.code, 1)
    assert.match(r.stderr, /no XTEST extension.*\[FL_XTEST_MISSING\]\n$/)
  } finally {
    xvfb.kill()
  }
})

test.run()
