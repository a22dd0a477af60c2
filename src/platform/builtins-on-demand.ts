/**
 * Node built-in modules loaded on first use instead of at import: starting Xvfb (child_process,
 * crypto), PNG files (zlib) and hashing watched files (crypto) are rare, and importing the three
 * up front costs an app that never uses them about 15 ms of start-up CPU. `require` of a
 * built-in is synchronous and cached by Node, so each call after the first is a property read.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export function childProcessModule(): typeof import('node:child_process') {
  return require('node:child_process') as typeof import('node:child_process')
}

export function zlibModule(): typeof import('node:zlib') {
  return require('node:zlib') as typeof import('node:zlib')
}

export function cryptoModule(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto')
}
