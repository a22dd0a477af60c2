// The hot-reload watcher: one report per burst, content decides, atomic saves and re-created files
// are seen. No timing is asserted: each test waits for the batches it expects (the suite's file
// timeout is the safety net) and proves an absence by the order of batches, not by a sleep.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createWatcher } from '../../dist/hot/watcher.js'
import { errorCode } from '../support/errors.mjs'
import { sleep } from '../support/wait.mjs'

// The watcher's folder watches and timers are unref'd (a watcher never keeps an app alive), so
// the test keeps the process alive itself while it waits for batches.
const keepAlive = setInterval(() => {}, 1000)
test.after(() => clearInterval(keepAlive))

/** A watcher over fresh files in a temp folder, with `next()` resolving to the next batch. */
function setup(names, debounceMs = 30) {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-watch-'))
  const files = names.map((n) => Path.join(dir, n))
  for (const f of files) Fs.writeFileSync(f, 'v0 ' + f)
  const batches = []
  const waiters = []
  const watcher = createWatcher({
    files,
    debounceMs,
    onChange: (b) => {
      batches.push(b)
      waiters.shift()?.(b)
    },
  })
  const next = () => new Promise((resolve) => waiters.push(resolve))
  const done = () => {
    watcher.close()
    Fs.rmSync(dir, { recursive: true, force: true })
  }
  return { dir, files, batches, watcher, next, done }
}

test('a burst of 10 writes gives one batch naming the file once', async () => {
  const s = setup(['shader.frag'])
  try {
    const got = s.next()
    for (let i = 1; i <= 10; i++) {
      Fs.writeFileSync(s.files[0], `v${i}`)
      await sleep(2)
    }
    const b = await got
    assert.equal(b.changed, [s.files[0]])
    assert.equal(b.removed, [])
    assert.ok(b.lastEventMs >= b.firstEventMs)
    // A later, different change is the next batch: the burst produced exactly one.
    const second = s.next()
    Fs.writeFileSync(s.files[0], 'v11')
    await second
    assert.is(s.batches.length, 2)
  } finally {
    s.done()
  }
})

test('an atomic save (write a temp file, rename it over the original) is one change', async () => {
  const s = setup(['logic.mjs'])
  try {
    const got = s.next()
    const tmp = Path.join(s.dir, '.logic.mjs.swp')
    Fs.writeFileSync(tmp, 'export const v = 2')
    Fs.renameSync(tmp, s.files[0])
    const b = await got
    assert.equal(b.changed, [s.files[0]])
    // The watch survives the inode change: the next atomic save is seen too.
    const again = s.next()
    Fs.writeFileSync(tmp, 'export const v = 3')
    Fs.renameSync(tmp, s.files[0])
    assert.equal((await again).changed, [s.files[0]])
  } finally {
    s.done()
  }
})

test('a deleted and re-created file is reported removed, then changed', async () => {
  const s = setup(['font.ttf'])
  try {
    const gone = s.next()
    Fs.rmSync(s.files[0])
    const b1 = await gone
    assert.equal(b1.removed, [s.files[0]])
    assert.equal(b1.changed, [])
    const back = s.next()
    Fs.writeFileSync(s.files[0], 'v0 ' + s.files[0]) // the same bytes as before the delete
    const b2 = await back
    assert.equal(b2.changed, [s.files[0]])
  } finally {
    s.done()
  }
})

test('a save that writes the same bytes (editor double events, touch) reports nothing', async () => {
  const s = setup(['a.glsl', 'b.glsl'])
  try {
    const first = s.next()
    Fs.writeFileSync(s.files[0], Fs.readFileSync(s.files[0])) // same bytes: must not be reported
    Fs.utimesSync(s.files[0], new Date(), new Date())
    await sleep(80) // let that burst end on its own before the real change starts
    Fs.writeFileSync(s.files[1], 'changed')
    const b = await first
    assert.equal(b.changed, [s.files[1]], 'the first batch is the real change, not the same-bytes save')
    assert.is(s.batches.length, 1)
  } finally {
    s.done()
  }
})

test('a file that does not exist yet is reported when it is created; other files in the folder are ignored', async () => {
  const s = setup(['present.txt'])
  try {
    const later = Path.join(s.dir, 'later.frag')
    s.watcher.add(later)
    const got = s.next()
    Fs.writeFileSync(Path.join(s.dir, 'unrelated.txt'), 'x')
    Fs.writeFileSync(later, 'void main() {}')
    const b = await got
    assert.equal(b.changed, [later])
    assert.equal(s.watcher.files.sort(), [later, s.files[0]].sort())
  } finally {
    s.done()
  }
})

test('bad options are coded errors', () => {
  assert.is(errorCode(() => createWatcher({ onChange: () => {}, debounceMs: 200 })), 'FL_INVALID_DESC')
  assert.is(errorCode(() => createWatcher({ onChange: () => {}, debounse: 10 })), 'FL_INVALID_DESC')
  assert.is(errorCode(() => createWatcher({})), 'FL_INVALID_DESC')
  const w = createWatcher({ onChange: () => {} })
  w.close()
  assert.is(errorCode(() => w.add('/tmp/x')), 'FL_ENGINE_STATE')
})

test.run()
