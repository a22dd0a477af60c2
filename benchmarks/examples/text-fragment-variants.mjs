// Text fragment variants on llvmpipe (issue 10): 1,000 glyph-sized quads (24x24 px, an alpha8
// texture with a third of its texels 0) drawn with raw GL on the engine's context, one variant a
// block of 8 frames in turns, frame cost (record start to swap return) p50 over an empty frame,
// and ns a pixel. The variants: the text batcher's shader (alpha8 texture, discard, blend alpha),
// without discard, premultiplied (with and without discard), dithering off, RGBA and luminance
// atlases, blending without a texture, a texture without blending, solid colour. The GL state is
// the script's own (the device's state cache is invalidated after each draw). A tool, not a suite
// benchmark: it showed no text shader variant cheaper than another within the machine's noise.
//
// Run: node benchmarks/examples/text-fragment-variants.mjs [frames]
import { ensureDisplay } from '../../dist/platform/xvfb.js'
await ensureDisplay()
import { runApp } from '../../dist/index.js'
import { Stage } from '../../dist/low-level.js'
const N = 1000, SZ = 24
const VS = 'attribute vec2 p; attribute vec2 t; attribute vec4 c; varying vec4 v; varying vec2 uv; void main(){ v=c; uv=t; gl_Position=vec4(p.x/640.0-1.0, 1.0-p.y/360.0, 0.0, 1.0);}'
const FS = {
  none: null,
  current: ['alpha', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; if(a<=0.0) discard; gl_FragColor=vec4(v.rgb, v.a*a);}'],
  nodiscard: ['alpha', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; gl_FragColor=vec4(v.rgb, v.a*a);}'],
  premul: ['premul', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ gl_FragColor=v*texture2D(s,uv).a;}'],
  premulDiscard: ['premul', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; if(a<=0.0) discard; gl_FragColor=v*a;}'],
  currentNoDither: ['alpha', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; if(a<=0.0) discard; gl_FragColor=vec4(v.rgb, v.a*a);}', 'nodither'],
  currentRGBA: ['alpha', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; if(a<=0.0) discard; gl_FragColor=vec4(v.rgb, v.a*a);}', 'rgba'],
  currentLum: ['alpha', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).r; if(a<=0.0) discard; gl_FragColor=vec4(v.rgb, v.a*a);}', 'lum'],
  colorBlend: ['alpha', 'precision mediump float; varying vec4 v; varying vec2 uv; void main(){ gl_FragColor=vec4(v.rgb, 0.5);}'],
  texNoBlend: ['none', 'precision mediump float; uniform sampler2D s; varying vec4 v; varying vec2 uv; void main(){ float a=texture2D(s,uv).a; gl_FragColor=vec4(v.rgb*a, 1.0);}'],
  solid: ['none', 'precision mediump float; varying vec4 v; void main(){ gl_FragColor=v;}'],
  solidNoDither: ['none', 'precision mediump float; varying vec4 v; void main(){ gl_FragColor=v;}', 'nodither'],
}
const variants = Object.keys(FS)
const S = Object.fromEntries(variants.map((v) => [v, []]))
let cur = 0
await runApp({
  title: 'frag', width: 1280, height: 720, engine: { clearColor: [0, 0, 0, 1] },
  setup(engine) {
    const gl = engine.device.rawGL
    const inst = gl.getExtension('ANGLE_instanced_arrays')
    const sh = (type, src) => { const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s)); return s }
    const progs = {}
    for (const v of variants) {
      if (!FS[v]) continue
      const p = gl.createProgram(); gl.attachShader(p, sh(gl.VERTEX_SHADER, VS)); gl.attachShader(p, sh(gl.FRAGMENT_SHADER, FS[v][1]))
      gl.bindAttribLocation(p, 0, 'p'); gl.bindAttribLocation(p, 1, 't'); gl.bindAttribLocation(p, 2, 'c'); gl.linkProgram(p); progs[v] = p
    }
    const q = new Float32Array(N * 4 * 5); const uq = new Uint32Array(q.buffer); const idx = new Uint16Array(N * 6)
    for (let i = 0; i < N; i++) {
      const x = (i % 50) * 25, y = Math.floor(i / 50) * 25 + 100
      ;[[0, 0], [1, 0], [0, 1], [1, 1]].forEach(([a, b], k) => { const o = (i * 4 + k) * 5; q[o] = x + a * SZ; q[o + 1] = y + b * SZ; q[o + 2] = a * SZ / 256; q[o + 3] = b * SZ / 256; uq[o + 4] = 0xffccddee })
      idx.set([i * 4, i * 4 + 1, i * 4 + 2, i * 4 + 2, i * 4 + 1, i * 4 + 3], i * 6)
    }
    const vb = gl.createBuffer(); gl.bindBuffer(gl.ARRAY_BUFFER, vb); gl.bufferData(gl.ARRAY_BUFFER, q, gl.STATIC_DRAW)
    const ib = gl.createBuffer(); gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, ib); gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, idx, gl.STATIC_DRAW)
    const tex = gl.createTexture(); gl.bindTexture(gl.TEXTURE_2D, tex)
    const px = new Uint8Array(256 * 256); for (let i = 0; i < px.length; i++) px[i] = (i * 2654435761 >>> 24) < 110 ? 0 : (i * 7) & 255
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1)
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.ALPHA, 256, 256, 0, gl.ALPHA, gl.UNSIGNED_BYTE, px)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
    const texRGBA = gl.createTexture(); gl.bindTexture(gl.TEXTURE_2D, texRGBA)
    const px4 = new Uint8Array(256 * 256 * 4); for (let i = 0; i < px.length; i++) px4[i * 4 + 3] = px[i]
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 256, 256, 0, gl.RGBA, gl.UNSIGNED_BYTE, px4)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
    const texLum = gl.createTexture(); gl.bindTexture(gl.TEXTURE_2D, texLum)
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.LUMINANCE, 256, 256, 0, gl.LUMINANCE, gl.UNSIGNED_BYTE, px)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
    engine.onFrame((f) => {
      const t = engine.trace
      if (f.index > 60) S[variants[cur]].push(t.get(Stage.SwapReturn, 1) - t.get(Stage.RecordStart, 1))
      cur = Math.floor(f.index / 8) % variants.length
      const v = variants[cur]
      if (!FS[v]) return
      gl.useProgram(progs[v])
      gl.activeTexture(gl.TEXTURE0); gl.bindTexture(gl.TEXTURE_2D, FS[v][2] === 'rgba' ? texRGBA : FS[v][2] === 'lum' ? texLum : tex)
      if (FS[v][2] === 'nodither') gl.disable(gl.DITHER); else gl.enable(gl.DITHER)
      gl.bindBuffer(gl.ARRAY_BUFFER, vb); gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, ib)
      for (let a = 0; a < 8; a++) gl.disableVertexAttribArray(a)
      for (let a = 0; a < 3; a++) gl.enableVertexAttribArray(a)
      for (let a = 0; a < 3; a++) inst.vertexAttribDivisorANGLE(a, 0)
      gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 20, 0); gl.vertexAttribPointer(1, 2, gl.FLOAT, false, 20, 8); gl.vertexAttribPointer(2, 4, gl.UNSIGNED_BYTE, true, 20, 16)
      const b = FS[v][0]
      if (b === 'none') gl.disable(gl.BLEND); else { gl.enable(gl.BLEND); if (b === 'alpha') gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA); else gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA) }
      gl.disable(gl.DEPTH_TEST); gl.disable(gl.SCISSOR_TEST)
      gl.drawElements(gl.TRIANGLES, N * 6, gl.UNSIGNED_SHORT, 0)
      for (let a = 0; a < 3; a++) gl.disableVertexAttribArray(a)
      engine.device.state.invalidate()
    })
  },
}, ['--frames', String(Number(process.argv[2] ?? 1600)), '--width', '1280', '--height', '720'])
const med = (a) => { a.sort((x, y) => x - y); return a[a.length >> 1] }
const base = med(S.none)
for (const v of variants) console.log(v.padEnd(14), 'total', med(S[v]).toFixed(3), 'over none', (med(S[v]) - base).toFixed(3), 'ns/px', ((med(S[v]) - base) * 1e6 / (N * SZ * SZ)).toFixed(2))
process.exit(0)
