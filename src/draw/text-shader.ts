/**
 * GLSL and static geometry for the text batcher (text-batcher.ts): one instance per glyph, a unit
 * quad (slot 0) scaled to the glyph's pixel rectangle and mapped to its atlas rectangle.
 *
 * Per instance (9 floats, `GLYPH_FLOATS`): x, y, w, h (top-left and size, pixels, y down: the
 * first 8 floats are exactly `layoutText`'s quad), u0, v0, u1, v1 (atlas UVs, v = 0 at the atlas's
 * top row), and the colour packed in one uint32 read as `ubyte4n` (packHexColor, not
 * premultiplied): the shader sees each channel as byte / 255, the value four floats carried
 * before, in a quarter of the bytes (a glyph is 36 bytes instead of 48 to copy, upload and fetch). The atlas is an alpha8 texture sampled with
 * nearest filtering: layout snaps glyphs to whole pixels, so texels map 1:1 onto pixels.
 */

export const GLYPH_FLOATS = 9
export const GLYPH_VERTICES = 4

/**
 * Unit quad corners as a triangle strip: (0,0) (1,0) (0,1) (1,1). Four vertices a glyph, not the
 * six of two separate triangles: llvmpipe shades every vertex of a non-indexed draw, and a
 * frame of a few thousand glyphs measured about 8% cheaper this way (same pixels: glyph quads
 * are whole pixels, so the diagonal the triangles share does not change which pixels they cover).
 */
export const GLYPH_CORNERS = new Float32Array([0, 0, 1, 0, 0, 1, 1, 1])

export function textVertexShader(viewBlock: string, viewport: string): string {
  return `precision highp float;
${viewBlock}
attribute vec2 a_corner;
attribute vec4 a_rect;
attribute vec4 a_uv;
attribute vec4 a_color;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  vec2 pos = a_rect.xy + a_corner * a_rect.zw;
  v_uv = mix(a_uv.xy, a_uv.zw, a_corner);
  v_color = a_color;
  gl_Position = vec4(pos.x * 2.0 / ${viewport}.x - 1.0, 1.0 - pos.y * 2.0 / ${viewport}.y, 0.0, 1.0);
}
`
}

export const TEXT_FRAGMENT_SHADER = `precision mediump float;
uniform sampler2D u_atlas;
varying vec2 v_uv;
varying vec4 v_color;
void main() {
  float coverage = texture2D(u_atlas, v_uv).a;
  if (coverage <= 0.0) discard;
  gl_FragColor = vec4(v_color.rgb, v_color.a * coverage);
}
`
