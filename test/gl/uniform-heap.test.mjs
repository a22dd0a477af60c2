// Heap: a uniform block's write + upload cycle allocates (not just retains) nothing once warm,
// measured by test/support/heap.mjs over 10k cycles a round (bytes allocated between two heap
// readings plus everything collected in between; no gc() between the readings).
//
// Measured here (Node 20, @kmamal/gl 9.1.0): once optimised, @kmamal/gl's uniform4fv wrapper
// allocates ~3 B/call; before V8 optimises it (interpreter) ~65 B/call. framelatch's own upload
// path allocates nothing in either tier. So the full-cycle tests allow 8 B/cycle (the binding's
// share) and the harness warms up and takes the best of a few rounds; the third test stubs
// uniform4fv to isolate framelatch's share and allows 1 B/cycle.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createUniformBlock } from '../../dist/gl/uniform-block.js'
import { destroyGL, fullScreenTriangle, link, makeGL } from './uniform-helpers.mjs'
import { assertAllocatesNothing } from '../support/heap.mjs'

const gl = makeGL(4, 4)
fullScreenTriangle(gl)
const CYCLES = 10_000
/** Bytes per cycle: the binding's uniform4fv share (~3 B/call optimised), nothing of framelatch's. */
const LIMIT = 8

function setup(desc) {
  const block = createUniformBlock(desc)
  const vs = `precision highp float;\n${block.glsl}\nattribute vec2 a_pos;\nvoid main() { gl_Position = vec4(a_pos * time, 0.0, 1.0); }`
  const fs = `precision highp float;\n${block.glsl}\nvoid main() { gl_FragColor = color + model[0] + offsets(3); }`
  const program = link(gl, vs, fs)
  gl.useProgram(program)
  return { block, program }
}

const FIELDS = { time: 'float', pointer: 'vec2', color: 'vec4', model: 'mat4', offsets: { type: 'vec4', length: 8 } }

// Values written are whole numbers so the test itself boxes no doubles in unoptimised code.
test('diff tracking: a write+upload cycle allocates nothing of its own', async () => {
  const { block, program } = setup({ name: 'Frame', fields: FIELDS })
  const { time, color, model } = block.views
  const cycle = (i) => {
    time[0] = i
    color[0] = i & 255
    model[12] = i
    block.upload(gl, program)
  }
  const before = block.stats.uploads
  await assertAllocatesNothing('diff', cycle, { frames: CYCLES, warmup: 5000, limit: LIMIT })
  assert.ok(block.stats.uploads - before >= CYCLES, 'every cycle uploaded')
  assert.is(block.stats.lastFirstSlot, 0)
  assert.is(block.stats.lastSlotCount, 6) // time (slot 0) .. model column 3 (slot 5)
})

test('manual tracking with a frame number: a cycle allocates nothing of its own', async () => {
  const { block, program } = setup({ name: 'Frame', fields: FIELDS, tracking: 'manual' })
  const { pointer, offsets } = block.views
  let frame = 0
  const cycle = () => {
    frame++
    pointer[0] = frame
    block.markDirty('pointer')
    offsets[12] = frame
    block.markDirty('offsets', 3)
    block.upload(gl, program, frame)
    block.upload(gl, program, frame) // same frame: skipped
  }
  const uploads = block.stats.uploads
  const skipped = block.stats.skipped
  await assertAllocatesNothing('manual', cycle, { frames: CYCLES, warmup: 5000, limit: LIMIT })
  assert.ok(block.stats.uploads - uploads >= CYCLES)
  assert.is(block.stats.skipped - skipped, block.stats.uploads - uploads, 'the second upload of each frame is skipped')
  assert.equal([block.stats.lastFirstSlot, block.stats.lastSlotCount], [0, 10]) // pointer (slot 0) .. offsets[3] (slot 9)
})

test("framelatch's own share: a cycle with uniform4fv stubbed allocates nothing", async () => {
  const { block, program } = setup({ name: 'Frame', fields: FIELDS })
  block.upload(gl, program) // first upload looks up locations (allocates once, by design)
  const real = gl.uniform4fv
  let calls = 0
  let slots = 0
  gl.uniform4fv = function stub(_loc, v) {
    calls++
    slots += v.length >> 2
  }
  try {
    const { time, offsets } = block.views
    let n = 0
    const cycle = () => {
      n++
      time[0] = n
      offsets[31] = n
      block.upload(gl, program)
    }
    await assertAllocatesNothing('framelatch only', cycle, { frames: CYCLES, warmup: 5000, limit: 1 })
    assert.ok(calls >= CYCLES, `one uniform4fv per cycle (${calls})`)
    assert.is(slots, calls * 14) // slot 0 .. slot 13 (offsets[7])
  } finally {
    gl.uniform4fv = real
  }
})

test.after(() => destroyGL(gl))
test.run()
