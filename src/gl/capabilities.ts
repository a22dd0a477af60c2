/** What the context can do, read once at creation; the device consults this, never the driver. */
import type { GL } from './types.js'

export interface Capabilities {
  readonly renderer: string
  readonly vendor: string
  readonly version: string
  readonly shadingLanguageVersion: string
  readonly extensions: readonly string[]
  readonly maxTextureSize: number
  readonly maxVertexAttribs: number
  readonly maxVertexUniformVectors: number
  readonly maxFragmentUniformVectors: number
  readonly maxTextureUnits: number
  readonly maxVertexTextureUnits: number
  readonly maxRenderbufferSize: number
  readonly maxViewport: readonly [number, number]
  readonly instancing: boolean
  readonly vertexArrayObjects: boolean
  readonly floatTextures: boolean
  readonly uint32Indices: boolean
  readonly drawBuffers: boolean
}

export function queryCapabilities(gl: GL): Capabilities {
  const extensions: string[] = gl.getSupportedExtensions() ?? []
  const has = (name: string): boolean => extensions.includes(name)
  const viewport = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as ArrayLike<number>
  return Object.freeze({
    renderer: String(gl.getParameter(gl.RENDERER)),
    vendor: String(gl.getParameter(gl.VENDOR)),
    version: String(gl.getParameter(gl.VERSION)),
    shadingLanguageVersion: String(gl.getParameter(gl.SHADING_LANGUAGE_VERSION)),
    extensions: Object.freeze([...extensions]),
    maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
    maxVertexAttribs: gl.getParameter(gl.MAX_VERTEX_ATTRIBS) as number,
    maxVertexUniformVectors: gl.getParameter(gl.MAX_VERTEX_UNIFORM_VECTORS) as number,
    maxFragmentUniformVectors: gl.getParameter(gl.MAX_FRAGMENT_UNIFORM_VECTORS) as number,
    maxTextureUnits: gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS) as number,
    maxVertexTextureUnits: gl.getParameter(gl.MAX_VERTEX_TEXTURE_IMAGE_UNITS) as number,
    maxRenderbufferSize: gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number,
    maxViewport: [viewport[0] ?? 0, viewport[1] ?? 0] as const,
    instancing: has('ANGLE_instanced_arrays'),
    vertexArrayObjects: has('OES_vertex_array_object'),
    floatTextures: has('OES_texture_float'),
    uint32Indices: has('OES_element_index_uint'),
    drawBuffers: has('WEBGL_draw_buffers'),
  })
}
