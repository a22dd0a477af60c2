// Text batcher: a headless render of "I|" matches the atlas bitmaps at exactly the positions
// layoutText gives (ink there, none elsewhere); measure equals measureText; drawCodes renders the
// same pixels as draw; many strings are one GL draw; bad input is coded (debug) or skipped (release).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createContext, createDevice } from '../../dist/low-level.js'
import { createQueue } from '../../dist/core/queue.js'
import { createTextBatcher, createTextStyle } from '../../dist/draw/text-batcher.js'
import { loadFont } from '../../dist/text/font.js'
import { createGlyphAtlas } from '../../dist/text/atlas.js'
import { layoutText, measureText, QUAD_FLOATS } from '../../dist/text/layout.js'
import { errorCode } from '../support/errors.mjs'
import { rgba } from '../../dist/draw/color.js'

/** A text style from channels 0..1, align and anchor (set after creation: draws check them). */
function ts(r, g, b, a, align = 'left', anchor = 'baseline') {
  return Object.assign(createTextStyle(), { color: rgba(r, g, b, a), align, anchor })
}

const W = 128
const H = 96
const font = loadFont()
const bigAtlas = createGlyphAtlas({ font, pixelSize: 48 })

function setup(desc = {}, debug = true) {
  const context = createContext({ width: W, height: H })
  const device = createDevice(context.gl, { debug, width: W, height: H })
  const queue = createQueue(device)
  const text = createTextBatcher(queue, desc)
  return { queue, text, device, destroy: () => { text.destroy(); queue.destroy(); device.destroy(); context.destroy() } }
}

function render(queue, device) {
  queue.flush({ clearColor: [0, 0, 0, 1] })
  return device.readPixels(0, 0, W, H)
}

test('"I|" in white on black: every pixel equals the atlas bitmap where layoutText put the glyphs, 0 elsewhere', () => {
  const { queue, text, device, destroy } = setup({ atlas: bigAtlas })
  try {
    const x = 20
    const y = 70
    const n = text.draw('I|', x, y, ts(1, 1, 1, 1))
    assert.is(n, 2, 'two inked glyphs')
    const quads = new Float32Array(2 * QUAD_FLOATS)
    assert.is(layoutText(bigAtlas, 'I|', x, y, quads), 2)
    const p = render(queue, device)
    // Expected image: the atlas bitmaps copied to the quads' pixel rectangles.
    const expected = new Uint8Array(W * H)
    for (let q = 0; q < 2; q++) {
      const [qx, qy, qw, qh, u0, v0] = quads.subarray(q * QUAD_FLOATS, q * QUAD_FLOATS + 6)
      const ax = Math.round(u0 * bigAtlas.width)
      const ay = Math.round(v0 * bigAtlas.height)
      for (let j = 0; j < qh; j++) for (let i = 0; i < qw; i++) {
        expected[(qy + j) * W + qx + i] = bigAtlas.pixels[(ay + j) * bigAtlas.width + ax + i]
      }
    }
    let inked = 0
    for (let yy = 0; yy < H; yy++) {
      for (let xx = 0; xx < W; xx++) {
        const got = p[(yy * W + xx) * 4]
        const want = expected[yy * W + xx]
        if (want > 0) inked++
        assert.ok(Math.abs(got - want) <= 1, `pixel ${xx},${yy}: rendered ${got}, atlas ${want}`)
        assert.is(p[(yy * W + xx) * 4 + 1], got, 'white text: green equals red')
      }
    }
    assert.ok(inked > 200, `the glyphs have ink (${inked} pixels)`)
    // Ink columns are exactly the columns of the two glyph boxes (no ink between or around them).
    const cols = new Set()
    for (let xx = 0; xx < W; xx++) for (let yy = 0; yy < H; yy++) if (p[(yy * W + xx) * 4] > 0) cols.add(xx)
    for (const c of cols) {
      const inQuad = [0, 1].some((q) => c >= quads[q * QUAD_FLOATS] && c < quads[q * QUAD_FLOATS] + quads[q * QUAD_FLOATS + 2])
      assert.ok(inQuad, `ink in column ${c} lies inside a glyph box`)
    }
  } finally {
    destroy()
  }
})

test('measure equals measureText for the same atlas', () => {
  const { text, destroy } = setup({ pixelSize: 14 })
  try {
    for (const s of ['', 'A', 'hello world', 'BID 101.25 ▲', 'two\nlines longer']) {
      assert.is(text.measure(s), measureText(text.atlas, s), JSON.stringify(s))
    }
    assert.ok(text.measure('abcd') > text.measure('abc'))
    assert.is(text.lineHeight, text.atlas.lineHeight)
  } finally {
    destroy()
  }
})

test('drawCodes renders the same pixels as draw for every align and anchor', () => {
  const { queue, text, device, destroy } = setup({ pixelSize: 16 })
  try {
    const s = 'p99 12.50 ms'
    const codes = new Uint16Array(32)
    for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i)
    for (const align of ['left', 'center', 'right']) {
      for (const anchor of ['top', 'middle', 'baseline', 'bottom']) {
        text.draw(s, 64.3, 40.6, ts(1, 1, 1, 1, align, anchor))
        const a = render(queue, device)
        text.drawCodes(codes, s.length, 64.3, 40.6, ts(1, 1, 1, 1, align, anchor))
        const b = render(queue, device)
        assert.ok(a.some((v, i) => i % 4 === 0 && v > 0), `${align}/${anchor}: ink drawn`)
        assert.equal(b, a, `${align}/${anchor}: identical pixels`)
      }
    }
  } finally {
    destroy()
  }
})

test('many strings and colours from one batcher are one GL draw; colour tints the ink', () => {
  const { queue, text, device, destroy } = setup({ pixelSize: 16 })
  try {
    text.draw('red', 4, 20, ts(1, 0, 0, 1))
    text.draw('green', 4, 44, ts(0, 1, 0, 1))
    text.draw('multi\nline', 64, 20, ts(0, 0, 1, 1))
    const p = render(queue, device)
    assert.is(queue.stats.draws, 3)
    assert.is(queue.stats.glDrawCalls, 1)
    let red = 0
    let green = 0
    for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) if (p[(y * W + x) * 4] === 255) red++
    for (let y = 30; y < 50; y++) for (let x = 0; x < 60; x++) if (p[(y * W + x) * 4 + 1] === 255 && p[(y * W + x) * 4] === 0) green++
    assert.ok(red > 10 && green > 10, `tinted ink (red ${red}, green ${green})`)
  } finally {
    destroy()
  }
})

test('debug throws coded errors; release skips and counts bad text, positions and colours', () => {
  const dbg = setup({ pixelSize: 12 }, true)
  try {
    assert.is(errorCode(() => dbg.text.draw('x', NaN, 0, ts(1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => dbg.text.drawCodes(new Uint16Array(2), 3, 0, 0, ts(1, 1, 1, 1))), ErrorCode.INVALID_DRAW)
    assert.is(errorCode(() => dbg.text.draw('x', 0, 0, ts(1, 1, 1, 1, 'middle'))), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createTextBatcher(dbg.queue, { atlas: {} })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createTextBatcher(dbg.queue, { pixelSize: 1 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => dbg.text.draw(null, 0, 0)), ErrorCode.INVALID_DRAW, 'text.draw(null)')
    assert.is(errorCode(() => dbg.text.draw('x', 0, 0, Object.assign(ts(1, 1, 1, 1), { color: NaN }))), ErrorCode.INVALID_DRAW, 'NaN colour')
    dbg.text.depth = NaN
    assert.is(errorCode(() => dbg.text.draw('x', 0, 0)), ErrorCode.OUT_OF_RANGE, 'NaN depth')
    assert.is(errorCode(() => createTextStyle({ color: -1 })), ErrorCode.INVALID_DESC)
    assert.is(errorCode(() => createTextStyle({ align: 'middle' })), ErrorCode.INVALID_DESC)
  } finally {
    dbg.destroy()
  }
  const rel = setup({ pixelSize: 12 }, false)
  try {
    rel.text.draw('bad', 10, Infinity, ts(1, 1, 1, 1))
    assert.is(rel.text.draw(null, 10, 20), 0)
    rel.text.draw('x', 10, 20, Object.assign(ts(1, 1, 1, 1), { color: NaN }))
    rel.text.drawCodes(new Uint16Array(2), 3, 0, 0)
    rel.text.depth = NaN
    rel.text.draw('x', 10, 20)
    rel.text.depth = 0
    rel.text.draw('ok', 10, 20, ts(1, 1, 1, 1))
    const p = render(rel.queue, rel.device)
    assert.is(rel.queue.stats.skipped, 5)
    assert.is(rel.queue.stats.draws, 1)
    assert.ok(p.some((v, i) => i % 4 === 0 && v > 0), 'the good string is drawn')
  } finally {
    rel.destroy()
  }
})

test.run()
