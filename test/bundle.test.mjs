// The bundle users load (scripts/bundle.mjs → dist/bundle/, package.json "exports"): a fresh
// process importing 'framelatch' and 'framelatch/low-level' by name, without the test runner's
// condition, gets one copy of the package from dist/bundle/ (the error classes of both entries are
// one, a logic worker's own 'framelatch' import shares the worker entry's copy), renders a frame
// with the bundled font, and loads no unbundled dist/ module and none of the lazy chunks it did not
// use; a render module loads through the hot-reload loader hooks. Also: the import.meta.url
// rewrite, and `npm pack` shipping the bundle.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BUNDLE_ENTRIES, rewriteModule } from '../scripts/bundle.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const distUrl = pathToFileURL(Path.join(root, 'dist')).href + '/'
const bundleUrl = distUrl + 'bundle/'
// Every file: URL the process (and, hooks being inherited, its worker) loads, on stderr.
const HOOKS = 'export async function load(url, ctx, next) { if (url.startsWith("file:")) process.stderr.write("@@loaded " + url + "\\n"); return next(url, ctx) }'
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOKS))})`

function runEntryApp() {
  const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(REGISTER), Path.join(root, 'test/fixtures/bundle/entry-app.mjs')], {
    cwd: root, encoding: 'utf8', timeout: 120000,
    // No --conditions: execArgv is not passed on, and NODE_OPTIONS must not carry one either.
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@result '))
  assert.ok(line, `the app printed its result (exit ${r.status})\n${r.stdout}\n${r.stderr}`)
  const loaded = [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('@@loaded ')).map((l) => l.slice(9)))]
  return { result: JSON.parse(line.slice(9)), loaded }
}

const app = runEntryApp()

test("'framelatch' and 'framelatch/low-level' resolve to the bundle; one frame renders with the bundled font", () => {
  const { result } = app
  assert.is(result.resolved.main, bundleUrl + 'index.js')
  assert.is(result.resolved.low, bundleUrl + 'low-level.js')
  assert.is(result.resolved.random, bundleUrl + 'random.js')
  assert.is(result.fontFile, Path.join(root, 'assets/fonts/DejaVuSansMono.ttf'), 'BUNDLED_FONT_PATH names the font beside the package, not beside the bundle')
  assert.equal(result.pixels.left, [255, 0, 0, 255], 'the red rect')
  assert.ok(result.pixels.ink > 20, `the glyph drew ink from the bundled font (${result.pixels.ink} px)`)
})

test('a render module loads through the hot-reload loader hooks the bundle finds beside dist/hot/', () => {
  assert.equal(app.result.hot, { ok: true, error: null, edge: [0, 0, 255, 255] })
})

test('both entries share one copy: an error thrown through either is a FramelatchError of the main entry', () => {
  const { result } = app
  assert.equal(result.mainError, { framelatch: true, validation: true, code: 'FL_INVALID_DESC' })
  assert.equal(result.lowError, { framelatch: true, validation: true, code: 'FL_INVALID_DESC' }, 'framelatch/low-level throws the same classes')
})

test("a logic worker runs the bundled worker entry, and its module's 'framelatch' is the bundle too", () => {
  assert.equal(app.result.worker, { bundledEntry: 1, unbundledEntry: 0, bundledPackage: 1 })
})

test('no unbundled dist/ module loads, and the lazy chunks the app did not use stay unloaded', () => {
  const fromDist = app.loaded.filter((u) => u.startsWith(distUrl))
  assert.ok(fromDist.includes(bundleUrl + 'index.js') && fromDist.includes(bundleUrl + 'low-level.js'), 'the hook saw the package load')
  assert.ok(fromDist.includes(bundleUrl + 'logic-worker-main.js'), 'and the worker entry (hooks reach the worker thread)')
  // The loader hooks run on the loader thread, apart from the app's modules: they stay a dist/ file.
  assert.equal(fromDist.filter((u) => !u.startsWith(bundleUrl) && u !== distUrl + 'hot/loader-hooks.js'), [], 'modules outside dist/bundle/')
  for (const lazy of ['probe/driver.js', 'hot/hot-session.js', 'cli/plot.js']) {
    // The bundle is minified: its source maps say which chunk holds which module.
    const chunk = Fs.readdirSync(Path.join(root, 'dist/bundle')).filter((f) => f.endsWith('.js'))
      .find((f) => JSON.parse(Fs.readFileSync(Path.join(root, 'dist/bundle', f + '.map'), 'utf8')).sources.includes(`../../src/${lazy.replace(/\.js$/, '.ts')}`))
    assert.ok(chunk, `dist/${lazy} is in a chunk of its own`)
    assert.not.ok(fromDist.includes(bundleUrl + chunk), `${chunk} (dist/${lazy}) loaded although nothing used it`)
  }
})

test('importing the bundled entries loads no built-in kept for first use (child_process, crypto, zlib, worker_threads, fs streams)', () => {
  // src/node-builtins.ts: fs is taken with require (an ES import loads its 18 stream modules),
  // worker_threads on first use.
  const src = "await import('framelatch'); await import('framelatch/low-level')\n" +
    "console.log(JSON.stringify(['child_process', 'crypto', 'zlib', 'worker_threads', 'stream', 'internal/fs/streams'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m))))"
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', cwd: root, env: { ...process.env, NODE_OPTIONS: '' } })
  assert.is(r.status, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()), [])
})

test("import.meta.url becomes the module's dist/ location; worker URLs name the bundled entries", () => {
  assert.is(rewriteModule('text/font.js', "new URL('../../assets/x.ttf', import.meta.url)"),
    'new URL(\'../../assets/x.ttf\', new URL("../text/font.js", import.meta.url).href)')
  assert.is(rewriteModule('index.js', 'createRequire(import.meta.url); import.meta.urls'),
    'createRequire(new URL("../index.js", import.meta.url).href); import.meta.urls')
  assert.is(rewriteModule('sync/worker/logic-worker.js', "const a = new URL('./logic-worker-main.js', import.meta.url); f(import.meta.url)"),
    'const a = new URL("./logic-worker-main.js", import.meta.url); f(new URL("../sync/worker/logic-worker.js", import.meta.url).href)')
  assert.throws(() => rewriteModule('platform/x-worker.js', "new Worker(new URL('./renamed.js', import.meta.url))"), /x-worker-main\.js.*found it 0 times/)
  // The built files: each worker URL points into dist/bundle/ at an entry that exists.
  for (const name of ['logic-worker-main', 'x-worker-main']) {
    assert.ok(Fs.existsSync(Path.join(root, 'dist/bundle', `${name}.js`)), `${name}.js built`)
    assert.ok(BUNDLE_ENTRIES[name], `${name} is an entry`)
  }
})

test('npm pack ships the bundle the exports name', () => {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 120000 })
  assert.is(r.status, 0, r.stderr)
  const files = new Set(JSON.parse(r.stdout)[0].files.map((f) => f.path))
  const pkg = JSON.parse(Fs.readFileSync(Path.join(root, 'package.json'), 'utf8'))
  const entries = Object.values(pkg.exports).filter((e) => typeof e === 'object')
  assert.ok(entries.length >= 3, 'the package entries')
  for (const e of entries) assert.ok(e.default.startsWith('./dist/bundle/'), `${e.default}: every entry is bundled, so entries share one copy`)
  const targets = [pkg.main, ...entries.map((e) => e.default)].map((p) => p.replace(/^\.\//, ''))
  for (const name of Object.keys(BUNDLE_ENTRIES)) targets.push(`dist/bundle/${name}.js`)
  for (const t of targets) assert.ok(files.has(t), `${t} is in the package`)
  const chunks = Fs.readdirSync(Path.join(root, 'dist/bundle')).filter((f) => f.endsWith('.js'))
  assert.equal(chunks.filter((f) => !files.has(`dist/bundle/${f}`)), [], 'every chunk is in the package')
  assert.ok(files.has('assets/fonts/DejaVuSansMono.ttf'), 'the bundled font the rewritten URL points at')
})

test.run()
