// Runs the README's code as written: the first ```js block after a heading, as a module inside
// the repo (so `import 'framelatch'` resolves to this package), in a directory the test chooses.
import { spawnSync } from 'node:child_process'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as assert from 'uvu/assert'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Runs the first ```js block after `heading` with `cwd` (default: a fresh temp dir) as its directory; returns `cwd`. */
export function runReadmeSnippet(heading, cwd = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-readme-'))) {
  const readme = Fs.readFileSync(Path.join(root, 'README.md'), 'utf8')
  const at = readme.indexOf(heading)
  assert.ok(at >= 0, `the README has a "${heading}" section`)
  const code = /```js\n([\s\S]*?)```/.exec(readme.slice(at))?.[1]
  assert.ok(code, `the "${heading}" section has a code block`)
  const file = Path.join(root, 'test', `.readme-snippet-${process.pid}.mjs`)
  Fs.writeFileSync(file, code)
  try {
    const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', env: process.env, timeout: 60000 })
    assert.is(r.status, 0, r.stdout + r.stderr)
  } finally {
    Fs.rmSync(file, { force: true })
  }
  return cwd
}
