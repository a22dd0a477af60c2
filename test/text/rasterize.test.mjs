// The outline rasterizer against shapes whose coverage is known exactly: squares with
// fractional edges, a triangle, a curved outline (quadratic contours, implied midpoints), holes
// and overlaps under the non-zero rule.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rasterizer, rasterizeGlyph } from '../../dist/text/rasterize.js'
import { FramelatchError } from '../../dist/errors.js'

/** Draws a closed polygon (pixel coordinates, y down) with straight edges. */
function polygon(r, pts) {
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i]
    const [x1, y1] = pts[(i + 1) % pts.length]
    r.line(x0, y0, x1, y1)
  }
}

function render(w, h, draw) {
  const r = new Rasterizer(w, h)
  draw(r)
  const out = new Uint8Array(w * h)
  r.toAlpha(out)
  return out
}

const total = (px) => px.reduce((s, v) => s + v, 0) / 255
const at = (px, w, x, y) => px[y * w + x]

/** An outline in the parser's format (font units, y up). */
function outline(contours) {
  const x = [], y = [], on = [], ends = []
  for (const c of contours) {
    for (const [px, py, onCurve] of c) { x.push(px); y.push(py); on.push(onCurve ? 1 : 0) }
    ends.push(x.length - 1)
  }
  return {
    x: Float32Array.from(x), y: Float32Array.from(y), onCurve: Uint8Array.from(on), contourEnds: Int32Array.from(ends),
    xMin: Math.min(...x), xMax: Math.max(...x), yMin: Math.min(...y), yMax: Math.max(...y),
  }
}

test('an axis-aligned square with fractional edges: exact coverage everywhere', () => {
  const W = 10, H = 10
  // x 1.25..6.75, y 2.5..7.5: area 27.5
  const px = render(W, H, (r) => polygon(r, [[1.25, 2.5], [6.75, 2.5], [6.75, 7.5], [1.25, 7.5]]))
  assert.is(at(px, W, 3, 4), 255) // interior
  assert.is(at(px, W, 0, 4), 0) // left of the square
  assert.is(at(px, W, 8, 4), 0) // right
  assert.is(at(px, W, 3, 1), 0) // above
  assert.is(at(px, W, 3, 8), 0) // below
  assert.is(at(px, W, 1, 4), 191) // 0.75 covered (left edge)
  assert.is(at(px, W, 6, 4), 191) // 0.75 covered (right edge)
  assert.is(at(px, W, 3, 2), 128) // 0.5 covered (top edge)
  assert.is(at(px, W, 3, 7), 128) // 0.5 covered (bottom edge)
  assert.is(at(px, W, 1, 2), 96) // 0.75 * 0.5 corner
  assert.ok(Math.abs(total(px) - 27.5) < 0.05, `coverage ${total(px)}`)
})

test('winding direction does not matter for a single contour', () => {
  const cw = render(8, 8, (r) => polygon(r, [[1, 1], [6.5, 1], [6.5, 6.5], [1, 6.5]]))
  const ccw = render(8, 8, (r) => polygon(r, [[1, 1], [1, 6.5], [6.5, 6.5], [6.5, 1]]))
  assert.equal(Array.from(cw), Array.from(ccw))
})

test('a right triangle: interior full, hypotenuse pixels half, area within tolerance', () => {
  const W = 12, H = 12
  // (1,1) (9,1) (1,9): legs of 8, area 32, hypotenuse x + y = 10
  const px = render(W, H, (r) => polygon(r, [[1, 1], [9, 1], [1, 9]]))
  assert.is(at(px, W, 2, 2), 255)
  assert.is(at(px, W, 1, 7), 255) // pixel [1,2)x[7,8): x+y <= 10 everywhere
  assert.is(at(px, W, 0, 0), 0)
  assert.is(at(px, W, 6, 6), 0) // beyond the hypotenuse
  assert.is(at(px, W, 10, 10), 0)
  for (let i = 1; i < 9; i++) {
    // Pixels the hypotenuse crosses corner to corner are exactly half covered.
    const v = at(px, W, i, 9 - i)
    assert.ok(v === 127 || v === 128, `pixel (${i}, ${9 - i}) = ${v}`)
  }
  assert.ok(Math.abs(total(px) - 32) < 0.05, `coverage ${total(px)}`)
})

test('a slanted sliver and a shape spanning many columns per row keep their exact area', () => {
  const W = 40, H = 6
  // A thin parallelogram whose edges cross several columns in each row.
  const pts = [[2, 1], [30, 1], [36, 5], [8, 5]]
  const px = render(W, H, (r) => polygon(r, pts))
  assert.ok(Math.abs(total(px) - 28 * 4) < 0.05, `coverage ${total(px)}`)
  assert.is(at(px, W, 20, 3), 255)
  assert.is(at(px, W, 1, 3), 0)
  assert.is(at(px, W, 38, 3), 0)
})

test('non-zero rule: a counter-wound inner contour is a hole, same-wound overlaps stay 255', () => {
  const W = 12, H = 12
  const ring = render(W, H, (r) => {
    polygon(r, [[1, 1], [11, 1], [11, 11], [1, 11]])
    polygon(r, [[4, 4], [4, 8], [8, 8], [8, 4]]) // opposite direction
  })
  assert.is(at(ring, W, 5, 5), 0)
  assert.is(at(ring, W, 2, 5), 255)
  assert.ok(Math.abs(total(ring) - (100 - 16)) < 0.05)
  const overlap = render(W, H, (r) => {
    polygon(r, [[1, 1], [7, 1], [7, 7], [1, 7]])
    polygon(r, [[4, 4], [10, 4], [10, 10], [4, 10]]) // same direction, overlapping
  })
  assert.is(at(overlap, W, 5, 5), 255) // winding 2 is still full ink, not doubled
  assert.ok(Math.abs(total(overlap) - (36 + 36 - 9)) < 0.05, `union area ${total(overlap)}`)
})

test('shapes partly outside the canvas are clipped without corrupting other rows', () => {
  const W = 6, H = 6
  const px = render(W, H, (r) => polygon(r, [[-3, -2], [3, -2], [3, 3], [-3, 3]]))
  // Visible part: x 0..3, y 0..3
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    assert.is(at(px, W, x, y), x < 3 && y < 3 ? 255 : 0, `(${x}, ${y})`)
  }
  const right = render(W, H, (r) => polygon(r, [[4, 1], [9, 1], [9, 4], [4, 4]]))
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    assert.is(at(right, W, x, y), x >= 4 && y >= 1 && y < 4 ? 255 : 0, `(${x}, ${y})`)
  }
})

test('quadratic contours: explicit controls and implied on-curve midpoints give the same exact area', () => {
  const R = 10
  // On-curve points on the axes, controls at the corners: 4 parabolic arcs. Exact area:
  // the diamond (2R²) plus 2/3 of each corner triangle (R²/2) = 10R²/3.
  const explicit = outline([[[R, 0, 1], [R, R, 0], [0, R, 1], [-R, R, 0], [-R, 0, 1], [-R, -R, 0], [0, -R, 1], [R, -R, 0]]])
  // The same shape from only the four off-curve corners: the on-curve points are implied.
  const implied = outline([[[R, R, 0], [-R, R, 0], [-R, -R, 0], [R, -R, 0]]])
  const area = (10 * R * R) / 3
  const a = render(24, 24, (r) => r.outline(explicit, 1, 12, 12))
  const b = render(24, 24, (r) => r.outline(implied, 1, 12, 12))
  assert.ok(Math.abs(total(a) - area) / area < 0.01, `explicit: ${total(a)} vs ${area}`)
  assert.ok(Math.abs(total(b) - area) / area < 0.01, `implied: ${total(b)} vs ${area}`)
  let diff = 0
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]))
  assert.ok(diff <= 2, `max pixel difference ${diff}`)
  assert.is(at(a, 24, 12, 12), 255) // centre
  assert.is(at(a, 24, 0, 0), 0)
  assert.is(at(a, 24, 3, 3), 0) // the corners are cut off by the curves
})

test('rasterizeGlyph sizes the bitmap to the ink and reports its offset from the pen', () => {
  // A square from (100, 0) to (600, 500) font units at scale 0.02 → pixels x 2..12, y -10..0.
  const sq = outline([[[100, 0, 1], [100, 500, 1], [600, 500, 1], [600, 0, 1]]])
  const bm = rasterizeGlyph(sq, 0.02)
  assert.is(bm.xoff, 2)
  assert.is(bm.yoff, -10)
  assert.is(bm.width, 10)
  assert.is(bm.height, 10)
  assert.ok(bm.data.every((v) => v === 255))
  const empty = rasterizeGlyph(outline([]), 0.02)
  assert.is(empty.width, 0)
  assert.is(empty.data.length, 0)
  try {
    rasterizeGlyph(sq, 0)
    assert.unreachable('scale 0 must throw')
  } catch (e) {
    assert.instance(e, FramelatchError)
    assert.is(e.code, 'FL_INVALID_DESC')
  }
})

test('a reused Rasterizer starts each shape clean', () => {
  const r = new Rasterizer(8, 8)
  polygon(r, [[0, 0], [8, 0], [8, 8], [0, 8]])
  r.reset(4, 4)
  polygon(r, [[1, 1], [3, 1], [3, 3], [1, 3]])
  const out = new Uint8Array(16)
  r.toAlpha(out)
  assert.is(total(out), 4)
  assert.is(out[0], 0)
  assert.throws(() => r.reset(-1, 4), (e) => e.code === 'FL_OUT_OF_RANGE')
})

test.run()
