/**
 * A small PNG encoder/decoder for RGBA8 images (screenshots and reference images). Encoding uses
 * node:zlib; no dependency. Rows are top row first.
 */
import { ErrorCode, ValidationError } from '../errors.js'
import { zlibModule } from './builtins-on-demand.js'

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Encodes `rgba` (width*height*4 bytes, top row first) as a PNG file. */
export function encodePNG(rgba: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0 // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibModule().deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

export interface DecodedImage {
  width: number
  height: number
  /** RGBA8, top row first. */
  data: Uint8Array
}

/** Why a PNG could not be decoded; thrown as FL_IMAGE_DECODE with the file's facts. */
function decodeError(message: string, info?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.IMAGE_DECODE, message, info)
}

const COLOR_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
const COLOR_NAMES: Readonly<Record<number, string>> = { 0: 'grey', 2: 'RGB', 3: 'palette', 4: 'grey+alpha', 6: 'RGBA' }

/**
 * Decodes non-interlaced PNGs of every colour type (grey, grey+alpha, RGB, RGBA, palette with
 * tRNS transparency) at 8 or 16 bits per channel (16 is rounded to its high byte), and palette
 * images at 1, 2, 4 or 8 bits. Returns RGBA8, top row first. Anything else (interlaced images,
 * grey below 8 bits, a truncated or corrupt file) throws `FL_IMAGE_DECODE` saying what to do.
 */
export function decodePNG(png: Uint8Array): DecodedImage {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) {
    throw decodeError('not a PNG file (its first 8 bytes are not the PNG signature); export the image as PNG')
  }
  let pos = 8
  let width = 0
  let height = 0
  let depth = 8
  let colorType = -1
  let palette: Uint8Array | null = null
  let paletteAlpha: Uint8Array | null = null
  const idat: Buffer[] = []
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('ascii', pos + 4, pos + 8)
    if (pos + 12 + len > buf.length) throw decodeError(`PNG is truncated in its ${type} chunk; the file was cut short, write it again`, { type, at: pos })
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      depth = data[8]!
      colorType = data[9]!
      const channels = COLOR_CHANNELS[colorType]
      if (channels === undefined) throw decodeError(`PNG has unknown colour type ${colorType}; the file is corrupt`, { colorType })
      const depthOk = colorType === 3 ? depth === 1 || depth === 2 || depth === 4 || depth === 8 : depth === 8 || depth === 16
      if (!depthOk) {
        throw decodeError(`${depth}-bit ${COLOR_NAMES[colorType]} PNGs are not supported; save it as 8-bit RGBA`, { depth, colorType })
      }
      if (data[12] !== 0) throw decodeError('interlaced (Adam7) PNGs are not supported; save it without interlacing', { interlace: data[12] })
    } else if (type === 'PLTE') palette = new Uint8Array(data)
    else if (type === 'tRNS') paletteAlpha = new Uint8Array(data)
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    pos += 12 + len
  }
  if (colorType < 0 || width === 0 || height === 0) throw decodeError('PNG has no image header (IHDR) or an empty size; the file is corrupt')
  if (colorType === 3 && palette === null) throw decodeError('palette PNG without a palette (PLTE); the file is corrupt')
  const channels = COLOR_CHANNELS[colorType]!
  const bitsPerPixel = channels * depth
  // Filters work on whole bytes: the byte distance to the pixel on the left, at least 1.
  const bpp = Math.max(1, bitsPerPixel >> 3)
  const stride = Math.ceil((width * bitsPerPixel) / 8)
  let raw: Buffer
  try {
    raw = zlibModule().inflateSync(Buffer.concat(idat))
  } catch (err) {
    throw decodeError(`PNG image data does not inflate (${(err as Error).message}); the file is corrupt`)
  }
  if (raw.length < (stride + 1) * height) {
    throw decodeError(`PNG image data holds ${raw.length} bytes, ${(stride + 1) * height} expected; the file is truncated or corrupt`)
  }
  const cur = new Uint8Array(stride)
  const prev = new Uint8Array(stride)
  const out = new Uint8Array(width * height * 4)
  const byteStep = depth === 16 ? 2 : 1
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    if (filter > 4) throw decodeError(`PNG row ${y} has unknown filter ${filter}; the file is corrupt`, { row: y, filter })
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0
      const b = prev[i]!
      const c = i >= bpp ? prev[i - bpp]! : 0
      let v = line[i]!
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      cur[i] = v & 0xff
    }
    let o = y * width * 4
    if (colorType === 3) {
      const pal = palette!
      const perByte = 8 / depth
      const mask = (1 << depth) - 1
      for (let x = 0; x < width; x++, o += 4) {
        const index = depth === 8 ? cur[x]! : (cur[(x / perByte) | 0]! >> ((perByte - 1 - (x % perByte)) * depth)) & mask
        out[o] = pal[index * 3] ?? 0
        out[o + 1] = pal[index * 3 + 1] ?? 0
        out[o + 2] = pal[index * 3 + 2] ?? 0
        out[o + 3] = paletteAlpha !== null && index < paletteAlpha.length ? paletteAlpha[index]! : 255
      }
    } else {
      // Channel k of pixel x is at byte (x * channels + k) * byteStep; 16-bit keeps the high byte.
      for (let x = 0; x < width; x++, o += 4) {
        const p = x * channels * byteStep
        if (channels >= 3) {
          out[o] = cur[p]!
          out[o + 1] = cur[p + byteStep]!
          out[o + 2] = cur[p + 2 * byteStep]!
          out[o + 3] = channels === 4 ? cur[p + 3 * byteStep]! : 255
        } else {
          const g = cur[p]!
          out[o] = g
          out[o + 1] = g
          out[o + 2] = g
          out[o + 3] = channels === 2 ? cur[p + byteStep]! : 255
        }
      }
    }
    prev.set(cur)
  }
  return { width, height, data: out }
}
