// The line batcher's static corners (line-shader.ts), drawn through LINE_CORNER_INDICES: four body
// corners and three wedge corners a segment, nine indices. The body's six indices must name its
// four corners, one per (end, side), as two triangles of one winding that tile the quad along a
// diagonal; the wedge's three must name the three wedge corners (centre, this segment's outer
// corner, the next one's). A wrong index leaves a hole in every segment or a missing bevel wedge.
// The indexed triangles must also be the nine vertices the batcher drew before it was indexed,
// vertex for vertex, so llvmpipe rasterises the same triangles and the pixels stay the same.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  LINE_CORNER_COUNT, LINE_CORNER_INDICES, LINE_CORNERS, LINE_INDICES,
} from '../../dist/draw/line-shader.js'

/** Corner v as [x, y, z, w]: body x = end 0/1, y = side -1/+1, z = 0; wedge z = 1, w = 0/1/2. */
const corner = (v) => Array.from(LINE_CORNERS.subarray(4 * v, 4 * v + 4))

test('seven corners, nine uint16 indices, every corner named', () => {
  assert.is(LINE_CORNERS.length, LINE_CORNER_COUNT * 4)
  assert.is(LINE_CORNER_COUNT, 7)
  assert.ok(LINE_CORNER_INDICES instanceof Uint16Array)
  assert.is(LINE_CORNER_INDICES.length, LINE_INDICES)
  assert.is(LINE_INDICES, 9)
  for (const v of LINE_CORNER_INDICES) assert.ok(v < LINE_CORNER_COUNT, `index ${v} names a corner`)
  assert.is(new Set(LINE_CORNER_INDICES).size, LINE_CORNER_COUNT, 'each corner is drawn')
})

test('body: two triangles of one winding tiling the quad (end x side) along a diagonal', () => {
  const tri = Array.from(LINE_CORNER_INDICES.subarray(0, 6))
  const at = (v) => {
    const [x, y, z] = corner(v)
    assert.is(z, 0, `body index ${v} names a body corner`)
    return [x, (y + 1) / 2]
  }
  assert.equal([...new Set(tri)].map((v) => at(v).join(',')).sort(), ['0,0', '0,1', '1,0', '1,1'],
    'four distinct corners, one per corner of the quad')
  const area2 = (a, b, c) => {
    const [ax, ay] = at(a), [bx, by] = at(b), [cx, cy] = at(c)
    return (bx - ax) * (cy - ay) - (cx - ax) * (by - ay)
  }
  const a = area2(tri[0], tri[1], tri[2])
  const b = area2(tri[3], tri[4], tri[5])
  assert.is(Math.abs(a), 1, 'first triangle is half the quad')
  assert.is(Math.abs(b), 1, 'second triangle is half the quad')
  assert.ok(a * b > 0, 'both triangles wind the same way')
  const shared = tri.slice(0, 3).filter((v) => tri.slice(3).includes(v))
  assert.is(shared.length, 2, 'the triangles share one edge')
  const [p, q] = shared.map(at)
  assert.ok(p[0] !== q[0] && p[1] !== q[1], 'the shared edge is a diagonal')
})

test('wedge: one triangle of the centre and both outer corners', () => {
  const w = Array.from(LINE_CORNER_INDICES.subarray(6, 9)).map(corner)
  for (const c of w) assert.is(c[2], 1, `wedge index names a wedge corner (${c})`)
  assert.equal(w.map((c) => c[3]), [0, 1, 2], 'centre, this segment\'s outer corner, the next segment\'s')
})

test('the indexed vertices are the nine the unindexed batcher drew, in the same order', () => {
  const expanded = Array.from(LINE_CORNER_INDICES, corner)
  assert.equal(expanded, [
    [0, -1, 0, 0], [1, -1, 0, 0], [1, 1, 0, 0],
    [0, -1, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0],
    [1, 0, 1, 0], [1, 0, 1, 1], [1, 0, 1, 2],
  ])
})

test.run()
