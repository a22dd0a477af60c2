/**
 * A chart view: the visible window of user coordinates (x0..x1, y0..y1) of a plot rectangle in
 * pixels, kept as the 2D transform the series batchers draw through (`view.matrix`, a gl-matrix
 * compatible column-major mat3 in a Float64Array, so epoch-millisecond x keeps its precision), with
 * the pan and zoom a pointer drives. x grows right, y grows up (y0 at the rectangle's bottom).
 *
 *   const view = createChartView({ left: 40, top: 10, width: 800, height: 400, x0: t0, x1: t1, y0: 90, y1: 110 })
 *   view.pan(dx, 0)              // drag: the content follows the pointer
 *   view.zoomX(1.25, pointerX)   // wheel: zoom in around the pointer
 *   series.draw(view.matrix, style, view.x0, view.x1)
 *
 * No GL: numbers only. Every method updates `matrix` in place and allocates nothing.
 */
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, ValidationError } from '../errors.js'

export interface ChartViewDesc {
  /** Plot rectangle in target pixels (origin top-left). Required. */
  left: number
  top: number
  width: number
  height: number
  /** Visible window in user units; x0 < x1 and y0 < y1. Required. */
  x0: number
  x1: number
  y0: number
  y1: number
}

const KEYS = descKeys<ChartViewDesc>({ left: true, top: true, width: true, height: true, x0: true, x1: true, y0: true, y1: true })

export class ChartView {
  /** The transform user (x, y) -> pixels, column-major mat3 (pixel = (m0·x + m6, m4·y + m7)). */
  readonly matrix = new Float64Array(9)
  /** [left, top, width, height, x0, x1, y0, y1]. */
  private readonly v = new Float64Array(8)

  constructor(desc: ChartViewDesc) {
    this.setRect(desc.left, desc.top, desc.width, desc.height)
    this.setWindow(desc.x0, desc.x1, desc.y0, desc.y1)
  }

  get left(): number { return this.v[0]! }
  get top(): number { return this.v[1]! }
  get width(): number { return this.v[2]! }
  get height(): number { return this.v[3]! }
  get x0(): number { return this.v[4]! }
  get x1(): number { return this.v[5]! }
  get y0(): number { return this.v[6]! }
  get y1(): number { return this.v[7]! }

  /** Moves the plot rectangle (a resize); the window stays. */
  setRect(left: number, top: number, width: number, height: number): void {
    const s = left + top + width + height
    if (s - s !== 0 || !(width > 0) || !(height > 0)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `chart view setRect: ${left}, ${top} ${width}x${height} must be finite with a positive size`)
    }
    const v = this.v
    v[0] = left; v[1] = top; v[2] = width; v[3] = height
    this.update()
  }

  /** Shows x0..x1 and y0..y1 (x0 < x1, y0 < y1, finite). */
  setWindow(x0: number, x1: number, y0: number, y1: number): void {
    const s = x0 + x1 + y0 + y1
    if (s - s !== 0 || !(x1 > x0) || !(y1 > y0)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `chart view setWindow: x ${x0}..${x1}, y ${y0}..${y1} must be finite, increasing ranges`)
    }
    const v = this.v
    v[4] = x0; v[5] = x1; v[6] = y0; v[7] = y1
    this.update()
  }

  /** Moves the window so the content moves by (dx, dy) pixels (a drag). */
  pan(dx: number, dy: number): void {
    const v = this.v
    const ux = dx * (v[5]! - v[4]!) / v[2]!
    const uy = dy * (v[7]! - v[6]!) / v[3]!
    this.setWindow(v[4]! - ux, v[5]! - ux, v[6]! + uy, v[7]! + uy)
  }

  /** Zooms x by `factor` (> 1 in) keeping the user x under pixel `atX` where it is. */
  zoomX(factor: number, atX: number): void {
    if (!(factor > 0 && factor < Infinity) || atX - atX !== 0) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE, `chart view zoomX: factor ${factor} must be > 0 and atX ${atX} finite`)
    }
    const v = this.v
    const x = this.xAt(atX)
    this.setWindow(x - (x - v[4]!) / factor, x + (v[5]! - x) / factor, v[6]!, v[7]!)
  }

  /** User x at pixel column `px`. */
  xAt(px: number): number {
    const v = this.v
    return v[4]! + (px - v[0]!) * (v[5]! - v[4]!) / v[2]!
  }
  /** User y at pixel row `py`. */
  yAt(py: number): number {
    const v = this.v
    return v[7]! - (py - v[1]!) * (v[7]! - v[6]!) / v[3]!
  }
  /** Pixel column of user x. */
  pixelX(x: number): number {
    return this.matrix[0]! * x + this.matrix[6]!
  }
  /** Pixel row of user y. */
  pixelY(y: number): number {
    return this.matrix[4]! * y + this.matrix[7]!
  }

  private update(): void {
    const v = this.v
    const m = this.matrix
    const sx = v[2]! / (v[5]! - v[4]!)
    const sy = -v[3]! / (v[7]! - v[6]!)
    m[0] = sx; m[1] = 0; m[2] = 0
    m[3] = 0; m[4] = sy; m[5] = 0
    m[6] = v[0]! - sx * v[4]!; m[7] = v[1]! - sy * v[7]!; m[8] = 1
  }
}

/** Creates a chart view (checked always: INVALID_DESC for unknown keys, OUT_OF_RANGE for bad numbers). */
export function createChartView(desc: ChartViewDesc): ChartView {
  checkDesc('createChartView', desc, KEYS, true)
  return new ChartView(desc)
}
