#!/usr/bin/env node
// `npm run build`, step 2 (after tsc): bundles what users load into dist/bundle/, so that
// `import 'framelatch'` reads a handful of files instead of ~115 ES modules (module loading was
// about 190 ms of CPU at start-up). tsc's dist/ stays as it is: tests and benchmarks import its
// files one by one, and the bundle points back into it for files found at run time.
//
//   entries (one esbuild run, `splitting`, so they share one copy of every module):
//     index, low-level, random the package's entries ("exports" in package.json)
//     cli                      bin/framelatch.mjs: `framelatch dev` runs the user's app, which
//                              imports 'framelatch', in the CLI's process; one copy for both
//     logic-worker-main        the logic worker thread: the user's worker module imports
//                              'framelatch' too, and gets the chunks the worker entry uses
//     x-worker-main            the X thread (smaller start-up than its unbundled module graph)
//   lazy import()s (the probe driver, the hot session, plots) stay separate chunks, loaded on use.
//
// import.meta.url: modules find files beside themselves (the bundled font, loader hooks,
// createRequire for the native packages, the CLI's scripts). In a bundle every module would see
// the bundle file's URL instead, so each dist module's `import.meta.url` is rewritten to its own
// dist/ location, computed from the bundle file's URL at run time (the package can move). Every
// output lands directly in dist/bundle/ (checked below), so that relative path is the same from
// whichever chunk the module ends up in. The two worker URLs are the exception: they point at the
// bundled worker entries, so a worker thread shares its copy with the user's worker module.
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = Path.join(root, 'dist')
const outdir = Path.join(dist, 'bundle')

/** Output name → the dist module it bundles. */
export const BUNDLE_ENTRIES = {
  index: 'index.js',
  'low-level': 'low-level.js',
  random: 'random.js',
  cli: 'cli/main.js',
  'logic-worker-main': 'sync/worker/logic-worker-main.js',
  'x-worker-main': 'platform/x-worker-main.js',
}

/** Worker URLs that must name the bundled worker entry (exactly this text, once, in `file`). */
const WORKER_URLS = [
  { file: 'sync/worker/logic-worker.js', text: "new URL('./logic-worker-main.js', import.meta.url)", entry: 'logic-worker-main' },
  { file: 'platform/x-worker.js', text: "new URL('./x-worker-main.js', import.meta.url)", entry: 'x-worker-main' },
]

/** Packages loaded from node_modules at run time: every dependency but the ones bundled. */
const BUNDLED_PACKAGES = ['gl-matrix']
const pkg = JSON.parse(Fs.readFileSync(Path.join(root, 'package.json'), 'utf8'))
const EXTERNAL = Object.keys(pkg.dependencies).filter((d) => !BUNDLED_PACKAGES.includes(d)).flatMap((d) => [d, `${d}/*`])

const KEEP = 'import.meta.__framelatchBundleUrl'

/** `source` of dist module `file` (path relative to dist/) as the bundle must see it. */
export function rewriteModule(file, source) {
  let out = source
  for (const w of WORKER_URLS.filter((x) => x.file === file)) {
    const parts = out.split(w.text)
    if (parts.length !== 2) {
      throw new Error(`scripts/bundle.mjs: expected ${w.text} once in dist/${file}, found it ${parts.length - 1} times; update WORKER_URLS`)
    }
    out = parts.join(`new URL(${JSON.stringify(`./${w.entry}.js`)}, ${KEEP})`)
  }
  const own = Path.posix.relative('bundle', file)
  out = out.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(own)}, import.meta.url).href`)
  return out.split(KEEP).join('import.meta.url')
}

/** Builds dist/bundle/ from dist/ (tsc must have run). Returns the output files, relative to dist/bundle/. */
export async function bundle() {
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    throw new Error('scripts/bundle.mjs: esbuild is not installed; run `npm run setup` (or `npm install`) to install the devDependencies')
  }
  for (const f of Object.values(BUNDLE_ENTRIES)) {
    if (!Fs.existsSync(Path.join(dist, f))) throw new Error(`scripts/bundle.mjs: dist/${f} is missing; run tsc first (npm run build does both)`)
  }
  Fs.rmSync(outdir, { recursive: true, force: true })
  const rewrite = {
    name: 'framelatch-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const rel = Path.relative(dist, args.path)
        if (rel.startsWith('..') || Path.isAbsolute(rel)) return undefined
        const file = rel.split(Path.sep).join('/')
        return { contents: rewriteModule(file, Fs.readFileSync(args.path, 'utf8')), loader: 'js' }
      })
    },
  }
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, f]) => [name, Path.join(dist, f)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies stay packages of their own (native @kmamal bindings, x11 loaded on demand),
    // except gl-matrix: its CommonJS main loads all eleven of its files (20-40 ms of CPU) for the
    // one mat3 the view transform uses; its ES build is bundled and tree-shaken instead. Users
    // importing gl-matrix themselves get their own copy, which is fine: it works on plain arrays.
    external: EXTERNAL,
    mainFields: ['module', 'main'],
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    // Minified (whitespace, syntax and local names): importing the package took 62.5 -> 52.5 ms
    // (medians of 20 fresh processes, alternated with the unminified build). Names are not kept:
    // esbuild's keepNames wraps every function and class in a call at load, which cost back all
    // of it (62.6 ms). Errors keep their names (each class sets `name`); for source locations in
    // stacks run node with --enable-source-maps, or import dist/ with --conditions=framelatch-unbundled.
    minify: true,
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
    plugins: [rewrite],
  })
  const outputs = Object.keys(result.metafile.outputs).map((o) => Path.relative(outdir, Path.resolve(root, o)))
  const nested = outputs.filter((o) => o.includes(Path.sep) || o.startsWith('..'))
  if (nested.length > 0) throw new Error(`scripts/bundle.mjs: outputs outside dist/bundle/'s top level break the import.meta.url rewrite: ${nested.join(', ')}`)
  for (const w of WORKER_URLS) {
    if (!outputs.includes(`${w.entry}.js`)) throw new Error(`scripts/bundle.mjs: worker entry ${w.entry}.js was not built`)
  }
  return outputs
}

if (process.argv[1] && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const outputs = await bundle()
    const js = outputs.filter((o) => o.endsWith('.js'))
    const bytes = js.reduce((s, o) => s + Fs.statSync(Path.join(outdir, o)).size, 0)
    console.log(`bundle: dist/bundle/ (${js.length} files, ${(bytes / 1024).toFixed(0)} KiB)`)
  } catch (e) {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  }
}
