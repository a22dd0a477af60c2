/**
 * `framelatch dev <app.mjs> [app flags]`: runs an app with hot reload on (`--hot`), printing one
 * line per reload ("reloaded render examples/x.mjs in 41 ms", or the error).
 *
 * The file is either an app, exporting `app` (an AppDesc; its `module` names the render module,
 * default: the file itself when it also exports `setup(app)`), or a bare render module exporting
 * `setup(app)` (see src/hot/render-host.ts), run with the default app options. The shared app
 * flags (--headless, --frames, --screenshot, --json, --width/--height, --mode) pass through.
 */
import { Fs } from '../node-builtins.js'
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runApp, type AppDesc } from '../engine/app.js'
import { provideHotStarter, type HotEvent } from '../engine/hot-hooks.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { startHotApp } from '../hot/hot-session.js'

export const DEV_USAGE = `usage: framelatch dev <app.mjs> [app flags]

Runs the app with hot reload: its render module, logic workers, shader files, PNG textures and
fonts reload on save, keeping state (see "Hot reload" in the README). <app.mjs> exports either
\`app\` (runApp's AppDesc, with \`module\` naming the render module) or \`setup(app)\` (a render
module, run with the default app options). App flags: --headless --frames N --screenshot FILE
--json --width W --height H --mode paced|low-latency|on-demand`

function describe(e: HotEvent): string {
  const files = e.files.map((f) => Path.relative(process.cwd(), f) || f).join(', ')
  if (e.ok) return `framelatch dev: reloaded ${e.kind} ${files} in ${e.ms.toFixed(0)} ms`
  return `framelatch dev: ${e.kind} ${files} did not reload (the last good version stays): ${e.error?.message.split('\n')[0] ?? ''}`
}

/** The AppDesc `framelatch dev` runs for the module loaded from `file`. */
export function devAppDesc(file: string, mod: Record<string, unknown>): AppDesc {
  const app = mod['app'] as AppDesc | undefined
  const selfModule = typeof mod['setup'] === 'function' ? file : undefined
  if (app !== undefined && (app === null || typeof app !== 'object')) {
    throw new ValidationError(ErrorCode.CLI_USAGE, `framelatch dev: ${file} exports app, but it is not an object; export const app = { title, width, height, module, ... }`)
  }
  const module = app?.module ?? selfModule
  if (module === undefined && typeof app?.setup !== 'function') {
    throw new ValidationError(ErrorCode.CLI_USAGE, `framelatch dev: ${file} exports neither app nor setup(app); export function setup(app) { ... } (a render module) or export const app = { ..., module }`)
  }
  const base: AppDesc = app ? { ...app } : { title: `framelatch dev: ${Path.basename(file)}` }
  return module === undefined ? base : { ...base, module }
}

export async function devCommand(args: readonly string[]): Promise<number> {
  const [target, ...flags] = args
  if (target === undefined || target === '--help' || target === '-h') {
    process.stdout.write(DEV_USAGE + '\n')
    return target === undefined ? 2 : 0
  }
  const file = Path.resolve(target)
  if (!Fs.existsSync(file)) {
    throw new ValidationError(ErrorCode.CLI_USAGE, `framelatch dev: ${file} does not exist; give the path of an app module`)
  }
  provideHotStarter(startHotApp)
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const desc = devAppDesc(file, mod)
  const setup = desc.setup
  await runApp({
    ...desc,
    setup(engine, appArgs) {
      engine.hot?.on((e) => process.stderr.write(describe(e) + '\n'))
      return setup?.(engine, appArgs)
    },
  }, flags.includes('--hot') ? flags : ['--hot', ...flags])
  return 0
}
