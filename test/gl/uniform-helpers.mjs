// Shared helpers for the uniform block and data texture tests (not a test file itself).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** A headless @kmamal/gl context; call destroyGL(gl) at the end. */
export function makeGL(w = 8, h = 8) {
  const createGL = require('@kmamal/gl')
  const gl = createGL(w, h, { window: {}, preserveDrawingBuffer: true })
  if (!gl) throw new Error('could not create a headless GL context')
  return gl
}

export function destroyGL(gl) {
  gl.getExtension('STACKGL_destroy_context').destroy()
}

function compile(gl, type, src) {
  const s = gl.createShader(type)
  gl.shaderSource(s, src)
  gl.compileShader(s)
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) {
    throw new Error(`compile failed: ${gl.getShaderInfoLog(s)}\n${src.split('\n').map((l, i) => `${i + 1}: ${l}`).join('\n')}`)
  }
  return s
}

/** Compiles and links; throws with the log on failure. Attribute a_pos is bound to 0. */
export function link(gl, vs, fs) {
  const p = gl.createProgram()
  gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, vs))
  gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, fs))
  gl.bindAttribLocation(p, 0, 'a_pos')
  gl.linkProgram(p)
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`link failed: ${gl.getProgramInfoLog(p)}`)
  return p
}

/** Binds a full-screen triangle to attribute 0 (a_pos, vec2). */
export function fullScreenTriangle(gl) {
  const buf = gl.createBuffer()
  gl.bindBuffer(gl.ARRAY_BUFFER, buf)
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW)
  gl.enableVertexAttribArray(0)
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0)
  return buf
}

export function readPixel(gl, x, y) {
  const px = new Uint8Array(4)
  gl.readPixels(x, y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px)
  return Array.from(px)
}

export function readRow(gl, y, w) {
  const px = new Uint8Array(4 * w)
  gl.readPixels(0, y, w, 1, gl.RGBA, gl.UNSIGNED_BYTE, px)
  return px
}

/** Wraps gl[method] so every call is recorded in the returned array as its argument list. */
export function countCalls(gl, method) {
  const calls = []
  const orig = gl[method]
  gl[method] = function (...args) {
    calls.push(args)
    return orig.apply(this, args)
  }
  calls.restore = () => {
    gl[method] = orig
  }
  return calls
}
