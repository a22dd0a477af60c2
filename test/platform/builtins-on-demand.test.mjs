// Importing framelatch loads no built-in it needs only for rare work (starting Xvfb, PNG files,
// hashing watched files): they load on first use (src/platform/builtins-on-demand.ts). Checked in
// a fresh process, whose module list is its own.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const ON_DEMAND = ['child_process', 'crypto', 'zlib']

function loadedAfter(script) {
  const src = `${script}\nconsole.log(JSON.stringify(${JSON.stringify(ON_DEMAND)}.filter((m) => process.moduleLoadList.includes('NativeModule ' + m))))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', cwd: root })
  assert.is(r.status, 0, r.stderr)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

test('importing framelatch and framelatch/low-level loads none of them', () => {
  const index = pathToFileURL(Path.join(root, 'dist/index.js')).href
  const low = pathToFileURL(Path.join(root, 'dist/low-level.js')).href
  assert.equal(loadedAfter(`await import(${JSON.stringify(index)}); await import(${JSON.stringify(low)})`), [])
})

test('a PNG round trip loads zlib on first use, and works', () => {
  const index = pathToFileURL(Path.join(root, 'dist/index.js')).href
  const loaded = loadedAfter(`const { encodePNG, decodePNG } = await import(${JSON.stringify(index)})
    const img = decodePNG(encodePNG(new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]), 2, 1))
    if (img.width !== 2 || img.data[4] !== 4) throw new Error('round trip changed the image')`)
  assert.equal(loaded, ['zlib'])
})

test.run()
