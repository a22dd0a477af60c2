// The README's "first frame" walkthrough must run as written.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { decodePNG, encodePNG } from '../dist/index.js'
import { runReadmeSnippet } from './support/readme-snippet.mjs'

test("the README's first-frame code runs and writes the triangle it describes", () => {
  const dir = runReadmeSnippet('## A first frame, step by step')
  const png = decodePNG(Fs.readFileSync(Path.join(dir, 'first-frame.png')))
  assert.is(png.width, 256)
  assert.is(png.height, 256)
  const at = (x, y) => Array.from(png.data.subarray((y * 256 + x) * 4, (y * 256 + x) * 4 + 4))
  assert.equal(at(128, 200), [255, 128, 0, 255], 'inside the triangle: its orange')
  assert.equal(at(5, 5), [26, 26, 26, 255], 'outside: the clear colour')
})

test("the README's PNG example draws the image's pixels where it says", () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-readme-png-'))
  // A 16x16 logo: red left half, blue right half, a green bottom row (checks top-row-first).
  const w = 16, h = 16
  const rgba = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y === h - 1 ? [0, 255, 0, 255] : x < w / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255]
      rgba.set(c, (y * w + x) * 4)
    }
  }
  Fs.writeFileSync(Path.join(dir, 'logo.png'), encodePNG(rgba, w, h))
  runReadmeSnippet('### Drawing a PNG', dir)
  const png = decodePNG(Fs.readFileSync(Path.join(dir, 'logo-drawn.png')))
  const at = (x, y) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4))
  assert.equal(at(34, 36), [255, 0, 0, 255], 'left half of the logo')
  assert.equal(at(45, 36), [0, 0, 255, 255], 'right half of the logo')
  assert.equal(at(36, 47), [0, 255, 0, 255], "the logo's bottom row at the bottom")
  assert.equal(at(10, 10), [0, 0, 0, 255], 'outside: the clear colour')
  assert.equal(at(60, 60), [0, 0, 0, 255], 'nothing past the logo')
})

test.run()
