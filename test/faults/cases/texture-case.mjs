// Textures the driver cannot hold: `node texture-case.mjs`; prints '@@' JSON lines.
import { createEngine } from '../../../dist/index.js'

const out = (o) => console.log('@@' + JSON.stringify(o))
const attempt = (device, desc) => {
  try {
    const h = device.createTexture(desc)
    return { state: device.queryTextureState(h) }
  } catch (e) {
    return { code: e.code ?? `uncoded ${e.name}`, message: e.message }
  }
}
for (const debug of [false, true]) {
  const engine = await createEngine({ headless: true, width: 8, height: 8, vblank: false, debug })
  const d = engine.device
  const result = {
    debug,
    // 4 GiB: rejected before anything is allocated.
    huge: attempt(d, { width: 16384, height: 16384, format: 'rgba32f' }),
    // Just under 2 GiB: accepted by the driver without storage; caught by the read-back probe.
    probed: debug ? attempt(d, { width: 16384, height: 8191, format: 'rgba32f' }) : null,
    live: d.liveResources.textures,
  }
  // The device is still fine afterwards: a small texture works, and a 256 MiB one passes the probe.
  result.small = attempt(d, { width: 64, height: 64, format: 'rgba32f' })
  result.big = debug ? attempt(d, { width: 8192, height: 8192, format: 'rgba8' }) : null
  engine.renderFrame()
  result.pixel = [...d.readPixels(0, 0, 1, 1)]
  out(result)
  engine.destroy()
}
out({ done: true })
