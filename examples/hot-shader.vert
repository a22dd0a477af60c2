// The full-screen triangle of examples/hot-shader.mjs (clip space in, texture coordinates out).
attribute vec2 a_pos;
varying vec2 v_uv;
void main() {
  v_uv = a_pos * 0.5 + 0.5;
  gl_Position = vec4(a_pos, 0.0, 1.0);
}
