#!/usr/bin/env node
// Hot reload: a full-screen shader read from examples/hot-shader.frag, drawn by a render module
// (examples/hot-shader-render.mjs), with a logic worker (examples/hot-shader-logic.mjs) counting
// in the shared state. Run it with hot reload, then edit and save any of those files:
//
//   framelatch dev examples/hot-shader.mjs                 # or: node examples/hot-shader.mjs --hot
//   node examples/hot-shader.mjs --headless --frames 10 --screenshot out.png --json
//
// Without --hot the same files are read once and nothing is watched.
import { pathToFileURL } from 'node:url'
import { runApp, createSharedState, defineStateSchema } from 'framelatch'

/** What the logic worker writes and the render module reads. */
export const schema = defineStateSchema({ steps: 'f64', wave: 'f64', versions: 'f64' })

/** The app (`framelatch dev` runs this AppDesc with --hot). */
export const app = {
  title: 'framelatch: hot shader',
  width: 320,
  height: 200,
  engine: { clearColor: [0, 0, 0, 1], state: createSharedState(schema) },
  module: new URL('./hot-shader-render.mjs', import.meta.url),
  async setup(engine) {
    await engine.startLogic({ module: new URL('./hot-shader-logic.mjs', import.meta.url), hz: 120 })
  },
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runApp(app)
