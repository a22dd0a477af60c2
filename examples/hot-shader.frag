// Edit and save while framelatch dev examples/hot-shader.mjs runs: the next frame draws it.
// A mistake shows the numbered failing line over the last good frame until the next good save.
precision mediump float;
varying vec2 v_uv;
void main() {
  float rings = 0.5 + 0.5 * cos(24.0 * length(v_uv - vec2(0.5)));
  gl_FragColor = vec4(0.15 + 0.6 * v_uv.x, 0.25 * rings + 0.2, 0.3 + 0.5 * v_uv.y, 1.0);
}
