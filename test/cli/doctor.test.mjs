import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = Path.join(root, 'bin', 'framelatch.mjs')

function run(args, env = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function unusedDisplay() {
  for (let n = 500; n < 600; n++) if (!Fs.existsSync(`/tmp/.X11-unix/X${n}`)) return `:${n}`
  throw new Error('no unused display number')
}

test('doctor --json reports the renderer and exits 0 on a set-up machine', () => {
  const r = run(['doctor', '--json'])
  assert.is(r.code, 0, r.stdout + r.stderr)
  const report = JSON.parse(r.stdout)
  assert.is(report.ok, true)
  assert.ok(report.gl.renderer.length > 0)
  assert.ok(report.gl.extensions.includes('ANGLE_instanced_arrays'))
  assert.match(report.sdl.runtime, /^2\.\d+\.\d+$/)
  for (const c of report.checks) assert.ok(c.ok, `${c.name}: ${c.detail}`)
})

test('doctor exits non-zero with a fix hint when DISPLAY points at nothing', () => {
  const display = unusedDisplay()
  const json = run(['doctor', '--json'], { DISPLAY: display })
  assert.is(json.code, 1)
  const report = JSON.parse(json.stdout)
  assert.is(report.ok, false)
  const check = report.checks.find((c) => c.name === 'X display')
  assert.is(check.ok, false)
  assert.match(check.fix, /Xvfb|DISPLAY/)
  const text = run(['doctor'], { DISPLAY: display })
  assert.is(text.code, 1)
  assert.match(text.stdout, /not ready: .*(Xvfb|DISPLAY)/)
})

test('unknown commands fail with usage; help succeeds', () => {
  const bad = run(['frobnicate'])
  assert.is(bad.code, 2)
  assert.match(bad.stderr, /unknown command 'frobnicate'/)
  const help = run(['help'])
  assert.is(help.code, 0)
  assert.match(help.stdout, /doctor/)
  assert.match(help.stdout, /setup-native/)
})

test('setup-native is idempotent: with the bindings built it only reports them ready', () => {
  const r = run(['setup-native'])
  assert.is(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /@kmamal\/gl: ready/)
  assert.match(r.stdout, /@kmamal\/sdl: ready/)
  assert.not.match(r.stdout, /building/)
})

test('the package imports by its own name from the repo root', async () => {
  const mod = await import('framelatch')
  assert.type(mod.createEngine, 'function')
  assert.type(mod.FramelatchError, 'function')
  assert.type(mod.ShaderError, 'function')
  const pkg = JSON.parse(Fs.readFileSync(Path.join(root, 'package.json'), 'utf8'))
  assert.is(pkg.bin.framelatch, './bin/framelatch.mjs')
  assert.ok(Fs.existsSync(Path.join(root, pkg.exports['.'].types)), 'emitted type declarations exist')
})

test.run()
