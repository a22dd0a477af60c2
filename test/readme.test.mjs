// The README's "first frame" walkthrough must run as written.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../dist/index.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')

test("the README's first-frame code runs and writes the triangle it describes", () => {
  const readme = Fs.readFileSync(Path.join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## A first frame, step by step'))
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(code, 'the README has a first-frame code block')
  // Run it as a module inside the repo so `import 'framelatch'` resolves to this package.
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-readme-'))
  const file = Path.join(root, 'test', `.readme-first-frame-${process.pid}.mjs`)
  Fs.writeFileSync(file, code)
  try {
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: process.env, timeout: 60000 })
    assert.is(r.status, 0, r.stdout + r.stderr)
  } finally {
    Fs.rmSync(file, { force: true })
  }
  const png = decodePNG(Fs.readFileSync(Path.join(dir, 'first-frame.png')))
  assert.is(png.width, 256)
  assert.is(png.height, 256)
  const at = (x, y) => Array.from(png.data.subarray((y * 256 + x) * 4, (y * 256 + x) * 4 + 4))
  assert.equal(at(128, 200), [255, 128, 0, 255], 'inside the triangle: its orange')
  assert.equal(at(5, 5), [26, 26, 26, 255], 'outside: the clear colour')
})

test.run()
