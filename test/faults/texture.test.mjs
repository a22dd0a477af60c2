// Fault suite, item 4: a texture the driver cannot really hold is FL_RESOURCE_TOO_LARGE, never a
// handle that samples black: 2 GiB and more is rejected up front, and big textures below that
// are verified with a one-texel read-back (the driver here takes 16384x8191 rgba32f and stores
// nothing). Runs in a child with a hard timeout (it allocates gigabytes).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { runChild, caseFile } from './support.mjs'

test('oversized textures are FL_RESOURCE_TOO_LARGE in release and debug; good big ones still work', async () => {
  const r = await runChild(caseFile('texture-case.mjs'), [], { timeoutMs: 240_000 })
  assert.not.ok(r.timedOut, `hung\n${r.stdout}\n${r.stderr}`)
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`)
  const [release, debug] = r.results
  for (const x of [release, debug]) {
    assert.is(x.huge.code, 'FL_RESOURCE_TOO_LARGE')
    assert.match(x.huge.message, /16384x16384 rgba32f texture \(4\.00 GiB\)/)
    assert.is(x.live, 0, 'nothing was left allocated')
    assert.is(x.small.state, 'valid')
    assert.equal(x.pixel, [0, 0, 0, 255], 'the device still renders')
  }
  assert.is(debug.probed.code, 'FL_RESOURCE_TOO_LARGE')
  assert.match(debug.probed.message, /read-back of its last texel failed/)
  assert.is(debug.big.state, 'valid', 'a 256 MiB texture that really exists passes the probe')
})

test.run()
