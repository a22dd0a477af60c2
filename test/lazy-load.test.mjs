// What the package does not load at import: modules only some apps use load on first use (the
// X11 driver of the probe on createDriver, the hot-reload session on --hot or a render module),
// so an app's start-up does not pay for them. A fresh process lists the files it loaded through
// a module hook.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const HOOKS = 'export async function load(url, ctx, next) { if (url.startsWith("file:")) process.stderr.write("@@loaded " + url + "\\n"); return next(url, ctx) }'
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOKS))})`
const LAZY = ['probe/driver.js', 'probe/windows.js', 'probe/mouse-path.js', 'platform/x11-client.js', 'hot/hot-session.js']

function loadedBy(script) {
  const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(REGISTER), '--input-type=module', '-e', script], {
    encoding: 'utf8', cwd: root,
  })
  assert.is(r.status, 0, r.stderr)
  return r.stderr.split('\n').filter((l) => l.startsWith('@@loaded ')).map((l) => l.slice(9))
}

test('importing framelatch and framelatch/low-level loads neither the probe driver nor the hot session', () => {
  const index = pathToFileURL(Path.join(root, 'dist/index.js')).href
  const low = pathToFileURL(Path.join(root, 'dist/low-level.js')).href
  const loaded = loadedBy(`await import(${JSON.stringify(index)}); await import(${JSON.stringify(low)})`)
  assert.ok(loaded.some((u) => u.endsWith('/dist/engine/engine.js')), 'the hook saw the package load')
  for (const m of LAZY) assert.not.ok(loaded.some((u) => u.endsWith('/dist/' + m)), `${m} loaded at import`)
})

test('createDriver loads the driver when called', () => {
  const index = pathToFileURL(Path.join(root, 'dist/index.js')).href
  // An unknown key: the driver loads, then rejects the desc; what matters here is that it loaded.
  const loaded = loadedBy(`const { createDriver } = await import(${JSON.stringify(index)})
    await createDriver({ bogus: 1 }).then((d) => d.close(), () => {})`)
  assert.ok(loaded.some((u) => u.endsWith('/dist/probe/driver.js')))
})

test.run()
