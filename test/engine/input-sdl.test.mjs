// SDL input end to end: a real @kmamal/sdl window under the test runner's Xvfb, input injected
// with XTEST (x11 package, FakeInput), listeners from attachSdlInput stamping events into the
// ring, pumpSdlEvents pulling them in synchronously, and the latch reading them back.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createRequire } from 'node:module'
import sdl from '@kmamal/sdl'
import { createInputRing, createInputEvent, InputKind } from '../../dist/sync/input/input-ring.js'
import { createInputLatch } from '../../dist/sync/input/input-latch.js'
import { attachSdlInput, createSdlInputListeners } from '../../dist/engine/sdl-input.js'
import { pumpSdlEvents } from '../../dist/platform/sdl-events.js'
import { until } from '../support/wait.mjs'

const require = createRequire(import.meta.url)
const x11 = require('x11')

function xtest() {
  return new Promise((resolve, reject) => {
    const client = x11.createClient((err, display) => {
      if (err) return reject(err)
      display.client.require('xtest', (err2, Test) => {
        if (err2) return reject(err2)
        resolve({ display, Test, root: display.screen[0].root, close: () => client.close?.() ?? display.client.terminate?.() })
      })
    })
    client.on('error', reject)
  })
}

// Polls until cond() holds, pumping SDL events between polls; the cap is a hang guard, not a
// timing assertion.
const untilPumped = (cond, what) => until(() => cond() || (pumpSdlEvents(), false), what, 10_000)

test('pumpSdlEvents finds @kmamal/sdl’s internal poll', () => {
  assert.is(pumpSdlEvents(), true)
})

test('XTEST pointer, button and key input reaches the ring and the latch through a real SDL window', async () => {
  const window = sdl.video.createWindow({ title: 'framelatch input test', width: 200, height: 150, x: 20, y: 30 })
  const ring = createInputRing({ capacity: 256 })
  const latch = createInputLatch(ring)
  const stamps = []
  const detach = attachSdlInput(window, ring, () => {
    const t = performance.now()
    stamps.push(t)
    return t
  })
  const x = await xtest()
  try {
    // Let the window map, then move the pointer into it (focus follows the pointer without a WM).
    await untilPumped(() => window.visible, 'window visible')
    const wx = window.x
    const wy = window.y
    x.Test.FakeInput(x.Test.MotionNotify, 0, 0, x.root, wx + 50, wy + 40)
    await untilPumped(() => ring.written > 0, 'pointer motion event')
    x.Test.FakeInput(x.Test.ButtonPress, 1, 0, x.root, 0, 0)
    x.Test.FakeInput(x.Test.KeyPress, 38, 0, x.root, 0, 0) // keycode 38 = 'a' (SDL scancode 4)
    const t0 = performance.now()
    await untilPumped(() => latch.isKeyDown(4) || (latch.latch(performance.now()), latch.isKeyDown(4)), 'key down latched')
    const s = latch.state
    assert.is(s.pointerX, 50)
    assert.is(s.pointerY, 40)
    assert.is(s.buttons & 1, 1, 'left button down')
    assert.ok(s.newestArrival >= t0 - 1000 && s.newestArrival <= performance.now(), 'stamped on arrival with the given clock')
    assert.ok(stamps.length >= 3)
    x.Test.FakeInput(x.Test.KeyRelease, 38, 0, x.root, 0, 0)
    x.Test.FakeInput(x.Test.ButtonRelease, 1, 0, x.root, 0, 0)
    await untilPumped(() => (latch.latch(performance.now()), !latch.isKeyDown(4) && (s.buttons & 1) === 0), 'key and button released')
    // detach removes exactly our listeners: further input does not reach the ring
    detach()
    detach()
    const written = ring.written
    x.Test.FakeInput(x.Test.MotionNotify, 0, 0, x.root, wx + 60, wy + 45)
    for (let i = 0; i < 20; i++) {
      pumpSdlEvents()
      await new Promise((r) => setTimeout(r, 5))
    }
    assert.is(ring.written, written)
  } finally {
    detach()
    x.close()
    window.destroy()
  }
})

test('the listeners translate SDL-shaped events (modifiers, repeat, flipped wheel)', () => {
  const ring = createInputRing({ capacity: 16 })
  const reader = ring.reader()
  let t = 0
  let events = 0
  const l = createSdlInputListeners(ring, () => ++t, () => {
    assert.is(ring.written, events + 1, 'onEvent runs after the event is in the ring')
    events++
  })
  l.keyDown({ scancode: 4, shift: 1, ctrl: 0, alt: 1, super: 0, altgr: 0, capslock: 0, numlock: 1, repeat: 1 })
  l.mouseWheel({ x: 5, y: 6, dx: 1, dy: 2, flipped: true })
  l.mouseButtonUp({ x: 7, y: 8, button: 3 })
  const e = createInputEvent()
  assert.ok(reader.next(e))
  assert.equal([e.kind, e.code, e.mods, e.time], [InputKind.KeyDown, 4, 1 | 4 | 64 | 128, 1])
  assert.ok(reader.next(e))
  assert.equal([e.kind, e.x, e.y, e.dx, e.dy], [InputKind.Wheel, 5, 6, -1, -2])
  assert.ok(reader.next(e))
  assert.equal([e.kind, e.code, e.x, e.y, e.time], [InputKind.ButtonUp, 3, 7, 8, 3])
  assert.is(events, 3, 'onEvent ran once per event')
})

test.run()
