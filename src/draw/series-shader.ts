/**
 * GLSL and static geometry of the line series (line-series.ts): lines and filled areas drawn from
 * points retained in a float texture (series-texels.ts), through a 2D transform.
 *
 * The texture holds 2 points a texel (x, y, x, y), SERIES_TEXTURE_WIDTH texels a row; point p is
 * component pair p & 1 of texel p >> 1. x is stored relative to the series' origin (float32 keeps
 * 24 bits: epoch milliseconds would lose whole seconds), and the transform's translation is
 * adjusted for it on the CPU in doubles.
 *
 * One instance draws up to SERIES_CHUNK consecutive segments of one pyramid level (16 floats,
 * `SERIES_FLOATS`):
 *
 * | floats | attribute  | contents                                                                   |
 * |--------|------------|----------------------------------------------------------------------------|
 * | 0..3   | `a_range`  | first point, segments in this chunk, mode (0 line, 1 area, 2 step after, 3 step before), texture rows |
 * | 4..7   | `a_xf`     | the transform's linear part m0, m1, m3, m4 (gl-matrix mat3, column-major)  |
 * | 8..11  | `a_tr`     | translation tx, ty (pixels, origin applied), thickness (line) or baseline y (area), aa (px) |
 * | 12..15 | `a_color`  | r, g, b, a (0..1, not premultiplied)                                        |
 *
 * Static geometry (slot 0, `a_v`): SERIES_CHUNK × 4 corners of (segment in chunk, end 0/1, side
 * -1/+1), drawn through an index buffer of two triangles a segment (series-pipeline.ts: llvmpipe
 * shades a corner two indices name once, so 4 vertex invocations a segment instead of 6). A line
 * segment is a capsule around B..C (round joins and caps; the fragment shader cuts the round ends
 * and anti-aliases over `aa` px, `CAPSULE_COVERAGE_GLSL` shared with the line batcher); an area
 * segment is the trapezoid from B..C down (or up) to the baseline; a step segment is the
 * rectangle under B.y (step after) or C.y (step before) from B.x to C.x. Vertices of segments
 * past the chunk's count go outside the clip volume (llvmpipe was seen to drop a whole instanced
 * draw holding a zero-area triangle in view, see line-shader.ts).
 */
import { CAPSULE_VARYING_GLSL, LINE_FRAGMENT_SHADER } from './line-shader.js'
import { SERIES_TEXTURE_WIDTH } from './series-texels.js'
import { viewShaderGLSL } from './view-transform.js'
import type { VertexAttributeDesc } from '../gl/types.js'

/** Segments one instance draws. */
export const SERIES_CHUNK = 512
/** Floats per instance. */
export const SERIES_FLOATS = 16
/** Corners (vertices of the static geometry) per instance. */
export const SERIES_CORNERS = SERIES_CHUNK * 4
/** Indices drawn per instance (two triangles a segment). */
export const SERIES_INDICES = SERIES_CHUNK * 6

export const MODE_LINE = 0
export const MODE_AREA = 1
export const MODE_STEP_AFTER = 2
export const MODE_STEP_BEFORE = 3

/** The static chunk: (segment, end, side) for the 4 corners of every segment. */
export function seriesChunkGeometry(): Float32Array {
  const out = new Float32Array(SERIES_CORNERS * 3)
  for (let s = 0, o = 0; s < SERIES_CHUNK; s++) {
    for (let v = 0; v < 4; v++, o += 3) {
      out[o] = s
      out[o + 1] = v & 1 // end: corners 0, 2 at B, 1, 3 at C (the order quadIndices expects)
      out[o + 2] = v < 2 ? -1 : 1 // side
    }
  }
  return out
}

/** GLSL: `fl_point(p, rows)`, point p of the texture `u_points` (vertex stage). */
export const SERIES_FETCH = `uniform sampler2D u_points;
const float FL_TEX_W = ${SERIES_TEXTURE_WIDTH}.0;
vec4 fl_texel(float t, float rows) {
  float row = floor(t / FL_TEX_W);
  float col = t - row * FL_TEX_W;
  return texture2D(u_points, vec2((col + 0.5) / FL_TEX_W, (row + 0.5) / rows));
}
vec2 fl_point(float p, float rows) {
  float t = floor(p * 0.5);
  vec4 v = fl_texel(t, rows);
  return p - t * 2.0 < 0.5 ? v.xy : v.zw;
}
`

/**
 * The instance head both series kinds share (this file's and candle-shader.ts's tables, floats
 * 0..11): `a_range` (first element, elements in the chunk, mode, texture rows), `a_xf` (the
 * transform's linear part) and `a_tr` (its translation, then two floats of the kind's own).
 */
export const SERIES_CHUNK_ATTRIBUTES: readonly VertexAttributeDesc[] = [
  { name: 'a_range', format: 'float4', buffer: 1, offset: 0 },
  { name: 'a_xf', format: 'float4', buffer: 1, offset: 16 },
  { name: 'a_tr', format: 'float4', buffer: 1, offset: 32 },
]

/** GLSL (vertex stage): the instance head's attributes, `OUTSIDE` (a clipped vertex) and `toPixels(p)`, user coordinates to pixels through the chunk's transform. */
export const SERIES_CHUNK_GLSL = `attribute vec4 a_range;
attribute vec4 a_xf;
attribute vec4 a_tr;

const vec4 OUTSIDE = vec4(2.0, 2.0, 2.0, 1.0);

vec2 toPixels(vec2 p) {
  return vec2(a_xf.x * p.x + a_xf.z * p.y + a_tr.x, a_xf.y * p.x + a_xf.w * p.y + a_tr.y);
}
`

/** Vertex shader; `viewBlock` is the GLSL of the queue's view block (`queue.view.glsl`). */
export function seriesVertexShader(viewBlock: string): string {
  return `precision highp float;
${viewShaderGLSL(viewBlock)}
${SERIES_FETCH}
${CAPSULE_VARYING_GLSL}
${SERIES_CHUNK_GLSL}
attribute vec3 a_v;
attribute vec4 a_color;
varying vec4 v_color;

void main() {
  v_color = a_color;
  // Areas are covered whole: no ends (length 0, along 0), across 0, and coverage 1 (w > 1).
  v_cap = vec4(0.0, 0.0, 0.0, 2.0);
  if (a_v.x >= a_range.y) {
    gl_Position = OUTSIDE;
    return;
  }
  float p = a_range.x + a_v.x;
  vec2 b = fl_point(p, a_range.w);
  vec2 c = fl_point(p + 1.0, a_range.w);
  float mode = a_range.z;
  vec2 pos;
  if (mode < 0.5) {
    vec2 B = toPixels(b);
    vec2 C = toPixels(c);
    float halfW = a_tr.z * 0.5;
    float aa = a_tr.w;
    // Coverage ends at halfW + aa / 2 (the ramp is centred on the edge): the quad stops there, so
    // no fragment is shaded only to be discarded.
    float ext = halfW + 0.5 * aa;
    vec2 seg = C - B;
    float len = length(seg);
    vec2 dir = len > 1e-6 ? seg / len : vec2(1.0, 0.0);
    float along = a_v.y < 0.5 ? -ext : len + ext;
    float across = ext * a_v.z;
    pos = B + dir * along + vec2(-dir.y, dir.x) * across;
    v_cap = flCapsuleVarying(along, across, len, halfW, aa);
  } else {
    float x = a_v.y < 0.5 ? b.x : c.x;
    float top = mode < 1.5 ? (a_v.y < 0.5 ? b.y : c.y) : (mode < 2.5 ? b.y : c.y);
    pos = toPixels(vec2(x, a_v.z > 0.0 ? top : a_tr.z));
  }
  gl_Position = flPixelToClip(pos);
}
`
}

/** The series' fragments are the line batcher's: capsule coverage of the segment, in its colour. */
export const SERIES_FRAGMENT_SHADER = LINE_FRAGMENT_SHADER
