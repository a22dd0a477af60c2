// The folder tree is the dependency graph: each src/ folder may import only the folders below it
// (see "Layout" in the README). This test reads every import in src/ and fails on one that runs
// the wrong way, and on any file outside src/platform that loads SDL, GL or X11 itself.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const src = Path.join(root, 'src')

/** Folder → the folders it may import (besides itself and the shared src/errors.ts, src/log.ts). */
export const ALLOWED = {
  platform: [],
  gl: ['platform'],
  sync: [],
  core: ['gl'],
  text: [],
  draw: ['core', 'gl', 'text'],
  engine: ['chart', 'draw', 'core', 'gl', 'sync', 'text', 'platform'],
  probe: ['platform', 'sync'],
  chart: ['draw', 'core', 'gl', 'text'],
  hot: ['engine', 'draw', 'core', 'gl', 'sync', 'text', 'platform'],
  cli: ['probe', 'hot', 'engine', 'chart', 'draw', 'core', 'gl', 'sync', 'text', 'platform'],
}
/** Packages that only src/platform may load: the window system and the GL binding. */
const PLATFORM_PACKAGES = ['@kmamal/sdl', '@kmamal/gl', 'x11']

function listTs(dir) {
  const out = []
  for (const e of Fs.readdirSync(dir, { withFileTypes: true })) {
    const p = Path.join(dir, e.name)
    if (e.isDirectory()) out.push(...listTs(p))
    else if (e.name.endsWith('.ts')) out.push(p)
  }
  return out
}

/** Every module specifier a file names: static and dynamic imports, re-exports, require(), new URL(). */
export function specifiers(text) {
  const out = []
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\brequire(?:\.resolve)?\s*\(\s*['"]([^'"]+)['"]/g,
    /\bnew\s+URL\s*\(\s*['"](\.[^'"]+)['"]/g,
  ]
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1])
  return out
}

const folderOf = (file) => {
  const rel = Path.relative(src, file).split(Path.sep)
  return rel.length === 1 ? null : rel[0]
}

export function violations(files = listTs(src)) {
  const bad = []
  for (const file of files) {
    const from = folderOf(file)
    const text = Fs.readFileSync(file, 'utf8')
    for (const spec of specifiers(text)) {
      const relFile = Path.relative(root, file)
      if (PLATFORM_PACKAGES.some((p) => spec === p || spec.startsWith(p + '/'))) {
        if (from !== 'platform') bad.push(`${relFile}: loads ${spec}; only src/platform may`)
        continue
      }
      if (!spec.startsWith('.')) continue
      const target = Path.resolve(Path.dirname(file), spec)
      if (!target.startsWith(src + Path.sep)) continue
      const to = folderOf(target)
      if (from === null || to === null || to === from) continue // the entry points, errors.ts, log.ts
      const allowed = ALLOWED[from]
      if (!allowed) bad.push(`${relFile}: folder src/${from} is not in the layer table of test/structure.test.mjs`)
      else if (!allowed.includes(to)) bad.push(`${relFile}: imports src/${to} (${spec}); src/${from} may import only ${allowed.join(', ') || 'nothing of src/'}`)
    }
  }
  return bad
}

test('every import in src/ runs down the layer table', () => {
  const bad = violations()
  assert.equal(bad, [], bad.join('\n'))
})

test('every src/ folder is in the layer table', () => {
  const folders = Fs.readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
  for (const f of folders) assert.ok(f in ALLOWED, `src/${f} has no row in ALLOWED`)
})

test('the checker sees a wrong-way import, a platform package outside platform, and dynamic forms', () => {
  const dir = Fs.mkdtempSync(Path.join(src, '.structure-probe-'))
  // A throwaway layout inside src/ is not possible without a real folder name, so write into
  // real folders under unique names and remove them at once.
  const files = [
    [Path.join(src, 'gl', `.probe-${process.pid}.ts`), "import { Engine } from '../engine/engine.js'\n"],
    [Path.join(src, 'sync', `.probe-${process.pid}.ts`), "const gl = await import('../gl/device.js')\n"],
    [Path.join(src, 'draw', `.probe-${process.pid}.ts`), "const sdl = require('@kmamal/sdl')\n"],
    [Path.join(src, 'core', `.probe-${process.pid}.ts`), "export { x } from '../draw/hud.js'\n"],
  ]
  try {
    for (const [f, t] of files) Fs.writeFileSync(f, t)
    const bad = violations(files.map(([f]) => f))
    assert.equal(bad.length, 4, bad.join('\n'))
    assert.match(bad[0], /src\/gl may import only platform/)
    assert.match(bad[1], /imports src\/gl/)
    assert.match(bad[2], /loads @kmamal\/sdl/)
    assert.match(bad[3], /imports src\/draw/)
  } finally {
    for (const [f] of files) Fs.rmSync(f, { force: true })
    Fs.rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
