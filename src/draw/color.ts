/**
 * Colours of the batchers. Every colour a style holds is one number, 0xRRGGBBAA (as in CSS
 * `#rrggbbaa`): `0xff0000ff` is opaque red. A number is always read that way, so the 6-digit
 * `0xff0000` is not red: as 0xRRGGBBAA it is 0x00ff0000, green with alpha 0 (invisible). Write
 * `hexRGB(0xff0000)` (= 0xff0000ff) or a string instead. `rgba(r, g, b, a)` builds one from 0..1
 * channels.
 *
 * Style descs (`createRectStyle({ fill })`, sprites' `tint`, lines' and text's `color`) also take
 * CSS strings, parsed once when the style is made by `parseColor`: '#rgb', '#rgba', '#rrggbb',
 * '#rrggbbaa', 'rgb(255, 0, 0)', 'rgba(255, 0, 0, 0.5)', the space syntax 'rgb(255 0 0 / 50%)'
 * (channels 0..255 or percentages, alpha 0..1 or a percentage), the 148 CSS colour names and
 * 'transparent', case-insensitive. Anything else throws FL_INVALID_DESC naming the field, with
 * the nearest colour name when the string looks like a misspelt one.
 *
 * On the GPU the rect and sprite batchers read a colour as one uint32 whose little-endian bytes
 * are r, g, b, a (`ubyte4n`); `packColor` / `packHexColor` give that form, which is what the bulk
 * paths (`sprites.reserve`) take. Plain functions over numbers: nothing here allocates.
 */

import { ErrorCode, ValidationError } from '../errors.js'
import { closestKey } from '../check.js'
import { CSS_COLOR_NAMES } from './color-names.js'

/** A colour as styles take it: 0xRRGGBBAA, or a CSS string (see the file comment). */
export type ColorValue = number | string

/** A colour channel 0..1 as a byte, clamped; NaN becomes 0. */
function byte(v: number): number {
  return v >= 1 ? 255 : v > 0 ? (v * 255 + 0.5) | 0 : 0
}

/** RGBA channels 0..1 (clamped, NaN = 0) as 0xRRGGBBAA. */
export function rgba(r: number, g: number, b: number, a: number): number {
  return ((byte(r) << 24) | (byte(g) << 16) | (byte(b) << 8) | byte(a)) >>> 0
}

/** RGBA channels 0..1 as the uint32 whose little-endian bytes are r, g, b, a (what `ubyte4n` reads). */
export function packColor(r: number, g: number, b: number, a: number): number {
  return (byte(r) | (byte(g) << 8) | (byte(b) << 16) | (byte(a) << 24)) >>> 0
}

/** 0xRRGGBBAA as the little-endian byte order `ubyte4n` reads (a byte swap). */
export function packHexColor(rgba: number): number {
  return (((rgba >>> 24) & 0xff) | (((rgba >>> 16) & 0xff) << 8) | (((rgba >>> 8) & 0xff) << 16) | ((rgba & 0xff) << 24)) >>> 0
}

/** True when `c` is a colour: an integer 0..0xffffffff (NaN, fractions and negatives are not). */
export function isColor(c: number): boolean {
  return c >>> 0 === c
}

/** Channel `shift` (24 red, 16 green, 8 blue, 0 alpha) of 0xRRGGBBAA as 0..1. */
export function channel(rgba: number, shift: number): number {
  return ((rgba >>> shift) & 0xff) / 255
}

/** 0xRRGGBB (the 6-digit form, no alpha) with `alpha` 0..1 (default opaque) as 0xRRGGBBAA. */
export function hexRGB(rgb: number, alpha = 1): number {
  return (((rgb & 0xffffff) << 8) | byte(alpha)) >>> 0
}

const NAMES = Object.keys(CSS_COLOR_NAMES)
const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/
const FUNC = /^(rgba?)\(\s*(.*?)\s*\)$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?(%?)$/

/**
 * `value` as 0xRRGGBBAA: a number is checked (an integer 0..0xffffffff) and returned; a string is
 * parsed as CSS (see the file comment). `where` names the field in errors ('createRectStyle: fill').
 * Setup work: it allocates (regular expressions), so call it when a style is made, not per draw.
 */
export function parseColor(value: ColorValue, where = 'colour'): number {
  if (typeof value === 'number') {
    if (isColor(value)) return value
    throw badColor(where, value, 'a number colour must be an integer 0..0xffffffff (0xRRGGBBAA)')
  }
  if (typeof value !== 'string') throw badColor(where, value, 'give 0xRRGGBBAA or a CSS colour string')
  const s = value.trim().toLowerCase()
  const hex = HEX.exec(s)
  if (hex !== null) return parseHex(hex[1]!)
  const fn = FUNC.exec(s)
  if (fn !== null) {
    const c = parseChannels(fn[2]!)
    if (c !== null) return c
    throw badColor(where, value, `${fn[1]}() takes three channels (0..255 or 0%..100%) and an optional alpha (0..1 or a percentage): 'rgb(255, 128, 0)', 'rgba(255, 128, 0, 0.5)', 'rgb(255 128 0 / 50%)'`)
  }
  if (s === 'transparent') return 0
  const named = CSS_COLOR_NAMES[s]
  if (named !== undefined) return hexRGB(named)
  const near = /^[a-z]+$/.test(s) ? closestKey(s, NAMES) : null
  throw badColor(where, value, near !== null ? `did you mean '${near}'?` :
    "use '#rgb', '#rrggbb', '#rrggbbaa', 'rgb(r, g, b)', 'rgba(r, g, b, a)', a CSS colour name, or 0xRRGGBBAA")
}

function parseHex(h: string): number {
  if (h.length <= 4) {
    let v = 0
    for (let i = 0; i < 4; i++) {
      const d = i < h.length ? parseInt(h[i]!, 16) : 15
      v = v * 256 + d * 17
    }
    return v >>> 0
  }
  return (h.length === 6 ? parseInt(h, 16) * 256 + 255 : parseInt(h, 16)) >>> 0
}

/** 'r, g, b[, a]' or 'r g b[ / a]' as 0xRRGGBBAA, or null when malformed. */
function parseChannels(body: string): number | null {
  let parts: string[]
  if (body.includes(',')) {
    parts = body.split(',').map((p) => p.trim())
  } else {
    const [rgb, alpha, extra] = body.split('/').map((p) => p.trim())
    if (extra !== undefined) return null
    parts = rgb!.split(/\s+/)
    if (alpha !== undefined) parts.push(alpha)
  }
  if (parts.length !== 3 && parts.length !== 4) return null
  let v = 0
  for (let i = 0; i < 4; i++) {
    const m = i < parts.length ? NUMBER.exec(parts[i]!) : null
    if (i === 3 && m === null && i >= parts.length) {
      v = v * 256 + 255
      continue
    }
    if (m === null) return null
    const n = parseFloat(parts[i]!)
    const unit = m[3] === '%' ? n / 100 : i === 3 ? n : n / 255
    v = v * 256 + byte(unit)
  }
  return v >>> 0
}

function badColor(where: string, value: unknown, advice: string): ValidationError {
  const shown = typeof value === 'string' ? `'${value}'` : String(value)
  return new ValidationError(ErrorCode.INVALID_DESC, `${where} ${shown} is not a colour; ${advice}`, { value })
}
