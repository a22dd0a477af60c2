// decodePNG reads every non-interlaced colour type a user's texture may come in, and refuses the
// rest with FL_IMAGE_DECODE. Test images are built here chunk by chunk, so each case is exact.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import zlib from 'node:zlib'
import { decodePNG, encodePNG, ErrorCode } from '../../dist/index.js'

function crc32(buf) {
  let c = 0xffffffff
  for (let i = 0; i < buf.length; i++) {
    c ^= buf[i]
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  Buffer.from(data).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
/** rows: array of Buffers of packed samples (no filter byte); filter byte 0 is added. */
function png({ width, height, depth, colorType, interlace = 0, rows, extra = [] }) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = depth; ihdr[9] = colorType; ihdr[12] = interlace
  const raw = Buffer.concat(rows.map((r) => Buffer.concat([Buffer.from([0]), Buffer.from(r)])))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), ...extra, chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ])
}
const px = (img, x, y) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4))

test('round trip through encodePNG keeps every pixel', () => {
  const data = new Uint8Array(5 * 3 * 4).map((_, i) => (i * 37) & 0xff)
  const img = decodePNG(encodePNG(data, 5, 3))
  assert.is(img.width, 5)
  assert.is(img.height, 3)
  assert.equal(Array.from(img.data), Array.from(data))
})

test('grey 8-bit and grey+alpha become opaque or translucent grey RGBA', () => {
  const grey = decodePNG(png({ width: 2, height: 1, depth: 8, colorType: 0, rows: [[10, 200]] }))
  assert.equal(px(grey, 0, 0), [10, 10, 10, 255])
  assert.equal(px(grey, 1, 0), [200, 200, 200, 255])
  const ga = decodePNG(png({ width: 1, height: 2, depth: 8, colorType: 4, rows: [[50, 128], [60, 0]] }))
  assert.equal(px(ga, 0, 0), [50, 50, 50, 128])
  assert.equal(px(ga, 0, 1), [60, 60, 60, 0])
})

test('16-bit RGB and RGBA keep the high byte of each channel', () => {
  const rgb = decodePNG(png({ width: 1, height: 1, depth: 16, colorType: 2, rows: [[0x12, 0xff, 0x34, 0x00, 0x56, 0x80]] }))
  assert.equal(px(rgb, 0, 0), [0x12, 0x34, 0x56, 255])
  const rgba = decodePNG(png({ width: 1, height: 1, depth: 16, colorType: 6, rows: [[1, 0, 2, 0, 3, 0, 4, 0]] }))
  assert.equal(px(rgba, 0, 0), [1, 2, 3, 4])
})

test('palette images at 2 and 8 bits, with tRNS alpha for the first entries', () => {
  const plte = chunk('PLTE', Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]))
  const trns = chunk('tRNS', Buffer.from([0, 100]))
  // 2 bits per pixel, 5 pixels: indices 3 2 1 0 | 1 -> bytes 0b11100100, 0b01000000
  const two = decodePNG(png({ width: 5, height: 1, depth: 2, colorType: 3, rows: [[0b11100100, 0b01000000]], extra: [plte, trns] }))
  assert.equal(px(two, 0, 0), [9, 9, 9, 255])
  assert.equal(px(two, 1, 0), [0, 0, 255, 255])
  assert.equal(px(two, 2, 0), [0, 255, 0, 100])
  assert.equal(px(two, 3, 0), [255, 0, 0, 0])
  assert.equal(px(two, 4, 0), [0, 255, 0, 100])
  const eight = decodePNG(png({ width: 2, height: 1, depth: 8, colorType: 3, rows: [[2, 0]], extra: [plte] }))
  assert.equal(px(eight, 0, 0), [0, 0, 255, 255])
  assert.equal(px(eight, 1, 0), [255, 0, 0, 255])
})

function code(fn) {
  try { fn() } catch (err) { return err.code }
  return 'no error'
}

test('files it cannot read throw FL_IMAGE_DECODE', () => {
  const good = png({ width: 1, height: 1, depth: 8, colorType: 6, rows: [[1, 2, 3, 4]] })
  assert.is(code(() => decodePNG(Buffer.from('GIF89a not a png'))), ErrorCode.IMAGE_DECODE)
  assert.is(code(() => decodePNG(good.subarray(0, good.length - 20))), ErrorCode.IMAGE_DECODE)
  assert.is(code(() => decodePNG(png({ width: 1, height: 1, depth: 8, colorType: 6, interlace: 1, rows: [[1, 2, 3, 4]] }))), ErrorCode.IMAGE_DECODE)
  assert.is(code(() => decodePNG(png({ width: 2, height: 1, depth: 4, colorType: 0, rows: [[0x1f]] }))), ErrorCode.IMAGE_DECODE)
  assert.is(code(() => decodePNG(png({ width: 1, height: 1, depth: 8, colorType: 3, rows: [[0]] }))), ErrorCode.IMAGE_DECODE)
})

test.run()
