/**
 * Validation and GL creation for buffers, textures and render targets. Descriptors are checked
 * completely before the first GL call, so a bad descriptor never leaves a half-made object.
 */
import { ErrorCode, FramelatchError, ValidationError } from '../errors.js'
import type { StateCache } from './state-cache.js'
import type { TextureHandle } from './handles.js'
import type {
  BufferDesc, GL, GLConstantName, RenderTargetDesc, TextureDesc, TextureFilter, TextureFormat, TextureWrap,
  WebGLBuffer, WebGLFramebuffer, WebGLRenderbuffer, WebGLTexture,
} from './types.js'
import type { Capabilities } from './capabilities.js'

export interface BufferRecord {
  readonly buffer: WebGLBuffer
  readonly target: number
  readonly usage: number
  readonly size: number
  readonly isIndex: boolean
  readonly label: string
}

export interface TextureRecord {
  readonly texture: WebGLTexture
  readonly width: number
  readonly height: number
  readonly format: TextureFormat
  readonly glFormat: number
  readonly glType: number
  readonly label: string
  /** Set when the texture belongs to a render target (destroyed with it). */
  readonly ownedByTarget: boolean
}

export interface RenderTargetRecord {
  readonly framebuffer: WebGLFramebuffer
  readonly depth: WebGLRenderbuffer | null
  readonly colorTexture: TextureHandle
  readonly width: number
  readonly height: number
  readonly label: string
}

function invalid(call: string, message: string, details?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.INVALID_DESC, `${call}: ${message}`, details)
}

function checkSize(call: string, name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > max) {
    throw invalid(call, `${name} must be an integer in 1..${max}, got ${String(v)}`)
  }
  return v
}

export function createBufferRecord(gl: GL, state: StateCache, desc: BufferDesc): BufferRecord {
  const type = desc.type ?? 'vertex'
  if (type !== 'vertex' && type !== 'index') throw invalid('createBuffer', `type '${String(type)}' is not 'vertex' or 'index'`)
  const usageName = desc.usage ?? 'static'
  const usages: Record<string, number> = { static: gl.STATIC_DRAW, dynamic: gl.DYNAMIC_DRAW, stream: gl.STREAM_DRAW }
  const usage = usages[usageName]
  if (usage === undefined) throw invalid('createBuffer', `usage '${String(usageName)}' is not static, dynamic or stream`)
  if (desc.data !== undefined && !ArrayBuffer.isView(desc.data)) throw invalid('createBuffer', 'data must be a typed array or DataView')
  const size = desc.size ?? desc.data?.byteLength
  if (size === undefined) throw invalid('createBuffer', 'give either size (bytes) or data')
  checkSize('createBuffer', 'size', size, 0x7fffffff)
  if (desc.data && desc.data.byteLength > size) {
    throw new ValidationError(ErrorCode.DATA_SIZE_MISMATCH,
      `createBuffer: data is ${desc.data.byteLength} bytes but size is ${size}; make size at least the data length`)
  }
  const isIndex = type === 'index'
  const target = isIndex ? gl.ELEMENT_ARRAY_BUFFER : gl.ARRAY_BUFFER
  const buffer = gl.createBuffer()
  if (isIndex) state.bindElementBuffer(buffer)
  else state.bindArrayBuffer(buffer)
  if (desc.data && desc.data.byteLength === size) {
    gl.bufferData(target, desc.data, usage)
  } else {
    gl.bufferData(target, size, usage)
    if (desc.data) gl.bufferSubData(target, 0, desc.data)
  }
  return { buffer, target, usage, size, isIndex, label: desc.label ?? '' }
}

const FILTERS: Record<TextureFilter, GLConstantName> = { nearest: 'NEAREST', linear: 'LINEAR' }
const WRAPS: Record<TextureWrap, GLConstantName> = { clamp: 'CLAMP_TO_EDGE', repeat: 'REPEAT', mirror: 'MIRRORED_REPEAT' }

export function formatInfo(gl: GL, format: TextureFormat): { glFormat: number; glType: number; channels: number; float: boolean } {
  switch (format) {
    case 'rgba8': return { glFormat: gl.RGBA, glType: gl.UNSIGNED_BYTE, channels: 4, float: false }
    case 'rgba32f': return { glFormat: gl.RGBA, glType: gl.FLOAT, channels: 4, float: true }
    case 'alpha8': return { glFormat: gl.ALPHA, glType: gl.UNSIGNED_BYTE, channels: 1, float: false }
    default: throw invalid('createTexture', `format '${String(format)}' is not one of rgba8, rgba32f, alpha8`)
  }
}

export function createTextureRecord(gl: GL, state: StateCache, caps: Capabilities, desc: TextureDesc, ownedByTarget = false): TextureRecord {
  const call = ownedByTarget ? 'createRenderTarget' : 'createTexture'
  const width = checkSize(call, 'width', desc.width, caps.maxTextureSize)
  const height = checkSize(call, 'height', desc.height, caps.maxTextureSize)
  const format = desc.format ?? 'rgba8'
  const info = formatInfo(gl, format)
  if (info.float && !caps.floatTextures) {
    throw new ValidationError(ErrorCode.EXTENSION_MISSING, `${call}: rgba32f needs OES_texture_float, which this context lacks; use rgba8`)
  }
  const defFilter: TextureFilter = info.float ? 'nearest' : 'linear'
  const minF = FILTERS[desc.minFilter ?? defFilter]
  const magF = FILTERS[desc.magFilter ?? defFilter]
  if (!minF || !magF) throw invalid(call, 'minFilter/magFilter must be nearest or linear')
  const wrapS = WRAPS[desc.wrapS ?? 'clamp']
  const wrapT = WRAPS[desc.wrapT ?? 'clamp']
  if (!wrapS || !wrapT) throw invalid(call, 'wrapS/wrapT must be clamp, repeat or mirror')
  const pow2 = (v: number): boolean => (v & (v - 1)) === 0
  if ((wrapS !== 'CLAMP_TO_EDGE' || wrapT !== 'CLAMP_TO_EDGE') && (!pow2(width) || !pow2(height))) {
    throw invalid(call, `repeat/mirror wrapping needs power-of-two sizes in WebGL 1 (got ${width}x${height}); use wrap 'clamp'`)
  }
  if (desc.data !== undefined) checkTextureData(call, desc.data, width * height * info.channels, info.float)
  const texture = gl.createTexture()
  state.bindTextureForEdit(texture)
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl[minF])
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl[magF])
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl[wrapS])
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl[wrapT])
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1)
  const data = desc.data ?? (info.float ? new Float32Array(width * height * 4) : new Uint8Array(width * height * info.channels))
  gl.texImage2D(gl.TEXTURE_2D, 0, info.glFormat, width, height, 0, info.glFormat, info.glType, data)
  return { texture, width, height, format, glFormat: info.glFormat, glType: info.glType, label: desc.label ?? '', ownedByTarget }
}

export function checkTextureData(call: string, data: unknown, expected: number, float: boolean): void {
  const ok = float ? data instanceof Float32Array : data instanceof Uint8Array
  if (!ok) throw invalid(call, `data must be a ${float ? 'Float32Array' : 'Uint8Array'} for this format`)
  if ((data as ArrayLike<number>).length !== expected) {
    throw new ValidationError(ErrorCode.DATA_SIZE_MISMATCH,
      `${call}: data has ${(data as ArrayLike<number>).length} elements but the region needs ${expected}; pass exactly width*height*channels values`)
  }
}

export function createRenderTargetRecord(gl: GL, state: StateCache, caps: Capabilities, desc: RenderTargetDesc,
  colorHandle: TextureHandle, color: TextureRecord): RenderTargetRecord {
  const framebuffer = gl.createFramebuffer()
  state.bindFramebuffer(framebuffer)
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, color.texture, 0)
  let depth: WebGLRenderbuffer | null = null
  if (desc.depth) {
    checkSize('createRenderTarget', 'height', desc.height, caps.maxRenderbufferSize)
    depth = gl.createRenderbuffer()
    gl.bindRenderbuffer(gl.RENDERBUFFER, depth)
    gl.renderbufferStorage(gl.RENDERBUFFER, gl.DEPTH_COMPONENT16, desc.width, desc.height)
    gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.DEPTH_ATTACHMENT, gl.RENDERBUFFER, depth)
    gl.bindRenderbuffer(gl.RENDERBUFFER, null)
  }
  const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER)
  if (status !== gl.FRAMEBUFFER_COMPLETE) {
    state.bindFramebuffer(null)
    gl.deleteFramebuffer(framebuffer)
    if (depth) gl.deleteRenderbuffer(depth)
    throw new FramelatchError(ErrorCode.FRAMEBUFFER_INCOMPLETE,
      `createRenderTarget: framebuffer incomplete (status 0x${Number(status).toString(16)}) for ${desc.width}x${desc.height} ${desc.format ?? 'rgba8'}; ` +
      'try format rgba8 or a smaller size')
  }
  return { framebuffer, depth, colorTexture: colorHandle, width: desc.width, height: desc.height, label: desc.label ?? '' }
}
