/**
 * The latency probe (`--latency-probe`): a `LATENCY_PROBE_SIZE` square at the top-left corner,
 * on top of everything (layer 255), black until the first key press and flipping black/white on
 * each one. The colour is computed in the fragment shader from the input uniform block
 * (`flKeyPresses()`), so a key press travels the whole real path before it shows: SDL event →
 * input ring → the late latch right before the flush → the input block's upload → the shader.
 * Outside tools (`framelatch latency`) press keys and watch these pixels.
 *
 * GL objects (program, pipeline, unit quad, batch) are made once when installed and live as long
 * as the engine; a frame records one instance of 4 floats and allocates nothing.
 */
import type { Engine } from './engine.js'

/** Size of the probe square, pixels, at the top-left corner. */
export const LATENCY_PROBE_SIZE = 64

/** The probe's layer: drawn after every other layer. */
const PROBE_LAYER = 255

const VERTEX = `precision highp float;
attribute vec2 a_corner;
attribute vec4 a_rect; // clip-space x0, y0 (top-left), x1, y1 (bottom-right)
void main() { gl_Position = vec4(mix(a_rect.xy, a_rect.zw, a_corner), 0.0, 1.0); }`

function fragment(inputGLSL: string): string {
  return `precision highp float;
${inputGLSL}
void main() {
  // Parity of the key presses latched into the block: flips on every press.
  float c = mod(flKeyPresses(), 2.0);
  gl_FragColor = vec4(c, c, c, 1.0);
}`
}

/** What `installLatencyProbe` returns. */
export interface LatencyProbe {
  /** Key presses the probe's shader has seen so far (the square is white after an odd count). */
  readonly flips: number
}

/** Draws the probe square every frame through the input block (see the file comment). */
export function installLatencyProbe(engine: Engine): LatencyProbe {
  const device = engine.device
  const queue = engine.queue
  const program = device.createProgram({ name: 'framelatch latency probe', vertex: VERTEX, fragment: fragment(engine.inputGLSL) })
  const pipeline = device.createPipeline({
    program,
    primitive: 'triangle-strip',
    buffers: [{ step: 'vertex' }, { step: 'instance', stride: 16 }],
    attributes: [{ name: 'a_corner', format: 'float2', buffer: 0 }, { name: 'a_rect', format: 'float4', buffer: 1 }],
    label: 'latency probe',
  })
  const quad = device.createBuffer({ data: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), label: 'latency probe quad' })
  const batch = queue.createBatch({
    pipeline, geometry: quad, vertexCount: 4, floatsPerInstance: 4, blocks: [engine.inputBlock], label: 'latency probe',
  })
  engine.onFrame((f) => {
    const off = f.queue.record(batch, 1, PROBE_LAYER)
    const p = f.queue.payload
    p[off] = -1
    p[off + 1] = 1
    p[off + 2] = -1 + (2 * LATENCY_PROBE_SIZE) / f.width
    p[off + 3] = 1 - (2 * LATENCY_PROBE_SIZE) / f.height
  })
  return {
    get flips() {
      return engine.blockInput.keyPresses
    },
  }
}
