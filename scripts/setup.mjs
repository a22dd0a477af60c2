#!/usr/bin/env node
// `npm run setup`: everything a fresh Debian 12 machine needs to build and test framelatch,
// idempotent (a second run takes seconds):
//   1. system packages (apt-get as root; otherwise prints the exact command and exits 1)
//   2. npm dependencies from the lockfile (install scripts off: step 3 handles the natives)
//   3. the native bindings (prebuilt download, else built from source): scripts/setup-native.mjs
//   4. the TypeScript build, then the bundle of the package entries (scripts/bundle.mjs)
import Fs from 'node:fs'
import Path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const SYSTEM_PACKAGES = [
  'libsdl2-dev', 'libx11-dev', 'libxi-dev', 'libxext-dev', 'pkg-config',
  'xvfb', 'xauth', 'libgl1-mesa-dri', 'libegl-mesa0', 'libgl1', 'libegl1',
  'g++', 'make', 'python3',
  // Text fallback fonts (issue 10): DejaVu Sans for symbols, Droid Sans Fallback for CJK; the
  // text tests need both (see DEFAULT_FALLBACK_FONTS in src/text/atlas.ts).
  'fonts-dejavu-core', 'fonts-droid-fallback',
]

function step(title) {
  console.log(`\n== ${title}`)
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts })
  if (r.status !== 0) {
    console.error(`framelatch setup: '${cmd} ${args.join(' ')}' failed (exit ${r.status})`)
    process.exit(1)
  }
}

function missingSystemPackages() {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) return null
  return SYSTEM_PACKAGES.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' })
    return r.status !== 0 || !r.stdout.includes('install ok installed')
  })
}

const [major] = process.versions.node.split('.').map(Number)
if (major < 20) {
  console.error(`framelatch setup: Node.js >= 20 is required (this is ${process.version})`)
  process.exit(1)
}

step('system packages')
const missing = missingSystemPackages()
if (missing === null) {
  console.log(`not a Debian-based system: make sure these (or their equivalents) are installed: ${SYSTEM_PACKAGES.join(' ')}`)
} else if (missing.length === 0) {
  console.log('all present')
} else if (process.getuid && process.getuid() === 0) {
  console.log(`installing: ${missing.join(' ')}`)
  sh('apt-get', ['update', '-qq'])
  sh('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
} else {
  console.error(`framelatch setup: missing system packages. Run:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\nthen run npm run setup again.`)
  process.exit(1)
}

step('npm dependencies')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const installed = Path.join(root, 'node_modules', '.package-lock.json')
const lock = Path.join(root, 'package-lock.json')
const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']
if (!Fs.existsSync(installed) && Fs.existsSync(lock)) {
  sh(npm, ['ci', ...npmFlags])
} else if (!Fs.existsSync(installed) || !Fs.existsSync(lock) ||
    Fs.statSync(lock).mtimeMs > Fs.statSync(installed).mtimeMs) {
  sh(npm, ['install', ...npmFlags])
} else {
  console.log('up to date with package-lock.json')
}

step('native bindings')
sh(process.execPath, [Path.join(root, 'scripts', 'setup-native.mjs')])

step('TypeScript build')
/** Newest modification time under `dir` (files matching `re`). */
function newest(dir, re) {
  let t = 0
  for (const e of Fs.readdirSync(dir, { withFileTypes: true })) {
    const p = Path.join(dir, e.name)
    if (e.isDirectory()) t = Math.max(t, newest(p, re))
    else if (re.test(e.name)) t = Math.max(t, Fs.statSync(p).mtimeMs)
  }
  return t
}
const built = Path.join(root, 'dist', 'index.js')
const sourcesChanged = !Fs.existsSync(built) ||
  Math.max(newest(Path.join(root, 'src'), /\.ts$/), Fs.statSync(Path.join(root, 'tsconfig.json')).mtimeMs,
    Fs.statSync(Path.join(root, 'package-lock.json')).mtimeMs) > Fs.statSync(built).mtimeMs
if (sourcesChanged) {
  sh(process.execPath, [Path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'])
} else {
  console.log('dist/ is newer than every source file')
}
// The bundle the package entries point at (scripts/bundle.mjs), rebuilt with dist/.
const bundled = Path.join(root, 'dist', 'bundle', 'index.js')
if (sourcesChanged || !Fs.existsSync(bundled) || Fs.statSync(bundled).mtimeMs < Fs.statSync(built).mtimeMs) {
  sh(process.execPath, [Path.join(root, 'scripts', 'bundle.mjs')])
}

console.log('\nframelatch setup: done. Run the tests with: npm test')
