/**
 * Colours of the batchers. Every colour a user passes is one number, 0xRRGGBBAA (as in CSS
 * `#rrggbbaa`): `0xff0000ff` is opaque red. `rgba(r, g, b, a)` builds one from 0..1 channels.
 *
 * On the GPU the rect and sprite batchers read a colour as one uint32 whose little-endian bytes
 * are r, g, b, a (`ubyte4n`); `packColor` / `packHexColor` give that form, which is what the bulk
 * paths (`sprites.reserve`) take. Plain functions over numbers: nothing here allocates.
 */

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
