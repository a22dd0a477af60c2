// The line series' static chunk (series-shader.ts): four corners a segment and an index buffer of
// two triangles a segment. Every segment's six indices must name its own four corners, one per
// (end, side), and the two triangles must tile the segment's quad (each half of it, no overlap):
// a wrong index leaves a hole in every segment or draws across segments.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SERIES_CHUNK, SERIES_CORNERS, SERIES_INDICES, seriesChunkGeometry, seriesChunkIndices } from '../../dist/draw/series-shader.js'

/** Twice the signed area of triangle (a, b, c) in (end, side) coordinates. */
const area2 = (g, a, b, c) =>
  (g[3 * b + 1] - g[3 * a + 1]) * (g[3 * c + 2] - g[3 * a + 2]) - (g[3 * c + 1] - g[3 * a + 1]) * (g[3 * b + 2] - g[3 * a + 2])

test('four corners a segment, two triangles tiling its quad, every index inside its own segment', () => {
  const g = seriesChunkGeometry()
  const ix = seriesChunkIndices()
  assert.is(SERIES_CORNERS, SERIES_CHUNK * 4)
  assert.is(SERIES_INDICES, SERIES_CHUNK * 6)
  assert.is(g.length, SERIES_CORNERS * 3)
  assert.is(ix.length, SERIES_INDICES)
  assert.ok(SERIES_CORNERS <= 65536, 'uint16 indices reach every corner')
  for (let s = 0; s < SERIES_CHUNK; s++) {
    const tri = Array.from(ix.subarray(6 * s, 6 * s + 6))
    const corners = new Set(tri)
    assert.is(corners.size, 4, `segment ${s} uses 4 distinct corners (${tri})`)
    const seen = new Set()
    for (const v of corners) {
      assert.is(g[3 * v], s, `segment ${s}: corner ${v} belongs to it`)
      seen.add(`${g[3 * v + 1]},${g[3 * v + 2]}`)
    }
    assert.equal([...seen].sort(), ['0,-1', '0,1', '1,-1', '1,1'], `segment ${s}: one corner per end and side`)
    // The quad (end 0..1, side -1..1) has area 2: each triangle covers half, with the same winding.
    const a = area2(g, tri[0], tri[1], tri[2])
    const b = area2(g, tri[3], tri[4], tri[5])
    assert.is(Math.abs(a), 2, `segment ${s}: first triangle is half the quad`)
    assert.is(Math.abs(b), 2, `segment ${s}: second triangle is half the quad`)
    assert.ok(a * b > 0, `segment ${s}: both triangles wind the same way`)
    // They tile the quad only when they share a diagonal (two corners differing in end and side).
    const shared = tri.slice(0, 3).filter((v) => tri.slice(3).includes(v))
    assert.is(shared.length, 2, `segment ${s}: the triangles share one edge`)
    const [u, w] = shared
    assert.ok(g[3 * u + 1] !== g[3 * w + 1] && g[3 * u + 2] !== g[3 * w + 2], `segment ${s}: the shared edge is a diagonal`)
  }
})

test.run()
