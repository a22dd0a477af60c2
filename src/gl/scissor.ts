/**
 * Scissor rectangles. The API's rectangles (pass scissors, clips) have a top-left origin in the
 * viewport's pixels; GL's scissor has a bottom-left one in the target's. One conversion, used by
 * the device (a pass's scissor, set before its clear) and by the draw queue's flush (clips, which
 * it intersects with the pass's scissor).
 */

/**
 * Converts `rect` ([x, y, w, h], top-left origin, viewport pixels; edges rounded to whole
 * pixels) to GL's scissor box in `out` ([x, y, w, h], bottom-left origin, target pixels), clamped
 * to the viewport (`vx, vy` its GL origin, `vw, vh` its size). An empty result has w = h = 0.
 */
export function passScissorRect(rect: ArrayLike<number>, vx: number, vy: number, vw: number, vh: number, out: Int32Array): void {
  let x0 = Math.round(rect[0]!)
  let y0 = Math.round(rect[1]!)
  let x1 = Math.round(rect[0]! + rect[2]!)
  let y1 = Math.round(rect[1]! + rect[3]!)
  if (x0 < 0) x0 = 0
  if (y0 < 0) y0 = 0
  if (x1 > vw) x1 = vw
  if (y1 > vh) y1 = vh
  if (x1 <= x0 || y1 <= y0) {
    out[0] = vx
    out[1] = vy
    out[2] = 0
    out[3] = 0
    return
  }
  out[0] = vx + x0
  out[1] = vy + vh - y1
  out[2] = x1 - x0
  out[3] = y1 - y0
}
