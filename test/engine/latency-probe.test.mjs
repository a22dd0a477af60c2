// --latency-probe's square is computed in a shader from the input block: a key press reaches it
// through ring → late latch (right before the flush) → uniform block → fragment shader.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createEngine } from '../../dist/index.js'
import { InputKind, InputMod } from '../../dist/sync/input/input-ring.js'
import { installLatencyProbe, LATENCY_PROBE_SIZE } from '../../dist/engine/latency-probe.js'

test('the probe square flips on each key press (not on repeats), drawn from the latched input block', async () => {
  const engine = await createEngine({ headless: true, width: 128, height: 96, vblank: false, debug: true, clearColor: [1, 0, 0, 1] })
  try {
    const probe = installLatencyProbe(engine)
    let pressWhileRecording = false
    const cpuPresses = []
    engine.onFrame((f) => {
      cpuPresses.push(f.input.keyPresses)
      if (pressWhileRecording) {
        engine.input.push(InputKind.KeyDown, 44, 0, 0, 0, 0, 0, performance.now())
        pressWhileRecording = false
      }
    })
    const px = (x, y) => Array.from(engine.device.readPixels(x, y, 1, 1))
    const square = () => px(LATENCY_PROBE_SIZE / 2, LATENCY_PROBE_SIZE / 2)
    const white = [255, 255, 255, 255]
    const black = [0, 0, 0, 255]
    engine.renderFrame()
    assert.equal(square(), black, 'black before any key press')
    assert.equal(px(LATENCY_PROBE_SIZE + 4, LATENCY_PROBE_SIZE + 4), [255, 0, 0, 255], 'the square ends at LATENCY_PROBE_SIZE')
    engine.input.push(InputKind.KeyDown, 44, 0, 0, 0, 0, 0, performance.now())
    engine.renderFrame()
    assert.equal(square(), white, 'one press: white')
    assert.is(probe.flips, 1)
    engine.input.push(InputKind.KeyDown, 44, 0, 0, 0, 0, InputMod.Repeat, performance.now())
    engine.input.push(InputKind.KeyUp, 44, 0, 0, 0, 0, 0, performance.now())
    engine.renderFrame()
    assert.equal(square(), white, 'an auto-repeat and a release do not flip it')
    // A press that arrives while the frame is being recorded, after the frame's CPU latch:
    // the late latch before the flush still puts it into this frame's block.
    pressWhileRecording = true
    engine.renderFrame()
    assert.is(cpuPresses[cpuPresses.length - 1], 1, 'the CPU latch of that frame had not seen it')
    assert.equal(square(), black, 'the second press shows in the same frame')
    assert.is(probe.flips, 2)
    assert.equal(px(LATENCY_PROBE_SIZE - 1, LATENCY_PROBE_SIZE - 1), black, 'the square covers 0..LATENCY_PROBE_SIZE-1')
    assert.equal(px(2, 95), [255, 0, 0, 255], 'at the top-left corner: the bottom-left is the clear colour')
  } finally {
    engine.destroy()
  }
})

test.run()
