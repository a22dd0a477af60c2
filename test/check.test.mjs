// Unknown option keys: FL_INVALID_DESC with a did-you-mean in debug, one log line per (call, key)
// in release (src/check.ts, applied at the top of every create call).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine, createRectBatcher, setLogger, ErrorCode } from '../dist/index.js'
import { createTicker } from '../dist/low-level.js'
import { checkDesc, closestKey, editDistance } from '../dist/check.js'

function captureLogs() {
  const lines = []
  setLogger((level, code, message) => lines.push({ level, code, message }))
  return lines
}

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.is(editDistance('width', 'width'), 0)
  assert.is(editDistance('widht', 'width'), 1)
  assert.is(editDistance('headles', 'headless'), 1)
  assert.is(editDistance('layr', 'layer'), 1)
  assert.is(editDistance('', 'abc'), 3)
  assert.is(editDistance('kitten', 'sitting'), 3)
})

test('did-you-mean picks the nearest key and stays quiet when nothing is near', () => {
  assert.is(closestKey('headles', ['width', 'headless', 'height']), 'headless')
  assert.is(closestKey('Widht', ['width', 'height']), 'width')
  assert.is(closestKey('zzzzzz', ['width', 'height']), null)
  assert.is(closestKey('x', ['y', 'width']), null)
})

test('createEngine with debug: unknown keys throw FL_INVALID_DESC naming the nearest key', async () => {
  let err = null
  try {
    await createEngine({ headles: true, widht: 300, debug: true })
  } catch (e) {
    err = e
  }
  assert.ok(err, 'createEngine accepted unknown keys')
  assert.is(err.code, ErrorCode.INVALID_DESC)
  assert.match(err.message, /createEngine: unknown option 'headles'; did you mean 'headless'\?/)
  assert.is(err.info.suggestion, 'headless')
})

test('createEngine in release: each unknown key is logged once and ignored', async () => {
  const lines = captureLogs()
  try {
    for (let i = 0; i < 2; i++) {
      const engine = await createEngine({ headles: true, widht: 300, vblank: false })
      assert.is(engine.width, 640, 'the misspelt width must not apply')
      engine.destroy()
    }
    const warned = lines.filter((l) => l.code === ErrorCode.INVALID_DESC)
    assert.is(warned.length, 2, warned.map((l) => l.message).join('\n'))
    assert.match(warned[0].message, /unknown option 'headles' ignored; did you mean 'headless'\?/)
    assert.match(warned[1].message, /unknown option 'widht' ignored; did you mean 'width'\?/)
  } finally {
    setLogger(null)
  }
})

test('a batcher option typo throws with debug, naming layer', async () => {
  const engine = await createEngine({ headless: true, width: 32, height: 32, debug: true, vblank: false })
  try {
    let err = null
    try {
      createRectBatcher(engine.queue, { layr: 1 })
    } catch (e) {
      err = e
    }
    assert.ok(err, 'createRectBatcher accepted { layr: 1 }')
    assert.is(err.code, ErrorCode.INVALID_DESC)
    assert.match(err.message, /createRectBatcher: unknown option 'layr'; did you mean 'layer'\?/)
    // The device's own descriptors go through the same check.
    assert.throws(() => engine.device.createBuffer({ size: 16, usgae: 'stream' }), /did you mean 'usage'/)
  } finally {
    engine.destroy()
  }
})

test('release ticker and checkDesc: known keys pass silently, null and undefined descs pass', () => {
  const lines = captureLogs()
  try {
    createTicker({ hz: 60, mode: 'paced' })
    checkDesc('test', undefined, ['a'], true)
    checkDesc('test', null, ['a'], true)
    checkDesc('test', { a: 1 }, ['a'], true)
    assert.equal(lines, [])
  } finally {
    setLogger(null)
  }
})

test.run()
