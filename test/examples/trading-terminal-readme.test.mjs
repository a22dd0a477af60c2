// The README's "Build your own panel" walk-through runs as written and draws its watchlist.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { decodePNG } from '../../dist/index.js'
import { runReadmeSnippet } from '../support/readme-snippet.mjs'

test("the README's build-your-own-panel code runs and draws the watchlist's rows", () => {
  const dir = runReadmeSnippet('### Build your own panel')
  const png = decodePNG(Fs.readFileSync(Path.join(dir, 'watchlist.png')))
  assert.is(png.width, 256)
  assert.is(png.height, 96)
  // Light text pixels in each of the four rows (x 16..100), none right of the panel.
  const lit = (y0, y1, x0, x1) => {
    let n = 0
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (png.data[(y * png.width + x) * 4] > 150) n++
    return n
  }
  for (let row = 0; row < 4; row++) assert.ok(lit(8 + row * 20, 8 + row * 20 + 20, 16, 100) > 20, `row ${row} has its label`)
  assert.is(lit(0, 96, 250, 256), 0, 'nothing right of the panel')
})

test.run()
