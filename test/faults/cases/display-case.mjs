// One display-lifecycle scenario per run: `node display-case.mjs <scenario> [arg]`; prints '@@'
// JSON lines. Started with DISPLAY unset, so engines lease framelatch's own Xvfb.
import Fs from 'node:fs'
import { createRequire } from 'node:module'
import { createEngine } from '../../../dist/index.js'
import { ownedDisplay, acquireDisplay } from '../../../dist/low-level.js'

const scenario = process.argv[2]
const out = (o) => console.log('@@' + JSON.stringify(o))
const desc = { headless: true, width: 16, height: 16, vblank: false, clearColor: [0, 1, 0, 1] }
const pixel = (e) => {
  e.renderFrame()
  return [...e.device.readPixels(8, 8, 1, 1)]
}
const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

switch (scenario) {
  case 'any-order': {
    const env0 = { display: process.env.DISPLAY ?? null, xauthority: process.env.XAUTHORITY ?? null }
    const a = await createEngine(desc)
    const b = await createEngine(desc)
    const first = ownedDisplay()
    a.destroy()
    const c = await createEngine(desc)
    const pixels = [pixel(b), pixel(c)]
    const mid = ownedDisplay()
    b.destroy()
    c.destroy()
    const afterAll = ownedDisplay()
    const env1 = { display: process.env.DISPLAY ?? null, xauthority: process.env.XAUTHORITY ?? null }
    await new Promise((r) => setTimeout(r, 300))
    const firstAlive = alive(first.pid)
    // A new engine after the last one went: a new server, and GL reconnects to it.
    const d = await createEngine(desc)
    const second = ownedDisplay()
    pixels.push(pixel(d))
    d.destroy()
    out({ env0, env1, first, mid, afterAll, firstAlive, second, pixels })
    break
  }
  case 'signal': {
    const e = await createEngine(desc)
    pixel(e)
    const o = ownedDisplay()
    out({ ready: true, xvfbPid: o.pid, authDir: process.env.XAUTHORITY })
    setInterval(() => {}, 1000) // wait for the signal
    break
  }
  case 'app-signal': {
    // An app that handles SIGINT itself (as runApp does): the owner leaves the signal to it.
    const e = await createEngine(desc)
    process.once('SIGINT', async () => {
      const before = ownedDisplay()
      await e.stop()
      e.destroy()
      out({ handled: true, before: before?.refs ?? null, after: ownedDisplay() })
      out({ done: true })
    })
    out({ ready: true, xvfbPid: ownedDisplay().pid })
    const t = setInterval(() => {
      if (!e.destroyed) pixel(e)
      else clearInterval(t)
    }, 20)
    break
  }
  case 'lost': {
    const e = await createEngine(desc)
    pixel(e)
    out({ ready: true, xvfbPid: ownedDisplay().pid })
    setInterval(() => {}, 1000)
    break
  }
  case 'auth': {
    const e = await createEngine({ ...desc, vblank: true })
    const xauth = process.env.XAUTHORITY
    const dir = xauth.slice(0, xauth.lastIndexOf('/'))
    const modes = { dir: Fs.statSync(dir).mode & 0o777, file: Fs.statSync(xauth).mode & 0o777 }
    const require = createRequire(import.meta.url)
    const x11 = require('x11')
    const connect = () => new Promise((resolve) => {
      const client = x11.createClient({ display: process.env.DISPLAY }, (err, display) => {
        if (err) return resolve(`refused: ${err.message}`)
        resolve(display.screen?.length > 0 ? 'connected' : 'odd')
        client.close?.()
        client.terminate?.()
      })
      client.on('error', (err) => resolve(`refused: ${err.message}`))
    })
    const withCookie = await connect()
    const empty = `${dir}/empty`
    Fs.writeFileSync(empty, '')
    process.env.XAUTHORITY = empty
    const withoutCookie = await connect()
    process.env.XAUTHORITY = xauth
    out({ modes, withCookie, withoutCookie, vblank: e.vblank !== null, display: process.env.DISPLAY })
    await e.stop()
    e.destroy()
    out({ authDirLeft: Fs.existsSync(dir) })
    break
  }
  case 'stale': {
    const n = Number(process.argv[3])
    const lease = await acquireDisplay({ firstDisplay: n })
    out({ number: lease.server.number, display: lease.display })
    lease.release()
    break
  }
  default:
    throw new Error(`unknown scenario ${scenario}`)
}
if (scenario === 'any-order' || scenario === 'auth' || scenario === 'stale') out({ done: true })
