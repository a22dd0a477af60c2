// Hot reload, shaders, PNG textures, a logic worker and the render module: save-to-new-pixels
// (write the file, then render headless frames until a read-back shows the new colour), a counter
// in the shared state checked across every worker and render reload (app-reload.mjs), and 100
// reloads in a row with heap and GL objects counted before and after.
// Run directly: `node --expose-gc benchmarks/hot/reload.bench.mjs [--quick]` prints the markdown
// section; `benchmarks/run.mjs hot/reload` collects it into BENCHMARKS.md.
import Fs from 'node:fs'
import Os from 'node:os'
import Path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createEngine, setLogger } from '../../dist/index.js'
import { encodePNG } from '../../dist/platform/png.js'
import { createShaderHost } from '../../dist/hot/shader-host.js'
import { createAssetHost } from '../../dist/hot/asset-host.js'
import { runAppReloads } from './app-reload.mjs'

const VS = 'attribute vec2 a_pos;\nvarying vec2 v_uv;\nvoid main() { v_uv = a_pos * 0.5 + 0.5; gl_Position = vec4(a_pos, 0.0, 1.0); }\n'
/** A fragment shader drawing the colour (r, g, b) in 0..255. */
const FS = (r, g, b) => `precision mediump float;\nvoid main() { gl_FragColor = vec4(${(r / 255).toFixed(6)}, ${(g / 255).toFixed(6)}, ${(b / 255).toFixed(6)}, 1.0); }\n`
const TEX_FS = 'precision mediump float;\nuniform sampler2D u_tex;\nvarying vec2 v_uv;\nvoid main() { gl_FragColor = texture2D(u_tex, v_uv); }\n'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const stats = (a) => {
  const s = [...a].sort((x, y) => x - y)
  return { p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1], n: s.length }
}
const f1 = (ms) => ms.toFixed(1)
const heapMB = () => {
  globalThis.gc?.()
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 1048576
}

function scene(d, program, textures) {
  const pipeline = d.createPipeline({ program, attributes: [{ name: 'a_pos', format: 'float2' }], label: 'bench' })
  const vb = d.createBuffer({ data: new Float32Array([-1, -1, 3, -1, -1, 3]) })
  const bindings = { vertexBuffers: [vb], ...(textures ? { textures } : {}) }
  const px = new Uint8Array(4)
  return {
    pipeline,
    /** Draws a frame and returns the centre pixel's (r, g, b) as one number. */
    frame() {
      d.beginPass({ clearColor: [0, 0, 0, 1] })
      d.applyPipeline(pipeline)
      d.applyBindings(bindings)
      d.draw(0, 3)
      d.endPass()
      const p = d.readPixels(8, 8, 1, 1)
      px.set(p.subarray(0, 4))
      return (px[0] << 16) | (px[1] << 8) | px[2]
    },
  }
}

/** Renders a frame every ~1 ms until the centre shows `rgb`; returns the ms since `t0`. */
async function untilPixels(s, rgb, t0, limitMs = 5000) {
  for (;;) {
    if (s.frame() === rgb) return performance.now() - t0
    if (performance.now() - t0 > limitMs) throw new Error(`no new pixels within ${limitMs} ms of the save`)
    await sleep(1)
  }
}

export async function run({ quick = false } = {}) {
  const saves = quick ? 30 : 60
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), 'fl-hot-bench-'))
  const vert = Path.join(dir, 'b.vert')
  const frag = Path.join(dir, 'b.frag')
  const png = Path.join(dir, 'b.png')
  Fs.writeFileSync(vert, VS)
  Fs.writeFileSync(frag, FS(0, 0, 0))
  const keepAlive = setInterval(() => {}, 1000) // the watcher is unref'd
  const engine = await createEngine({ headless: true, width: 16, height: 16 })
  const d = engine.device
  setLogger(() => {})
  try {
    // ---- save to new pixels (shader), through the watcher (debounce 30 ms, the default)
    const swapMs = []
    const shaders = createShaderHost({ device: d, onReload: (e) => swapMs.push(e.ms) })
    const program = shaders.createProgram({ vertexFile: vert, fragmentFile: frag })
    const s = scene(d, program)
    s.frame()
    const savePixels = []
    for (let i = 1; i <= saves; i++) {
      const r = (i * 37) & 255, g = (i * 91) & 255, b = 200
      await sleep(5) // a pause between saves, as between an editor's saves
      const t0 = performance.now()
      Fs.writeFileSync(frag, FS(r, g, b))
      savePixels.push(await untilPixels(s, (r << 16) | (g << 8) | b, t0))
    }
    // Floor: the same recompile and swap without the watcher (read + compile + link + swap).
    const direct = []
    const noWatch = createShaderHost({ device: d, watch: false })
    noWatch.watchProgram(program, { vertexFile: vert, fragmentFile: frag })
    for (let i = 0; i < saves; i++) {
      Fs.writeFileSync(frag, FS(i & 255, 10, 20))
      const t0 = performance.now()
      noWatch.reload(program)
      s.frame()
      direct.push(performance.now() - t0)
    }
    shaders.close()

    // ---- 100 reloads in a row: heap and GL objects
    for (let i = 0; i < 10; i++) { noWatch.reload(program); s.frame() } // warm up
    const heap0 = heapMB()
    const live0 = d.liveResources
    const vaos0 = d.pipelineInfo(s.pipeline).vaos.length
    for (let i = 0; i < 100; i++) {
      Fs.writeFileSync(frag, FS(i, 255 - i, 7))
      noWatch.reload(program)
      s.frame()
    }
    const heap1 = heapMB()
    const live1 = d.liveResources
    const vaos1 = d.pipelineInfo(s.pipeline).vaos.length
    noWatch.close()

    // ---- PNG texture: save to new pixels and 100 reloads
    const solid = (w, h, r, g, b) => encodePNG(new Uint8Array(w * h * 4).map((_, k) => [r, g, b, 255][k % 4]), w, h)
    Fs.writeFileSync(png, solid(4, 4, 0, 0, 0))
    const assets = createAssetHost({ device: d })
    const texture = assets.createTexture({ file: png, minFilter: 'nearest', magFilter: 'nearest' })
    const ts = scene(d, d.createProgram({ vertex: VS, fragment: TEX_FS }), [texture])
    ts.frame()
    const pngPixels = []
    for (let i = 1; i <= saves; i++) {
      const r = (i * 53) & 255, g = 99, b = (i * 29) & 255
      await sleep(5)
      const t0 = performance.now()
      Fs.writeFileSync(png, solid(64 + (i & 1) * 64, 64, r, g, b)) // the size changes every other save
      pngPixels.push(await untilPixels(ts, (r << 16) | (g << 8) | b, t0))
    }
    const texLive0 = d.liveResources.textures
    const texHeap0 = heapMB()
    for (let i = 0; i < 100; i++) {
      Fs.writeFileSync(png, solid(64, 64, i, i, i))
      assets.reload(texture)
      ts.frame()
    }
    const texHeap1 = heapMB()
    const texLive1 = d.liveResources.textures
    assets.close()

    engine.destroy()
    const app = await runAppReloads({ dir, saves, heapMB })
    const wp = stats(app.workerPixels), rp = stats(app.renderPixels), we = stats(app.workerEventMs), re = stats(app.renderEventMs)
    const sp = stats(savePixels), sw = stats(swapMs), dr = stats(direct), pp = stats(pngPixels)
    const gcNote = globalThis.gc ? 'after gc()' : 'without --expose-gc (no forced gc: noisier)'
    let md = `Save to new pixels: the benchmark writes the file, then renders a 16x16 headless frame about every ` +
      `millisecond until the read-back shows the colour of the new version (${saves} saves of each kind, a new colour each; ` +
      'the watcher\'s default 30 ms debounce after the last file event is included). Goal: p50 <= 100 ms, p99 <= 250 ms. ' +
      'Floor in the same run: the same recompile, swap and frame without the watcher (`shaderHost.reload()`).\n\n'
    md += '| what | p50 ms | p99 ms | max ms | n | goal |\n|---|---:|---:|---:|---:|---|\n'
    md += `| shader: save → new pixels | ${f1(sp.p50)} | ${f1(sp.p99)} | ${f1(sp.max)} | ${sp.n} | ${sp.p50 <= 100 && sp.p99 <= 250 ? 'met' : 'missed'} |\n`
    md += `| shader: first file event → swapped (from the reload event) | ${f1(sw.p50)} | ${f1(sw.p99)} | ${f1(sw.max)} | ${sw.n} | |\n`
    md += `| shader: read + compile + swap + frame, no watcher (floor) | ${f1(dr.p50)} | ${f1(dr.p99)} | ${f1(dr.max)} | ${dr.n} | |\n`
    md += `| PNG texture: save → new pixels (64x64 / 128x64) | ${f1(pp.p50)} | ${f1(pp.p99)} | ${f1(pp.max)} | ${pp.n} | ${pp.p50 <= 100 && pp.p99 <= 250 ? 'met' : 'missed'} |\n`
    md += `| logic worker: save → new pixels (engine.hot; the render module draws the worker's colour) | ${f1(wp.p50)} | ${f1(wp.p99)} | ${f1(wp.max)} | ${wp.n} | ${wp.p50 <= 100 && wp.p99 <= 250 ? 'met' : 'missed'} |\n`
    md += `| logic worker: first file event → new version stepping (from the reload event) | ${f1(we.p50)} | ${f1(we.p99)} | ${f1(we.max)} | ${we.n} | |\n`
    md += `| render module: save → new pixels (engine.hot) | ${f1(rp.p50)} | ${f1(rp.p99)} | ${f1(rp.max)} | ${rp.n} | ${rp.p50 <= 100 && rp.p99 <= 250 ? 'met' : 'missed'} |\n`
    md += `| render module: first file event → set up (from the reload event) | ${f1(re.p50)} | ${f1(re.p99)} | ${f1(re.max)} | ${re.n} | |\n`
    const c = app.counter
    md += `\nNo state lost: a counter the logic worker increments in the shared state, read by the render module each frame, ` +
      `was checked across every one of ${c.reloads} worker and render reloads (the saves above and the 100-reload runs below): ` +
      `${c.continued ? 'it never went back and the worker never restarted' : 'it WENT BACK or the worker restarted'} (${c.first} → ${c.last}).\n`
    md += `\n100 reloads in a row (each followed by a frame; heap ${gcNote}):\n\n`
    md += '| what | heap before MB | heap after MB | programs | pipelines | textures | buffers | pipeline VAOs |\n|---|---:|---:|---|---|---|---|---|\n'
    md += `| shader | ${heap0.toFixed(2)} | ${heap1.toFixed(2)} | ${live0.programs} → ${live1.programs} | ${live0.pipelines} → ${live1.pipelines} | ` +
      `${live0.textures} → ${live1.textures} | ${live0.buffers} → ${live1.buffers} | ${vaos0} → ${vaos1} |\n`
    md += `| PNG texture | ${texHeap0.toFixed(2)} | ${texHeap1.toFixed(2)} | | | ${texLive0} → ${texLive1} | | |\n`
    const row = (what, [a, b]) => `| ${what} | ${a.heap.toFixed(2)} | ${b.heap.toFixed(2)} | ${a.live.programs} → ${b.live.programs} | ${a.live.pipelines} → ${b.live.pipelines} | ` +
      `${a.live.textures} → ${b.live.textures} | ${a.live.buffers} → ${b.live.buffers} | |\n`
    md += row('logic worker (main-thread heap; the module records live in the worker)', app.flat.worker)
    md += row('render module (a rect batcher and a program from files per version)', app.flat.render)
    return { title: 'Hot reload: shaders, PNG textures, logic workers, the render module', markdown: md }
  } finally {
    setLogger(null)
    clearInterval(keepAlive)
    engine.destroy()
    Fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await run({ quick: process.argv.includes('--quick') })
  console.log(markdown)
}
