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
  /** Top-left corner of each rectangle, indexed like the input (0, 0 for empty rectangles). */
  readonly positions: readonly { readonly x: number; readonly y: number }[]
}

function nextPow2(v: number): number {
  let p = 1
  while (p < v) p *= 2
  return p
}

/** A rectangle to place, with its index in the caller's list. */
interface Item {
  readonly index: number
  readonly w: number
  readonly h: number
}

/**
 * Packs `rects` (`x` and `y` of the result are indexed like `rects`); empty rectangles are placed
 * at 0, 0. Throws OUT_OF_RANGE when they cannot fit 4096x4096.
 */
export function packShelves(rects: readonly { readonly width: number; readonly height: number }[], padding: number): PackResult {
  const n = rects.length
  const order: Item[] = []
  let area = 0
  let maxW = 0
  rects.forEach((r, index) => {
    if (r.width === 0 || r.height === 0) return
    order.push({ index, w: r.width, h: r.height })
    area += (r.width + padding) * (r.height + padding)
    if (r.width > maxW) maxW = r.width
  })
  order.sort((a, b) => b.h - a.h || b.w - a.w || a.index - b.index)

  const positions = rects.map(() => ({ x: 0, y: 0 }))
  let bestW = 0
  let bestH = 0
  const minW = Math.max(8, nextPow2(maxW + 2 * padding), nextPow2(Math.ceil(Math.sqrt(area)) / 2))
  for (let W = minW; W <= MAX_ATLAS_SIDE; W *= 2) {
    const used = shelfHeight(order, padding, W, null)
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
  shelfHeight(order, padding, bestW, positions)
  return { width: bestW, height: bestH, positions }
}

/** Lays rectangles out at width W; writes `positions` when given; returns the used height. */
function shelfHeight(order: readonly Item[], padding: number, W: number, positions: { x: number; y: number }[] | null): number {
  let penX = padding
  let shelfY = padding
  let shelfH = 0
  for (const { index, w, h } of order) {
    if (penX + w + padding > W && penX > padding) {
      shelfY += shelfH + padding
      penX = padding
      shelfH = 0
    }
    const at = positions?.[index]
    if (at) {
      at.x = penX
      at.y = shelfY
    }
    penX += w + padding
    if (h > shelfH) shelfH = h
  }
  return order.length === 0 ? 0 : shelfY + shelfH + padding
}
