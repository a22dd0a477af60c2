// `framelatch bench --quick --json`: completes, names the renderer, and writes its JSON, markdown
// and PNG plots. Behaviour only; no figure is asserted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../../dist/index.js'
import { loadedGLDriver } from '../../dist/cli/bench.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = Path.join(root, 'bin', 'framelatch.mjs')

test('bench --quick --json completes, names the renderer and writes json, markdown and plots', () => {
  const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-bench-'))
  // DISPLAY empty: the bench starts its own Xvfb, so no other test's window takes the focus.
  const r = spawnSync(process.execPath, [bin, 'bench', '--quick', '--json', '--out', out], { cwd: root, encoding: 'utf8', timeout: 300000, env: { ...process.env, DISPLAY: '' } })
  assert.is(r.status, 0, r.stdout + r.stderr)
  const report = JSON.parse(r.stdout)
  assert.ok(report.machine.gl, 'a GL context was created')
  assert.ok(report.machine.gl.renderer.length > 0, 'names the renderer')
  assert.ok(report.machine.gl.driver.length > 0 && report.machine.gl.driver !== 'unknown', `names the driver: ${report.machine.gl.driver}`)
  assert.ok(report.machine.cpu.length > 0 && report.machine.cores > 0)
  assert.ok('refreshHz' in report.machine.display)
  assert.is(report.quick, true)
  assert.equal(report.draw.map((d) => d.short), ['rects', 'sprites', 'polyline', 'text'])
  for (const d of report.draw) assert.ok(d.p50 > 0 && d.p99 >= d.p50)
  const kinds = report.latency.rows.map((row) => row.kind)
  assert.equal(kinds, ['floor', 'keydown', 'naive', 'framelatch', 'framelatch', 'framelatch'])
  assert.is(report.latency.rows[0].ratioP50, 1)
  for (const row of report.latency.rows) assert.is(row.samples.length, report.latency.samples)
  const md = Fs.readFileSync(Path.join(out, 'bench.md'), 'utf8')
  assert.match(md, /\| floor: bare SDL\+GL/)
  assert.match(md, new RegExp(`GL: ${report.machine.gl.renderer}`))
  for (const f of ['latency.png', 'draw.png']) {
    const img = decodePNG(Fs.readFileSync(Path.join(out, f)))
    assert.ok(img.width > 0 && img.height > 0, f)
  }
  assert.match(r.stderr, /\[3\/3\] input-to-photon latency/)
})

test('the GL driver is read from the loaded libraries', () => {
  const maps = [
    '7f00-7f01 r-xp 0 08:01 1 /usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0',
    '7f02-7f03 r-xp 0 08:01 2 /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so',
    '7f04-7f05 r-xp 0 08:01 3 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1',
  ].join('\n')
  assert.is(loadedGLDriver(maps), 'GLX mesa, DRI swrast, llvmpipe (software, LLVM 15)')
  assert.is(loadedGLDriver('7f00-7f01 r-xp 0 08:01 1 /usr/lib/libGLX_nvidia.so.0'), 'GLX nvidia')
  assert.is(loadedGLDriver(''), 'unknown')
})

test('bench rejects unknown flags with FL_CLI_USAGE', () => {
  const r = spawnSync(process.execPath, [bin, 'bench', '--fast'], { cwd: root, encoding: 'utf8' })
  assert.is(r.status, 2)
  assert.match(r.stderr, /\[FL_CLI_USAGE\]/)
})

test.run()
