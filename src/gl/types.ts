/**
 * Descriptor types for every device resource. Each create call takes one `*Desc` object; the
 * default of every optional field is documented beside it.
 */
import type { BufferHandle, ProgramHandle, RenderTargetHandle, TextureHandle } from './handles.js'

export type {
  GL, GLConstantName, WebGLBuffer, WebGLTexture, WebGLFramebuffer, WebGLRenderbuffer, WebGLProgram, WebGLShader,
  WebGLUniformLocation, WebGLVertexArrayObjectOES, VertexArrayExtension, InstancingExtension,
} from '../platform/webgl.js'

// ---------------------------------------------------------------- buffers

/** `static`: written once. `dynamic`: rewritten now and then. `stream`: rewritten every frame. */
export type BufferUsage = 'static' | 'dynamic' | 'stream'
export type BufferType = 'vertex' | 'index'

export interface BufferDesc {
  /** Default 'vertex'. */
  type?: BufferType
  /** Default 'static'. */
  usage?: BufferUsage
  /** Size in bytes; required when `data` is absent. With `data`, defaults to its byte length. */
  size?: number
  /** Initial contents; copied, the caller keeps ownership of the array. */
  data?: ArrayBufferView
  /** Index element type for index buffers. Default 'uint16'. */
  indexType?: 'uint16' | 'uint32'
  /** Debug label used in error messages. Default ''. */
  label?: string
}

// ---------------------------------------------------------------- textures

/** `rgba8`: 8-bit normalised colour. `rgba32f`: float data texture (OES_texture_float). */
export type TextureFormat = 'rgba8' | 'rgba32f' | 'alpha8'
export type TextureFilter = 'nearest' | 'linear'
export type TextureWrap = 'clamp' | 'repeat' | 'mirror'

export interface TextureDesc {
  width: number
  height: number
  /** Default 'rgba8'. */
  format?: TextureFormat
  /** Default 'linear' for rgba8, 'nearest' for float formats. */
  minFilter?: TextureFilter
  magFilter?: TextureFilter
  /** Default 'clamp' (the only choice for non-power-of-two sizes in WebGL 1). */
  wrapS?: TextureWrap
  wrapT?: TextureWrap
  /**
   * Initial pixels, top row first: Uint8Array (rgba8: width*height*4, alpha8: width*height) or
   * Float32Array (rgba32f: width*height*4). Copied. Default: zero-filled.
   */
  data?: Uint8Array | Float32Array
  /** Default ''. */
  label?: string
}

export interface TextureRegion {
  x: number
  y: number
  width: number
  height: number
}

// ---------------------------------------------------------------- render targets

export interface RenderTargetDesc {
  width: number
  height: number
  /** Colour attachment format. Default 'rgba8'. */
  format?: 'rgba8' | 'rgba32f'
  /** Attach a 16-bit depth renderbuffer. Default false. */
  depth?: boolean
  /** Default 'nearest'. */
  filter?: TextureFilter
  /** Default ''. */
  label?: string
}

// ---------------------------------------------------------------- programs

export interface ProgramDesc {
  vertex: string
  fragment: string
  /** Used in error messages and traces. Default 'program'. */
  name?: string
  /**
   * sampler2D uniform names in texture-unit order: `samplers[i]` reads `Bindings.textures[i]`.
   * Default: the active samplers in the order the driver lists them.
   */
  samplers?: string[]
}

// ---------------------------------------------------------------- pipelines

export type VertexFormat =
  | 'float' | 'float2' | 'float3' | 'float4'
  | 'ubyte4n' // 4 unsigned bytes normalised to 0..1 (packed colours)
  | 'short2' | 'short2n' | 'ushort2n'

export interface VertexAttributeDesc {
  /** Attribute name in the vertex shader. */
  name: string
  format: VertexFormat
  /** Byte offset inside one element of its buffer. Default: packed after the previous attribute. */
  offset?: number
  /** Which vertex buffer slot feeds it. Default 0. */
  buffer?: number
}

export interface VertexBufferLayoutDesc {
  /** Bytes per element. Default: the packed size of its attributes. */
  stride?: number
  /** 'vertex' or 'instance' (ANGLE_instanced_arrays divisor 1). Default 'vertex'. */
  step?: 'vertex' | 'instance'
}

export type PrimitiveType = 'triangles' | 'triangle-strip' | 'lines' | 'line-strip' | 'points'
export type BlendMode = 'none' | 'alpha' | 'premultiplied' | 'additive' | 'multiply'
export type CullMode = 'none' | 'back' | 'front'
export type DepthCompare = 'never' | 'less' | 'lequal' | 'equal' | 'greater' | 'gequal' | 'always'

export interface PipelineDesc {
  program: ProgramHandle
  /** Per buffer slot layout. Default: one per-vertex buffer. */
  buffers?: VertexBufferLayoutDesc[]
  attributes: VertexAttributeDesc[]
  /** Default 'triangles'. */
  primitive?: PrimitiveType
  /** Default 'none'. */
  blend?: BlendMode
  /** Default { test: false, write: false, compare: 'less' }. */
  depth?: { test?: boolean; write?: boolean; compare?: DepthCompare }
  /** Default 'none'. */
  cull?: CullMode
  /** Index element type when drawing indexed. Default 'none' (non-indexed). */
  indexType?: 'none' | 'uint16' | 'uint32'
  /** Default ''. */
  label?: string
}

// ---------------------------------------------------------------- passes and bindings

export interface PassDesc {
  /** Render target, or 0 for the window / headless default framebuffer. Default 0. */
  target?: RenderTargetHandle | 0
  /** Clear colour (0..1 RGBA); omit to keep the contents. */
  clearColor?: readonly [number, number, number, number]
  /** Clear depth to this value; omit to keep. */
  clearDepth?: number
  /** Viewport; default the whole target. */
  viewport?: readonly [number, number, number, number]
  /**
   * Scissor of the whole pass, `[x, y, w, h]` in the viewport's pixels with a top-left origin
   * (like clips): the clear and every draw stay inside it, and a draw queue intersects its clips
   * with it. Whole pixels (rounded). Default none. Read at `beginPass`; may be a reused array.
   */
  scissor?: ArrayLike<number>
}

/**
 * Bindings for the next draws. Reuse one object per call site: the device reads it and keeps
 * no reference, so mutating and re-passing it allocates nothing.
 */
export interface Bindings {
  /** Vertex buffer per slot (0 = unused). */
  vertexBuffers: BufferHandle[]
  /** Byte offset into each vertex buffer. Default 0 each. */
  vertexOffsets?: number[]
  /** Index buffer or 0. */
  indexBuffer?: BufferHandle | 0
  /** Texture per unit (0 = unbound). Shaders sample unit N through the uniform they name. */
  textures?: TextureHandle[]
}
