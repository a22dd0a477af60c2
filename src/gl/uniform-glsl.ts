/**
 * GLSL for a uniform block, generated from its `UniformLayout` so shader and CPU layout never
 * disagree. The scheme, exactly:
 *
 * ```glsl
 * #ifndef FL_BLOCK_Frame
 * #define FL_BLOCK_Frame 1
 * uniform highp vec4 u_Frame[N];
 * #define time u_Frame[0].x                                  // float: one component
 * #define pointer u_Frame[0].zw                              // vec2: .xy or .zw
 * #define color u_Frame[1]                                   // vec4: the whole slot
 * #define model mat4(u_Frame[2], u_Frame[3], u_Frame[4], u_Frame[5])
 * #define normal mat3(u_Frame[6].xyz, u_Frame[7].xyz, u_Frame[8].xyz)
 * #define count int(u_Frame[9].x)                            // int: stored as a float, see below
 * #define offsets(i) u_Frame[10 + (i)]                       // arrays: function-like macro
 * #define bones(i) mat4(u_Frame[18 + 4 * (i)], u_Frame[19 + 4 * (i)], ...)
 * #endif
 * ```
 *
 * - One `uniform highp vec4 u_<Block>[N]` array; every field is a `#define` of the field name
 *   (plus the block's `prefix`) to its slot and swizzle. Insert `block.glsl` after the precision
 *   statement of both stages. A macro replaces every later token with that name in the shader, so
 *   do not also use the field names as local variables (or give the block a `prefix`).
 * - Precision is explicit (`highp` by default) because GLSL ES requires a uniform shared by both
 *   stages to have the same precision in each.
 * - `int` fields are stored as floats in the block and read with `int(...)`, exact for
 *   |value| < 2^24. Write whole numbers into their views.
 * - Array accessors take an index: `offsets(3)`. In fragment shaders GLSL ES 1.00 only allows
 *   constant or loop-index expressions to index a uniform array; vertex shaders allow any int.
 */
import type { UniformFieldLayout, UniformLayout } from './uniform-layout.js'

export type GLSLPrecision = 'highp' | 'mediump'

const SWIZZLE = ['x', 'y', 'z', 'w']

function swizzle(component: number, size: number): string {
  return '.' + SWIZZLE.slice(component, component + size).join('')
}

/** `u[base + stride * (i)]`, simplified when there is no index. */
function slotExpr(u: string, slot: number, indexed: boolean, stride: number): string {
  if (!indexed) return `${u}[${slot}]`
  const idx = stride === 1 ? '(i)' : `${stride} * (i)`
  return slot === 0 ? `${u}[${idx}]` : `${u}[${slot} + ${idx}]`
}

function accessor(u: string, f: UniformFieldLayout): string {
  const ix = f.isArray
  const st = f.slotsPerElement
  switch (f.type) {
    case 'float':
      return slotExpr(u, f.slot, ix, st) + swizzle(f.component, 1)
    case 'int':
      return `int(${slotExpr(u, f.slot, ix, st)}${swizzle(f.component, 1)})`
    case 'vec2':
      return slotExpr(u, f.slot, ix, st) + swizzle(f.component, 2)
    case 'vec3':
      return slotExpr(u, f.slot, ix, st) + '.xyz'
    case 'vec4':
      return slotExpr(u, f.slot, ix, st)
    case 'mat3':
      return `mat3(${[0, 1, 2].map((c) => slotExpr(u, f.slot + c, ix, st) + '.xyz').join(', ')})`
    case 'mat4':
      return `mat4(${[0, 1, 2, 3].map((c) => slotExpr(u, f.slot + c, ix, st)).join(', ')})`
  }
}

/** The GLSL declaration of a block (see the file comment for the scheme). */
export function generateBlockGLSL(layout: UniformLayout, precision: GLSLPrecision = 'highp'): string {
  const u = layout.uniformName
  const guard = `FL_BLOCK_${layout.name}`
  const lines = [
    `#ifndef ${guard}`,
    `#define ${guard} 1`,
    `// framelatch uniform block "${layout.name}": ${layout.slots} vec4 slots, generated from its schema`,
    `uniform ${precision} vec4 ${u}[${layout.slots}];`,
  ]
  for (const f of layout.fields) {
    const macro = layout.prefix + f.name + (f.isArray ? '(i)' : '')
    lines.push(`#define ${macro} ${accessor(u, f)}`)
  }
  lines.push('#endif', '')
  return lines.join('\n')
}
