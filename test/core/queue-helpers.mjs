// Shared helpers for the draw queue, sprite and rect tests (not a test file itself).
import { createContext } from '../../dist/gl/context.js'
import { Device } from '../../dist/gl/device.js'
import { ensureDisplay } from '../../dist/platform/xvfb.js'
import { createQueue } from '../../dist/core/queue.js'
import { rgba } from '../../dist/draw/color.js'
import { createSpriteStyle } from '../../dist/draw/sprite-batcher.js'
import { createRectStyle } from '../../dist/draw/rect-batcher.js'

/**
 * A headless context, its device and a queue on it; call `done()` at the end. (Built from the gl
 * layer directly so these tests depend only on the device and the queue.)
 */
export async function setup({ width = 64, height = 64, debug = true, queue = {} } = {}) {
  const xvfb = await ensureDisplay()
  const context = createContext({ width, height })
  const device = new Device(context.gl, { debug, width: context.width, height: context.height })
  const q = createQueue(device, queue)
  return {
    context, device, queue: q,
    read() {
      return device.readPixels(0, 0, width, height)
    },
    done() {
      q.destroy()
      device.destroy()
      context.destroy()
      xvfb?.stop()
    },
  }
}

/** RGBA of pixel (x, y) of a top-row-first read-back. */
export function px(pixels, width, x, y) {
  const i = (y * width + x) * 4
  return [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
}

/** True when every channel is within `tol` of `want`. */
export function near(got, want, tol = 2) {
  return got.length === want.length && got.every((v, i) => Math.abs(v - want[i]) <= tol)
}

/** The error code `fn` throws, or 'no error'. */
export function codeOf(fn) {
  try {
    fn()
  } catch (e) {
    return e.code ?? String(e)
  }
  return 'no error'
}

/** A 1x1 RGBA8 texture of one colour (0..255 bytes). */
export function solidTexture(device, r, g, b, a = 255) {
  return device.createTexture({ width: 1, height: 1, data: new Uint8Array([r, g, b, a]), minFilter: 'nearest', magFilter: 'nearest' })
}

/** A sprite style from a texture region and tint channels 0..1. */
export function spriteStyle(u0, v0, u1, v1, r, g, b, a) {
  return createSpriteStyle({ region: [u0, v0, u1, v1], tint: rgba(r, g, b, a) })
}

/**
 * A rect style from fill channels, border width, border channels (0..1) and radius. Fields are set
 * after creation, so a test can hand a batcher values createRectStyle would refuse (NaN widths).
 */
export function rectStyle(r, g, b, a, borderWidth, br, bg, bb, ba, radius = 0) {
  return Object.assign(createRectStyle(), { fill: rgba(r, g, b, a), border: rgba(br, bg, bb, ba), borderWidth, radius })
}
