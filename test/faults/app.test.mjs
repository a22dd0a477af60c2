// Fault suite, item 6 (app flags): `--screenshot` into a folder that does not exist is a coded
// FL_CLI_USAGE before any frame is rendered, not an uncaught ENOENT after the run.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { runChild, root, privateTmp } from './support.mjs'

test('--screenshot into a missing folder fails fast with FL_CLI_USAGE naming the folder', async () => {
  const tmp = privateTmp()
  const missing = Path.join(tmp, 'no-such-folder', 'shot.png')
  const r = await runChild(Path.join(root, 'examples/hello-dashboard.mjs'), ['--headless', '--frames', '2', '--screenshot', missing], { timeoutMs: 60_000 })
  assert.not.ok(r.timedOut)
  assert.is(r.code, 1)
  assert.match(r.stderr, /code: 'FL_CLI_USAGE'/)
  assert.match(r.stderr, /framelatch: --screenshot .*no-such-folder.*does not exist/)
  assert.not.match(r.stderr, /ENOENT/)
  Fs.rmSync(tmp, { recursive: true, force: true })
})

test.run()
