// Draw queue end to end: sort order (layers, sequence mode, translucency), merging into GL draws,
// pool growth, uniform blocks reaching a batch's shader, 'vertices' mode. Pixels and counts only.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { setLogger } from '../../dist/index.js'
import { createUniformBlock } from '../../dist/gl/uniform-block.js'
import { createSpriteBatcher } from '../../dist/draw/sprite-batcher.js'
import { createRectBatcher } from '../../dist/draw/rect-batcher.js'
import { setup, px, near, solidTexture, spriteStyle, rectStyle } from './queue-helpers.mjs'

const BLACK = { clearColor: [0, 0, 0, 1] }

test('a higher layer covers a lower one whatever the submit order', async () => {
  const t = await setup()
  try {
    const top = createSpriteBatcher(t.queue, { layer: 2, translucent: false })
    const bottom = createSpriteBatcher(t.queue, { layer: 1, translucent: false })
    top.add(0, 0, 32, 32, 0, spriteStyle(0, 0, 1, 1, 1, 0, 0, 1)) // red, recorded first
    bottom.add(16, 16, 32, 32, 0, spriteStyle(0, 0, 1, 1, 0, 1, 0, 1)) // green, overlaps the red one
    t.queue.flush(BLACK)
    const p = t.read()
    assert.equal(px(p, 64, 20, 20), [255, 0, 0, 255], 'overlap shows layer 2 (red)')
    assert.equal(px(p, 64, 40, 40), [0, 255, 0, 255], 'green where only green is')
    assert.equal(px(p, 64, 60, 2), [0, 0, 0, 255], 'clear colour elsewhere')
    assert.is(t.queue.stats.glDrawCalls, 2)
  } finally {
    t.done()
  }
})

test('sequence mode keeps submit order across batches; one GL draw per run', async () => {
  const t = await setup()
  try {
    const red = createSpriteBatcher(t.queue, { sequenced: true, translucent: false })
    const green = createSpriteBatcher(t.queue, { sequenced: true, translucent: false })
    const q = t.queue
    red.add(0, 0, 32, 32, 0, spriteStyle(0, 0, 1, 1, 1, 0, 0, 1))
    red.add(40, 0, 8, 8, 0, spriteStyle(0, 0, 1, 1, 1, 0, 0, 1))
    green.add(16, 16, 32, 32, 0, spriteStyle(0, 0, 1, 1, 0, 1, 0, 1))
    green.add(40, 40, 8, 8, 0, spriteStyle(0, 0, 1, 1, 0, 1, 0, 1))
    green.add(50, 50, 8, 8, 0, spriteStyle(0, 0, 1, 1, 0, 1, 0, 1))
    red.add(24, 24, 16, 16, 0, spriteStyle(0, 0, 1, 1, 1, 0, 0, 1))
    q.flush(BLACK)
    const p = t.read()
    assert.equal(px(p, 64, 18, 18), [0, 255, 0, 255], 'green (2nd run) over red (1st)')
    assert.equal(px(p, 64, 30, 30), [255, 0, 0, 255], 'red (3rd run) over green')
    assert.equal(px(p, 64, 10, 10), [255, 0, 0, 255])
    assert.equal(px(p, 64, 44, 4), [255, 0, 0, 255])
    assert.equal(px(p, 64, 54, 54), [0, 255, 0, 255])
    assert.is(q.stats.draws, 6)
    assert.is(q.stats.commands, 3, 'consecutive adds of one batcher extend one command')
    assert.is(q.stats.glDrawCalls, 3, 'runs A A | B B B | A draw three times')
    assert.is(q.stats.merged, 3)
  } finally {
    t.done()
  }
})

test('translucent draws come after opaque ones of the same layer', async () => {
  const t = await setup()
  try {
    const glass = createRectBatcher(t.queue, { translucent: true })
    const wall = createRectBatcher(t.queue, { translucent: false })
    glass.add(0, 0, 32, 32, rectStyle(1, 1, 1, 0.5, 0, 0, 0, 0, 0)) // 50% white, recorded first
    wall.add(0, 0, 64, 64, rectStyle(1, 0, 0, 1, 0, 0, 0, 0, 0)) // opaque red under everything
    t.queue.flush(BLACK)
    const p = t.read()
    assert.ok(near(px(p, 64, 10, 10), [255, 128, 128, 255], 3), `glass blends over the wall: ${px(p, 64, 10, 10)}`)
    assert.equal(px(p, 64, 50, 50), [255, 0, 0, 255])
  } finally {
    t.done()
  }
})

test('10,000 sprites with one texture are one GL draw call; all of them land', async () => {
  const t = await setup({ width: 100, height: 100, debug: false })
  try {
    const sprites = createSpriteBatcher(t.queue, { texture: solidTexture(t.device, 0, 0, 255), translucent: false })
    for (let i = 0; i < 10000; i++) sprites.add(i % 100, Math.floor(i / 100), 1, 1, 0, spriteStyle(0, 0, 1, 1, 1, 1, 1, 1))
    const before = t.device.stats.drawCalls
    t.queue.flush(BLACK)
    assert.is(t.device.stats.drawCalls - before, 1)
    assert.is(t.queue.stats.glDrawCalls, 1)
    assert.is(t.queue.stats.draws, 10000)
    assert.is(t.queue.stats.merged, 9999)
    assert.is(t.queue.stats.commands, 1)
    assert.is(t.queue.stats.skipped, 0)
    const p = t.read()
    let blue = 0
    for (let i = 0; i < p.length; i += 4) if (p[i] === 0 && p[i + 1] === 0 && p[i + 2] === 255) blue++
    assert.is(blue, 10000, 'every pixel covered by its 1x1 sprite')
  } finally {
    t.done()
  }
})

test('two textures interleaved in submit order are state-sorted into 2 draws with the right data', async () => {
  const t = await setup({ debug: false })
  try {
    const a = createSpriteBatcher(t.queue, { texture: solidTexture(t.device, 255, 0, 0), translucent: false })
    const b = createSpriteBatcher(t.queue, { texture: solidTexture(t.device, 0, 255, 0), translucent: false })
    // 32 columns of 2 px: even columns from a (red), odd from b (green), recorded alternately.
    for (let c = 0; c < 32; c++) (c % 2 === 0 ? a : b).add(c * 2, 0, 2, 64, 0)
    t.queue.flush(BLACK)
    assert.is(t.queue.stats.commands, 32)
    assert.is(t.queue.stats.glDrawCalls, 2)
    assert.is(t.queue.stats.draws, 32)
    const p = t.read()
    for (let c = 0; c < 32; c++) {
      assert.equal(px(p, 64, c * 2 + 1, 30), c % 2 === 0 ? [255, 0, 0, 255] : [0, 255, 0, 255], `column ${c}`)
    }
  } finally {
    t.done()
  }
})

test('pool growth keeps every command: 1,024 distinct keys through a 4-command, 64-float pool', async () => {
  const warnings = []
  setLogger((level, code, message) => warnings.push(code))
  const t = await setup({ debug: false, queue: { capacity: 4, payloadCapacity: 64, ringSize: 4096 } })
  try {
    const rects = createRectBatcher(t.queue, { translucent: false })
    for (let frame = 0; frame < 2; frame++) {
      // 32x32 cells of 2x2 px, each its own colour and depth (so each is its own command).
      for (let i = 0; i < 1024; i++) {
        rects.depth = 1 - i / 1024
        rects.add((i % 32) * 2, Math.floor(i / 32) * 2, 2, 2, rectStyle((i % 32) / 31, Math.floor(i / 32) / 31, 0.5, 1, 0, 0, 0, 0, 0))
      }
      t.queue.flush(BLACK)
      const s = t.queue.stats
      assert.is(s.commands, 1024)
      assert.is(s.draws, 1024)
      assert.is(s.glDrawCalls, 1, 'one batch: one draw, whatever the depth order')
      if (frame === 0) assert.ok(s.poolGrowths >= 2, `pool and payload grew (${s.poolGrowths})`)
      else assert.is(s.poolGrowths, 0, 'no growth once grown')
      const p = t.read()
      for (let i = 0; i < 1024; i++) {
        const want = [Math.round((i % 32) / 31 * 255), Math.round(Math.floor(i / 32) / 31 * 255), 128, 255]
        const got = px(p, 64, (i % 32) * 2 + 1, Math.floor(i / 32) * 2 + 1)
        if (!near(got, want, 1)) assert.unreachable(`cell ${i}: got ${got}, want ${want}`)
      }
    }
    assert.ok(warnings.includes('FL_POOL_GREW'), 'growth was reported')
  } finally {
    setLogger(null)
    t.done()
  }
})

test('a uniform block value written through a mapped view reaches the batch shader, once per program per frame', async () => {
  const t = await setup()
  try {
    const d = t.device
    const block = createUniformBlock({ name: 'Tint', fields: { scale: 'float', tint: 'vec4' } })
    const program = d.createProgram({
      vertex: `precision highp float;\n${block.glsl}\nattribute vec2 a_corner; attribute vec4 a_rect;
        void main() { gl_Position = vec4(mix(a_rect.xy, a_rect.zw, a_corner) * scale, 0.0, 1.0); }`,
      fragment: `precision highp float;\n${block.glsl}\nvoid main() { gl_FragColor = tint; }`,
    })
    const pipeline = d.createPipeline({
      program, primitive: 'triangle-strip',
      buffers: [{ step: 'vertex' }, { step: 'instance' }],
      attributes: [{ name: 'a_corner', format: 'float2', buffer: 0 }, { name: 'a_rect', format: 'float4', buffer: 1 }],
    })
    const quadA = d.createBuffer({ data: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]) })
    const quadB = d.createBuffer({ data: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]) })
    const q = t.queue
    const left = q.createBatch({ pipeline, geometry: quadA, vertexCount: 4, floatsPerInstance: 4, blocks: [block] })
    const right = q.createBatch({ pipeline, geometry: quadB, vertexCount: 4, floatsPerInstance: 4, blocks: [block] })
    const draw = () => {
      q.recordData(left, [-1, -1, 0, 1])
      q.recordData(right, [0, -1, 1, 1])
      q.flush(BLACK)
    }
    block.views.scale[0] = 1
    block.views.tint.set([0, 1, 0, 1])
    draw()
    let p = t.read()
    assert.equal(px(p, 64, 10, 30), [0, 255, 0, 255], 'left half green')
    assert.equal(px(p, 64, 50, 30), [0, 255, 0, 255], 'right half green')
    assert.is(q.stats.glDrawCalls, 2)
    assert.is(block.stats.uploads, 1, 'two batches, one program: one upload this frame')
    block.views.tint.set([1, 0, 1, 1])
    draw()
    p = t.read()
    assert.equal(px(p, 64, 10, 30), [255, 0, 255, 255], 'new value reached the shader')
    assert.equal(px(p, 64, 50, 30), [255, 0, 255, 255])
    assert.is(block.stats.uploads, 2)
    assert.is(block.stats.lastFirstSlot, 1, 'only the dirty slot (tint) was sent')
    draw()
    assert.is(block.stats.uploads, 2, 'clean block: no upload')
    block.views.scale[0] = 0.5 // shrinks both quads towards the centre
    draw()
    p = t.read()
    assert.equal(px(p, 64, 4, 30), [0, 0, 0, 255], 'scaled: the edge is now clear')
    assert.equal(px(p, 64, 20, 30), [255, 0, 255, 255])
  } finally {
    t.done()
  }
})

test("'vertices' mode concatenates merged records into one drawArrays", async () => {
  const t = await setup()
  try {
    const d = t.device
    const program = d.createProgram({
      vertex: 'attribute vec2 a_pos; attribute vec4 a_color; varying vec4 v_color; void main() { v_color = a_color; gl_Position = vec4(a_pos, 0.0, 1.0); }',
      fragment: 'precision mediump float; varying vec4 v_color; void main() { gl_FragColor = v_color; }',
    })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }, { name: 'a_color', format: 'float4' }] })
    const q = t.queue
    const tris = q.createBatch({ pipeline, vertexCount: 3, floatsPerInstance: 6, mode: 'vertices' })
    const other = createRectBatcher(q, { translucent: false })
    // Two triangles of `tris`, separated in submit order by a rect of another batch and by depth.
    q.recordData(tris, [-1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, -1, 0, 1, 0, 0, 1], 0, 0.2) // top-left, red
    other.add(60, 60, 4, 4, rectStyle(0, 0, 1, 1, 0, 0, 0, 0, 0))
    q.recordData(tris, [0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, -1, 0, 1, 0, 1], 0, 0.1) // centre-right, green
    const before = d.stats.drawCalls
    q.flush(BLACK)
    assert.is(q.stats.glDrawCalls, 2, 'one drawArrays for both triangles, one for the rect')
    assert.is(d.stats.drawCalls - before, 2)
    const p = t.read()
    assert.equal(px(p, 64, 4, 4), [255, 0, 0, 255])
    assert.equal(px(p, 64, 36, 33), [0, 255, 0, 255])
    assert.equal(px(p, 64, 62, 62), [0, 0, 255, 255])
    assert.equal(px(p, 64, 10, 50), [0, 0, 0, 255])
  } finally {
    t.done()
  }
})

test('flush into a render target uses its size for the view block; rotate ring strategy works', async () => {
  const t = await setup({ width: 64, height: 64, queue: { ringStrategy: 'rotate' } })
  try {
    const target = t.device.createRenderTarget({ width: 32, height: 16 })
    const rects = createRectBatcher(t.queue, { translucent: false })
    for (let frame = 0; frame < 4; frame++) {
      rects.add(0, 0, 16, 8, rectStyle(1, 1, 0, 1, 0, 0, 0, 0, 0))
      t.queue.flush({ target, clearColor: [0, 0, 0, 1] })
    }
    const p = t.device.readPixels(0, 0, 32, 16, undefined, target)
    assert.equal(px(p, 32, 15, 7), [255, 255, 0, 255], 'rect covers the top-left quarter in target pixels')
    assert.equal(px(p, 32, 16, 8), [0, 0, 0, 255])
    assert.is(t.queue.frame, 4)
  } finally {
    t.done()
  }
})

test.run()
