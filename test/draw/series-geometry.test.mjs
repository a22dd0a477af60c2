// The static chunks of the series batchers (series-shader.ts, candle-shader.ts), drawn through
// quadIndices (series-pipeline.ts): four corners a quad and two triangles a quad. Every quad's six
// indices must name its own four corners, one per (x, y) corner of the unit square, and the two
// triangles must tile the quad (each half of it, sharing a diagonal): a wrong index leaves a
// hole in every segment or candle, or draws across them.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SERIES_CHUNK, SERIES_CORNERS, SERIES_INDICES, seriesChunkGeometry } from '../../dist/draw/series-shader.js'
import { CANDLE_CHUNK, CANDLE_INDICES, CANDLE_QUADS, candleChunkGeometry } from '../../dist/draw/candle-shader.js'
import { quadIndices } from '../../dist/draw/series-pipeline.js'

/**
 * Checks quads of `ix` against the corners `g` (`stride` floats a corner): `owner(v)` is the
 * segment or candle (and part) corner v belongs to, `at(v)` its (x, y) on the quad.
 */
function checkQuads(g, ix, quads, owner, at, what) {
  const area2 = (a, b, c) => {
    const [ax, ay] = at(a), [bx, by] = at(b), [cx, cy] = at(c)
    return (bx - ax) * (cy - ay) - (cx - ax) * (by - ay)
  }
  for (let s = 0; s < quads; s++) {
    const tri = Array.from(ix.subarray(6 * s, 6 * s + 6))
    const corners = new Set(tri)
    assert.is(corners.size, 4, `${what} ${s} uses 4 distinct corners (${tri})`)
    const seen = new Set()
    const owners = new Set()
    for (const v of corners) {
      owners.add(owner(v))
      seen.add(at(v).join(','))
    }
    assert.is(owners.size, 1, `${what} ${s}: its corners belong to one ${what} (${[...owners]})`)
    assert.equal([...seen].sort(), ['0,0', '0,1', '1,0', '1,1'], `${what} ${s}: one corner per corner of the quad`)
    // The unit quad has area 1: each triangle covers half, with the same winding.
    const a = area2(tri[0], tri[1], tri[2])
    const b = area2(tri[3], tri[4], tri[5])
    assert.is(Math.abs(a), 1, `${what} ${s}: first triangle is half the quad`)
    assert.is(Math.abs(b), 1, `${what} ${s}: second triangle is half the quad`)
    assert.ok(a * b > 0, `${what} ${s}: both triangles wind the same way`)
    // They tile the quad only when they share a diagonal (two corners differing in x and y).
    const shared = tri.slice(0, 3).filter((v) => tri.slice(3).includes(v))
    assert.is(shared.length, 2, `${what} ${s}: the triangles share one edge`)
    const [p, q] = shared.map(at)
    assert.ok(p[0] !== q[0] && p[1] !== q[1], `${what} ${s}: the shared edge is a diagonal`)
  }
}

test('line series: four corners a segment, two triangles tiling its quad, every index inside its own segment', () => {
  const g = seriesChunkGeometry()
  const ix = quadIndices(SERIES_CHUNK)
  assert.is(SERIES_CORNERS, SERIES_CHUNK * 4)
  assert.is(SERIES_INDICES, ix.length)
  assert.is(g.length, SERIES_CORNERS * 3)
  assert.ok(SERIES_CORNERS <= 65536, 'uint16 indices reach every corner')
  // Corner (segment, end 0/1, side -1/+1): x = end, y = side mapped to 0/1.
  checkQuads(g, ix, SERIES_CHUNK, (v) => g[3 * v], (v) => [g[3 * v + 1], (g[3 * v + 2] + 1) / 2], 'segment')
})

test('candle series: body and wick quads of four corners, two triangles each, every index inside its own candle part', () => {
  const g = candleChunkGeometry()
  const ix = quadIndices(CANDLE_QUADS)
  assert.is(CANDLE_QUADS, CANDLE_CHUNK * 2)
  assert.is(CANDLE_INDICES, ix.length)
  assert.is(g.length, CANDLE_QUADS * 4 * 4)
  assert.ok(CANDLE_QUADS * 4 <= 65536, 'uint16 indices reach every corner')
  // Corner (candle, part 0 body / 1 wick, x, y).
  checkQuads(g, ix, CANDLE_QUADS, (v) => `${g[4 * v]}/${g[4 * v + 1]}`, (v) => [g[4 * v + 2], g[4 * v + 3]], 'quad')
})

test.run()
