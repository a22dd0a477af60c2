/**
 * How a line series fills an area (line-series.ts `fill`): colour, baseline, straight or stepped.
 * A plain mutable object made once at setup and read at every fill.
 */
import { checkDesc, descKeys } from '../check.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { isColor } from './color.js'
import { MODE_AREA, MODE_STEP_AFTER, MODE_STEP_BEFORE } from './series-shader.js'

export interface AreaStyleDesc {
  /** Fill colour, 0xRRGGBBAA (not premultiplied). Default 0xffffff40. */
  color?: number
  /** y (user units) the area reaches down (or up) to. Default 0. */
  baseline?: number
  /** 'none' (default): straight lines between points; 'after': each point's y holds until the next x; 'before': each point's y holds from the previous x. */
  step?: 'none' | 'after' | 'before'
}

/** How an area looks; reusable and mutable (read at every `fill`). Make one with `createAreaStyle`. */
export class AreaStyle {
  color: number
  baseline: number
  step: 'none' | 'after' | 'before'
  constructor(color: number, baseline: number, step: 'none' | 'after' | 'before') {
    this.color = color
    this.baseline = baseline
    this.step = step
  }
}

const AREA_STYLE_KEYS = descKeys<AreaStyleDesc>({ color: true, baseline: true, step: true })

/** Creates an area style (setup: checked always, coded INVALID_DESC errors). */
export function createAreaStyle(desc: AreaStyleDesc = {}): AreaStyle {
  checkDesc('createAreaStyle', desc, AREA_STYLE_KEYS, true)
  const style = new AreaStyle(desc.color ?? 0xffffff40, desc.baseline ?? 0, desc.step ?? 'none')
  if (!isColor(style.color)) throw invalidDesc(`createAreaStyle: color ${String(style.color)} must be a colour 0xRRGGBBAA (an integer 0..0xffffffff)`)
  if (!Number.isFinite(style.baseline)) throw invalidDesc(`createAreaStyle: baseline ${String(style.baseline)} must be a finite y`)
  if (stepMode(style.step) < 0) throw invalidDesc(`createAreaStyle: step ${JSON.stringify(style.step)} must be 'none', 'after' or 'before'`)
  return style
}

/** The shader's mode of `step`, or -1 for anything else. */
export function stepMode(step: string): number {
  return step === 'none' ? MODE_AREA : step === 'after' ? MODE_STEP_AFTER : step === 'before' ? MODE_STEP_BEFORE : -1
}

function invalidDesc(message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, message)
}
