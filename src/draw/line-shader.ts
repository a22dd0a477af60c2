/**
 * GLSL and static geometry for the line batcher (line-batcher.ts): every segment is one instance,
 * expanded in the vertex shader from 7 static corners drawn through 9 indices.
 *
 * Per instance (16 floats, `LINE_FLOATS`), in pixels (x right, y down, origin top-left):
 *
 * | floats | attribute  | contents                                                          |
 * |--------|------------|-------------------------------------------------------------------|
 * | 0..3   | `a_pp`     | previous point A.xy (A = B: no join at the start), start B.xy      |
 * | 4..7   | `a_pn`     | end C.xy, next point D.xy (D = C: no join at the end)              |
 * | 8..11  | `a_color`  | r, g, b, a (0..1, not premultiplied)                              |
 * | 12..15 | `a_params` | thickness (px), join (0 miter, 1 bevel, 2 round), miter limit, aa |
 *
 * Static corners (slot 0, `a_corner`): four body corners (`x` = end 0/1, `y` = side -1/+1, in the
 * order `quadIndices` expects: (0, -1), (1, -1), (0, +1), (1, +1)) and three wedge corners (`z` =
 * 1, `w` = 0 centre, 1 outer corner of this segment, 2 outer corner of the next) that fill the
 * outside of a bevel at C. `LINE_CORNER_INDICES` draws them as two body triangles sharing the
 * diagonal from B's -1 side to C's +1 side, then the wedge: 9 indices, 7 vertex shader runs on
 * llvmpipe (which shades a corner named twice once) instead of 9 for unindexed vertices.
 *
 * Joins. **Miter**: both segments meeting at a point move their shared end corners to the miter
 * points (the intersection of their offset edges), computed identically on both sides, so the
 * joint is seamless with no overlap (translucent lines stay even); the wedge collapses. When the
 * miter would be longer than `limit` × half the thickness (SVG's `stroke-miterlimit`), the join
 * falls back to a bevel. **Bevel**: ends are square at the joint and the segment that ends there
 * fills the outer wedge with one triangle; the inner side overlaps. **Round**: each segment is a
 * capsule (quad extended by half the thickness, fragments outside the capsule discarded), which
 * gives round joins and round caps; capsules overlap at joints. Free ends of miter and bevel
 * lines are butt ends (square, at the end point).
 *
 * View transform (view-transform.ts): the four points are user coordinates, mapped to pixels by
 * `flViewPoint` first; everything after (thickness, joins, anti-aliasing) runs in pixels, so a
 * zoomed line keeps its pixel thickness.
 *
 * Anti-aliasing: with `aa` > 0 the geometry grows by `aa` px outward and coverage falls from 1 to
 * 0 over `aa` px centred on the true edge, so a line whose edges sit on pixel boundaries still
 * covers exactly its pixels. `aa` = 0 gives hard edges. Ends are not anti-aliased. The coverage
 * (`CAPSULE_VARYING_GLSL`, `CAPSULE_COVERAGE_GLSL`) is shared with the line series
 * (series-shader.ts): a corner's position along and across its segment is one varying, and the
 * fragment's distance to the segment follows from it (a capsule for round joins; straight edges
 * when the length and the position along are 0).
 */

import { quadIndices } from './series-pipeline.js'
import { viewShaderGLSL } from './view-transform.js'

/**
 * Vertex side of the shared segment coverage: `v_cap` from a corner at `along` px from B towards
 * C (B at 0, C at `len`) and `across` px from the segment's axis. Pass `len` = `along` = 0 for
 * edges with no round ends (the distance is then |across|). Coordinates are stored divided by
 * `aa` with w = halfW / aa + 0.5, so the fragment needs no division; `aa` = 0 (hard edges) stores
 * them as they are with w = -halfW. Four floats, interpolated exactly (the quad is an affine image
 * of the segment's frame): fewer varyings than B, C and the fragment position, which llvmpipe
 * would interpolate per fragment and write per vertex.
 */
export const CAPSULE_VARYING_GLSL = `varying vec4 v_cap;
vec4 flCapsuleVarying(float along, float across, float len, float halfW, float aa) {
  return aa > 0.0 ? vec4(along, across, len, halfW + 0.5 * aa) / aa : vec4(along, across, len, -halfW);
}
`

/** Fragment side: `flCapsuleCoverage(v_cap)`, 0..1, from the distance to the segment (see `CAPSULE_VARYING_GLSL`). */
export const CAPSULE_COVERAGE_GLSL = `varying vec4 v_cap;
float flCapsuleCoverage(vec4 cap) {
  // Distance beyond either end (0 between them), then to the axis.
  float d = length(vec2(max(max(-cap.x, cap.x - cap.z), 0.0), cap.y));
  return cap.w >= 0.0 ? clamp(cap.w - d, 0.0, 1.0) : (d <= -cap.w ? 1.0 : 0.0);
}
`

/** Floats per segment instance. */
export const LINE_FLOATS = 16
/** Corners per instance: 4 body + 3 wedge. */
export const LINE_CORNER_COUNT = 7
/** Indices drawn per instance: two body triangles + the wedge triangle. */
export const LINE_INDICES = 9

export const JOIN_MITER = 0
export const JOIN_BEVEL = 1
export const JOIN_ROUND = 2

/** The 7 static corners, 4 floats each (see the file comment). */
export const LINE_CORNERS = new Float32Array([
  0, -1, 0, 0, 1, -1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0,
  1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 2,
])

/** The 9 indices of an instance: the body quad's two triangles (`quadIndices`), then the wedge. */
export const LINE_CORNER_INDICES = new Uint16Array([...quadIndices(1), 4, 5, 6])

/**
 * Vertex shader; `viewBlock` is the GLSL of the queue's view block (`view_target`, `view_transform`),
 * `viewport` the name of its target-size vec2.
 */
export function lineVertexShader(viewBlock: string, viewport: string): string {
  return `precision highp float;
${viewShaderGLSL(viewBlock)}
${CAPSULE_VARYING_GLSL}
attribute vec4 a_corner;
attribute vec4 a_pp;
attribute vec4 a_pn;
attribute vec4 a_color;
attribute vec4 a_params;
varying vec4 v_color;

const vec4 OUTSIDE = vec4(2.0, 2.0, 2.0, 1.0);

vec2 perp(vec2 d) { return vec2(-d.y, d.x); }

// The miter offset direction scaled so its projection on n is 1, or vec2(0) when the miter is
// over the limit (or the turn is a full reversal).
vec2 miter(vec2 n, vec2 nn, float limit) {
  vec2 s = n + nn;
  float sl = length(s);
  if (sl < 1e-6) return vec2(0.0);
  vec2 m = s / sl;
  float c = dot(m, n);
  if (c < 1e-6 || 1.0 / c > limit) return vec2(0.0);
  return m / c;
}

void main() {
  vec2 A = flViewPoint(a_pp.xy);
  vec2 B = flViewPoint(a_pp.zw);
  vec2 C = flViewPoint(a_pn.xy);
  vec2 D = flViewPoint(a_pn.zw);
  float halfW = a_params.x * 0.5;
  float join = a_params.y;
  float limit = a_params.z;
  float aa = a_params.w;
  float ext = halfW + aa;
  vec2 seg = C - B;
  float len = length(seg);
  v_color = a_color;
  v_cap = vec4(0.0);
  // Unused corners go outside the clip volume rather than collapsing onto a point: llvmpipe
  // (via ANGLE) was seen to drop a whole instanced draw that held a zero-area triangle in view.
  if (len < 1e-6 || !(halfW > 0.0) || (join > 1.5 && a_corner.z > 0.5)) {
    gl_Position = OUTSIDE;
    return;
  }
  vec2 dir = seg / len;
  vec2 n = perp(dir);
  vec2 pos = B;
  float across = 0.0;
  // Miter and bevel edges have no round ends: along and capLen stay 0 (distance = |across|).
  float along = 0.0;
  float capLen = 0.0;
  if (join > 1.5) {
    // Round: a capsule (the wedge corners were sent outside above).
    along = a_corner.x < 0.5 ? -ext : len + ext;
    capLen = len;
    across = ext * a_corner.y;
    pos = B + dir * along + n * across;
  } else if (a_corner.z < 0.5) {
    float atEnd = a_corner.x;
    float side = a_corner.y;
    vec2 P = atEnd < 0.5 ? B : C;
    // The neighbour's direction along the path: A->B at the start, C->D at the end.
    vec2 nd = atEnd < 0.5 ? B - A : D - C;
    float nl = length(nd);
    vec2 off = n;
    if (join < 0.5 && nl > 1e-6) {
      vec2 m = miter(n, perp(nd / nl), limit);
      if (m.x != 0.0 || m.y != 0.0) off = m;
    }
    pos = P + off * (ext * side);
    across = ext * side;
  } else {
    // Wedge at C filling the outside of a bevel (also a miter over its limit).
    vec2 nd = D - C;
    float nl = length(nd);
    if (nl < 1e-6) {
      gl_Position = OUTSIDE; // free end: no wedge
      return;
    }
    vec2 nn = perp(nd / nl);
    vec2 m = join < 0.5 ? miter(n, nn, limit) : vec2(0.0);
    float turn = dir.x * nd.y - dir.y * nd.x;
    if (m.x != 0.0 || m.y != 0.0 || abs(turn) < 1e-6 * nl) {
      gl_Position = OUTSIDE; // the miter closes the joint, or the path goes straight on
      return;
    }
    pos = C;
    if (a_corner.w > 0.5) {
      // The path turns towards +n when cross(dir, nd) > 0; the outside is then -n.
      float outer = turn > 0.0 ? -1.0 : 1.0;
      pos = C + (a_corner.w > 1.5 ? nn : n) * (ext * outer);
      across = ext;
    }
  }
  v_cap = flCapsuleVarying(along, across, capLen, halfW, aa);
  gl_Position = vec4(pos.x * 2.0 / ${viewport}.x - 1.0, 1.0 - pos.y * 2.0 / ${viewport}.y, 0.0, 1.0);
}
`
}

export const LINE_FRAGMENT_SHADER = `#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
${CAPSULE_COVERAGE_GLSL}
varying vec4 v_color;

void main() {
  float coverage = flCapsuleCoverage(v_cap);
  if (coverage <= 0.0) discard;
  gl_FragColor = vec4(v_color.rgb, v_color.a * coverage);
}
`
