// Which frames the engine starts for input (low-latency). Behaviour only, no timing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine } from '../../dist/index.js'
import { InputKind } from '../../dist/sync/input/input-ring.js'

test('low-latency: an event latched by the frame it arrived before starts no second, empty input frame', async () => {
  // A windowed engine pumps SDL right before each frame's latch, so an event can reach the ring
  // after the ticker's wait ended and still be latched by that frame. Headless, the same moment
  // is simulated by pushing the event from inside the latch call. That event is consumed; the
  // next frame must be a paced one, not an 'input' frame with nothing to latch.
  const engine = await createEngine({ headless: true, width: 8, height: 8, vblank: false, mode: 'low-latency', hz: 60 })
  try {
    const latch = engine.latch
    const latchNow = latch.latch.bind(latch)
    let pushed = false
    latch.latch = (t) => {
      if (!pushed) {
        pushed = true
        engine.input.push(InputKind.KeyDown, 4, 0, 0, 0, 0, 0, performance.now())
      }
      return latchNow(t)
    }
    const seen = []
    engine.onFrame((f) => seen.push([f.timing?.reason, f.input.events]))
    await engine.run({ frames: 3 })
    assert.equal(seen[0], ['vblank', 1], 'the first frame latched the event that arrived before its latch')
    for (const [i, [reason, events]] of seen.entries()) {
      assert.ok(reason !== 'input' || events > 0, `frame ${i} was started for input but latched ${events} events (${JSON.stringify(seen)})`)
    }
  } finally {
    await engine.stop()
    engine.destroy()
  }
})

test.run()
