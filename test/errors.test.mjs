// One table of error codes: unique, prefixed, and every one documented in the README.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ErrorCode, FramelatchError, ValidationError } from '../dist/index.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')

test('codes are unique, stable-looking and documented in the README', () => {
  const values = Object.values(ErrorCode)
  assert.is(new Set(values).size, values.length, 'no code is used twice')
  const readme = Fs.readFileSync(Path.join(root, 'README.md'), 'utf8')
  for (const [key, value] of Object.entries(ErrorCode)) {
    assert.is(value, `FL_${key}`, 'code values follow their names')
    assert.ok(readme.includes('`' + value + '`'), `${value} is in the README's error table`)
  }
})

test('errors carry the prefix, the code and structured info', () => {
  const e = new ValidationError(ErrorCode.INVALID_DESC, 'createThing: width must be positive', { field: 'width' })
  assert.instance(e, FramelatchError)
  assert.instance(e, Error)
  assert.is(e.code, 'FL_INVALID_DESC')
  assert.match(e.message, /^framelatch: createThing/)
  assert.equal(e.info, { field: 'width' })
  assert.is(new FramelatchError(ErrorCode.OUT_OF_RANGE, 'framelatch: already prefixed').message, 'framelatch: already prefixed')
})

test.run()
