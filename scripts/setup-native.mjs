#!/usr/bin/env node
// Makes the two native bindings framelatch needs loadable: @kmamal/gl and @kmamal/sdl.
//
// For each binding: if its compiled module already loads, nothing is done (a re-run takes
// seconds). Otherwise the package's own prebuilt download is tried first (the fast path on a
// normal machine); when that is unreachable (offline, registry-only networks) it is built from
// source: @kmamal/gl with GL_FROM_SOURCE semantics, @kmamal/sdl with node-gyp against the system
// SDL2 found by pkg-config, force-including native/sdl-compat.h for SDL older than 2.30.
//
// Usage: node scripts/setup-native.mjs [--from-source] [--force] [--quiet]
// Library users run the same file as `npx framelatch setup-native`.
import Fs from 'node:fs'
import Path from 'node:path'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = Path.dirname(fileURLToPath(import.meta.url))
const packageRoot = Path.resolve(here, '..')

function findPackageRoot(name, fromFile) {
  let dir = Path.dirname(fromFile)
  for (;;) {
    const pj = Path.join(dir, 'package.json')
    if (Fs.existsSync(pj)) {
      try {
        if (JSON.parse(Fs.readFileSync(pj, 'utf8')).name === name) return dir
      } catch {}
    }
    const up = Path.dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

/** A package's root as `require` resolves it, else as framelatch's own install resolves it. */
function resolvePackage(name, require) {
  for (const from of [require, createRequire(Path.join(packageRoot, 'package.json'))]) {
    try {
      const root = findPackageRoot(name, from.resolve(name))
      if (root) return root
    } catch {}
  }
  return null
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts })
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error }
}

/** Loads a compiled module in a child process, so a crash or a wrong ABI cannot take us down. */
function loads(modulePath) {
  if (!Fs.existsSync(modulePath)) return false
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(modulePath)})`], {
    encoding: 'utf8',
    timeout: 30000,
  })
  return r.status === 0
}

/** Node's headers: prefer the ones installed next to this node (Debian's nodejs, offline). */
function nodedirArgs() {
  const prefix = Path.resolve(Path.dirname(process.execPath), '..')
  if (Fs.existsSync(Path.join(prefix, 'include', 'node', 'node.h'))) return [`--nodedir=${prefix}`]
  return []
}

function nodeGypBin(require) {
  const root = resolvePackage('node-gyp', require)
  return root ? Path.join(root, 'bin', 'node-gyp.js') : null
}

function tryDownload(pkgDir, log) {
  const script = Path.join(pkgDir, 'scripts', 'download-release.mjs')
  if (!Fs.existsSync(script)) return false
  log(`  trying the prebuilt download of ${Path.basename(pkgDir)}`)
  const r = run(process.execPath, [script], { cwd: Path.dirname(script), quiet: true, timeout: 120000 })
  if (!r.ok) log('  prebuilt download unavailable; building from source')
  return r.ok
}

function buildGl(pkgDir, gyp, log) {
  log('  building @kmamal/gl from source (about 2 minutes)')
  const r = run(process.execPath, [gyp, 'rebuild', '-j', 'max', ...nodedirArgs()], {
    cwd: pkgDir,
    env: { ...process.env, GL_FROM_SOURCE: '1' },
    quiet: true,
    maxBuffer: 256 * 1024 * 1024,
  })
  if (!r.ok) return fail('@kmamal/gl build failed', r)
  Fs.mkdirSync(Path.join(pkgDir, 'dist'), { recursive: true })
  Fs.copyFileSync(Path.join(pkgDir, 'build', 'Release', 'webgl.node'), Path.join(pkgDir, 'dist', 'webgl.node'))
  return true
}

function pkgConfig(args) {
  const r = run('pkg-config', args, { quiet: true })
  return r.ok ? r.stdout.trim() : null
}

function buildSdl(pkgDir, gyp, require, log) {
  const version = pkgConfig(['--modversion', 'sdl2'])
  const cflags = pkgConfig(['--cflags-only-I', 'sdl2'])
  const libdir = pkgConfig(['--variable=libdir', 'sdl2'])
  if (!version || !cflags || !libdir) {
    console.error('framelatch: pkg-config cannot find sdl2; install it with: apt-get install libsdl2-dev pkg-config')
    return false
  }
  const incDir = cflags.split(/\s+/).map((f) => f.replace(/^-I/, '')).find((d) => Fs.existsSync(Path.join(d, 'SDL.h')))
  if (!incDir) {
    console.error(`framelatch: SDL.h not found in ${cflags}; install libsdl2-dev`)
    return false
  }
  // @kmamal/sdl lists node-addon-api only as a dev dependency; its binding.gyp needs it.
  const addonApi = resolvePackage('node-addon-api', require)
  if (!addonApi) {
    console.error('framelatch: node-addon-api is missing; install it with: npm install --save-dev node-addon-api')
    return false
  }
  const compat = Path.join(packageRoot, 'native', 'sdl-compat.h')
  log(`  building @kmamal/sdl from source against system SDL ${version}`)
  const r = run(process.execPath, [gyp, 'rebuild', '-j', 'max', ...nodedirArgs()], {
    cwd: pkgDir,
    env: {
      ...process.env,
      SDL_INC: incDir,
      SDL_LIB: libdir,
      CXXFLAGS: `${process.env.CXXFLAGS ?? ''} -include ${compat}`.trim(),
      NODE_PATH: Path.dirname(addonApi),
    },
    quiet: true,
    maxBuffer: 256 * 1024 * 1024,
  })
  if (!r.ok) return fail('@kmamal/sdl build failed', r)
  Fs.mkdirSync(Path.join(pkgDir, 'dist'), { recursive: true })
  Fs.copyFileSync(Path.join(pkgDir, 'build', 'Release', 'sdl.node'), Path.join(pkgDir, 'dist', 'sdl.node'))
  return true
}

function fail(what, r) {
  const tail = (r.stdout + r.stderr).split('\n').slice(-40).join('\n')
  console.error(`framelatch: ${what}:\n${tail}`)
  return false
}

/**
 * @param {{ fromSource?: boolean, force?: boolean, quiet?: boolean, cwd?: string }} options
 * @returns {boolean} true when both bindings load
 */
export function setupNative(options = {}) {
  const log = options.quiet ? () => {} : (m) => console.log(m)
  // Resolve the bindings the way the user's code will: from the project that depends on us.
  const require = createRequire(Path.join(options.cwd ?? packageRoot, 'package.json'))
  const gyp = nodeGypBin(require)
  let ok = true
  const targets = [
    { name: '@kmamal/gl', file: 'webgl.node', build: (dir) => buildGl(dir, gyp, log) },
    { name: '@kmamal/sdl', file: 'sdl.node', build: (dir) => buildSdl(dir, gyp, require, log) },
  ]
  for (const t of targets) {
    const dir = resolvePackage(t.name, require)
    if (!dir) {
      console.error(`framelatch: ${t.name} is not installed; run npm install first`)
      ok = false
      continue
    }
    const modulePath = Path.join(dir, 'dist', t.file)
    if (!options.force && loads(modulePath)) {
      log(`${t.name}: ready (${Path.relative(process.cwd(), modulePath) || modulePath})`)
      continue
    }
    log(`${t.name}: not built yet`)
    if (!options.fromSource && !process.env.GL_FROM_SOURCE && !process.env.NODE_SDL_FROM_SOURCE &&
        tryDownload(dir, log) && loads(modulePath)) {
      log(`${t.name}: ready (prebuilt)`)
      continue
    }
    if (!gyp) {
      console.error('framelatch: node-gyp is not installed; install it with: npm install --save-dev node-gyp')
      ok = false
      continue
    }
    if (t.build(dir) && loads(modulePath)) {
      log(`${t.name}: ready (built from source)`)
    } else {
      console.error(`framelatch: ${t.name} could not be built; see the output above`)
      ok = false
    }
  }
  return ok
}

if (process.argv[1] && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const ok = setupNative({
    fromSource: args.includes('--from-source'),
    force: args.includes('--force'),
    quiet: args.includes('--quiet'),
    cwd: process.cwd(),
  })
  process.exit(ok ? 0 : 1)
}
