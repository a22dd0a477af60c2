// The README's "Panels" example runs as written: the panel, its title and the price line clipped
// to the plot, drawn through a view transform from data units.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { decodePNG } from '../../dist/index.js'
import { runReadmeSnippet } from '../support/readme-snippet.mjs'

test('the README Panels code runs and draws the line inside its clip', () => {
  const dir = runReadmeSnippet('### Panels: clips, transforms, colours and draw order')
  const img = decodePNG(Fs.readFileSync(Path.join(dir, 'panel.png')))
  const at = (x, y) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4))
  let green = 0, outside = 0
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const [r, g, b] = at(x, y)
      if (g > r + 60 && g > b + 30) { if (y >= 48 && y < 224 && x >= 16 && x < 464) green++; else { outside++; if (process.env.DUMP) console.log(x, y, r, g, b) } }
    }
  }
  assert.ok(green > 400, `the line is drawn in the plot (${green} px)`)
  assert.is(outside, 0, 'nothing of it outside the plot clip')
  assert.equal(at(100, 30), [0x1e, 0x24, 0x30, 255], 'the panel fill from a CSS colour')
  assert.equal(at(5, 5), [0, 0, 0, 255], 'outside the panel')
})

test.run()
