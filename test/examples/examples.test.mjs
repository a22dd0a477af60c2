// Examples double as tests: each renders headless to a PNG that is compared with its reference
// image in examples/reference/. To accept a deliberate visual change, regenerate the reference:
//   node examples/<name>.mjs --headless --frames 10 --screenshot examples/reference/<name>.png
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../../dist/index.js'
import { similarity } from '../support/image-similarity.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-examples-'))

for (const name of ['hello-dashboard']) {
  test(`example ${name} renders headless to its reference image`, () => {
    const shot = Path.join(out, `${name}.png`)
    const r = spawnSync(process.execPath, [Path.join(root, 'examples', `${name}.mjs`), '--headless', '--frames', '10', '--screenshot', shot, '--json'], {
      cwd: root, encoding: 'utf8', env: process.env, timeout: 120000,
    })
    assert.is(r.status, 0, r.stdout + r.stderr)
    const summary = JSON.parse(r.stdout.trim().split('\n').pop())
    assert.is(summary.frames, 10)
    assert.is(summary.headless, true)
    const got = decodePNG(Fs.readFileSync(shot))
    const want = decodePNG(Fs.readFileSync(Path.join(root, 'examples', 'reference', `${name}.png`)))
    assert.is(got.width, want.width)
    assert.is(got.height, want.height)
    const sim = similarity(got.data, want.data, 8)
    assert.ok(sim >= 0.995, `${(sim * 100).toFixed(2)}% of pixels match the reference (need 99.5%); see ${shot}`)
  })
}

test('a windowed app writes its last frame with --screenshot (read before the swap)', () => {
  const shot = Path.join(out, 'windowed.png')
  const r = spawnSync(process.execPath, [Path.join(root, 'examples', 'hello-dashboard.mjs'), '--frames', '5', '--screenshot', shot, '--json'], {
    cwd: root, encoding: 'utf8', env: process.env, timeout: 120000,
  })
  assert.is(r.status, 0, r.stdout + r.stderr)
  const summary = JSON.parse(r.stdout.trim().split('\n').pop())
  assert.is(summary.headless, false)
  assert.is(summary.frames, 5)
  const got = decodePNG(Fs.readFileSync(shot))
  const want = decodePNG(Fs.readFileSync(Path.join(root, 'examples', 'reference', 'hello-dashboard.png')))
  assert.is(got.width, want.width)
  // The header panel is drawn identically in both (the HUD only appears on windows, lower right).
  let same = 0
  let total = 0
  for (let y = 8; y < 40; y++) {
    for (let x = 8; x < 200; x++) {
      const i = (y * got.width + x) * 4
      total++
      if (Math.abs(got.data[i] - want.data[i]) <= 8 && Math.abs(got.data[i + 1] - want.data[i + 1]) <= 8) same++
    }
  }
  assert.ok(same / total > 0.99, `header panel matches the headless reference (${same}/${total})`)
})

test('--latency-probe flips the probe square on a key press that comes through the input ring', async () => {
  const { runApp, InputKind, LATENCY_PROBE_SIZE, createRectBatcher, createRectStyle } = await import('framelatch')
  const shot = Path.join(out, 'probe.png')
  let engineRef
  const summary = await runApp({
    width: 128, height: 128,
    engine: { vblank: false, hz: 240 },
    setup(engine) {
      engineRef = engine
      const rects = createRectBatcher(engine.queue)
      const red = createRectStyle({ fill: 0x800000ff })
      engine.onFrame((f) => {
        rects.add(0, 0, f.width, f.height, red) // a red scene under the probe
        if (f.index === 2) engine.input.push(InputKind.KeyDown, 44, 0, 0, 0, 0, 0, performance.now())
      })
    },
  }, ['--headless', '--frames', '6', '--latency-probe', '--screenshot', shot])
  assert.ok(engineRef.destroyed, 'runApp cleans up')
  assert.is(summary.probeFlips, 1)
  const img = decodePNG(Fs.readFileSync(shot))
  const at = (x, y) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4))
  assert.equal(at(LATENCY_PROBE_SIZE / 2, LATENCY_PROBE_SIZE / 2), [255, 255, 255, 255], 'probe square turned white')
  const [r] = at(LATENCY_PROBE_SIZE + 10, LATENCY_PROBE_SIZE + 10)
  assert.ok(Math.abs(r - 128) <= 1, 'the scene is still drawn outside the probe')
})

test('app flags are parsed strictly', async () => {
  const { parseAppArgs, ErrorCode } = await import('framelatch')
  const a = parseAppArgs(['--headless', '--frames', '3', '--screenshot', 'x.png', '--json', '--latency-probe', '--mode', 'low-latency', '--hot'])
  assert.equal(a, { headless: true, frames: 3, screenshot: 'x.png', json: true, latencyProbe: true, width: null, height: null, mode: 'low-latency', hot: true })
  assert.is(parseAppArgs([]).hot, false, 'hot reload is off by default')
  for (const bad of [['--frames', '0'], ['--frames'], ['--bogus'], ['--mode', 'fast'], ['--screenshot']]) {
    assert.throws(() => parseAppArgs(bad), (e) => e.code === ErrorCode.CLI_USAGE, bad.join(' '))
  }
})

test.run()
