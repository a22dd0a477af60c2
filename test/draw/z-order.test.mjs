// Draw order within a panel (README "Panels"): examples/z-order.mjs renders the same overlapping
// panels state-sorted (left) and sequenced (right). Sorted, panel A's label shows through panel B
// drawn after it; sequenced, B covers it. The picture is the README's, compared with
// examples/reference/z-order.png (regenerate: node examples/z-order.mjs --headless --frames 1
// --screenshot examples/reference/z-order.png).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runApp, decodePNG } from '../../dist/index.js'
import { zOrder } from '../../examples/z-order.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Label-coloured (yellow) pixels in the rectangle x0..x1, y0..y1 (exclusive). */
function labelPixels(img, x0, y0, x1, y1) {
  let n = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4
      if (img.data[i] > 180 && img.data[i + 1] > 150 && img.data[i + 2] < 120) n++
    }
  }
  return n
}

test('sorted batchers draw a label through the panel over it; sequenced ones keep painter\'s order', async () => {
  const shot = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), 'framelatch-zorder-')), 'z-order.png')
  await runApp(zOrder, ['--headless', '--frames', '1', '--screenshot', shot])
  const img = decodePNG(Fs.readFileSync(shot))
  // "A: ask 101.27" at y 84 runs under panel B (x >= 56); B's inside starts at x 58.
  assert.ok(labelPixels(img, 60, 84, 110, 98) > 20, 'left: A\'s label shows through B')
  assert.is(labelPixels(img, 160 + 60, 84, 160 + 110, 98), 0, 'right: B covers A\'s label')
  assert.ok(labelPixels(img, 160 + 14, 84, 160 + 54, 98) > 20, 'right: the label is drawn where B does not cover it')
  const want = decodePNG(Fs.readFileSync(Path.join(root, 'examples', 'reference', 'z-order.png')))
  assert.equal([img.width, img.height], [want.width, want.height])
  let same = 0
  for (let i = 0; i < img.data.length; i += 4) {
    if ([0, 1, 2, 3].every((c) => Math.abs(img.data[i + c] - want.data[i + c]) <= 8)) same++
  }
  assert.ok(same / (img.data.length / 4) >= 0.995, `${same} of ${img.data.length / 4} pixels match the reference`)
})

test.run()
