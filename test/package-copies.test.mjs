// One copy of framelatch per process. 'framelatch' is the bundle (dist/bundle/) for users, while
// tests and benchmark harnesses import dist/ files one by one. A program that reaches both would
// hold two copies: two FramelatchError classes (instanceof fails across them), two display owners,
// two X threads. This reads the import graph of every shipped program (examples/, benchmarks/,
// bin/) and fails when one module's imports reach both; and it checks that test processes, which
// import examples beside dist/ files, resolve 'framelatch' to dist/ (test/run.mjs's condition).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = Path.join(root, 'dist') + Path.sep
// dist/bundle/ is the package's side: bin/framelatch.mjs runs dist/bundle/cli.js, which shares its
// chunks with the entries 'framelatch' resolves to.
const bundle = Path.join(dist, 'bundle') + Path.sep

function scripts(dir) {
  const out = []
  for (const e of Fs.readdirSync(dir, { withFileTypes: true })) {
    const p = Path.join(dir, e.name)
    if (e.isDirectory() && e.name !== 'out' && e.name !== 'node_modules') out.push(...scripts(p))
    else if (/\.m?js$/.test(e.name)) out.push(p)
  }
  return out
}

// Static imports and re-exports, and import() of a string literal. Worker modules (new URL(...)
// handed to startLogic or new Worker) load in a thread of their own and are not followed.
const IMPORT = /^\s*(?:import|export)\s+(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm

/** What `file` imports: package specifiers and resolved relative paths. */
function importsOf(file) {
  const text = Fs.readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]).map((s) => (s.startsWith('.') ? Path.resolve(Path.dirname(file), s) : s))
}

/** For `file`, the first module its imports reach that imports 'framelatch…', and the first dist/ file. */
function reach(file, memo = new Map()) {
  if (memo.has(file)) return memo.get(file)
  const r = { pkg: null, dist: null }
  memo.set(file, r) // cycles: a module in progress adds nothing more
  for (const s of importsOf(file)) {
    if (s === 'framelatch' || s.startsWith('framelatch/') || s.startsWith(bundle)) r.pkg ??= `${Path.relative(root, file)} imports ${s.startsWith(bundle) ? Path.relative(root, s) : `'${s}'`}`
    else if (s.startsWith(dist)) r.dist ??= `${Path.relative(root, file)} imports ${Path.relative(root, s)}`
    else if (Path.isAbsolute(s) && Fs.existsSync(s)) {
      const sub = reach(s, memo)
      r.pkg ??= sub.pkg
      r.dist ??= sub.dist
    }
  }
  return r
}

test('no program of examples/, benchmarks/ or bin/ reaches both the package and dist/ files', () => {
  const files = ['examples', 'benchmarks', 'bin'].flatMap((d) => scripts(Path.join(root, d)))
  assert.ok(files.length > 20, 'found the programs')
  const memo = new Map()
  const mixed = files.map((f) => ({ f, ...reach(f, memo) })).filter((x) => x.pkg && x.dist)
  assert.equal(mixed.map((x) => `${Path.relative(root, x.f)}: ${x.pkg}; ${x.dist}`), [],
    "import 'framelatch' / 'framelatch/low-level' everywhere in such a program, or dist/ files everywhere")
  const pkgUsers = files.filter((f) => memo.get(f)?.pkg)
  assert.ok(pkgUsers.some((f) => f.endsWith(Path.join('trading-terminal', 'main.mjs'))), 'the graph reaches the terminal\'s package imports')
})

test("this test process resolves 'framelatch' to dist/ (test/run.mjs passes --conditions=framelatch-unbundled)", () => {
  assert.is(import.meta.resolve('framelatch'), pathToFileURL(Path.join(root, 'dist/index.js')).href,
    'run test files through test/run.mjs, or with node --conditions=framelatch-unbundled')
  assert.is(import.meta.resolve('framelatch/low-level'), pathToFileURL(Path.join(root, 'dist/low-level.js')).href)
})

test.run()
