/**
 * Shadows the GL state the device sets and skips calls whose value did not change (regl's
 * batch-mode trick). Every setter counts a call made or a call skipped in `stats`.
 * Objects are compared by identity; numbers by value. Nothing here allocates.
 */
import type {
  GL, InstancingExtension, VertexArrayExtension, WebGLBuffer, WebGLFramebuffer, WebGLProgram, WebGLTexture,
  WebGLVertexArrayObjectOES,
} from './types.js'

export interface StateStats {
  /** GL state calls actually made. */
  stateCalls: number
  /** State calls skipped because the value was already set. */
  stateSkipped: number
}

const MAX_UNITS = 32
const MAX_ATTRIBS = 32

export class StateCache {
  readonly stats: StateStats = { stateCalls: 0, stateSkipped: 0 }
  // `undefined` means "not known" (forces the next bind); `null` is GL's "nothing bound".
  private program: WebGLProgram | null | undefined = null
  private vao: WebGLVertexArrayObjectOES | null | undefined = null
  private arrayBuffer: WebGLBuffer | null | undefined = null
  private elementBuffer: WebGLBuffer | null | undefined = null
  private framebuffer: WebGLFramebuffer | null | undefined = null
  private activeUnit = 0
  private readonly textures: (WebGLTexture | null | undefined)[] = new Array<WebGLTexture | null>(MAX_UNITS).fill(null)
  private blendEnabled = -1 // -1 unknown, 0 off, 1 on
  private blendSrcRGB = -1
  private blendDstRGB = -1
  private blendSrcA = -1
  private blendDstA = -1
  private depthTest = -1
  private depthWrite = 1
  private depthFunc = -1
  private cullEnabled = -1
  private cullFace = -1
  private vx = -1
  private vy = -1
  private vw = -1
  private vh = -1
  private readonly attribEnabled = new Uint8Array(MAX_ATTRIBS)
  private readonly attribDivisors = new Int32Array(MAX_ATTRIBS)
  private readonly vaoExt: VertexArrayExtension | null
  private readonly instExt: InstancingExtension | null

  constructor(private readonly gl: GL) {
    this.vaoExt = gl.getExtension('OES_vertex_array_object')
    this.instExt = gl.getExtension('ANGLE_instanced_arrays')
  }

  private made(): void {
    this.stats.stateCalls++
  }
  private skipped(): void {
    this.stats.stateSkipped++
  }

  useProgram(p: WebGLProgram | null): void {
    if (p === this.program) return this.skipped()
    this.gl.useProgram(p)
    this.program = p
    this.made()
  }

  bindVertexArray(v: WebGLVertexArrayObjectOES | null): void {
    if (v === this.vao) return this.skipped()
    this.vaoExt!.bindVertexArrayOES(v)
    this.vao = v
    // Element-array binding is part of VAO state; forget what we knew.
    this.elementBuffer = undefined
    this.made()
  }

  bindArrayBuffer(b: WebGLBuffer | null): void {
    if (b === this.arrayBuffer) return this.skipped()
    this.gl.bindBuffer(this.gl.ARRAY_BUFFER, b)
    this.arrayBuffer = b
    this.made()
  }

  bindElementBuffer(b: WebGLBuffer | null): void {
    if (b === this.elementBuffer) return this.skipped()
    this.gl.bindBuffer(this.gl.ELEMENT_ARRAY_BUFFER, b)
    this.elementBuffer = b
    this.made()
  }

  bindFramebuffer(fb: WebGLFramebuffer | null): void {
    if (fb === this.framebuffer) return this.skipped()
    this.gl.bindFramebuffer(this.gl.FRAMEBUFFER, fb)
    this.framebuffer = fb
    this.made()
  }

  bindTexture(unit: number, tex: WebGLTexture | null): void {
    if (this.textures[unit] === tex) return this.skipped()
    if (this.activeUnit !== unit) {
      this.gl.activeTexture(this.gl.TEXTURE0 + unit)
      this.activeUnit = unit
    }
    this.gl.bindTexture(this.gl.TEXTURE_2D, tex)
    this.textures[unit] = tex
    this.made()
  }

  /** For resource creation/update: binds `tex` on unit 0 for editing (always made). */
  bindTextureForEdit(tex: WebGLTexture | null): void {
    if (this.activeUnit !== 0) {
      this.gl.activeTexture(this.gl.TEXTURE0)
      this.activeUnit = 0
    }
    if (this.textures[0] !== tex) {
      this.gl.bindTexture(this.gl.TEXTURE_2D, tex)
      this.textures[0] = tex
      this.made()
    } else this.skipped()
  }

  /** `enabled` false disables blending; otherwise sets the separate blend functions. */
  blend(enabled: boolean, srcRGB: number, dstRGB: number, srcA: number, dstA: number): void {
    if (+enabled !== this.blendEnabled) {
      if (enabled) this.gl.enable(this.gl.BLEND)
      else this.gl.disable(this.gl.BLEND)
      this.blendEnabled = +enabled
      this.made()
    } else this.skipped()
    if (!enabled) return
    if (srcRGB !== this.blendSrcRGB || dstRGB !== this.blendDstRGB || srcA !== this.blendSrcA || dstA !== this.blendDstA) {
      this.gl.blendFuncSeparate(srcRGB, dstRGB, srcA, dstA)
      this.blendSrcRGB = srcRGB
      this.blendDstRGB = dstRGB
      this.blendSrcA = srcA
      this.blendDstA = dstA
      this.made()
    } else this.skipped()
  }

  depth(test: boolean, write: boolean, func: number): void {
    if (+test !== this.depthTest) {
      if (test) this.gl.enable(this.gl.DEPTH_TEST)
      else this.gl.disable(this.gl.DEPTH_TEST)
      this.depthTest = +test
      this.made()
    } else this.skipped()
    if (+write !== this.depthWrite) {
      this.gl.depthMask(write)
      this.depthWrite = +write
      this.made()
    } else this.skipped()
    if (test && func !== this.depthFunc) {
      this.gl.depthFunc(func)
      this.depthFunc = func
      this.made()
    } else if (test) this.skipped()
  }

  /** The depth mask must be on for a depth clear to take effect. */
  forceDepthWrite(): void {
    if (this.depthWrite !== 1) {
      this.gl.depthMask(true)
      this.depthWrite = 1
      this.made()
    }
  }

  cull(face: number): void {
    const enabled = face !== 0
    if (+enabled !== this.cullEnabled) {
      if (enabled) this.gl.enable(this.gl.CULL_FACE)
      else this.gl.disable(this.gl.CULL_FACE)
      this.cullEnabled = +enabled
      this.made()
    } else this.skipped()
    if (enabled && face !== this.cullFace) {
      this.gl.cullFace(face)
      this.cullFace = face
      this.made()
    } else if (enabled) this.skipped()
  }

  viewport(x: number, y: number, w: number, h: number): void {
    if (x === this.vx && y === this.vy && w === this.vw && h === this.vh) return this.skipped()
    this.gl.viewport(x, y, w, h)
    this.vx = x
    this.vy = y
    this.vw = w
    this.vh = h
    this.made()
  }

  /** Attribute enable state for the default (non-VAO) vertex state. */
  enableAttrib(index: number, enabled: boolean): void {
    const v = enabled ? 1 : 0
    if (this.attribEnabled[index] === v) return this.skipped()
    if (enabled) this.gl.enableVertexAttribArray(index)
    else this.gl.disableVertexAttribArray(index)
    this.attribEnabled[index] = v
    this.made()
  }

  attribDivisor(index: number, divisor: number): void {
    if (this.attribDivisors[index] === divisor) return this.skipped()
    this.instExt!.vertexAttribDivisorANGLE(index, divisor)
    this.attribDivisors[index] = divisor
    this.made()
  }

  /** Forget everything (after foreign code touched GL state). */
  invalidate(): void {
    this.program = undefined
    this.vao = undefined
    this.arrayBuffer = undefined
    this.elementBuffer = undefined
    this.framebuffer = undefined
    this.activeUnit = -1
    this.textures.fill(undefined)
    this.blendEnabled = -1
    this.blendSrcRGB = -1
    this.depthTest = -1
    this.depthWrite = -1
    this.depthFunc = -1
    this.cullEnabled = -1
    this.cullFace = -1
    this.vx = -1
    this.attribEnabled.fill(2)
    this.attribDivisors.fill(-1)
  }

  /** Called when a GL object is deleted, so a recycled object is not mistaken for it. */
  forget(obj: unknown): void {
    if (this.program === obj) this.program = undefined
    if (this.vao === obj) this.vao = undefined
    if (this.arrayBuffer === obj) this.arrayBuffer = undefined
    if (this.elementBuffer === obj) this.elementBuffer = undefined
    if (this.framebuffer === obj) this.framebuffer = undefined
    for (let i = 0; i < MAX_UNITS; i++) if (this.textures[i] === obj) this.textures[i] = undefined
  }
}
