/**
 * The WebGL 1 context type, from @kmamal/gl's own declarations (src/types/index.d.ts in the
 * package), corrected where 9.1.0's declarations disagree with its runtime and with WebGL:
 *
 * - `bind*`, `useProgram` and `framebufferRenderbuffer` accept `null` (unbinding), as in WebGL.
 * - `getUniformLocation` returns `null` for a name that is not an active uniform.
 * - `getExtension` is typed for the extensions framelatch uses: the package declares them as
 *   empty interfaces, misspells two names with a trailing space ('ANGLE_instanced_arrays '), and
 *   omits stackgl's `STACKGL_destroy_context`.
 * - Queries the package declares as returning `any` (`getParameter`, `getProgramParameter`, ...)
 *   return `unknown` here, so every use says what it expects.
 * - `drawingBufferWidth/Height` are writable: the package's JS layer clips `readPixels` to them,
 *   so a resized window context must update them (src/gl/context.ts).
 *
 * It lives in src/platform, the one folder that loads the native bindings; src/gl imports `GL`
 * through src/gl/types.ts.
 */
import type {
  GLenum, GLint, GLsizei, GLuint, GLintptr,
  WebGLBuffer, WebGLFramebuffer, WebGLProgram, WebGLRenderbuffer, WebGLShader, WebGLTexture, WebGLUniformLocation,
  WebGLRenderingContext as KmamalGLContext, WebGLContextAttributes,
} from '@kmamal/gl'

export type {
  GLenum, WebGLBuffer, WebGLFramebuffer, WebGLProgram, WebGLRenderbuffer, WebGLShader, WebGLTexture, WebGLUniformLocation,
}

/** A vertex array object of OES_vertex_array_object. */
export interface WebGLVertexArrayObjectOES {
  readonly __brand?: 'WebGLVertexArrayObjectOES'
}

/** OES_vertex_array_object (WebGL 1 extension). */
export interface VertexArrayExtension {
  readonly VERTEX_ARRAY_BINDING_OES: GLenum
  createVertexArrayOES(): WebGLVertexArrayObjectOES | null
  deleteVertexArrayOES(vao: WebGLVertexArrayObjectOES | null): void
  bindVertexArrayOES(vao: WebGLVertexArrayObjectOES | null): void
}

/** ANGLE_instanced_arrays (WebGL 1 extension). */
export interface InstancingExtension {
  readonly VERTEX_ATTRIB_ARRAY_DIVISOR_ANGLE: GLenum
  drawArraysInstancedANGLE(mode: GLenum, first: GLint, count: GLsizei, primcount: GLsizei): void
  drawElementsInstancedANGLE(mode: GLenum, count: GLsizei, type: GLenum, offset: GLintptr, primcount: GLsizei): void
  vertexAttribDivisorANGLE(index: GLuint, divisor: GLuint): void
}

/** stackgl: resizes a headless context's drawing buffer. */
export interface ResizeExtension {
  resize(width: GLint, height: GLint): void
}

/** stackgl: frees the native context now (instead of at garbage collection). */
export interface DestroyExtension {
  destroy(): void
}

type Corrected =
  | 'bindBuffer' | 'bindFramebuffer' | 'bindRenderbuffer' | 'bindTexture' | 'useProgram' | 'framebufferRenderbuffer'
  | 'getUniformLocation' | 'getExtension' | 'drawingBufferWidth' | 'drawingBufferHeight'
  | 'getParameter' | 'getProgramParameter' | 'getShaderParameter' | 'getBufferParameter' | 'getTexParameter'
  | 'getRenderbufferParameter' | 'getFramebufferAttachmentParameter' | 'getVertexAttrib' | 'getUniform'

/** The context every part of src/gl works on. */
export interface GL extends Omit<KmamalGLContext, Corrected> {
  drawingBufferWidth: GLsizei
  drawingBufferHeight: GLsizei
  bindBuffer(target: GLenum, buffer: WebGLBuffer | null): undefined
  bindFramebuffer(target: GLenum, framebuffer: WebGLFramebuffer | null): undefined
  bindRenderbuffer(target: GLenum, renderbuffer: WebGLRenderbuffer | null): undefined
  bindTexture(target: GLenum, texture: WebGLTexture | null): undefined
  useProgram(program: WebGLProgram | null): undefined
  framebufferRenderbuffer(target: GLenum, attachment: GLenum, renderbuffertarget: GLenum, renderbuffer: WebGLRenderbuffer | null): undefined
  getUniformLocation(program: WebGLProgram, name: string): WebGLUniformLocation | null
  getParameter(pname: GLenum): unknown
  getProgramParameter(program: WebGLProgram, pname: GLenum): unknown
  getShaderParameter(shader: WebGLShader, pname: GLenum): unknown
  getBufferParameter(target: GLenum, pname: GLenum): unknown
  getTexParameter(target: GLenum, pname: GLenum): unknown
  getRenderbufferParameter(target: GLenum, pname: GLenum): unknown
  getFramebufferAttachmentParameter(target: GLenum, attachment: GLenum, pname: GLenum): unknown
  getVertexAttrib(index: GLuint, pname: GLenum): unknown
  getUniform(program: WebGLProgram, location: WebGLUniformLocation): unknown
  getExtension(name: 'ANGLE_instanced_arrays'): InstancingExtension | null
  getExtension(name: 'OES_vertex_array_object'): VertexArrayExtension | null
  getExtension(name: 'STACKGL_resize_drawingbuffer'): ResizeExtension | null
  getExtension(name: 'STACKGL_destroy_context'): DestroyExtension | null
  /** Any other extension: enabled by the call; framelatch uses only whether it exists. */
  getExtension(name: string): object | null
}

/** The names of GL's numeric constants (`'FLOAT'`, `'LINEAR'`, ...), for tables keyed by name. */
export type GLConstantName = {
  [K in keyof GL]: GL[K] extends number ? (K extends `${Uppercase<string>}` ? K : never) : never
}[keyof GL]

/** @kmamal/gl's factory, its result typed as `GL`: `(width, height, attributes)` → context or null. */
export type CreateGL = (width: number, height: number, attributes?: WebGLContextAttributes) => GL | null
