/**
 * GLSL of the sprite batcher (sprite-batcher.ts). Per instance (10 floats, `SPRITE_FLOATS`):
 * x, y, w, h (top-left and size, pixels, y down) | rotation (radians, clockwise on screen, about
 * the centre) | u0, v0, u1, v1 (texture region: (u0, v0) at the top-left corner) | tint (uint32,
 * `ubyte4n`). The fragment shader multiplies the texel by the tint. Rect and rotation are in user
 * coordinates; the rotated corners go through the view transform (`flViewPoint`, view-transform.ts).
 */
import type { VertexAttributeDesc } from '../gl/types.js'
import { viewShaderGLSL } from './view-transform.js'

/** Floats per sprite instance. */
export const SPRITE_FLOATS = 10

/** Vertex shader source; `viewGLSL` is the queue's view block (`queue.view.glsl`). */
export const SPRITE_VERTEX_SHADER = (viewGLSL: string): string => `precision highp float;
${viewShaderGLSL(viewGLSL)}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute float a_rotation;
attribute vec4 a_uv;
attribute vec4 a_color;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  vec2 half_size = a_rect.zw * 0.5;
  vec2 local = (a_corner - 0.5) * a_rect.zw;
  float c = cos(a_rotation);
  float s = sin(a_rotation);
  vec2 p = flViewPoint(a_rect.xy + half_size + vec2(local.x * c - local.y * s, local.x * s + local.y * c));
  gl_Position = flPixelToClip(p);
  v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
  v_color = a_color;
}`

export const SPRITE_FRAGMENT_SHADER = `precision mediump float;
uniform sampler2D u_texture;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  gl_FragColor = texture2D(u_texture, v_uv) * v_color;
}`

/** How the pipeline reads a sprite instance (slot 1) and the unit quad (slot 0). */
export const SPRITE_ATTRIBUTES: VertexAttributeDesc[] = [
  { name: 'a_corner', format: 'float2', buffer: 0 },
  { name: 'a_rect', format: 'float4', buffer: 1, offset: 0 },
  { name: 'a_rotation', format: 'float', buffer: 1, offset: 16 },
  { name: 'a_uv', format: 'float4', buffer: 1, offset: 20 },
  { name: 'a_color', format: 'ubyte4n', buffer: 1, offset: 36 },
]
