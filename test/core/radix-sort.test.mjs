// RadixSorter: the permutation equals a stable reference sort on BigInt keys for random, equal,
// presorted, reversed and duplicate-heavy keys at N = 0, 1, small, 64k and 300k; scratch grows by
// doubling and a reused sorter never leaks stale data between sorts.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { RadixSorter } from '../../dist/core/radix-sort.js'
import { ValidationError } from '../../dist/errors.js'
import { mulberry32 } from '../support/prng.mjs'

const next = mulberry32(42)

/** Stable reference: indices sorted by the unsigned 64-bit key, ties by index. */
function reference(hi, lo, n) {
  const keys = new BigUint64Array(n)
  for (let i = 0; i < n; i++) keys[i] = (BigInt(hi[i]) << 32n) | BigInt(lo[i])
  const idx = Array.from({ length: n }, (_, i) => i)
  idx.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b))
  return idx
}

function check(sorter, hi, lo, n, label) {
  const order = sorter.sort(hi, lo, n)
  assert.ok(order.length >= n, `${label}: result holds n entries`)
  const ref = reference(hi, lo, n)
  for (let i = 0; i < n; i++) {
    if (order[i] !== ref[i]) assert.unreachable(`${label}: position ${i}: got ${order[i]}, want ${ref[i]}`)
  }
  return order
}

function keys(n, fill) {
  const hi = new Uint32Array(n), lo = new Uint32Array(n)
  for (let i = 0; i < n; i++) fill(hi, lo, i, n)
  return [hi, lo]
}

const randomFull = (hi, lo, i) => { hi[i] = next(); lo[i] = next() }
// Typical frame: one layer and mode, a few pipelines and materials, random depth.
const realistic = (hi, lo, i) => { hi[i] = (3 << 24) | ((next() & 7) << 9) | (next() & 0x1ff); lo[i] = next() }
const fewDistinct = (hi, lo, i) => { hi[i] = next() & 1 ? 0x80000000 : 7; lo[i] = next() & 3 }

test('random full 64-bit keys at several sizes', () => {
  const sorter = new RadixSorter()
  for (const n of [2, 3, 17, 1000, 2049, 65536]) {
    const [hi, lo] = keys(n, randomFull)
    check(sorter, hi, lo, n, `random n=${n}`)
    if (n >= 1000) assert.is(sorter.lastPasses, 6) // tiny inputs may happen to be presorted
  }
})

test('N = 0 and N = 1', () => {
  const sorter = new RadixSorter({ capacity: 4 })
  const hi = new Uint32Array(4), lo = new Uint32Array(4)
  sorter.sort(hi, lo, 0)
  assert.is(sorter.lastPasses, 0)
  hi[0] = 99; lo[0] = 5
  const order = sorter.sort(hi, lo, 1)
  assert.is(order[0], 0)
  // empty arrays too
  sorter.sort(new Uint32Array(0), new Uint32Array(0), 0)
})

test('all-equal keys keep submit order (identity)', () => {
  const [hi, lo] = keys(70000, (h, l, i) => { h[i] = 0xdeadbeef; l[i] = 12345 })
  const order = check(new RadixSorter(), hi, lo, 70000, 'equal')
  assert.is(order[69999], 69999)
})

test('already sorted and reversed', () => {
  const n = 65536
  const [rh, rl] = keys(n, randomFull)
  const ref = reference(rh, rl, n)
  const sh = new Uint32Array(n), sl = new Uint32Array(n), vh = new Uint32Array(n), vl = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    sh[i] = rh[ref[i]]; sl[i] = rl[ref[i]]
    vh[n - 1 - i] = rh[ref[i]]; vl[n - 1 - i] = rl[ref[i]]
  }
  const sorter = new RadixSorter()
  const asc = check(sorter, sh, sl, n, 'sorted')
  assert.is(sorter.lastPasses, 0, 'presorted input runs no pass')
  assert.is(asc[1234], 1234)
  const desc = check(sorter, vh, vl, n, 'reversed')
  assert.is(desc[0], n - 1)
})

test('duplicate-heavy keys are sorted stably', () => {
  const sorter = new RadixSorter()
  for (const n of [100, 65536]) {
    const [hi, lo] = keys(n, fewDistinct)
    check(sorter, hi, lo, n, `few distinct n=${n}`)
  }
})

test('passes whose digit is constant across all keys are skipped, result still exact', () => {
  const sorter = new RadixSorter()
  const [hi, lo] = keys(65536, realistic)
  check(sorter, hi, lo, 65536, 'realistic')
  // hi bits 31..22 constant (layer 3, mode 0) -> the top hi digit is skipped
  assert.ok(sorter.lastPasses < 6, `ran ${sorter.lastPasses} passes`)
  // only the low word varies: 3 passes at most
  const [h2, l2] = keys(5000, (h, l, i) => { h[i] = 0x01000000; l[i] = next() })
  check(sorter, h2, l2, 5000, 'low word only')
  assert.is(sorter.lastPasses, 3)
  // only the high word's middle digit varies: 1 pass, the first reading the caller's arrays
  const [h3, l3] = keys(5000, (h, l, i) => { h[i] = (next() & 0x7ff) << 11; l[i] = 77 })
  check(sorter, h3, l3, 5000, 'one digit')
  assert.is(sorter.lastPasses, 1)
})

test('300k random keys, grown from a small capacity by doubling', () => {
  const sorter = new RadixSorter({ capacity: 16 })
  const n = 300_000
  const [hi, lo] = keys(n, randomFull)
  check(sorter, hi, lo, n, '300k')
  assert.is(sorter.capacity, 16 * 2 ** Math.ceil(Math.log2(n / 16)))
  // a smaller sort afterwards reuses the scratch and ignores stale entries
  const cap = sorter.capacity
  const [h2, l2] = keys(1000, realistic)
  check(sorter, h2, l2, 1000, 'after 300k')
  const [h3, l3] = keys(64000, fewDistinct)
  check(sorter, h3, l3, 64000, 'after 300k, duplicates')
  assert.is(sorter.capacity, cap)
})

test('sorting a prefix of longer arrays ignores the rest', () => {
  const [hi, lo] = keys(1000, randomFull)
  const sorter = new RadixSorter()
  const order = check(sorter, hi, lo, 500, 'prefix')
  for (let i = 0; i < 500; i++) assert.ok(order[i] < 500)
})

test('a count past the arrays is a coded error; bad capacity is INVALID_DESC', () => {
  const sorter = new RadixSorter()
  for (const bad of [11, -1, 1.5, NaN]) {
    try {
      sorter.sort(new Uint32Array(10), new Uint32Array(10), bad)
      assert.unreachable(`count ${bad}`)
    } catch (e) {
      assert.instance(e, ValidationError)
      assert.is(e.code, 'FL_OUT_OF_RANGE')
    }
  }
  try {
    new RadixSorter({ capacity: 0 })
    assert.unreachable('capacity 0')
  } catch (e) {
    assert.is(e.code, 'FL_INVALID_DESC')
  }
})

test.run()
