/**
 * GLSL of the rect batcher (rect-batcher.ts). Per instance (8 floats, `RECT_FLOATS`): x, y, w, h
 * (pixels, y down) | fill (uint32, `ubyte4n`) | border (uint32) | border width, corner radius.
 *
 * The fragment shader evaluates a rounded-box distance per pixel: coverage is 1 for pixels whose
 * centre lies at least half a pixel inside the outer edge, 0 half a pixel outside, linear in
 * between (so integer-aligned rectangles have hard edges and corners are anti-aliased). The
 * border is the band within the border width of the outer edge (inner corner radius
 * `radius - borderWidth`); the radius is clamped to half the shorter side.
 *
 * View transform (view-transform.ts): x, y, w, h are user coordinates mapped to pixels by
 * `flViewPoint`; the distance field runs in pixels (the rectangle's size scaled by the
 * transform's axis lengths), so border width, radius and the anti-aliased edge stay in pixels.
 */
import type { VertexAttributeDesc } from '../gl/types.js'
import { viewShaderGLSL } from './view-transform.js'

/** Floats per rectangle instance. */
export const RECT_FLOATS = 8

/** Vertex shader source; `viewGLSL` is the queue's view block (`queue.view.glsl`). */
export const RECT_VERTEX_SHADER = (viewGLSL: string): string => `precision highp float;
${viewShaderGLSL(viewGLSL)}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute vec4 a_fill;
attribute vec4 a_border;
attribute vec2 a_params;
varying vec2 v_local;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_border;
varying vec2 v_params;
void main() {
  vec2 p = flViewPoint(a_rect.xy + a_corner * a_rect.zw);
  gl_Position = flPixelToClip(p);
  vec2 size = a_rect.zw * vec2(length(flViewVector(vec2(1.0, 0.0))), length(flViewVector(vec2(0.0, 1.0))));
  v_local = a_corner * size;
  v_size = size;
  v_fill = a_fill;
  v_border = a_border;
  v_params = a_params;
}`

export const RECT_FRAGMENT_SHADER = `precision highp float;
varying vec2 v_local;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_border;
varying vec2 v_params;
float roundBox(vec2 p, vec2 b, float r) {
  vec2 q = abs(p) - b + r;
  return min(max(q.x, q.y), 0.0) + length(max(q, 0.0)) - r;
}
void main() {
  vec2 hs = v_size * 0.5;
  vec2 p = v_local - hs;
  float r = min(v_params.y, min(hs.x, hs.y));
  float coverage = clamp(0.5 - roundBox(p, hs, r), 0.0, 1.0);
  vec4 col = v_fill;
  float bw = v_params.x;
  if (bw > 0.0) {
    float inner = roundBox(p, max(hs - bw, 0.0), max(r - bw, 0.0));
    col = mix(v_fill, v_border, clamp(inner + 0.5, 0.0, 1.0));
  }
  gl_FragColor = vec4(col.rgb, col.a * coverage);
}`

/**
 * Solid rectangles (`createRectBatcher({ solid: true })`): the same instances, read without the
 * border and the corner radius; every pixel whose centre is inside is the fill colour (no
 * distance field, no anti-aliased edge). On llvmpipe the rounded-box shader above costs about as
 * much per pixel again as filling it: bars, cells and grid lines of an opaque dashboard measured
 * about 40% cheaper a pixel with this one (and, opaque, the pixels are the same: without blending
 * the coverage only ever reached the alpha channel).
 */
export const RECT_SOLID_VERTEX_SHADER = (viewGLSL: string): string => `precision highp float;
${viewShaderGLSL(viewGLSL)}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute vec4 a_fill;
varying vec4 v_fill;
void main() {
  gl_Position = flPixelToClip(flViewPoint(a_rect.xy + a_corner * a_rect.zw));
  v_fill = a_fill;
}`

export const RECT_SOLID_FRAGMENT_SHADER = `precision mediump float;
varying vec4 v_fill;
void main() {
  gl_FragColor = v_fill;
}`

/** How the pipeline reads a rect instance (slot 1) and the unit quad (slot 0). */
export const RECT_ATTRIBUTES: VertexAttributeDesc[] = [
  { name: 'a_corner', format: 'float2', buffer: 0 },
  { name: 'a_rect', format: 'float4', buffer: 1, offset: 0 },
  { name: 'a_fill', format: 'ubyte4n', buffer: 1, offset: 16 },
  { name: 'a_border', format: 'ubyte4n', buffer: 1, offset: 20 },
  { name: 'a_params', format: 'float2', buffer: 1, offset: 24 },
]

/** What the solid program reads of the same layout. */
export const RECT_SOLID_ATTRIBUTES: VertexAttributeDesc[] = RECT_ATTRIBUTES.slice(0, 3)
