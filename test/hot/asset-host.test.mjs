// Hot reload of PNG textures: a saved PNG is re-uploaded under the same TextureHandle (at its new
// size), a broken file keeps the last good texture and reports the error, and the fix loads.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { createEngine, ErrorCode, setLogger } from '../../dist/index.js'
import { encodePNG } from '../../dist/platform/png.js'
import { createAssetHost } from '../../dist/hot/asset-host.js'

const keepAlive = setInterval(() => {}, 1000) // the watcher is unref'd; keep the test alive
test.after(() => clearInterval(keepAlive))

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-asset-host-'))
const png = Path.join(dir, 'sprite.png')
const solid = (w, h, rgba) => encodePNG(new Uint8Array(w * h * 4).map((_, i) => rgba[i % 4]), w, h)

const VS = `attribute vec2 a_pos;
varying vec2 v_uv;
void main() { v_uv = a_pos * 0.5 + 0.5; gl_Position = vec4(a_pos, 0.0, 1.0); }`
const FS = `precision mediump float;
uniform sampler2D u_tex;
varying vec2 v_uv;
void main() { gl_FragColor = texture2D(u_tex, v_uv); }`

test('a saved PNG is drawn under the same texture handle; a broken one keeps the last good pixels', async () => {
  Fs.writeFileSync(png, solid(2, 2, [255, 0, 0, 255]))
  const engine = await createEngine({ headless: true, width: 16, height: 16 })
  const d = engine.device
  let waiter = null
  const host = createAssetHost({ device: d, debounceMs: 20, onReload: (e) => waiter?.(e) })
  const nextReload = () => new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no reload event within 10 s of the save')), 10_000)
    waiter = (e) => {
      clearTimeout(guard)
      resolve(e)
    }
  })
  const logged = []
  setLogger((level, code, message) => logged.push({ level, code, message }))
  try {
    const texture = host.createTexture({ file: png, minFilter: 'nearest', magFilter: 'nearest' })
    const program = d.createProgram({ vertex: VS, fragment: FS })
    const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }] })
    const vb = d.createBuffer({ data: new Float32Array([-1, -1, 3, -1, -1, 3]) })
    const bindings = { vertexBuffers: [vb], textures: [texture] }
    const frame = () => {
      d.beginPass({ clearColor: [0, 0, 0, 1] })
      d.applyPipeline(pipeline)
      d.applyBindings(bindings)
      d.draw(0, 3)
      d.endPass()
      const px = d.readPixels(8, 8, 1, 1)
      return [px[0], px[1], px[2]]
    }
    assert.equal(frame(), [255, 0, 0])
    const textures = d.liveResources.textures

    let reloaded = nextReload()
    Fs.writeFileSync(png, solid(4, 8, [0, 255, 0, 255]))
    let e = await reloaded
    assert.ok(e.ok, String(e.error))
    assert.is(e.kind, 'asset')
    assert.is(e.texture, texture)
    assert.equal(frame(), [0, 255, 0], 'the new pixels are drawn through the same handle')
    assert.equal(d.textureSize(texture), { width: 4, height: 8 }, 'resized')
    assert.is(d.liveResources.textures, textures)

    reloaded = nextReload()
    Fs.writeFileSync(png, 'not a png')
    e = await reloaded
    assert.not.ok(e.ok)
    assert.is(e.error.code, ErrorCode.HOT_RELOAD)
    assert.is(host.lastError, e.error)
    assert.ok(logged.some((l) => l.code === ErrorCode.HOT_RELOAD && l.message.includes('sprite.png')))
    assert.equal(frame(), [0, 255, 0], 'the last good texture stays')

    reloaded = nextReload()
    Fs.writeFileSync(png, solid(1, 1, [0, 0, 255, 255]))
    e = await reloaded
    assert.ok(e.ok, String(e.error))
    assert.equal(frame(), [0, 0, 255])
    assert.is(host.lastError, null)
  } finally {
    setLogger(null)
    host.close()
    engine.destroy()
  }
})

test.run()
