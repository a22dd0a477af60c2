/**
 * Float data textures: tables too large for uniforms (per-instance transforms, colours, series)
 * with the same mapped-storage contract as uniform blocks.
 *
 * Memory and lifetime:
 * - `tex.data` is one Float32Array of `width * height * 4` floats (one RGBA32F texel = 4 floats),
 *   allocated at creation, owned by the texture, never moved or replaced, zero-filled. Texel i
 *   (row-major: i = row * width + column) is `data[i*4 .. i*4+3]`; `tex.rows[r]` is a view of row r.
 * - Write `data` at any time on the render thread; `upload()` sends the dirty rows with one
 *   `texSubImage2D` (RGBA / FLOAT, needs OES_texture_float). Row 0 of `data` is texture row 0
 *   (t = 0): `UNPACK_FLIP_Y_WEBGL` must stay false, its default.
 * - After `destroy()` the GL texture is deleted and every method throws RESOURCE_DESTROYED; `data`
 *   stays readable JS memory until the object is dropped.
 *
 * Dirty tracking (`tracking`): 'diff' (default) compares `data` with a shadow copy at upload (one
 * more `data.byteLength` of memory, a linear scan per upload); 'manual' sends only rows named by
 * `markDirty(rowStart, rowEnd)` — the fast path for big tables. `markDirty` also forces rows in
 * 'diff' mode.
 *
 * Shader side (`tex.glsl`, insert after the precision statement of any stage that reads it):
 *   uniform sampler2D u_<name>;
 *   highp vec4 fl_fetch_<name>(highp float i);               // texel i, row-major
 *   highp vec4 fl_fetch_<name>(highp float col, highp float row);
 * The size is baked in as constants (it is fixed for the texture's life). Filtering is NEAREST
 * and wrapping CLAMP_TO_EDGE, so any size works. Bind with `tex.use(program, unit)`.
 *
 * Allocation: a steady `upload()` allocates nothing in framelatch (row-range views are cached),
 * but @kmamal/gl 9.1.0's `texSubImage2D` wraps the pixels in two new Uint8Array objects per
 * call (its `convertPixels`), about 200 bytes of short-lived garbage per upload; the no-op case
 * (nothing dirty) makes no GL call and allocates nothing.
 */
import { EnvironmentError, ErrorCode, GLCallError, ResourceStateError, ValidationError } from '../errors.js'
import { firstDifference, lastDifference } from './shadow-diff.js'
import type { GL, WebGLProgram, WebGLTexture, WebGLUniformLocation } from './types.js'
import { checkDesc, descKeys } from '../check.js'

export interface DataTextureDesc {
  /** Texels per row (each RGBA32F, 4 floats). Required, 1..MAX_TEXTURE_SIZE. */
  width: number
  /** Rows. Default 1. 1..MAX_TEXTURE_SIZE. */
  height?: number
  /** GLSL name: the sampler is `u_<name>`, the fetch function `fl_fetch_<name>`. Default 'data'. */
  name?: string
  /** Used in error messages. Default: `name`. */
  label?: string
  /** 'diff' (default) or 'manual'; see the file comment. */
  tracking?: 'diff' | 'manual'
  /** Check GL errors after each call and the program binding in `use`. Default false. */
  debug?: boolean
}

/** Counters, updated in place. */
export interface DataTextureStats {
  /** `texSubImage2D` calls made by `upload`. */
  uploads: number
  /** `upload` calls that found nothing dirty. */
  skipped: number
  /** Rows sent, summed over uploads. */
  rowsUploaded: number
  /** First row and row count of the last upload (-1 and 0 before any). */
  lastRowStart: number
  lastRowCount: number
}

const VIEW_CACHE_MAX = 256

function fmt(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n)
}

export class DataTexture {
  readonly width: number
  readonly height: number
  readonly name: string
  readonly label: string
  /** The sampler uniform, `u_<name>`. */
  readonly samplerName: string
  readonly glsl: string
  readonly data: Float32Array
  /** `rows[r]`: view of row r (`width * 4` floats). Never moves. */
  readonly rows: readonly Float32Array[]
  readonly tracking: 'diff' | 'manual'
  readonly debug: boolean
  readonly stats: DataTextureStats = { uploads: 0, skipped: 0, rowsUploaded: 0, lastRowStart: -1, lastRowCount: 0 }

  private readonly gl: GL
  private tex: WebGLTexture | null
  private destroyed = false
  private readonly bits: Int32Array
  private readonly shadow: Int32Array | null
  private dirtyStart: number
  private dirtyEnd: number
  private readonly rangeViews = new Map<number, Float32Array>()
  private readonly samplerLocations = new WeakMap<WebGLProgram, WebGLUniformLocation | null>()

  constructor(gl: GL, desc: DataTextureDesc) {
    const name = desc?.name ?? 'data'
    const label = desc?.label ?? name
    const bad = (what: string): ValidationError =>
      new ValidationError(ErrorCode.INVALID_DESC, `data texture "${label}": ${what}`, { label })
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.includes('__') || name.length > 64) {
      throw bad(`name "${String(name)}" is not a GLSL identifier; use letters, digits and _ starting with a letter`)
    }
    const width = desc.width
    const height = desc.height ?? 1
    const maxSize = Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) || 2048
    for (const [k, v] of [['width', width], ['height', height]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > maxSize) {
        throw bad(`${k} must be an integer from 1 to ${maxSize} (MAX_TEXTURE_SIZE), got ${String(v)}; ` +
          'reshape the table into more rows or split it across textures')
      }
    }
    const tracking = desc.tracking ?? 'diff'
    if (tracking !== 'diff' && tracking !== 'manual') throw bad(`tracking must be 'diff' or 'manual', got ${String(tracking)}`)
    if (!gl.getExtension('OES_texture_float')) {
      throw new EnvironmentError(ErrorCode.EXTENSION_MISSING,
        `data texture "${label}" needs OES_texture_float, which this context lacks; use a GPU/driver that has it`)
    }
    this.gl = gl
    this.width = width
    this.height = height
    this.name = name
    this.label = label
    this.tracking = tracking
    this.debug = desc.debug ?? false
    this.samplerName = `u_${name}`
    this.data = new Float32Array(width * height * 4)
    this.bits = new Int32Array(this.data.buffer)
    this.shadow = tracking === 'diff' ? new Int32Array(this.data.length) : null
    const rows: Float32Array[] = []
    for (let r = 0; r < height; r++) rows.push(this.data.subarray(r * width * 4, (r + 1) * width * 4))
    this.rows = Object.freeze(rows)
    this.dirtyStart = height
    this.dirtyEnd = 0

    const tex = gl.createTexture()
    gl.bindTexture(gl.TEXTURE_2D, tex)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, width, height, 0, gl.RGBA, gl.FLOAT, this.data)
    this.tex = tex
    if (this.debug) {
      const err = gl.getError()
      if (err !== 0) {
        gl.deleteTexture(tex)
        throw new GLCallError(`texImage2D(data texture "${label}", ${width}x${height} RGBA FLOAT)`, err, `0x${err.toString(16)}`)
      }
    }

    const W = fmt(width)
    const H = fmt(height)
    const s = this.samplerName
    this.glsl = [
      `#ifndef FL_DATA_${name}`,
      `#define FL_DATA_${name} 1`,
      `// framelatch data texture "${name}": ${width}x${height} RGBA32F texels, row-major`,
      `uniform sampler2D ${s};`,
      `highp vec4 fl_fetch_${name}(highp float col, highp float row) {`,
      `  return texture2D(${s}, vec2((col + 0.5) / ${W}, (row + 0.5) / ${H}));`,
      `}`,
      `highp vec4 fl_fetch_${name}(highp float i) {`,
      `  highp float row = floor((i + 0.5) / ${W});`,
      `  return fl_fetch_${name}(i - row * ${W}, row);`,
      `}`,
      `#endif`,
      '',
    ].join('\n')
  }

  /** The WebGLTexture (for a device or state cache that binds it itself). */
  get texture(): WebGLTexture | null {
    this.alive('texture')
    return this.tex
  }

  get state(): 'valid' | 'destroyed' {
    return this.destroyed ? 'destroyed' : 'valid'
  }

  /**
   * Marks rows `rowStart` (inclusive) to `rowEnd` (exclusive) for the next upload. Default: all
   * rows. Required after writes in 'manual' tracking. Throws OUT_OF_RANGE for rows outside the table.
   */
  markDirty(rowStart = 0, rowEnd = this.height): void {
    this.alive('markDirty')
    if (!(rowStart >= 0 && rowEnd <= this.height && rowStart < rowEnd)) {
      throw new ValidationError(ErrorCode.OUT_OF_RANGE,
        `data texture "${this.label}": markDirty(${rowStart}, ${rowEnd}) is outside rows 0..${this.height}; ` +
        'pass rowStart < rowEnd within the table (rowEnd is exclusive)')
    }
    if (rowStart < this.dirtyStart) this.dirtyStart = rowStart | 0
    if (rowEnd > this.dirtyEnd) this.dirtyEnd = Math.ceil(rowEnd)
  }

  /** Marks the rows holding texels `first .. first + count - 1` (row-major). */
  markTexelsDirty(first: number, count = 1): void {
    const w = this.width
    this.markDirty(Math.floor(first / w), Math.floor((first + count - 1) / w) + 1)
  }

  /**
   * Sends the dirty rows with one `texSubImage2D`; returns true when a GL call was made. Leaves
   * this texture bound to TEXTURE_2D on the active texture unit (tell your state cache).
   */
  upload(): boolean {
    this.alive('upload')
    let start = this.dirtyStart
    let end = this.dirtyEnd
    const shadow = this.shadow
    if (shadow !== null && (start > 0 || end < this.height)) {
      const bits = this.bits
      const lo = firstDifference(bits, shadow)
      if (lo < bits.length) {
        const hi = lastDifference(bits, shadow, lo)
        const rowFloats = this.width * 4
        const r0 = (lo / rowFloats) | 0
        const r1 = ((hi / rowFloats) | 0) + 1
        if (r0 < start) start = r0
        if (r1 > end) end = r1
      }
    }
    this.dirtyStart = this.height
    this.dirtyEnd = 0
    if (start >= end) {
      this.stats.skipped++
      return false
    }
    const rowFloats = this.width * 4
    if (shadow !== null) {
      const bits = this.bits
      for (let i = start * rowFloats, e = end * rowFloats; i < e; i++) shadow[i] = bits[i]!
    }
    const gl = this.gl
    gl.bindTexture(gl.TEXTURE_2D, this.tex)
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, start, this.width, end - start, gl.RGBA, gl.FLOAT, this.rangeView(start, end))
    if (this.debug) this.check(`texSubImage2D(data texture "${this.label}", rows ${start}..${end - 1})`)
    const stats = this.stats
    stats.uploads++
    stats.rowsUploaded += end - start
    stats.lastRowStart = start
    stats.lastRowCount = end - start
    return true
  }

  /** Binds the texture to texture unit `unit` (activeTexture + bindTexture). */
  bind(unit: number): void {
    this.alive('bind')
    const gl = this.gl
    gl.activeTexture(gl.TEXTURE0 + unit)
    gl.bindTexture(gl.TEXTURE_2D, this.tex)
    if (this.debug) this.check(`bind(data texture "${this.label}", unit ${unit})`)
  }

  /**
   * Binds to `unit` and points `program`'s sampler `u_<name>` at it. `program` must be current.
   * The sampler location is cached per program (first call allocates, later calls do not).
   */
  use(program: WebGLProgram, unit: number): void {
    this.bind(unit)
    const gl = this.gl
    let loc = this.samplerLocations.get(program)
    if (loc === undefined) {
      loc = gl.getUniformLocation(program, this.samplerName)
      this.samplerLocations.set(program, loc)
    }
    if (this.debug && gl.getParameter(gl.CURRENT_PROGRAM) !== program) {
      throw new ValidationError(ErrorCode.INVALID_DRAW,
        `data texture "${this.label}": use(program, unit) needs that program bound; call gl.useProgram(program) first`)
    }
    if (loc !== null) gl.uniform1i(loc, unit)
    if (this.debug) this.check(`uniform1i(${this.samplerName}, ${unit})`)
  }

  /** Deletes the GL texture. Safe to call twice; every other method then throws RESOURCE_DESTROYED. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    if (this.tex) this.gl.deleteTexture(this.tex)
    this.tex = null
    this.rangeViews.clear()
  }

  private alive(what: string): void {
    if (this.destroyed) {
      throw new ResourceStateError(ErrorCode.RESOURCE_DESTROYED,
        `data texture "${this.label}": ${what}() after destroy(); create a new data texture instead`, { label: this.label })
    }
  }

  private check(call: string): void {
    const err = this.gl.getError()
    if (err !== 0) throw new GLCallError(call, err, `0x${err.toString(16)}`)
  }

  private rangeView(start: number, end: number): Float32Array {
    const key = start * (this.height + 1) + end
    let v = this.rangeViews.get(key)
    if (v === undefined) {
      if (this.rangeViews.size >= VIEW_CACHE_MAX) this.rangeViews.clear()
      v = this.data.subarray(start * this.width * 4, end * this.width * 4)
      this.rangeViews.set(key, v)
    }
    return v
  }
}

const DATA_TEXTURE_KEYS = descKeys<DataTextureDesc>({ width: true, height: true, name: true, label: true, tracking: true, debug: true })

/** Creates a data texture (see the file comment). Throws INVALID_DESC / EXTENSION_MISSING. */
export function createDataTexture(gl: GL, desc: DataTextureDesc): DataTexture {
  checkDesc('createDataTexture', desc, DATA_TEXTURE_KEYS, desc?.debug ?? false)
  return new DataTexture(gl, desc)
}
