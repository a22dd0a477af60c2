#!/usr/bin/env node
// `npm test` (after the build): runs every test/**/*.test.mjs in its own node process (GL
// contexts, workers and SDL state never leak between files), two at a time, and ends with the
// line `N passed, N failed`. When DISPLAY is unset it starts a private Xvfb first and stops it
// afterwards. Usage: node test/run.mjs [substring ...]  (runs only files whose path matches)
import Fs from 'node:fs'
import Path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ensureDisplay } from '../dist/platform/xvfb.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const filters = process.argv.slice(2)
const CONCURRENCY = Number(process.env.FRAMELATCH_TEST_JOBS ?? 2)
// A hung file fails instead of hanging CI; this is a safety net, not a timing assertion.
const FILE_TIMEOUT_MS = Number(process.env.FRAMELATCH_TEST_TIMEOUT_MS ?? 10 * 60 * 1000)

function findTests(dir) {
  const out = []
  for (const entry of Fs.readdirSync(dir, { withFileTypes: true })) {
    const p = Path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...findTests(p))
    else if (entry.name.endsWith('.test.mjs')) out.push(p)
  }
  return out.sort()
}

// Test files import dist/ modules one by one, and some also import examples, which import
// 'framelatch': this condition (package.json "exports") makes that name resolve to dist/index.js
// too, so a test process holds one copy of every class and singleton, not the bundle beside
// dist/. Workers inherit it. Child processes a test spawns (examples, the CLI) do not: they run
// the bundle as users do.
const TEST_CONDITIONS = ['--conditions=framelatch-unbundled']

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['--expose-gc', ...TEST_CONDITIONS, file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => {
      output += `\n[test runner] killed after ${FILE_TIMEOUT_MS} ms\n`
      child.kill('SIGKILL')
    }, FILE_TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const num = (label) => {
        const all = [...output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))]
        return all.reduce((sum, m) => sum + Number(m[1]), 0)
      }
      const total = num('Total')
      const passed = num('Passed')
      const skipped = num('Skipped')
      let failed = total - passed - skipped
      // A file that crashed, or exited non-zero, counts as a failure even if uvu said nothing.
      if ((code !== 0 || signal) && failed === 0) failed = 1
      if (total === 0 && failed === 0) failed = 1 // a file that ran no test is a defect
      resolve({ file, passed, failed, skipped, output, ms: Date.now() - started, code, signal })
    })
  })
}

const files = findTests(Path.join(root, 'test')).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
const xvfb = await ensureDisplay()
if (xvfb) console.log(`test runner: started Xvfb on ${xvfb.display}`)

const results = []
let next = 0
async function worker() {
  while (next < files.length) {
    const file = files[next++]
    const r = await runFile(file)
    results.push(r)
    const rel = Path.relative(root, r.file)
    const status = r.failed > 0 ? 'FAIL' : 'ok  '
    console.log(`${status} ${rel}  (${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)} s)`)
    if (r.failed > 0 || process.env.FRAMELATCH_TEST_VERBOSE) {
      console.log(r.output.split('\n').map((l) => '     | ' + l).join('\n'))
    }
  }
}
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))
xvfb?.stop()

const passed = results.reduce((s, r) => s + r.passed, 0)
const failed = results.reduce((s, r) => s + r.failed, 0)
const skipped = results.reduce((s, r) => s + r.skipped, 0)
if (skipped > 0) console.log(`test runner: ${skipped} skipped tests count as defects`)
console.log(`${passed} passed, ${failed + skipped} failed`)
process.exit(failed + skipped > 0 || files.length === 0 ? 1 : 0)
