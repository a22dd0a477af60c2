#!/usr/bin/env node
// Draw order within a panel, side by side: the same two overlapping panels (a rect, a border and
// a label each; panel B drawn after panel A) recorded by state-sorted batchers on the left and by
// `sequenced: true` batchers on the right. Sorted, every label of the layer draws after every
// rect, so panel A's label shows through panel B; sequenced, draws keep the order you made them
// in, as a painter's algorithm. Each half is clipped to its own area (createClip) and the right
// half draws the same scene moved 160 px by a view transform (createViewTransform).
//
//   node examples/z-order.mjs --headless --frames 1 --screenshot examples/reference/z-order.png
import { pathToFileURL } from 'node:url'
import {
  runApp, createRectBatcher, createTextBatcher, createRectStyle, createTextStyle, createClip, createViewTransform,
} from 'framelatch'

const PANEL_A = createRectStyle({ fill: '#1e3a5f', border: 'steelblue', borderWidth: 2, radius: 4 })
const PANEL_B = createRectStyle({ fill: '#3a3f47', border: '#9aa4b2', borderWidth: 2, radius: 4 })
const LABEL = createTextStyle({ color: '#ffd24a', anchor: 'top' })
const TITLE = createTextStyle({ color: 'white', anchor: 'top' })

/** Panel A, then panel B overlapping its lower right; both in the batchers' user coordinates. */
function panels(rects, text, title) {
  text.draw(title, 8, 6, TITLE)
  rects.add(8, 28, 120, 80, PANEL_A)
  text.draw('A: bid 101.25', 14, 34, LABEL)
  text.draw('A: ask 101.27', 14, 84, LABEL) // under panel B
  rects.add(56, 72, 96, 80, PANEL_B)
  text.draw('B: spread', 62, 120, LABEL)
}

export const zOrder = {
  title: 'framelatch: z-order',
  width: 320,
  height: 160,
  engine: { clearColor: [0.06, 0.07, 0.09, 1] },
  setup(engine) {
    const q = engine.queue
    const left = createClip({ x: 0, y: 0, w: 160, h: 160 })
    const right = createClip({ x: 160, y: 0, w: 160, h: 160 })
    const shifted = createViewTransform().setScaleTranslate(1, 1, 160, 0)
    const sorted = { rects: createRectBatcher(q, { clip: left }), text: createTextBatcher(q, { clip: left, pixelSize: 12 }) }
    const ordered = {
      rects: createRectBatcher(q, { clip: right, transform: shifted, sequenced: true }),
      text: createTextBatcher(q, { clip: right, transform: shifted, sequenced: true, pixelSize: 12 }),
    }
    engine.onFrame(() => {
      panels(sorted.rects, sorted.text, 'sorted (default)')
      panels(ordered.rects, ordered.text, 'sequenced: true')
    })
  },
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runApp(zOrder)
