/**
 * GLSL and static geometry of the candle series (candle-series.ts): OHLC candles and volume bars
 * drawn from candles retained in a float texture (series-texels.ts), through a 2D transform.
 *
 * Candle c is texels 2c = (t − originT, open, high, low) and 2c + 1 = (close, volume, 0, 0).
 * One instance draws up to CANDLE_CHUNK consecutive candles (24 floats, `CANDLE_FLOATS`):
 *
 * | floats | attribute | contents                                                                 |
 * |--------|-----------|--------------------------------------------------------------------------|
 * | 0..3   | `a_range` | first candle, candles in this chunk, mode (0 candles, 1 volume), texture rows |
 * | 4..7   | `a_xf`    | the transform's linear part m0, m1, m3, m4 (gl-matrix mat3, column-major) |
 * | 8..11  | `a_tr`    | translation tx, ty (pixels, origin applied), body half width (user x units), wick width (px) |
 * | 12..15 | `a_up`    | colour of candles closing at or above their open (r, g, b, a)           |
 * | 16..19 | `a_down`  | colour of candles closing below their open                               |
 * | 20..23 | (unused)  | padding, 0                                                               |
 *
 * Static geometry (slot 0, `a_v`): CANDLE_CHUNK × 8 corners of (candle in chunk, part 0 body /
 * 1 wick, x 0/1, y 0/1), drawn through an index buffer of two triangles a quad (series-pipeline.ts:
 * 8 vertex invocations, each with 2 texel fetches, a candle instead of 12). The body spans t ± half width and open..close, its edges rounded to pixel
 * edges and at least 1 px each way (a doji stays visible); the wick is `wick` px wide (rounded,
 * at least 1) centred on the pixel column holding t, from high to low. In
 * volume mode the body spans 0..volume and the wick is not drawn. Rectangles are computed in
 * pixels, so the transform must not rotate (chart transforms do not). Unused vertices go outside
 * the clip volume.
 */
import { SERIES_CHUNK_GLSL, SERIES_FETCH } from './series-shader.js'
import { viewShaderGLSL } from './view-transform.js'

/** Candles one instance draws. */
export const CANDLE_CHUNK = 256
/** Floats per instance. */
export const CANDLE_FLOATS = 24
/** Quads (body and wick) per instance; `quadIndices(CANDLE_QUADS)` draws them. */
export const CANDLE_QUADS = CANDLE_CHUNK * 2
/** Indices drawn per instance. */
export const CANDLE_INDICES = CANDLE_QUADS * 6

/** The static chunk: (candle, part, x, y) for the 4 corners of the body then the wick of every candle. */
export function candleChunkGeometry(): Float32Array {
  const out = new Float32Array(CANDLE_QUADS * 4 * 4)
  for (let c = 0, o = 0; c < CANDLE_CHUNK; c++) {
    for (let part = 0; part < 2; part++) {
      for (let v = 0; v < 4; v++, o += 4) {
        out[o] = c
        out[o + 1] = part
        out[o + 2] = v & 1 // corners (0, 0), (1, 0), (0, 1), (1, 1): the order quadIndices expects
        out[o + 3] = v >> 1
      }
    }
  }
  return out
}

/** Vertex shader; `viewBlock` is the GLSL of the queue's view block (`queue.view.glsl`). */
export function candleVertexShader(viewBlock: string): string {
  return `precision highp float;
${viewShaderGLSL(viewBlock)}
${SERIES_FETCH}
${SERIES_CHUNK_GLSL}
attribute vec4 a_v;
attribute vec4 a_up;
attribute vec4 a_down;
varying vec4 v_color;

// [a, b] sorted and rounded to pixel edges, at least 1 px wide (crisp edges, a doji stays visible).
vec2 pixelSpan(float a, float b) {
  float lo = floor(min(a, b) + 0.5);
  float hi = floor(max(a, b) + 0.5);
  return vec2(lo, max(hi, lo + 1.0));
}

void main() {
  float volume = a_range.z;
  if (a_v.x >= a_range.y || (volume > 0.5 && a_v.y > 0.5)) {
    gl_Position = OUTSIDE;
    v_color = vec4(0.0);
    return;
  }
  float c = a_range.x + a_v.x;
  vec4 tohl = fl_texel(2.0 * c, a_range.w);
  vec4 cv = fl_texel(2.0 * c + 1.0, a_range.w);
  v_color = cv.x >= tohl.y ? a_up : a_down;
  vec2 xs;
  vec2 ys;
  if (a_v.y < 0.5) {
    vec2 p0 = toPixels(vec2(tohl.x - a_tr.z, volume > 0.5 ? 0.0 : tohl.y));
    vec2 p1 = toPixels(vec2(tohl.x + a_tr.z, volume > 0.5 ? cv.y : cv.x));
    xs = pixelSpan(p0.x, p1.x);
    ys = pixelSpan(p0.y, p1.y);
  } else {
    vec2 h = toPixels(vec2(tohl.x, tohl.z));
    vec2 l = toPixels(vec2(tohl.x, tohl.w));
    // A whole number of pixels (at least 1) centred on the pixel column holding t.
    float w = max(floor(a_tr.w + 0.5), 1.0);
    float left = floor(h.x) - floor((w - 1.0) * 0.5);
    xs = vec2(left, left + w);
    ys = pixelSpan(h.y, l.y);
  }
  vec2 pos = vec2(a_v.z < 0.5 ? xs.x : xs.y, a_v.w < 0.5 ? ys.x : ys.y);
  gl_Position = flPixelToClip(pos);
}
`
}

export const CANDLE_FRAGMENT_SHADER = `precision mediump float;
varying vec4 v_color;
void main() {
  gl_FragColor = v_color;
}
`
