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
 * Static geometry (slot 0, `a_v`): SERIES_CHUNK × 6 vertices of (segment in chunk, end 0/1, side
 * -1/+1), two triangles per segment. A line segment is a capsule around B..C (round joins and
 * caps; the fragment shader cuts the round ends and anti-aliases over `aa` px); an area segment is
 * the trapezoid from B..C down (or up) to the baseline; a step segment is the rectangle under
 * B.y (step after) or C.y (step before) from B.x to C.x. Vertices of segments past the chunk's count
 * go outside the clip volume (llvmpipe was seen to drop a whole instanced draw holding a
 * zero-area triangle in view, see line-shader.ts).
 */
import { SERIES_TEXTURE_WIDTH } from './series-texels.js'

/** Segments one instance draws. */
export const SERIES_CHUNK = 512
/** Floats per instance. */
export const SERIES_FLOATS = 16
/** Vertices per instance. */
export const SERIES_VERTICES = SERIES_CHUNK * 6

export const MODE_LINE = 0
export const MODE_AREA = 1
export const MODE_STEP_AFTER = 2
export const MODE_STEP_BEFORE = 3

/** The static chunk: (segment, end, side) for 6 vertices per segment. */
export function seriesChunkGeometry(): Float32Array {
  const corners = [0, -1, 1, -1, 1, 1, 0, -1, 1, 1, 0, 1]
  const out = new Float32Array(SERIES_VERTICES * 3)
  for (let s = 0, o = 0; s < SERIES_CHUNK; s++) {
    for (let v = 0; v < 6; v++, o += 3) {
      out[o] = s
      out[o + 1] = corners[v * 2]!
      out[o + 2] = corners[v * 2 + 1]!
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

/** Vertex shader; `viewBlock` is the GLSL of the queue's view block, `viewport` its target field. */
export function seriesVertexShader(viewBlock: string, viewport: string): string {
  return `precision highp float;
${viewBlock}
${SERIES_FETCH}
attribute vec3 a_v;
attribute vec4 a_range;
attribute vec4 a_xf;
attribute vec4 a_tr;
attribute vec4 a_color;
varying vec4 v_color;
varying vec4 v_seg;
varying vec4 v_frag; // x: half thickness, y: aa, z: 1 = line (capsule coverage)
varying vec2 v_pos;

const vec4 OUTSIDE = vec4(2.0, 2.0, 2.0, 1.0);

vec2 toPixels(vec2 p) {
  return vec2(a_xf.x * p.x + a_xf.z * p.y + a_tr.x, a_xf.y * p.x + a_xf.w * p.y + a_tr.y);
}

void main() {
  v_color = a_color;
  v_frag = vec4(0.0);
  v_seg = vec4(0.0);
  if (a_v.x >= a_range.y) {
    gl_Position = OUTSIDE;
    v_pos = vec2(0.0);
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
    float ext = halfW + aa;
    vec2 seg = C - B;
    float len = length(seg);
    vec2 dir = len > 1e-6 ? seg / len : vec2(1.0, 0.0);
    vec2 n = vec2(-dir.y, dir.x);
    pos = (a_v.y < 0.5 ? B - dir * ext : C + dir * ext) + n * (ext * a_v.z);
    v_seg = vec4(B, C);
    v_frag = vec4(halfW, aa, 1.0, 0.0);
  } else {
    float x = a_v.y < 0.5 ? b.x : c.x;
    float top = mode < 1.5 ? (a_v.y < 0.5 ? b.y : c.y) : (mode < 2.5 ? b.y : c.y);
    pos = toPixels(vec2(x, a_v.z > 0.0 ? top : a_tr.z));
  }
  v_pos = pos;
  gl_Position = vec4(pos.x * 2.0 / ${viewport}.x - 1.0, 1.0 - pos.y * 2.0 / ${viewport}.y, 0.0, 1.0);
}
`
}

export const SERIES_FRAGMENT_SHADER = `#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
varying vec4 v_color;
varying vec4 v_seg;
varying vec4 v_frag;
varying vec2 v_pos;

void main() {
  float coverage = 1.0;
  if (v_frag.z > 0.5) {
    // Distance from the fragment to the segment B..C: a capsule.
    vec2 ba = v_seg.zw - v_seg.xy;
    vec2 pa = v_pos - v_seg.xy;
    float bb = dot(ba, ba);
    float t = bb > 0.0 ? clamp(dot(pa, ba) / bb, 0.0, 1.0) : 0.0;
    float d = length(pa - ba * t);
    float halfW = v_frag.x;
    float aa = v_frag.y;
    coverage = aa > 0.0 ? clamp((halfW - d) / aa + 0.5, 0.0, 1.0) : (d <= halfW ? 1.0 : 0.0);
  }
  if (coverage <= 0.0) discard;
  gl_FragColor = vec4(v_color.rgb, v_color.a * coverage);
}
`
