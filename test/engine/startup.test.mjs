// Start-up work the first frame does not need is deferred: the vblank clock (a worker and an X
// connection) starts only after the first frame is presented, and FRAMELATCH_STARTUP_MARK=1 makes
// an engine announce its first frame on stdout (benchmarks/engine/cold-start.bench.mjs).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createEngine } from '../../dist/index.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

test('the vblank clock starts after the first frame, not in createEngine', async () => {
  const engine = await createEngine({ headless: true, width: 8, height: 8 })
  try {
    assert.ok(engine.vblank, 'a vblank source is made (Xvfb has Present)')
    assert.is(engine.vblank.running, false, 'createEngine did not start it')
    engine.renderFrame()
    const source = await engine.vblankReady
    assert.ok(source, 'it started after the first frame')
    assert.ok(source.running)
    assert.is(engine.vblank, source)
  } finally {
    await engine.stop()
    engine.destroy()
  }
})

test('vblankReady resolves null when the vblank clock is off or the engine stops before a frame', async () => {
  const off = await createEngine({ headless: true, width: 8, height: 8, vblank: false })
  off.renderFrame()
  assert.is(await off.vblankReady, null)
  off.destroy()
  const unused = await createEngine({ headless: true, width: 8, height: 8 })
  await unused.stop()
  assert.is(await unused.vblankReady, null)
  assert.is(unused.vblank, null)
  unused.destroy()
})

test('FRAMELATCH_STARTUP_MARK=1 prints @@first-frame once, after the first frame', () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-mark-'))
  const script = Path.join(dir, 'mark.mjs')
  Fs.writeFileSync(script, `
    const { createEngine } = await import(${JSON.stringify(pathToFileURL(Path.join(root, 'dist/index.js')).href)})
    const engine = await createEngine({ headless: true, width: 8, height: 8, vblank: false })
    process.stdout.write('before\\n')
    engine.renderFrame()
    engine.renderFrame()
    engine.destroy()
  `)
  try {
    const run = (env) => spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } })
    const marked = run({ FRAMELATCH_STARTUP_MARK: '1' })
    assert.is(marked.status, 0, marked.stderr)
    const lines = marked.stdout.trim().split('\n')
    assert.is(lines[0], 'before')
    assert.is(lines.length, 2, marked.stdout)
    assert.match(lines[1], /^@@first-frame \d+\.\d \d+\.\d$/)
    const plain = run({ FRAMELATCH_STARTUP_MARK: '' })
    assert.is(plain.stdout.trim(), 'before', 'no mark without the variable')
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
