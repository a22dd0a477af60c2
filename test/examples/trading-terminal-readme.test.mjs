// The README's "Build your own panel" walk-through runs as written and draws its watchlist.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodePNG } from '../../dist/index.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

test("the README's build-your-own-panel code runs and draws the watchlist's rows", () => {
  const readme = Fs.readFileSync(Path.join(root, 'README.md'), 'utf8')
  const at = readme.indexOf('### Build your own panel')
  assert.ok(at >= 0, 'the README has the walk-through')
  const code = /```js\n([\s\S]*?)```/.exec(readme.slice(at))?.[1]
  assert.ok(code, 'the walk-through has a code block')
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-readme-panel-'))
  // Inside the repo, so `import 'framelatch'` resolves to this package.
  const file = Path.join(root, 'test', `.readme-panel-${process.pid}.mjs`)
  Fs.writeFileSync(file, code)
  try {
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: process.env, timeout: 60000 })
    assert.is(r.status, 0, r.stdout + r.stderr)
  } finally {
    Fs.rmSync(file, { force: true })
  }
  const png = decodePNG(Fs.readFileSync(Path.join(dir, 'watchlist.png')))
  assert.is(png.width, 256)
  assert.is(png.height, 96)
  // Light text pixels in each of the four rows (x 16..100), none right of the panel.
  const lit = (y0, y1, x0, x1) => {
    let n = 0
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (png.data[(y * png.width + x) * 4] > 150) n++
    return n
  }
  for (let row = 0; row < 4; row++) assert.ok(lit(8 + row * 20, 8 + row * 20 + 20, 16, 100) > 20, `row ${row} has its label`)
  assert.is(lit(0, 96, 250, 256), 0, 'nothing right of the panel')
})

test.run()
