/**
 * The `framelatch` command. Subcommands:
 *   doctor [--json]                          what this machine can run (exit 1 with a fix when not ready)
 *   setup-native [--from-source] [--force]   make the @kmamal native bindings loadable (offline fallback: build from source)
 *   latency [options] -- <command...>      input-to-photon latency of a window, measured from outside
 *   bench [--quick] [--json] [--out DIR]     the benchmark suite on this machine
 *   dev <app.mjs> [app flags]                run an app with hot reload
 *   help
 */
import { spawnSync } from 'node:child_process'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatDoctor, runDoctor } from './doctor.js'
import { latencyCommand } from './latency.js'
import { benchCommand } from './bench.js'
import { devCommand } from './dev.js'

const USAGE = `usage: framelatch <command> [options]

commands:
  doctor [--json]                         check node, the native bindings, the X display and a real GL context
  setup-native [--from-source] [--force]  build or fetch the @kmamal/gl and @kmamal/sdl native bindings
  latency [options] -- <command...>       input-to-photon latency of the command's window (XTEST in, GetImage out);
                                          framelatch latency --help for the options
  bench [--quick] [--json] [--out DIR]    the benchmark suite on this machine (draw throughput, latency)
  dev <app.mjs> [app flags]               run an app with hot reload (render module, workers, shaders, images, fonts)
  help                                    this text`

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  switch (command) {
    case 'doctor': {
      const report = runDoctor()
      if (args.includes('--json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
      else process.stdout.write(formatDoctor(report) + '\n')
      return report.ok ? 0 : 1
    }
    case 'setup-native': {
      const script = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'setup-native.mjs')
      const r = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: process.cwd() })
      return r.status ?? 1
    }
    case 'latency':
      return latencyCommand(args)
    case 'bench':
      return benchCommand(args)
    case 'dev':
      return devCommand(args)
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n')
      return command === undefined ? 1 : 0
    default:
      process.stderr.write(`framelatch: unknown command '${command}'\n${USAGE}\n`)
      return 2
  }
}
