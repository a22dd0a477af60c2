// The entry points and the README's API reference agree: every runtime export of `framelatch`,
// `framelatch/low-level` and `framelatch/random` is named in its README section, every name a
// reference table lists is exported by that entry (as a value or a type), and the application entry
// exports classes only as types (error classes excepted: `instanceof` needs them).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as main from '../dist/index.js'
import * as lowLevel from '../dist/low-level.js'
import * as random from '../dist/random.js'

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), '..')
const readme = Fs.readFileSync(Path.join(root, 'README.md'), 'utf8')

const ENTRIES = [
  { name: 'framelatch', module: main, dts: 'dist/index.d.ts', minListed: 11 },
  { name: 'framelatch/low-level', module: lowLevel, dts: 'dist/low-level.d.ts', minListed: 11 },
  { name: 'framelatch/random', module: random, dts: 'dist/random.d.ts', minListed: 5 },
]

/** The text of the README section headed "### `<entry>`" (up to the next ### or ## heading). */
export function referenceSection(text, entry) {
  const heading = `### \`${entry}\``
  const start = text.indexOf(heading)
  if (start < 0) return null
  const rest = text.slice(start + heading.length)
  const end = rest.search(/^##+ /m)
  return end < 0 ? rest : rest.slice(0, end)
}

/** The names in `names` that `section` does not mention in backticks (`name`, `name(`, `name.x`). */
export function undocumented(names, section) {
  return names.filter((n) => !new RegExp('`' + n.replace(/\$/g, '\\$') + '(?![A-Za-z0-9_$])').test(section))
}

/** The first-column names of the section's table rows: "| `a`, `b(...)` | ..." gives a, b. */
export function listedNames(section) {
  const out = []
  for (const line of section.split('\n')) {
    const m = /^\|\s*([^|]+?)\s*\|/.exec(line)
    if (!m || /^-+$/.test(m[1]) || !m[1].includes('`')) continue
    for (const code of m[1].matchAll(/`([A-Za-z_$][A-Za-z0-9_$]*)/g)) out.push(code[1])
  }
  return out
}

/** Every name a declaration file exports, values and types, following `export * from` chains. */
export function declaredNames(file, seen = new Set()) {
  if (seen.has(file)) return new Set()
  seen.add(file)
  const text = Fs.readFileSync(file, 'utf8')
  const names = new Set()
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const words = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)
      const name = (words[1] ?? words[0]).trim()
      if (name) names.add(name)
    }
  }
  for (const m of text.matchAll(/export\s+(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|function|const|let|enum)\s+([A-Za-z_$][A-Za-z0-9_$]*)/g)) {
    names.add(m[1])
  }
  for (const m of text.matchAll(/export\s+(?:type\s+)?\*\s+from\s+'([^']+)'/g)) {
    const target = Path.resolve(Path.dirname(file), m[1].replace(/\.js$/, '.d.ts'))
    for (const n of declaredNames(target, seen)) names.add(n)
  }
  return names
}

for (const entry of ENTRIES) {
  test(`every runtime export of ${entry.name} is named in its README section`, () => {
    const section = referenceSection(readme, entry.name)
    assert.ok(section, `README has no "### \`${entry.name}\`" section`)
    const missing = undocumented(Object.keys(entry.module), section)
    assert.equal(missing, [], `not in the README's ${entry.name} reference: ${missing.join(', ')}`)
  })

  test(`every name the README lists for ${entry.name} is exported by it`, () => {
    const section = referenceSection(readme, entry.name)
    const exported = declaredNames(Path.join(root, entry.dts))
    for (const n of Object.keys(entry.module)) exported.add(n)
    const listed = listedNames(section)
    assert.ok(listed.length >= entry.minListed, `the ${entry.name} reference has tables with names in the first column`)
    const stray = listed.filter((n) => !exported.has(n))
    assert.equal(stray, [], `listed in the README's ${entry.name} reference but not exported: ${stray.join(', ')}`)
  })
}

test('framelatch exports classes as types only (error classes excepted)', () => {
  for (const [name, value] of Object.entries(main)) {
    if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue
    assert.ok(value.prototype instanceof Error, `${name} is a class exported at runtime; export its factory and the class as a type`)
  }
})

test('no name is exported by two entries', () => {
  const both = Object.keys(main).filter((n) => n in lowLevel || n in random)
  assert.equal(both, [])
  assert.equal(Object.keys(lowLevel).filter((n) => n in random), [])
})

test('the checker reports a runtime export the README does not name, and a listed name nobody exports', () => {
  const section = referenceSection(readme, 'framelatch')
  const without = section.replace(/`createHud\b/g, '`somethingElse')
  assert.equal(undocumented(Object.keys(main), without), ['createHud'])
  assert.equal(undocumented(['createHudX'], '`createHud`'), ['createHudX'])
  const listed = listedNames('| `createEngine(desc)`, `notExported` | x |\n|---|---|\n')
  assert.equal(listed, ['createEngine', 'notExported'])
  const exported = declaredNames(Path.join(root, 'dist/index.d.ts'))
  assert.ok(exported.has('EngineDesc') && exported.has('BufferDesc') && exported.has('createEngine'))
  assert.not.ok(exported.has('notExported'))
})

test.run()
