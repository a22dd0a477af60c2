// Sort keys: every field round-trips, each field orders draws the way its mode promises, out-of-range
// fields are clamped in release and rejected with OUT_OF_RANGE in debug.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  SortMode, encodeStateKey, encodeSequenceKey, encodeDepthKey, encodeSortKey, quantizeDepth,
  sortKeyLayer, sortKeyMode, sortKeyTranslucent, sortKeyPipeline, sortKeyMaterial, sortKeySequence,
  sortKeyDepth, sortKeyDepthBits, STATE_DEPTH_MAX, DEPTH_MODE_MAX,
} from '../../dist/core/sort-key.js'
import { RadixSorter } from '../../dist/core/radix-sort.js'
import { FramelatchError, ValidationError } from '../../dist/errors.js'
import { mulberry32Float } from '../support/prng.mjs'

const rand = mulberry32Float(1234)
const int = (max) => Math.floor(rand() * (max + 1))

const hi = new Uint32Array(2)
const lo = new Uint32Array(2)
const big = (i) => (BigInt(hi[i]) << 32n) | BigInt(lo[i])
/** key 0 < key 1 as unsigned 64-bit */
const less = () => big(0) < big(1)

test('state mode: every field round-trips', () => {
  for (let n = 0; n < 5000; n++) {
    const layer = int(255), t = rand() < 0.5, p = int(4095), m = int(65535), d = rand()
    encodeStateKey(hi, lo, 1, layer, t, p, m, d, true)
    assert.is(sortKeyLayer(hi[1]), layer)
    assert.is(sortKeyMode(hi[1]), SortMode.State)
    assert.is(sortKeyTranslucent(hi[1]), t)
    assert.is(sortKeyPipeline(hi[1], lo[1]), p)
    assert.is(sortKeyMaterial(hi[1], lo[1]), m)
    assert.is(sortKeyDepthBits(hi[1], lo[1]), Math.round(d * STATE_DEPTH_MAX))
    assert.ok(Math.abs(sortKeyDepth(hi[1], lo[1]) - d) <= 0.5 / STATE_DEPTH_MAX + 1e-12)
    assert.is(sortKeySequence(hi[1], lo[1]), 0)
  }
  // extremes
  encodeStateKey(hi, lo, 0, 255, true, 4095, 65535, 1, true)
  assert.is(hi[0], 0xff3fffff) // every bit but the two mode bits
  assert.is(lo[0], 0xffffffff)
  encodeStateKey(hi, lo, 0, 0, false, 0, 0, 0, true)
  assert.is(hi[0], 0)
  assert.is(lo[0], 0)
})

test('sequence mode: every field round-trips, including sequence numbers past 65,535 and 2^31', () => {
  for (const seq of [0, 1, 65535, 65536, 70000, 0x7fffffff, 0x80000000, 0xffffffff]) {
    for (const t of [false, true]) {
      const layer = int(255)
      encodeSequenceKey(hi, lo, 0, layer, t, seq, true)
      assert.is(sortKeyLayer(hi[0]), layer)
      assert.is(sortKeyMode(hi[0]), SortMode.Sequence)
      assert.is(sortKeyTranslucent(hi[0]), t)
      assert.is(sortKeySequence(hi[0], lo[0]), seq)
      assert.is(sortKeyPipeline(hi[0], lo[0]), 0)
      assert.is(sortKeyMaterial(hi[0], lo[0]), 0)
      assert.is(sortKeyDepth(hi[0], lo[0]), 0)
    }
  }
})

test('depth modes: every field round-trips, back-to-front inverts the stored depth', () => {
  for (let n = 0; n < 5000; n++) {
    const layer = int(255), b2f = rand() < 0.5, t = rand() < 0.5, p = int(4095), m = int(65535), d = rand()
    encodeDepthKey(hi, lo, 0, layer, b2f, t, d, p, m, true)
    assert.is(sortKeyLayer(hi[0]), layer)
    assert.is(sortKeyMode(hi[0]), b2f ? SortMode.BackToFront : SortMode.FrontToBack)
    assert.is(sortKeyTranslucent(hi[0]), t)
    assert.is(sortKeyPipeline(hi[0], lo[0]), p)
    assert.is(sortKeyMaterial(hi[0], lo[0]), m)
    const q = Math.round(d * DEPTH_MODE_MAX)
    assert.is(sortKeyDepthBits(hi[0], lo[0]), b2f ? DEPTH_MODE_MAX - q : q)
    assert.ok(Math.abs(sortKeyDepth(hi[0], lo[0]) - d) <= 0.5 / DEPTH_MODE_MAX + 1e-12)
  }
})

test('encodeSortKey dispatches to the mode encoders bit for bit', () => {
  const h2 = new Uint32Array(1), l2 = new Uint32Array(1)
  for (let n = 0; n < 2000; n++) {
    const mode = int(3), layer = int(255), t = rand() < 0.5, p = int(4095), m = int(65535), d = rand(), s = int(0xffffffff)
    encodeSortKey(hi, lo, 0, layer, mode, t, p, m, d, s)
    if (mode === 0) encodeStateKey(h2, l2, 0, layer, t, p, m, d)
    else if (mode === 1) encodeSequenceKey(h2, l2, 0, layer, t, s)
    else encodeDepthKey(h2, l2, 0, layer, mode === 2, t, d, p, m)
    assert.is(hi[0], h2[0])
    assert.is(lo[0], l2[0])
  }
})

test('layer dominates every other field in every mode', () => {
  for (let n = 0; n < 2000; n++) {
    const layer = int(254)
    // key 0: lower layer with the largest everything else; key 1: next layer with the smallest.
    encodeSortKey(hi, lo, 0, layer, int(3), true, 4095, 65535, rand(), 0xffffffff)
    encodeSortKey(hi, lo, 1, layer + 1, int(3), false, 0, 0, rand(), 0)
    assert.ok(less(), `layer ${layer} before ${layer + 1}`)
  }
})

test('opaque before translucent within a layer and mode, whatever the other fields', () => {
  for (let n = 0; n < 2000; n++) {
    const layer = int(255), mode = int(3)
    encodeSortKey(hi, lo, 0, layer, mode, false, 4095, 65535, rand(), 0xffffffff)
    encodeSortKey(hi, lo, 1, layer, mode, true, 0, 0, rand(), 0)
    assert.ok(less(), `mode ${mode}`)
  }
})

test('state mode groups by pipeline, then material, then depth front to back', () => {
  for (let n = 0; n < 2000; n++) {
    const p = int(4094), m = int(65534), d = rand() * 0.99
    encodeStateKey(hi, lo, 0, 3, false, p, 65535, 1, true)
    encodeStateKey(hi, lo, 1, 3, false, p + 1, 0, 0, true)
    assert.ok(less(), 'pipeline dominates material and depth')
    encodeStateKey(hi, lo, 0, 3, false, p, m, 1, true)
    encodeStateKey(hi, lo, 1, 3, false, p, m + 1, 0, true)
    assert.ok(less(), 'material dominates depth')
    encodeStateKey(hi, lo, 0, 3, false, p, m, d, true)
    encodeStateKey(hi, lo, 1, 3, false, p, m, d + 0.01, true)
    assert.ok(less(), 'nearer first')
  }
})

test('back-to-front: far first; front-to-back: near first; depth dominates pipeline and material', () => {
  for (let n = 0; n < 2000; n++) {
    const near = rand() * 0.99, far = near + 0.01
    encodeDepthKey(hi, lo, 0, 1, true, true, far, 4095, 65535, true)
    encodeDepthKey(hi, lo, 1, 1, true, true, near, 0, 0, true)
    assert.ok(less(), 'back-to-front: far before near')
    encodeDepthKey(hi, lo, 0, 1, false, false, near, 4095, 65535, true)
    encodeDepthKey(hi, lo, 1, 1, false, false, far, 0, 0, true)
    assert.ok(less(), 'front-to-back: near before far')
    const p = int(4094), m = int(65534)
    encodeDepthKey(hi, lo, 0, 1, true, false, near, p, 65535, true)
    encodeDepthKey(hi, lo, 1, 1, true, false, near, p + 1, 0, true)
    assert.ok(less(), 'same depth: pipeline then material')
    encodeDepthKey(hi, lo, 0, 1, false, false, near, p, m, true)
    encodeDepthKey(hi, lo, 1, 1, false, false, near, p, m + 1, true)
    assert.ok(less(), 'same depth and pipeline: material')
  }
})

test('sequence mode keeps submit order exactly, with more than 65,536 draws in one layer', () => {
  const N = 150_000
  const kh = new Uint32Array(N), kl = new Uint32Array(N)
  // Layers 2 (UI, sequence) and 1 (state, random pipelines) interleaved, so the keys are not
  // presorted; the UI layer's sequence counter runs past 65,535.
  let seq = 0
  const uiIndices = []
  for (let i = 0; i < N; i++) {
    if (i % 3 === 0) encodeStateKey(kh, kl, i, 1, false, int(4095), int(65535), rand())
    else { encodeSequenceKey(kh, kl, i, 2, false, seq++); uiIndices.push(i) }
  }
  assert.ok(seq > 65536)
  const order = new RadixSorter().sort(kh, kl, N)
  const firstUi = N - uiIndices.length
  for (let k = 0; k < uiIndices.length; k++) assert.is(order[firstUi + k], uiIndices[k])
  // Equal sequence numbers (a caller that does not count) still keep submit order: sort is stable.
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0) encodeSequenceKey(kh, kl, i, 5, false, 0)
    else encodeSequenceKey(kh, kl, i, 4, false, 0)
  }
  const order2 = new RadixSorter().sort(kh, kl, N)
  for (let k = 0; k < N / 2; k++) {
    assert.is(order2[k], 2 * k + 1)
    assert.is(order2[N / 2 + k], 2 * k)
  }
})

test('release mode clamps out-of-range fields instead of wrapping', () => {
  encodeStateKey(hi, lo, 0, 300, false, 5000, 70000, 2)
  assert.is(sortKeyLayer(hi[0]), 255)
  assert.is(sortKeyPipeline(hi[0], lo[0]), 4095)
  assert.is(sortKeyMaterial(hi[0], lo[0]), 65535)
  assert.is(sortKeyDepthBits(hi[0], lo[0]), STATE_DEPTH_MAX)
  encodeStateKey(hi, lo, 0, -1, false, -5, NaN, -0.5)
  assert.is(sortKeyLayer(hi[0]), 0)
  assert.is(sortKeyPipeline(hi[0], lo[0]), 0)
  assert.is(sortKeyMaterial(hi[0], lo[0]), 0)
  assert.is(sortKeyDepthBits(hi[0], lo[0]), 0)
  encodeDepthKey(hi, lo, 0, 1, true, false, NaN, 1.5, 2.7)
  assert.is(sortKeyDepth(hi[0], lo[0]), 0)
  assert.is(sortKeyPipeline(hi[0], lo[0]), 1)
  assert.is(sortKeyMaterial(hi[0], lo[0]), 2)
  encodeSequenceKey(hi, lo, 0, 1, false, 2 ** 40)
  assert.is(sortKeySequence(hi[0], lo[0]), 0xffffffff)
  // depth is clamped even in debug mode: geometry crossing the near/far plane is legal
  encodeDepthKey(hi, lo, 0, 1, false, false, 7, 0, 0, true)
  assert.is(sortKeyDepthBits(hi[0], lo[0]), DEPTH_MODE_MAX)
  assert.is(quantizeDepth(-3, 100), 0)
  assert.is(quantizeDepth(0.5, 100), 50)
})

function throwsOutOfRange(fn, field) {
  try {
    fn()
  } catch (e) {
    assert.instance(e, ValidationError)
    assert.instance(e, FramelatchError)
    assert.is(e.code, 'FL_OUT_OF_RANGE')
    assert.ok(e.message.startsWith('framelatch: '))
    assert.is(e.info.field, field)
    return
  }
  assert.unreachable(`expected OUT_OF_RANGE for ${field}`)
}

test('debug mode rejects out-of-range fields with OUT_OF_RANGE', () => {
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 256, false, 0, 0, 0, true), 'layer')
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 1.5, false, 0, 0, 0, true), 'layer')
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 0, false, 4096, 0, 0, true), 'pipeline id')
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 0, false, -1, 0, 0, true), 'pipeline id')
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 0, false, 0, 65536, 0, true), 'material id')
  throwsOutOfRange(() => encodeStateKey(hi, lo, 0, 0, false, 0, 0, NaN, true), 'depth')
  throwsOutOfRange(() => encodeDepthKey(hi, lo, 0, 0, true, false, Infinity, 0, 0, true), 'depth')
  throwsOutOfRange(() => encodeDepthKey(hi, lo, 0, 0, true, false, 0, 9999, 0, true), 'pipeline id')
  throwsOutOfRange(() => encodeSequenceKey(hi, lo, 0, 0, false, -1, true), 'sequence')
  throwsOutOfRange(() => encodeSequenceKey(hi, lo, 0, 0, false, 2 ** 32, true), 'sequence')
  throwsOutOfRange(() => encodeSortKey(hi, lo, 0, 0, 4, false, 0, 0, 0, 0, true), 'mode')
  // the same calls without debug do not throw
  encodeStateKey(hi, lo, 0, 256, false, 4096, 65536, NaN)
  encodeSortKey(hi, lo, 0, 0, 4, false, 0, 0, 0, 0)
  assert.is(sortKeyMode(hi[0]), SortMode.State)
})

test.run()
