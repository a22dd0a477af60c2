// Hot reload of fonts: a saved font file goes into the same Font object; a text batcher made
// with it keeps its handle and draws with a rebuilt atlas on its next call; a broken file keeps
// the last good font; its fix loads.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createEngine, createTextBatcher, createTextStyle, setLogger } from '../../dist/index.js'
import { BUNDLED_FONT_PATH } from '../../dist/text/font.js'
import { createFontHost } from '../../dist/hot/font-host.js'
import { sleep } from '../support/wait.mjs'

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-font-host-'))
const file = Path.join(dir, 'ui.ttf')

/** The bundled font with its em square set to `unitsPerEm` (head table): the same glyphs at another size. */
function fontWithEm(unitsPerEm) {
  const bytes = new Uint8Array(Fs.readFileSync(BUNDLED_FONT_PATH))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tables = view.getUint16(4)
  for (let i = 0; i < tables; i++) {
    const rec = 12 + i * 16
    if (String.fromCharCode(...bytes.subarray(rec, rec + 4)) === 'head') {
      view.setUint16(view.getUint32(rec + 8) + 18, unitsPerEm)
      return bytes
    }
  }
  throw new Error('no head table')
}

/** Pixels of the frame that text lit (red channel > 128). */
function inked(engine) {
  const px = engine.device.readPixels(0, 0, engine.width, engine.height)
  let n = 0
  for (let i = 0; i < px.length; i += 4) if (px[i] > 128) n++
  return n
}

test('a saved font reloads into the same Font and batcher; a broken file keeps the last good one', async () => {
  Fs.writeFileSync(file, fontWithEm(2048)) // DejaVu Sans Mono's own em
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  const engine = await createEngine({ headless: true, width: 128, height: 64 })
  const events = []
  const fonts = createFontHost({ onReload: (e) => events.push(e) })
  try {
    const font = fonts.loadFont({ file })
    const text = createTextBatcher(engine.queue, { font, pixelSize: 12 })
    const white = createTextStyle({ color: 0xffffffff, anchor: 'top' })
    engine.onFrame(() => text.draw('MMM', 2, 2, white))
    const width0 = text.measure('MMM')
    engine.renderFrame()
    const ink0 = inked(engine)
    assert.ok(ink0 > 0, 'text drawn')
    const atlas0 = text.atlas

    Fs.writeFileSync(file, fontWithEm(1024)) // glyphs twice as large: a save through the watcher
    for (let i = 0; i < 400 && events.length === 0; i++) await sleep(5)
    assert.is(events.length, 1, 'one reload event for the save')
    assert.ok(events[0].ok, String(events[0].error))
    assert.is(events[0].kind, 'font')
    assert.is(events[0].font, font, 'the same Font object')
    assert.is(font.revision, 1)
    assert.is(font.unitsPerEm, 1024)
    engine.renderFrame()
    assert.is.not(text.atlas, atlas0, 'the batcher rebuilt its atlas')
    assert.ok(Math.abs(text.measure('MMM') - 2 * width0) <= 2, `text measures twice as wide (${width0} → ${text.measure('MMM')})`)
    const ink1 = inked(engine)
    assert.ok(ink1 > ink0 * 2, `the new glyphs are drawn (${ink0} → ${ink1} lit pixels)`)

    Fs.writeFileSync(file, new Uint8Array(100)) // not a font
    const [broken] = fonts.reload(font)
    assert.not.ok(broken.ok)
    assert.is(broken.error.code, 'FL_HOT_RELOAD')
    assert.match(broken.error.message, /ui\.ttf/)
    assert.is(font.unitsPerEm, 1024, 'the last good font stays')
    assert.is(fonts.lastError, broken.error)
    assert.ok(logged.some((l) => l.code === 'FL_HOT_RELOAD'), 'logged to the terminal')
    engine.renderFrame()
    assert.is(inked(engine), ink1, 'and draws as before')

    Fs.writeFileSync(file, fontWithEm(2048))
    const [fixed] = fonts.reload(font)
    assert.ok(fixed.ok)
    assert.is(fonts.lastError, null)
    engine.renderFrame()
    assert.is(inked(engine), ink0, 'the fixed file draws')
    text.destroy()
  } finally {
    setLogger(null)
    fonts.close()
    engine.destroy()
  }
})

test.after(() => Fs.rmSync(dir, { recursive: true, force: true }))
test.run()
