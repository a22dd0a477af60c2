// Set-up shared by the GL benchmarks (quads, sprites): one headless @kmamal/gl context on a
// display (a private Xvfb when DISPLAY is unset), a framelatch Device on it, regl on the same
// context, the state hand-over between the two libraries, the image comparison and the figures'
// formatting. Every contender of a benchmark draws on this one context in this one process.
import { createRequire } from 'node:module'
import { ensureDisplay } from '../../dist/platform/xvfb.js'
import { createContext } from '../../dist/gl/context.js'
import { Device } from '../../dist/gl/device.js'

const require = createRequire(import.meta.url)

/**
 * Opens a `size` x `size` headless context and a release-mode Device on it. `close(...owned)`
 * destroys `owned` in order (regl, queues: whatever draws on the context), then the device, the
 * context and the Xvfb this started.
 */
export async function openBenchGL(size) {
  const xvfb = await ensureDisplay()
  const context = createContext({ width: size, height: size })
  const device = new Device(context.gl, { debug: false, width: size, height: size })
  const close = (...owned) => {
    for (const o of owned) o.destroy()
    device.destroy()
    context.destroy()
    xvfb?.stop()
  }
  return { device, gl: device.rawGL, close }
}

/** regl on the benchmark's context, with the extensions framelatch's contenders use. */
export function createRegl(gl) {
  return require('regl')({ gl, extensions: ['ANGLE_instanced_arrays', 'OES_vertex_array_object'] })
}

/**
 * Switching libraries on one context: each side resynchronises its state cache first.
 * `useFramelatch` before framelatch (or raw GL) draws, `useRegl` before regl draws.
 */
export function librarySwitch(device, regl) {
  return {
    useFramelatch: () => {
      device.state.invalidate()
      device.state.bindVertexArray(null)
    },
    useRegl: () => {
      device.state.bindVertexArray(null)
      regl._refresh()
    },
  }
}

/** For each RGBA image, the number of pixels whose RGB differs from the first image's. */
export function pixelDiffs(images) {
  return images.map((img) => {
    let d = 0
    for (let i = 0; i < img.length; i += 4) {
      if (img[i] !== images[0][i] || img[i + 1] !== images[0][i + 1] || img[i + 2] !== images[0][i + 2]) d++
    }
    return d
  })
}

export function median(a) {
  const s = [...a].sort((x, y) => x - y)
  return s[s.length >> 1]
}

/** Milliseconds for the tables: 1 decimal from 10 ms, else 2. */
export function fmtMs(ms) {
  return ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
}
