/**
 * HUD overlay: frame-time bars and an input-latency polyline over the last N frames, with guide
 * lines at 8.3 ms (120 Hz) and 16.7 ms (60 Hz), under three text lines: fps, frame time p50/p99,
 * and input-to-latch latency p50/p99. Fed plain numbers (`push(frameMs, latencyMs)` once per
 * frame), so it depends on no frame trace; the engine feeds it from its own.
 *
 * Layout at `draw(x, y)` (top-left of the panel, pixels, y down): a translucent panel; text lines
 * from `y + padding`; the frame-time graph at `y + frameGraphY`, the latency graph at
 * `y + latencyGraphY`, both `graphWidth` x `graphHeight` at `x + graphX`. Sample k of the `count`
 * kept (oldest first) is drawn in slot `frames - count + k`, a `barWidth`-wide column, so the
 * newest sample is always at the right edge. A value v draws `min(v, maxMs) / maxMs * graphHeight`
 * pixels up from the graph's bottom.
 *
 * The HUD owns a line batcher and a text batcher (sequenced, in its own layer, so the panel is
 * drawn before the graphs and the text on top) and destroys them with `destroy`. `push` and `draw`
 * allocate nothing: samples live in ring buffers, percentiles come from an insertion sort over a
 * preallocated copy, numbers are formatted into preallocated character-code buffers drawn with
 * `text.drawCodes`, and the panel, bars and guides are written into a preallocated segment array
 * recorded with one `lines.segments` call. The origin is snapped to whole pixels (crisp text),
 * which also keeps every number passed between functions a small integer: V8 boxes fractional
 * numbers passed to a function it did not inline into a new heap number per call.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { createLineStyle, LineBatcher, SEGMENT_FLOATS } from './line-batcher.js'
import type { DrawQueue } from '../core/queue.js'
import { rgba } from './color.js'
import { createTextStyle, TextBatcher } from './text-batcher.js'
import type { GlyphAtlas } from '../text/atlas.js'
import type { Font } from '../text/font.js'
import { checkDesc, descKeys } from '../check.js'

export interface HudDesc {
  /** Samples kept and drawn. Default 120. */
  frames?: number
  /** Width of one bar in pixels. Default 2 (so the graphs are `frames * 2` px wide). */
  barWidth?: number
  /** Height of each graph in pixels. Default 48. */
  graphHeight?: number
  /** Milliseconds at the top of both graphs (larger values are clipped). Default 33.3. */
  maxMs?: number
  /** Sort layer for the whole HUD. Default 255 (on top of everything). */
  layer?: number
  /** Text em size in pixels. Default 12. Ignored with `atlas`. */
  pixelSize?: number
  /** Font for the text. Default: the bundled DejaVu Sans Mono. */
  font?: Font
  /** Prebuilt glyph atlas for the text. Default: built from `font` and `pixelSize`. */
  atlas?: GlyphAtlas
  /** Coded errors for bad pushes (NaN, negative). Default: the queue's `debug`. */
  debug?: boolean
}

/** Text templates; '#' runs are number fields filled each draw. */
const LINE_FPS = 'fps   ######'
/** The latency polyline and the text lines (shared by every HUD; never changed). */
const LATENCY_LINE = createLineStyle({ color: rgba(0.35, 0.75, 1, 1), thickness: 1.5, join: 'miter' })
const HUD_TEXT = createTextStyle({ color: rgba(0.95, 0.95, 0.95, 1), align: 'left', anchor: 'top' })
const LINE_FRAME = 'frame p50 ######  p99 ###### ms'
const LINE_LATCH = 'latch p50 ######  p99 ###### ms'
const NUMBER_WIDTH = 6
const CH_SPACE = 32
const CH_DOT = 46
const CH_MINUS = 45
const CH_0 = 48

function invalid(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message)
}

/** Scratch for `formatFixed`'s value, so the public wrapper and the HUD share one body. */
const formatValue = new Float64Array(1)

function codes(template: string): Uint16Array {
  const out = new Uint16Array(template.length)
  for (let i = 0; i < template.length; i++) out[i] = template.charCodeAt(i)
  return out
}

/**
 * Writes `value` right-aligned into `buf[pos, pos + width)` with `decimals` decimals; a value that
 * does not fit (or is not finite) writes a '-' at the right. Allocates nothing.
 */
export function formatFixed(buf: Uint16Array, pos: number, width: number, value: number, decimals: number): void {
  formatValue[0] = value
  formatFrom(buf, pos, width, formatValue, 0, decimals)
}

/** `formatFixed` of `src[index]`: the number never crosses a call boundary (no boxing). */
function formatFrom(buf: Uint16Array, pos: number, width: number, src: Float64Array, index: number, decimals: number): void {
  const value = src[index]!
  for (let i = 0; i < width; i++) buf[pos + i] = CH_SPACE
  let scale = 1
  for (let i = 0; i < decimals; i++) scale *= 10
  const neg = value < 0
  const scaled = Math.round((neg ? -value : value) * scale)
  if (!(scaled < 9e15)) {
    buf[pos + width - 1] = CH_MINUS
    return
  }
  let n = scaled
  let i = pos + width - 1
  let digits = 0
  while (i >= pos && (n > 0 || digits <= decimals)) {
    if (decimals > 0 && digits === decimals) {
      buf[i--] = CH_DOT
      if (i < pos) break
    }
    buf[i--] = CH_0 + (n % 10)
    n = Math.floor(n / 10)
    digits++
  }
  if (n > 0 || (neg && i < pos)) {
    for (let k = 0; k < width; k++) buf[pos + k] = CH_SPACE
    buf[pos + width - 1] = CH_MINUS
    return
  }
  if (neg && scaled !== 0) buf[i] = CH_MINUS
}

export class Hud {
  readonly frames: number
  readonly barWidth: number
  readonly graphWidth: number
  readonly graphHeight: number
  readonly maxMs: number
  /** Panel size and graph offsets from the `draw` position, in pixels. */
  readonly panelWidth: number
  readonly panelHeight: number
  readonly padding = 6
  readonly graphX: number
  readonly frameGraphY: number
  readonly latencyGraphY: number
  /** The HUD's own batchers (owned; destroyed with the HUD). */
  readonly lines: LineBatcher
  readonly text: TextBatcher
  readonly debug: boolean

  private readonly frameMs: Float64Array
  private readonly latencyMs: Float64Array
  private readonly sorted: Float64Array
  private readonly points: Float32Array
  private head = 0
  private count = 0
  private readonly lineFps = codes(LINE_FPS)
  private readonly lineFrame = codes(LINE_FRAME)
  private readonly lineLatch = codes(LINE_LATCH)
  private readonly lineStep: number
  /**
   * `maxMs` as a float64 slot: a value read from an object field is tagged, and `v < max ? v : max`
   * with a tagged `max` made V8 box `v` into a new heap number every bar.
   */
  private readonly maxSlot = new Float64Array(1)
  /** [p50, p99, fps] scratch (typed, so the doubles are never boxed). */
  private readonly pct = new Float64Array(3)
  /** Panel, bars and guides for one draw, SEGMENT_FLOATS each. */
  private readonly segs: Float32Array

  constructor(queue: DrawQueue, desc: HudDesc = {}) {
    const frames = desc.frames ?? 120
    if (!Number.isInteger(frames) || frames < 2 || frames > 4096) throw invalid(`createHud: frames ${String(frames)} must be a whole number 2..4096`)
    const barWidth = desc.barWidth ?? 2
    if (!Number.isInteger(barWidth) || barWidth < 1 || barWidth > 64) throw invalid(`createHud: barWidth ${String(barWidth)} must be a whole number of pixels 1..64`)
    const graphHeight = desc.graphHeight ?? 48
    if (!Number.isInteger(graphHeight) || graphHeight < 8 || graphHeight > 4096) throw invalid(`createHud: graphHeight ${String(graphHeight)} must be a whole number of pixels 8..4096`)
    const maxMs = desc.maxMs ?? 33.3
    if (!(maxMs > 0 && maxMs < Infinity)) throw invalid(`createHud: maxMs ${String(maxMs)} must be a positive number of milliseconds`)
    const layer = desc.layer ?? 255
    this.debug = desc.debug ?? queue.debug
    this.frames = frames
    this.barWidth = barWidth
    this.graphWidth = frames * barWidth
    this.graphHeight = graphHeight
    this.maxMs = maxMs
    this.maxSlot[0] = maxMs
    this.frameMs = new Float64Array(frames)
    this.latencyMs = new Float64Array(frames)
    this.sorted = new Float64Array(frames)
    this.points = new Float32Array(frames * 2)
    this.segs = new Float32Array((frames + 8) * SEGMENT_FLOATS)

    this.lines = new LineBatcher(queue, { layer, sequenced: true, debug: this.debug, label: 'hud lines' })
    this.text = new TextBatcher(queue, {
      layer, sequenced: true, debug: this.debug, label: 'hud text', pixelSize: desc.pixelSize ?? 12,
      ...(desc.font ? { font: desc.font } : {}), ...(desc.atlas ? { atlas: desc.atlas } : {}),
    })
    const pad = this.padding
    this.lineStep = Math.ceil(this.text.lineHeight)
    const textWidth = Math.ceil(this.text.measure(LINE_FRAME))
    this.graphX = pad
    this.frameGraphY = pad + 3 * this.lineStep + pad
    this.latencyGraphY = this.frameGraphY + graphHeight + pad
    this.panelWidth = Math.max(this.graphWidth, textWidth) + 2 * pad
    this.panelHeight = this.latencyGraphY + graphHeight + pad
  }

  /** Samples held (up to `frames`). */
  get samples(): number {
    return this.count
  }

  /** Records one frame: its duration and its input-to-latch latency, in milliseconds. */
  push(frameMs: number, latencyMs: number): void {
    if (!(frameMs >= 0 && frameMs < Infinity) || !(latencyMs >= 0 && latencyMs < Infinity)) {
      if (this.debug) {
        throw new ValidationError(ErrorCode.INVALID_DRAW,
          `hud.push(${frameMs}, ${latencyMs}): both values must be finite milliseconds >= 0`)
      }
      if (!(frameMs >= 0 && frameMs < Infinity)) frameMs = 0
      if (!(latencyMs >= 0 && latencyMs < Infinity)) latencyMs = 0
    }
    this.frameMs[this.head] = frameMs
    this.latencyMs[this.head] = latencyMs
    this.head = this.head + 1 === this.frames ? 0 : this.head + 1
    if (this.count < this.frames) this.count++
  }

  /** Forgets every sample. */
  clear(): void {
    this.head = 0
    this.count = 0
  }

  /**
   * Records the panel, graphs and text with its top-left corner at (x, y), rounded to whole
   * pixels. Allocates nothing.
   */
  draw(x: number, y: number): void {
    const ox = Math.round(x)
    const oy = Math.round(y)
    const s = this.segs
    // Panel: a segment as thick as the panel is tall is an exact rectangle.
    const h = this.panelHeight
    s[0] = ox; s[1] = oy + h * 0.5; s[2] = ox + this.panelWidth; s[3] = s[1]!; s[4] = h
    s[5] = 0.05; s[6] = 0.05; s[7] = 0.08; s[8] = 0.78
    let k = this.graph(SEGMENT_FLOATS, ox + this.graphX, oy + this.frameGraphY, this.frameMs, true)
    k = this.graph(k, ox + this.graphX, oy + this.latencyGraphY, this.latencyMs, false)
    this.lines.segments(s, k / SEGMENT_FLOATS)
    if (this.count >= 2) this.lines.polyline(this.points, this.count, LATENCY_LINE)

    const n = this.count
    let sum = 0
    for (let i = 0; i < n; i++) sum += this.frameMs[i]!
    this.pct[2] = n > 0 && sum > 0 ? (1000 * n) / sum : 0
    formatFrom(this.lineFps, 6, NUMBER_WIDTH, this.pct, 2, 1)
    this.percentiles(this.frameMs)
    formatFrom(this.lineFrame, 10, NUMBER_WIDTH, this.pct, 0, 2)
    formatFrom(this.lineFrame, 22, NUMBER_WIDTH, this.pct, 1, 2)
    this.percentiles(this.latencyMs)
    formatFrom(this.lineLatch, 10, NUMBER_WIDTH, this.pct, 0, 2)
    formatFrom(this.lineLatch, 22, NUMBER_WIDTH, this.pct, 1, 2)
    const text = this.text
    const tx = ox + this.padding
    const ty = oy + this.padding
    const step = this.lineStep
    text.drawCodes(this.lineFps, this.lineFps.length, tx, ty, HUD_TEXT)
    text.drawCodes(this.lineFrame, this.lineFrame.length, tx, ty + step, HUD_TEXT)
    text.drawCodes(this.lineLatch, this.lineLatch.length, tx, ty + 2 * step, HUD_TEXT)
  }

  /** Frees both batchers. Idempotent. */
  destroy(): void {
    this.lines.destroy()
    this.text.destroy()
  }

  /**
   * One graph at integer pixel (gx, gy): bars (frame times) as segments written into `segs` from
   * float `k`, or the latency polyline's points into `points`; then the 8.3 / 16.7 ms guides.
   * Returns the next free float in `segs`.
   */
  private graph(k: number, gx: number, gy: number, ring: Float64Array, bars: boolean): number {
    const s = this.segs
    const gh = this.graphHeight
    const bw = this.barWidth
    const bottom = gy + gh
    const n = this.count
    const first = this.frames - n
    const oldest = n === this.frames ? this.head : 0
    const max = this.maxSlot[0]!
    const toPx = gh / max
    const pts = this.points
    for (let i = 0; i < n; i++) {
      let idx = oldest + i
      if (idx >= this.frames) idx -= this.frames
      const v = ring[idx]!
      const hpx = (v < max ? v : max) * toPx
      const cx = gx + (first + i) * bw + bw * 0.5
      if (!bars) {
        pts[i * 2] = cx
        pts[i * 2 + 1] = bottom - hpx
      } else if (hpx > 0) {
        s[k] = cx; s[k + 1] = bottom; s[k + 2] = cx; s[k + 3] = bottom - hpx; s[k + 4] = bw
        if (v <= 8.4) {
          s[k + 5] = 0.25; s[k + 6] = 0.85; s[k + 7] = 0.35
        } else if (v <= 16.8) {
          s[k + 5] = 0.95; s[k + 6] = 0.8; s[k + 7] = 0.2
        } else {
          s[k + 5] = 0.95; s[k + 6] = 0.3; s[k + 7] = 0.25
        }
        s[k + 8] = 1
        k += SEGMENT_FLOATS
      }
    }
    // Guides centred on a pixel row, so the 1 px line covers exactly that row.
    for (let g = 0; g < 2; g++) {
      const ms = g === 0 ? 8.333 : 16.667
      if (ms >= max) continue
      const row = Math.floor(bottom - ms * toPx) + 0.5
      s[k] = gx; s[k + 1] = row; s[k + 2] = gx + this.graphWidth; s[k + 3] = row; s[k + 4] = 1
      s[k + 5] = 1; s[k + 6] = 1; s[k + 7] = 1; s[k + 8] = 0.35
      k += SEGMENT_FLOATS
    }
    return k
  }

  /** p50 and p99 (nearest rank) of the held samples of `ring` into `this.pct`. */
  private percentiles(ring: Float64Array): void {
    const n = this.count
    const s = this.sorted
    if (n === 0) {
      this.pct[0] = 0
      this.pct[1] = 0
      return
    }
    // Insertion sort of at most `frames` values; the ring's order is irrelevant here.
    for (let i = 0; i < n; i++) {
      const v = ring[i]!
      let j = i - 1
      while (j >= 0 && s[j]! > v) {
        s[j + 1] = s[j]!
        j--
      }
      s[j + 1] = v
    }
    this.pct[0] = s[Math.ceil(0.5 * n) - 1]!
    this.pct[1] = s[Math.ceil(0.99 * n) - 1]!
  }
}

const HUD_KEYS = descKeys<HudDesc>({ frames: true, barWidth: true, graphHeight: true, maxMs: true, layer: true, pixelSize: true, font: true, atlas: true, debug: true })

/** Creates a HUD drawing through `queue`. It owns two batchers until `destroy`. */
export function createHud(queue: DrawQueue, desc?: HudDesc): Hud {
  checkDesc('createHud', desc, HUD_KEYS, desc?.debug ?? queue.debug)
  return new Hud(queue, desc)
}
