/**
 * Shader compilation and linking with errors that point at the failing line, plus the
 * attribute/uniform location tables a program keeps for its life.
 */
import { ShaderError, type ShaderStage } from '../errors.js'
import type { GL, ProgramDesc, WebGLProgram, WebGLShader, WebGLUniformLocation } from './types.js'

export interface ProgramRecord {
  readonly name: string
  readonly program: WebGLProgram
  /** Active attributes by name → location. */
  readonly attributes: ReadonlyMap<string, number>
  /** Active uniforms by name → location (arrays also under `name[0]` and `name`). */
  readonly uniforms: ReadonlyMap<string, WebGLUniformLocation>
  /** Active sampler2D uniforms, in the order the driver lists them. */
  readonly samplers: readonly string[]
  readonly desc: Readonly<ProgramDesc>
}

/** Source lines numbered from 1, with `>>` marking `line` and `context` lines either side. */
export function numberSource(source: string, line: number, context = 3): string {
  const lines = source.split('\n')
  const from = line > 0 ? Math.max(1, line - context) : 1
  const to = line > 0 ? Math.min(lines.length, line + context) : lines.length
  const width = String(to).length
  const out: string[] = []
  for (let i = from; i <= to; i++) {
    out.push(`${i === line ? '>>' : '  '} ${String(i).padStart(width)} | ${lines[i - 1]}`)
  }
  return out.join('\n')
}

/** Finds the first line number in a driver log ("ERROR: 0:12: ..." or "0(12) : error ..."). */
export function firstErrorLine(log: string): number {
  const m = /(?:ERROR|WARNING)?:?\s*\d+:(\d+):/.exec(log) ?? /\d+\((\d+)\)\s*:/.exec(log)
  return m ? Number(m[1]) : 0
}

/**
 * Some WebGL layers prepend lines to the source they hand the driver (@kmamal/gl adds
 * `#define gl_MaxDrawBuffers 1` unless WEBGL_draw_buffers is enabled), which shifts the driver's
 * line numbers. On the first error we compile a probe with a known error on line 1 and remember
 * the shift per context and stage.
 */
const lineShift = new WeakMap<object, { vertex?: number; fragment?: number }>()

function probeLineShift(gl: GL, stage: 'vertex' | 'fragment'): number {
  let entry = lineShift.get(gl)
  if (!entry) lineShift.set(gl, (entry = {}))
  const known = entry[stage]
  if (known !== undefined) return known
  const shader = gl.createShader(stage === 'vertex' ? gl.VERTEX_SHADER : gl.FRAGMENT_SHADER)
  gl.shaderSource(shader, 'void main() { undefined_probe_identifier; }\n')
  gl.compileShader(shader)
  const reported = firstErrorLine(String(gl.getShaderInfoLog(shader) ?? ''))
  gl.deleteShader(shader)
  const shift = reported > 0 ? reported - 1 : 0
  entry[stage] = shift
  return shift
}

function compileShader(gl: GL, stage: 'vertex' | 'fragment', source: string, name: string): WebGLShader {
  const shader = gl.createShader(stage === 'vertex' ? gl.VERTEX_SHADER : gl.FRAGMENT_SHADER)
  gl.shaderSource(shader, source)
  gl.compileShader(shader)
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    const log = String(gl.getShaderInfoLog(shader) ?? 'unknown error')
    gl.deleteShader(shader)
    const reported = firstErrorLine(log)
    const line = reported > 0 ? Math.max(1, reported - probeLineShift(gl, stage)) : 0
    throw new ShaderError({ stage, line, log, numberedSource: numberSource(source, line), programName: name })
  }
  return shader
}

/** Compiles and links; throws ShaderError (stage, line, numbered source) on failure. */
export function buildProgram(gl: GL, desc: ProgramDesc): ProgramRecord {
  const name = desc.name ?? 'program'
  const vs = compileShader(gl, 'vertex', desc.vertex, name)
  let fs: WebGLShader
  try {
    fs = compileShader(gl, 'fragment', desc.fragment, name)
  } catch (err) {
    gl.deleteShader(vs)
    throw err
  }
  const program = gl.createProgram()
  gl.attachShader(program, vs)
  gl.attachShader(program, fs)
  gl.linkProgram(program)
  // Shaders are no longer needed once linked; the program keeps what it needs.
  gl.detachShader(program, vs)
  gl.detachShader(program, fs)
  gl.deleteShader(vs)
  gl.deleteShader(fs)
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    const log = String(gl.getProgramInfoLog(program) ?? 'unknown error')
    gl.deleteProgram(program)
    const stage: ShaderStage = 'link'
    throw new ShaderError({
      stage, line: 0, log, programName: name,
      numberedSource: `--- vertex ---\n${numberSource(desc.vertex, 0)}\n--- fragment ---\n${numberSource(desc.fragment, 0)}`,
    })
  }
  const attributes = new Map<string, number>()
  const nAttr = gl.getProgramParameter(program, gl.ACTIVE_ATTRIBUTES) as number
  for (let i = 0; i < nAttr; i++) {
    const info = gl.getActiveAttrib(program, i)
    if (info) attributes.set(info.name, gl.getAttribLocation(program, info.name) as number)
  }
  const uniforms = new Map<string, WebGLUniformLocation>()
  const samplers: string[] = []
  const nUni = gl.getProgramParameter(program, gl.ACTIVE_UNIFORMS) as number
  for (let i = 0; i < nUni; i++) {
    const info = gl.getActiveUniform(program, i)
    if (!info) continue
    if (info.type === gl.SAMPLER_2D) samplers.push(info.name)
    const loc = gl.getUniformLocation(program, info.name)
    if (loc === null) continue // an active uniform always has one; null only on a broken driver
    uniforms.set(info.name, loc)
    if (info.name.endsWith('[0]')) uniforms.set(info.name.slice(0, -3), loc)
  }
  return { name, program, attributes, uniforms, samplers, desc: { ...desc } }
}

/**
 * Programs replaced under their handle (device.replaceProgram): former GL program → its
 * successor. Code that cached a WebGLProgram before a hot swap (a queue batch uploading its
 * uniform blocks) reaches the live one through `currentProgram`. Weak: a former program's entry
 * goes when nothing holds the old object any more.
 */
const successors = new WeakMap<WebGLProgram, WebGLProgram>()

export function recordProgramSuccessor(former: WebGLProgram, next: WebGLProgram): void {
  successors.set(former, next)
}

/** The program that now stands for `program`: itself unless it was hot-swapped (then its latest successor). */
export function currentProgram(program: WebGLProgram): WebGLProgram {
  let p = program
  for (let next = successors.get(p); next !== undefined; next = successors.get(p)) p = next
  return p
}
