// The trading terminal in a real window, driven from outside as a user would: the X11 driver
// moves the pointer over the price chart and the crosshair's vertical line appears on screen at
// the pointer, then follows it to a second place (SDL → input ring → late latch → crosshair
// layer → pixels). Checks pixels, not timing. The live feed runs in its logic worker.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDriver } from '../../dist/index.js'
import { startXvfb } from '../../dist/low-level.js'
import { COLOR } from '../../examples/trading-terminal/kit.mjs'
import { computeLayout } from '../../examples/trading-terminal/terminal.mjs'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '../..')
const cross = [(COLOR.cross >>> 24) & 0xff, (COLOR.cross >>> 16) & 0xff, (COLOR.cross >>> 8) & 0xff]

/** True when every pixel of a 1-pixel-wide capture is the crosshair's colour (either byte order). */
function isCrossLine(c) {
  const near = (i, rgb) => Math.abs(c.data[i] - rgb[0]) <= 3 && Math.abs(c.data[i + 1] - rgb[1]) <= 3 && Math.abs(c.data[i + 2] - rgb[2]) <= 3
  const bgr = [cross[2], cross[1], cross[0]]
  for (let i = 0; i < c.data.length; i += 4) if (!near(i, cross) && !near(i, bgr)) return false
  return true
}

test('the crosshair follows the real pointer over the price chart', async () => {
  const xvfb = await startXvfb()
  const driver = await createDriver({ display: xvfb.display })
  const app = spawn(process.execPath, [Path.join(root, 'examples/trading-terminal/main.mjs'), '--history', '50000'], {
    stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DISPLAY: xvfb.display },
  })
  try {
    const win = await driver.findWindow({ pid: app.pid }, { timeoutMs: 60000 })
    assert.is(win.title, 'framelatch: trading terminal')
    const chart = computeLayout(1280, 720).chart
    // A column of the plot between the axis labels and the volume strip, clear of the candles' area edges.
    const column = (x) => ({ window: win, x, y: chart.y + 40, width: 1, height: 120 })
    await driver.waitFor({ window: win, x: 10, y: 10, width: 60, height: 14 }, (c) => c.data.some((v, i) => i % 4 !== 3 && v > 100), 30000) // the header's symbol is drawn
    for (const x of [180, 420]) {
      await driver.move(x, chart.y + 200, { window: win, durationMs: 0 })
      const line = await driver.waitFor(column(x), isCrossLine, 15000)
      assert.ok(isCrossLine(line), `vertical crosshair at x=${x}`)
    }
    assert.ok(!isCrossLine(await driver.capture(column(180))), 'the line left x=180 when the pointer did')
  } finally {
    app.kill('SIGINT')
    driver.close()
    xvfb.stop()
  }
})

test.run()
