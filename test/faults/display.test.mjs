// Fault suite, item 3: the auto-started Xvfb has one reference-counted owner per process.
// Engines come and go in any order, the server stops with the last one, on exit and on
// SIGINT/SIGTERM/SIGHUP, only our cookie gets in, a lost server ends the process with
// FL_DISPLAY_LOST, stale locks of our dead servers are cleaned, and no Xvfb is left behind.
// Every scenario runs in a child (DISPLAY unset, private TMPDIR) with a hard timeout that kills
// its process group; the Xvfb servers our children start are counted through that TMPDIR.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import { runChild, caseFile, privateTmp, xvfbWith, eventually } from './support.mjs'

const tmp = privateTmp()
const leftovers = () => xvfbWith(tmp)
const env = { DISPLAY: null, XAUTHORITY: null, TMPDIR: tmp }
const display = (args, opts = {}) => runChild(caseFile('display-case.mjs'), args, { timeoutMs: 60_000, env, ...opts })

function ok(r, what) {
  assert.not.ok(r.timedOut, `${what}: the child hung\n${r.stdout}\n${r.stderr}`)
  assert.is(r.code, 0, `${what}: exit ${r.code} (${r.signal})\n${r.stdout}\n${r.stderr}`)
  assert.ok(r.results.some((x) => x.done), `${what}: finished`)
  return r.results[0]
}

test('no Xvfb of ours is running before the suite', () => {
  assert.equal(leftovers(), [])
})

test('engines created and destroyed in any order share one server; the last one stops it and DISPLAY/XAUTHORITY come back', async () => {
  const r = ok(await display(['any-order']), 'any-order')
  assert.equal(r.env0, { display: null, xauthority: null })
  assert.is(r.first.refs, 2)
  assert.is(r.mid.refs, 2)
  assert.is(r.mid.pid, r.first.pid, 'one server for all of them')
  assert.is(r.afterAll, null)
  assert.equal(r.env1, { display: null, xauthority: null })
  assert.not.ok(r.firstAlive, 'the server stopped with the last engine')
  assert.ok(r.second.pid !== r.first.pid, 'a later engine gets a new server')
  assert.equal(r.pixels, [[0, 255, 0, 255], [0, 255, 0, 255], [0, 255, 0, 255]], 'every engine renders, also after the server was replaced')
  assert.equal(leftovers(), [])
})

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  test(`${signal} to a plain createEngine app stops its Xvfb, then ends the process by ${signal}`, async () => {
    let ready = null
    const r = await display(['signal'], {
      onStart: (stdout, child) => {
        if (ready === null && stdout.includes('"ready"')) {
          ready = JSON.parse(stdout.split('\n').find((l) => l.includes('"ready"')).slice(2))
          child.kill(signal)
        }
      },
    })
    assert.not.ok(r.timedOut, r.stderr)
    assert.ok(ready, r.stderr)
    assert.is(r.signal, signal, `the child died by ${signal} (default behaviour re-raised): ${r.code} ${r.stderr}`)
    assert.ok(await eventually(() => leftovers().length === 0), 'its Xvfb is gone')
    assert.not.ok(Fs.existsSync(ready.authDir), 'its cookie file is gone')
  })
}

test('an app that handles SIGINT itself keeps its display until it destroys its engine', async () => {
  let sent = false
  const r = await display(['app-signal'], {
    onStart: (stdout, child) => {
      if (!sent && stdout.includes('"ready"')) {
        sent = true
        child.kill('SIGINT')
      }
    },
  })
  const h = ok(r, 'app-signal')
  assert.ok(r.results.find((x) => x.handled))
  assert.is(r.results.find((x) => x.handled).before, 1, 'still leased when the handler ran')
  assert.is(r.results.find((x) => x.handled).after, null)
  assert.ok(h.ready)
  assert.ok(await eventually(() => leftovers().length === 0))
})

test('losing the X server ends the process with a coded FL_DISPLAY_LOST message, exit status 1', async () => {
  let killed = false
  const r = await display(['lost'], {
    onStart: (stdout) => {
      if (!killed && stdout.includes('"ready"')) {
        killed = true
        const { xvfbPid } = JSON.parse(stdout.split('\n').find((l) => l.includes('"ready"')).slice(2))
        process.kill(xvfbPid, 'SIGKILL')
      }
    },
  })
  assert.not.ok(r.timedOut, r.stderr)
  assert.is(r.code, 1)
  assert.match(r.stderr, /framelatch: \[FL_DISPLAY_LOST\] the Xvfb framelatch started on :\d+ \(pid \d+\) was killed by SIGKILL/)
  assert.not.match(r.stderr, /XIO/)
})

test('the server only lets in clients with our cookie; the vblank worker authenticates; the cookie folder is private and removed', async () => {
  const run = await display(['auth'])
  const r = ok(run, 'auth')
  assert.equal(r.modes, { dir: 0o700, file: 0o600 })
  assert.is(r.withCookie, 'connected')
  assert.match(r.withoutCookie, /^refused/)
  assert.ok(r.vblank, 'the Present vblank clock connected with XAUTHORITY')
  assert.is(run.results.find((x) => 'authDirLeft' in x)?.authDirLeft, false, 'the cookie folder went with the last engine')
})

test('a stale lock and socket of our own dead server are cleaned up at the next start', async () => {
  // A display number nobody uses, and a pid that is certainly dead (a process that ran and ended).
  let n = 400
  while (Fs.existsSync(`/tmp/.X${n}-lock`) || Fs.existsSync(`/tmp/.X11-unix/X${n}`)) n++
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim()
  Fs.writeFileSync(`/tmp/.X${n}-lock`, `${dead.padStart(10)}\n`)
  Fs.writeFileSync(`/tmp/.X11-unix/X${n}`, '')
  try {
    const r = ok(await display(['stale', String(n)]), 'stale')
    assert.is(r.number, n, 'the stale number was reclaimed, not skipped')
  } finally {
    for (const f of [`/tmp/.X${n}-lock`, `/tmp/.X11-unix/X${n}`]) {
      try {
        if (Fs.readFileSync(f, 'latin1').includes(dead)) Fs.rmSync(f)
      } catch {
        // removed by the owner, or replaced by the server it started (which removed its own on exit)
      }
    }
  }
  assert.ok(await eventually(() => leftovers().length === 0))
})

test('no Xvfb of ours is left after the suite', async () => {
  assert.ok(await eventually(() => leftovers().length === 0), `left: ${leftovers()}`)
  Fs.rmSync(tmp, { recursive: true, force: true })
})

test.run()
