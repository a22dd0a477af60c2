/**
 * `framelatch doctor`: what this machine can run. Checks run in order; each failing check names
 * a one-line fix. Exit code 0 when a real GL context was created, 1 otherwise.
 */
import { checkDisplay, createContext } from '../gl/context.js'
import { queryCapabilities } from '../gl/capabilities.js'
import { loadSDL, probeBinding } from '../platform/native.js'

export interface DoctorCheck {
  name: string
  ok: boolean
  detail: string
  fix?: string
}

export interface DoctorReport {
  ok: boolean
  node: string
  platform: string
  display: string | null
  checks: DoctorCheck[]
  sdl?: { compiled: string; runtime: string; videoDriver: string | null }
  gl?: {
    renderer: string
    vendor: string
    version: string
    shadingLanguageVersion: string
    maxTextureSize: number
    maxVertexUniformVectors: number
    extensions: readonly string[]
  }
}

const SETUP_FIX = 'run `npx framelatch setup-native` (or `npm run setup` in a framelatch checkout)'

export function runDoctor(): DoctorReport {
  const checks: DoctorCheck[] = []
  const report: DoctorReport = {
    ok: false, node: process.version, platform: `${process.platform}-${process.arch}`,
    display: process.env['DISPLAY'] ?? null, checks,
  }
  const major = Number(process.versions.node.split('.')[0])
  checks.push({ name: 'node', ok: major >= 20, detail: process.version, ...(major >= 20 ? {} : { fix: 'install Node.js 20 or newer' }) })

  const gl = probeBinding('@kmamal/gl')
  checks.push({ name: '@kmamal/gl binding', ok: gl.ok, detail: gl.ok ? `loads (${gl.version ?? '?'})` : gl.error ?? 'does not load', ...(gl.ok ? {} : { fix: SETUP_FIX }) })
  const sdl = probeBinding('@kmamal/sdl')
  checks.push({ name: '@kmamal/sdl binding', ok: sdl.ok, detail: sdl.ok ? `loads (${sdl.version ?? '?'})` : sdl.error ?? 'does not load', ...(sdl.ok ? {} : { fix: SETUP_FIX }) })
  if (sdl.ok) {
    const info = loadSDL().info
    const v = (x: { major: number; minor: number; patch: number }): string => `${x.major}.${x.minor}.${x.patch}`
    report.sdl = { compiled: v(info.version.compile), runtime: v(info.version.runtime), videoDriver: info.drivers?.video?.current ?? null }
  }

  let displayOk = false
  try {
    checkDisplay()
    displayOk = true
    checks.push({ name: 'X display', ok: true, detail: String(process.env['DISPLAY']) })
  } catch (err) {
    checks.push({
      name: 'X display', ok: false, detail: (err as Error).message.replace(/^framelatch: /, ''),
      fix: 'start an X server (e.g. `Xvfb :99 & export DISPLAY=:99`) or set DISPLAY to a running one',
    })
  }

  if (gl.ok && displayOk) {
    try {
      const ctx = createContext({ width: 16, height: 16 })
      const caps = queryCapabilities(ctx.gl)
      report.gl = {
        renderer: caps.renderer, vendor: caps.vendor, version: caps.version, shadingLanguageVersion: caps.shadingLanguageVersion,
        maxTextureSize: caps.maxTextureSize, maxVertexUniformVectors: caps.maxVertexUniformVectors, extensions: caps.extensions,
      }
      ctx.destroy()
      const missing = ['ANGLE_instanced_arrays', 'OES_vertex_array_object', 'OES_texture_float'].filter((e) => !caps.extensions.includes(e))
      checks.push({
        name: 'GL context', ok: missing.length === 0,
        detail: `${caps.renderer} | ${caps.version}${missing.length ? ` | missing ${missing.join(', ')}` : ''}`,
        ...(missing.length ? { fix: 'install Mesa drivers (apt-get install libgl1-mesa-dri libegl-mesa0)' } : {}),
      })
    } catch (err) {
      checks.push({ name: 'GL context', ok: false, detail: (err as Error).message, fix: 'install Mesa drivers (apt-get install libgl1-mesa-dri libegl-mesa0) and check the X server supports GLX' })
    }
  } else {
    checks.push({ name: 'GL context', ok: false, detail: 'not tried: fix the checks above first', fix: checks.find((c) => !c.ok)?.fix ?? SETUP_FIX })
  }
  report.ok = checks.every((c) => c.ok)
  return report
}

export function formatDoctor(r: DoctorReport): string {
  const lines = [`framelatch doctor (node ${r.node}, ${r.platform})`]
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(20)} ${c.detail}`)
    if (!c.ok && c.fix) lines.push(`       fix: ${c.fix}`)
  }
  if (r.sdl) lines.push(`  SDL ${r.sdl.runtime} (built against ${r.sdl.compiled}), video driver ${r.sdl.videoDriver ?? 'none'}`)
  if (r.gl) {
    lines.push(`  GL  ${r.gl.renderer}`, `      ${r.gl.version}; ${r.gl.shadingLanguageVersion}`,
      `      max texture ${r.gl.maxTextureSize}, vertex uniform vectors ${r.gl.maxVertexUniformVectors}`,
      `      extensions: ${r.gl.extensions.join(' ')}`)
  }
  const firstFail = r.checks.find((c) => !c.ok)
  lines.push(r.ok ? 'ready.' : `not ready: ${firstFail?.fix ?? 'see above'}`)
  return lines.join('\n')
}
