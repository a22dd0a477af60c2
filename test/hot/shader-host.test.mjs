// Hot reload of shaders from files on a headless engine: a saved fragment shader is drawn by the
// next frame under the same program and pipeline handles; a broken save keeps the last good
// program drawing and reports the failing line (terminal log, lastError, overlay lines) until the
// fix; an editor's atomic save (write a temp file, rename it over) is seen like any other.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createEngine, ErrorCode, setLogger } from '../../dist/index.js'
import { createShaderHost } from '../../dist/hot/shader-host.js'
import { createErrorOverlay } from '../../dist/hot/overlay.js'

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-shader-host-'))
const file = (name) => Path.join(dir, name)
const VS = `attribute vec2 a_pos;
void main() { gl_Position = vec4(a_pos, 0.0, 1.0); }
`
const FS = (rgb) => `precision mediump float;
void main() {
  gl_FragColor = vec4(${rgb}, 1.0);
}
`
// The watcher's folder watches and timers are unref'd (a watcher never keeps an app alive), so
// the test keeps the process alive itself while it waits for reloads.
const keepAlive = setInterval(() => {}, 1000)
test.after(() => clearInterval(keepAlive))

const BIG_TRI = new Float32Array([-1, -1, 3, -1, -1, 3])

async function start(name, rgb) {
  Fs.writeFileSync(file(`${name}.vert`), VS)
  Fs.writeFileSync(file(`${name}.frag`), FS(rgb))
  const engine = await createEngine({ headless: true, width: 16, height: 16 })
  const d = engine.device
  const events = []
  let waiter = null
  const host = createShaderHost({
    device: d,
    debounceMs: 20,
    onReload: (e) => {
      events.push(e)
      waiter?.(e)
    },
  })
  const program = host.createProgram({ vertexFile: file(`${name}.vert`), fragmentFile: file(`${name}.frag`) })
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
  const vb = d.createBuffer({ data: BIG_TRI })
  // Resolves with the next reload event; a save never seen fails the test instead of hanging it.
  const nextReload = () => new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no reload event within 10 s of the save')), 10_000)
    waiter = (e) => {
      clearTimeout(guard)
      resolve(e)
    }
  })
  const frame = () => {
    d.beginPass({ clearColor: [0, 0, 0, 1] })
    d.applyPipeline(pipeline)
    d.applyBindings({ vertexBuffers: [vb] })
    d.draw(0, 3)
    d.endPass()
    const px = d.readPixels(8, 8, 1, 1)
    return [px[0], px[1], px[2]]
  }
  return { engine, d, host, program, pipeline, events, nextReload, frame, close: () => { host.close(); engine.destroy() } }
}

test('saving a changed fragment shader changes the next frame, same handles', async () => {
  const t = await start('save', '1.0, 0.0, 0.0')
  try {
    assert.equal(t.frame(), [255, 0, 0])
    const reloaded = t.nextReload()
    Fs.writeFileSync(file('save.frag'), FS('0.0, 0.0, 1.0'))
    const e = await reloaded
    assert.ok(e.ok, String(e.error))
    assert.is(e.kind, 'shader')
    assert.is(e.program, t.program)
    assert.equal(t.frame(), [0, 0, 255], 'the new shader draws')
    assert.is(t.d.pipelineProgram(t.pipeline), t.program, 'the pipeline keeps its program handle')
    assert.is(t.d.liveResources.programs, 1)
  } finally {
    t.close()
  }
})

test('a broken save keeps the last good program drawing and reports the line; the fix clears it', async () => {
  const t = await start('broken', '0.0, 1.0, 0.0')
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  try {
    assert.equal(t.frame(), [0, 255, 0])
    let reloaded = t.nextReload()
    Fs.writeFileSync(file('broken.frag'), 'precision mediump float;\nvoid main() {\n  gl_FragColor = vec4(oops, 1.0);\n}\n')
    const bad = await reloaded
    assert.not.ok(bad.ok)
    assert.is(bad.error.code, ErrorCode.HOT_RELOAD)
    assert.is(bad.error.info.line, 3)
    assert.is(bad.error.info.file, file('broken.frag'))
    assert.match(bad.error.message, /broken\.frag:3/)
    assert.equal(t.frame(), [0, 255, 0], 'the last good program keeps drawing')
    assert.is(t.host.lastError, bad.error)
    const lines = t.host.overlayLines()
    assert.match(lines[0], /broken\.frag:3: /)
    assert.ok(lines.some((l) => /^>>\s+3 \|\s+gl_FragColor = vec4\(oops/.test(l)), lines.join('\n'))
    assert.ok(logged.some((l) => l.level === 'error' && l.code === ErrorCode.HOT_RELOAD && /broken\.frag:3/.test(l.message)), 'logged to the terminal')

    reloaded = t.nextReload()
    Fs.writeFileSync(file('broken.frag'), FS('1.0, 0.0, 1.0'))
    const good = await reloaded
    assert.ok(good.ok, String(good.error))
    assert.equal(t.frame(), [255, 0, 255])
    assert.is(t.host.lastError, null)
    assert.equal(t.host.overlayLines(), [], 'the overlay clears on the good compile')
  } finally {
    setLogger(null)
    t.close()
  }
})

test('an atomic save (temp file renamed over the shader) reloads it', async () => {
  const t = await start('atomic', '1.0, 1.0, 0.0')
  try {
    assert.equal(t.frame(), [255, 255, 0])
    const reloaded = t.nextReload()
    const tmp = file('.atomic.frag.swp')
    Fs.writeFileSync(tmp, FS('0.0, 1.0, 1.0'))
    Fs.renameSync(tmp, file('atomic.frag'))
    const e = await reloaded
    assert.ok(e.ok, String(e.error))
    assert.equal(t.frame(), [0, 255, 255])
    assert.is(t.events.length, 1, 'one reload for the save')
  } finally {
    t.close()
  }
})

test('a program broken at creation gets a failed handle that the first good save makes valid', async () => {
  Fs.writeFileSync(file('late.vert'), VS)
  Fs.writeFileSync(file('late.frag'), 'void main() { gl_FragColor = vec4(1.0) }\n')
  const engine = await createEngine({ headless: true, width: 16, height: 16 })
  setLogger(() => {})
  const host = createShaderHost({ device: engine.device, watch: false })
  try {
    const program = host.createProgram({ vertexFile: file('late.vert'), fragmentFile: file('late.frag') })
    assert.is(engine.device.queryProgramState(program), 'failed')
    assert.is(host.lastError.code, ErrorCode.HOT_RELOAD)
    Fs.writeFileSync(file('late.frag'), FS('1.0, 1.0, 1.0'))
    const [e] = host.reload(program)
    assert.ok(e.ok, String(e.error))
    assert.is(engine.device.queryProgramState(program), 'valid')
    assert.is(host.lastError, null)
  } finally {
    setLogger(null)
    host.close()
    engine.destroy()
  }
})


test('the error overlay draws the failing line over the frame and clears on the next good compile', async () => {
  Fs.writeFileSync(file('ov.vert'), VS)
  Fs.writeFileSync(file('ov.frag'), FS('0.0, 1.0, 0.0'))
  const engine = await createEngine({ headless: true, width: 320, height: 200 })
  setLogger(() => {})
  const host = createShaderHost({ device: engine.device, watch: false })
  const overlay = createErrorOverlay({ engine, source: host })
  engine.setClearColor(0, 0, 1, 1)
  // Pixels of the overlay's corner (panel and text) that differ from the clear colour.
  const covered = () => {
    engine.renderFrame()
    const px = engine.device.readPixels(0, 0, 160, 40)
    let n = 0
    for (let i = 0; i < px.length; i += 4) if (px[i] !== 0 || px[i + 1] !== 0 || px[i + 2] !== 255) n++
    return n
  }
  try {
    const program = host.createProgram({ vertexFile: file('ov.vert'), fragmentFile: file('ov.frag') })
    assert.is(covered(), 0, 'no overlay while the shader compiles')
    Fs.writeFileSync(file('ov.frag'), 'precision mediump float;\nvoid main() {\n  gl_FragColor = vec4(bad);\n}\n')
    host.reload(program)
    assert.ok(covered() > 160 * 40 / 2, 'the panel covers the corner')
    assert.match(overlay.lines[0], /ov\.frag:3: /)
    assert.ok(overlay.lines.some((l) => l.startsWith('>>') && l.includes('vec4(bad)')))
    Fs.writeFileSync(file('ov.frag'), FS('1.0, 0.0, 0.0'))
    host.reload(program)
    assert.is(covered(), 0, 'the overlay cleared on the good compile')
    assert.equal(overlay.lines, [])
  } finally {
    setLogger(null)
    overlay.destroy()
    host.close()
    engine.destroy()
  }
})

test.run()
