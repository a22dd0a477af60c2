// The Xauthority file framelatch writes for its Xvfb is read the way the `x11` client (the vblank
// worker's, and the X11 driver's) reads it: our FamilyWild cookie for our display number wins,
// other displays still find the user's own entries after it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createRequire } from 'node:module'
import { encodeXauthority } from '../../dist/platform/xvfb.js'

const require = createRequire(import.meta.url)
const lookup = require('x11/lib/auth.js')

function cookieFor(display) {
  return new Promise((resolve, reject) => lookup(display, Os.hostname(), 'local', (err, cookie) => (err ? reject(err) : resolve(cookie))))
}

test('x11 finds our cookie for our display and the user entries for others', async () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-xauth-'))
  const file = Path.join(dir, 'Xauthority')
  const ours = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
  const users = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex')
  Fs.writeFileSync(file, encodeXauthority([
    { family: 65535, address: '', display: '93', name: 'MIT-MAGIC-COOKIE-1', data: ours },
    { family: 256, address: Os.hostname(), display: '0', name: 'MIT-MAGIC-COOKIE-1', data: users },
  ]))
  const saved = process.env.XAUTHORITY
  process.env.XAUTHORITY = file
  try {
    const a = await cookieFor('93')
    assert.is(a.authName, 'MIT-MAGIC-COOKIE-1')
    assert.is(Buffer.from(a.authData, 'latin1').toString('hex'), ours.toString('hex'))
    const b = await cookieFor('0')
    assert.is(Buffer.from(b.authData, 'latin1').toString('hex'), users.toString('hex'))
    const c = await cookieFor('5')
    assert.is(c.authName, '', 'no entry for other displays: no cookie')
  } finally {
    if (saved === undefined) delete process.env.XAUTHORITY
    else process.env.XAUTHORITY = saved
    Fs.rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
