// Chart view: the window <-> plot rectangle mapping as a mat3 (corners land on the rectangle's
// corners, epoch-millisecond x keeps sub-pixel precision), pan follows the pointer, zoom keeps the
// x under the pointer, bad input is a coded error, and updates allocate nothing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ErrorCode } from '../../dist/index.js'
import { createChartView } from '../../dist/chart/chart-view.js'
import { errorCode } from '../support/errors.mjs'
import { assertAllocatesNothing } from '../support/heap.mjs'

const T0 = 1_700_000_000_000
const apply = (m, x, y) => [m[0] * x + m[3] * y + m[6], m[1] * x + m[4] * y + m[7]]
const close = (a, b, eps, what) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`)

test('the window maps onto the plot rectangle, y up, in doubles', () => {
  const v = createChartView({ left: 40, top: 10, width: 800, height: 400, x0: T0, x1: T0 + 60_000, y0: 90, y1: 110 })
  assert.instance(v.matrix, Float64Array)
  const [ax, ay] = apply(v.matrix, T0, 90)
  close(ax, 40, 1e-6, 'x0 at the left edge')
  close(ay, 410, 1e-9, 'y0 at the bottom edge')
  const [bx, by] = apply(v.matrix, T0 + 60_000, 110)
  close(bx, 840, 1e-6, 'x1 at the right edge')
  close(by, 10, 1e-9, 'y1 at the top edge')
  close(apply(v.matrix, T0 + 75, 100)[0], 41, 1e-4, '75 ms is one pixel of 800 over a minute')
  close(v.pixelX(T0 + 30_000), 440, 1e-6, 'pixelX')
  close(v.pixelY(100), 210, 1e-9, 'pixelY')
  close(v.xAt(440), T0 + 30_000, 1e-3, 'xAt')
  close(v.yAt(210), 100, 1e-9, 'yAt')
})

test('pan moves the content with the pointer; zoomX keeps the x under the pointer', () => {
  const v = createChartView({ left: 0, top: 0, width: 100, height: 100, x0: 0, x1: 1000, y0: 0, y1: 10 })
  const before = v.pixelX(500)
  v.pan(20, 0)
  close(v.pixelX(500), before + 20, 1e-9, 'a point moves 20 px right with a 20 px drag')
  close(v.x0, -200, 1e-9, 'the window moved left by 20 px worth of x')
  v.pan(0, -10)
  close(v.y0, -1, 1e-9, 'dragging up 10 px moves the content up: the window shows y 1 lower')
  const under = v.xAt(30)
  v.zoomX(2, 30)
  close(v.xAt(30), under, 1e-9, 'the x under the pointer stays')
  close(v.x1 - v.x0, 500, 1e-9, 'half the span')
  v.setRect(10, 10, 200, 50)
  close(v.pixelX(v.x0), 10, 1e-9, 'setRect keeps the window on the new rectangle')
})

test('bad numbers and descs are coded errors; updates allocate nothing', async () => {
  assert.is(errorCode(() => createChartView({ left: 0, top: 0, width: 0, height: 1, x0: 0, x1: 1, y0: 0, y1: 1 })), ErrorCode.OUT_OF_RANGE)
  assert.is(errorCode(() => createChartView({ left: 0, top: 0, width: 1, height: 1, x0: 1, x1: 1, y0: 0, y1: 1 })), ErrorCode.OUT_OF_RANGE)
  assert.is(errorCode(() => createChartView({ left: 0, top: 0, width: 1, height: 1, x0: 0, x1: 1, y0: 0, y1: 1, z: 1 })), ErrorCode.INVALID_DESC)
  const v = createChartView({ left: 0, top: 0, width: 100, height: 100, x0: 0, x1: 1000, y0: 0, y1: 10 })
  assert.is(errorCode(() => v.zoomX(0, 10)), ErrorCode.OUT_OF_RANGE)
  assert.is(errorCode(() => v.pan(NaN, 0)), ErrorCode.OUT_OF_RANGE)
  await assertAllocatesNothing('chart view pan and zoom', (i) => {
    v.pan((i & 1) === 0 ? 3 : -3, 0)
    v.zoomX((i & 1) === 0 ? 1.25 : 0.8, 50)
  })
})

test.run()
