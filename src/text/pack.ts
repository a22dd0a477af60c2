/**
 * Shelf packing of rectangles into a power-of-two image, for the glyph atlas. Rectangles are
 * placed tallest first on horizontal shelves; every rectangle keeps `padding` empty pixels to
 * each neighbour and to the image border. Several power-of-two widths are tried and the one with
 * the smallest area wins (the squarer one on a tie). Setup-time code; allocates freely.
 */
import { ErrorCode, ValidationError } from '../errors.js'

/** Largest atlas side; 4096 is the texture size every WebGL 1 implementation here supports. */
export const MAX_ATLAS_SIDE = 4096

export interface PackResult {
  readonly width: number
  readonly height: number
  /** Top-left corner of each rectangle (0, 0 for empty rectangles), owned by the caller. */
  readonly x: Int32Array
  readonly y: Int32Array
}

function nextPow2(v: number): number {
  let p = 1
  while (p < v) p *= 2
  return p
}

/** Packs rectangles `w[i] x h[i]`; throws OUT_OF_RANGE when they cannot fit 4096x4096. */
export function packShelves(w: Int32Array, h: Int32Array, padding: number): PackResult {
  const n = w.length
  const order: number[] = []
  let area = 0
  let maxW = 0
  for (let i = 0; i < n; i++) {
    if (w[i] === 0 || h[i] === 0) continue
    order.push(i)
    area += (w[i] + padding) * (h[i] + padding)
    if (w[i] > maxW) maxW = w[i]
  }
  order.sort((a, b) => h[b] - h[a] || w[b] - w[a] || a - b)

  const x = new Int32Array(n)
  const y = new Int32Array(n)
  let bestW = 0
  let bestH = 0
  const minW = Math.max(8, nextPow2(maxW + 2 * padding), nextPow2(Math.ceil(Math.sqrt(area)) / 2))
  for (let W = minW; W <= MAX_ATLAS_SIDE; W *= 2) {
    const used = shelfHeight(order, w, h, padding, W, null, null)
    const H = Math.max(8, nextPow2(used))
    if (H > MAX_ATLAS_SIDE) continue
    if (bestW === 0 || W * H < bestW * bestH || (W * H === bestW * bestH && Math.max(W, H) < Math.max(bestW, bestH))) {
      bestW = W
      bestH = H
    }
  }
  if (bestW === 0) {
    throw new ValidationError(
      ErrorCode.OUT_OF_RANGE,
      `the glyphs do not fit a ${MAX_ATLAS_SIDE}x${MAX_ATLAS_SIDE} atlas; use a smaller pixelSize or fewer chars`,
      { glyphs: n, area },
    )
  }
  shelfHeight(order, w, h, padding, bestW, x, y)
  return { width: bestW, height: bestH, x, y }
}

/** Lays rectangles out at width W; writes positions when `x`/`y` are given; returns used height. */
function shelfHeight(
  order: number[], w: Int32Array, h: Int32Array, padding: number, W: number,
  x: Int32Array | null, y: Int32Array | null,
): number {
  let penX = padding
  let shelfY = padding
  let shelfH = 0
  for (const i of order) {
    if (penX + w[i] + padding > W && penX > padding) {
      shelfY += shelfH + padding
      penX = padding
      shelfH = 0
    }
    if (x && y) {
      x[i] = penX
      y[i] = shelfY
    }
    penX += w[i] + padding
    if (h[i] > shelfH) shelfH = h[i]
  }
  return order.length === 0 ? 0 : shelfY + shelfH + padding
}
