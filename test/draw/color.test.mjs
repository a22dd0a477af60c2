// Colours (src/draw/color.ts): the CSS parsing table, numbers kept as 0xRRGGBBAA, hexRGB for the
// 6-digit form, coded errors with did-you-mean for names, and styles made from strings drawing
// the right pixels.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { parseColor, hexRGB } from '../../dist/draw/color.js'
import { CSS_COLOR_NAMES } from '../../dist/draw/color-names.js'
import { createRectBatcher, createRectStyle } from '../../dist/draw/rect-batcher.js'
import { createLineBatcher, createLineStyle } from '../../dist/draw/line-batcher.js'
import { createSpriteBatcher, createSpriteStyle } from '../../dist/draw/sprite-batcher.js'
import { createTextStyle } from '../../dist/draw/text-batcher.js'
import { setup, px, near, codeOf } from '../core/queue-helpers.mjs'

const TABLE = [
  ['#f00', 0xff0000ff], ['#F80', 0xff8800ff], ['#f008', 0xff000088], ['#ff8000', 0xff8000ff],
  ['#FF800080', 0xff800080], ['  #00ff00  ', 0x00ff00ff],
  ['rgb(255, 128, 0)', 0xff8000ff], ['rgba(255, 128, 0, 0.5)', 0xff800080], ['RGBA(0,0,255,1)', 0x0000ffff],
  ['rgb(100%, 50%, 0%)', 0xff8000ff], ['rgba(0, 0, 0, 25%)', 0x00000040], ['rgb(255 0 0 / 0.5)', 0xff000080],
  ['rgb(0 255 0)', 0x00ff00ff], ['rgba(255, 255, 255, 0)', 0xffffff00], ['rgb(300, -5, 12.4)', 0xff000cff],
  ['red', 0xff0000ff], ['Green', 0x008000ff], ['steelblue', 0x4682b4ff], ['rebeccapurple', 0x663399ff],
  ['transparent', 0x00000000], ['grey', 0x808080ff],
  [0xff0000ff, 0xff0000ff], [0, 0], [0xffffffff, 0xffffffff],
]

test('CSS strings and numbers parse to 0xRRGGBBAA', () => {
  for (const [input, want] of TABLE) {
    assert.is(parseColor(input), want, `${JSON.stringify(input)} -> 0x${want.toString(16).padStart(8, '0')}`)
  }
  assert.is(Object.keys(CSS_COLOR_NAMES).length, 148, 'every CSS named colour')
  assert.is(hexRGB(0xff8800), 0xff8800ff, '6-digit form, opaque')
  assert.is(hexRGB(0x112233, 0.5), 0x11223380)
})

test('bad colours are FL_INVALID_DESC naming the field, with the nearest name', () => {
  const message = (fn) => {
    try { fn() } catch (e) { return `${e.code}: ${e.message}` }
    return 'no error'
  }
  const m = message(() => createRectStyle({ fill: 'gren' }))
  assert.ok(m.startsWith('FL_INVALID_DESC: ') && m.includes("createRectStyle: fill 'gren' is not a colour"), m)
  assert.ok(m.includes("did you mean 'green'?"), m)
  assert.ok(message(() => createLineStyle({ color: 'stealblue' })).includes("did you mean 'steelblue'?"))
  for (const bad of ['#ff000', '#ff0000f', '#ggg', 'rgb(1, 2)', 'rgb(1, 2, 3, 4, 5)', 'rgba(a, b, c)', 'rgb(1 2 3 / 4 / 5)', 'hsl(0, 100%, 50%)',
    '', 'notacolourname', 0x100000000, -1, 1.5, NaN, null, {}]) {
    assert.is(codeOf(() => parseColor(bad)), 'FL_INVALID_DESC', `rejects ${String(bad)}`)
  }
  assert.ok(!message(() => parseColor('#ggg')).includes('did you mean'), 'no name suggested for a broken hex')
  assert.is(codeOf(() => createSpriteStyle({ tint: 'bleu' })), 'FL_INVALID_DESC')
  assert.is(codeOf(() => createTextStyle({ color: 'rgb(0,0)' })), 'FL_INVALID_DESC')
})

test('styles made from CSS strings hold numbers and draw the right pixels', async () => {
  const t = await setup()
  try {
    const fill = createRectStyle({ fill: '#ff0000', border: 'rgba(0, 0, 255, 1)', borderWidth: 2 })
    assert.is(fill.fill, 0xff0000ff, 'parsed once, stored as a number')
    assert.is(createTextStyle({ color: 'lime' }).color, 0x00ff00ff)
    createRectBatcher(t.queue).add(0, 0, 32, 32, fill)
    createLineBatcher(t.queue, { antialias: 0 }).segment(40, 10, 60, 10, createLineStyle({ color: 'yellow', thickness: 4 }))
    createSpriteBatcher(t.queue).add(40, 40, 10, 10, 0, createSpriteStyle({ tint: 'rgb(0 255 255 / 100%)' }))
    t.queue.flush({ clearColor: [0, 0, 0, 1] })
    const p = t.read()
    assert.equal(px(p, 64, 16, 16), [255, 0, 0, 255])
    assert.equal(px(p, 64, 0, 16), [0, 0, 255, 255], 'border')
    assert.ok(near(px(p, 64, 50, 10), [255, 255, 0, 255]), `line ${px(p, 64, 50, 10)}`)
    assert.equal(px(p, 64, 45, 45), [0, 255, 255, 255])
  } finally {
    t.done()
  }
})

test.run()
