// examples/hot-shader.mjs doubles as a test: it renders headless to its reference image, by itself
// and under `framelatch dev` (a short headless run with --hot), which prints its JSON summary.
// To accept a deliberate visual change, regenerate the reference:
//   node examples/hot-shader.mjs --headless --frames 10 --screenshot examples/reference/hot-shader.png
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../../dist/index.js'
import { devAppDesc } from '../../dist/cli/dev.js'
import { similarity } from '../support/image-similarity.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-hot-example-'))
const reference = decodePNG(Fs.readFileSync(Path.join(root, 'examples', 'reference', 'hot-shader.png')))

function runAndCompare(args, shot) {
  const r = spawnSync(process.execPath, [...args, '--headless', '--frames', '10', '--screenshot', shot, '--json'], {
    cwd: root, encoding: 'utf8', env: process.env, timeout: 120000,
  })
  assert.is(r.status, 0, r.stdout + r.stderr)
  const summary = JSON.parse(r.stdout.trim().split('\n').pop())
  assert.is(summary.frames, 10)
  assert.is(summary.headless, true)
  const got = decodePNG(Fs.readFileSync(shot))
  assert.is(got.width, reference.width)
  assert.is(got.height, reference.height)
  const sim = similarity(got.data, reference.data, 8)
  assert.ok(sim >= 0.995, `${(sim * 100).toFixed(2)}% of pixels match the reference (need 99.5%); see ${shot}`)
  return r
}

test('example hot-shader renders headless to its reference image', () => {
  runAndCompare([Path.join(root, 'examples', 'hot-shader.mjs')], Path.join(out, 'plain.png'))
})

test('framelatch dev starts the example with hot reload and the same picture', () => {
  runAndCompare([Path.join(root, 'bin', 'framelatch.mjs'), 'dev', 'examples/hot-shader.mjs'], Path.join(out, 'dev.png'))
})

test('framelatch dev: usage, a missing file, and which module it reloads', async () => {
  const help = spawnSync(process.execPath, [Path.join(root, 'bin', 'framelatch.mjs'), 'dev'], { cwd: root, encoding: 'utf8' })
  assert.is(help.status, 2)
  assert.match(help.stdout, /usage: framelatch dev <app\.mjs>/)
  const missing = spawnSync(process.execPath, [Path.join(root, 'bin', 'framelatch.mjs'), 'dev', 'no-such-app.mjs'], { cwd: root, encoding: 'utf8' })
  assert.is(missing.status, 1)
  assert.match(missing.stderr, /no-such-app\.mjs does not exist/)
  const setup = () => {}
  assert.equal(devAppDesc('/a/render.mjs', { setup }), { title: 'framelatch dev: render.mjs', module: '/a/render.mjs' }, 'a bare render module')
  const app = { title: 't', module: '/a/r.mjs' }
  assert.equal(devAppDesc('/a/app.mjs', { app }), app, "an app's own module")
  assert.throws(() => devAppDesc('/a/x.mjs', { other: 1 }), (e) => e.code === 'FL_CLI_USAGE')
})

test.after(() => Fs.rmSync(out, { recursive: true, force: true }))
test.run()
