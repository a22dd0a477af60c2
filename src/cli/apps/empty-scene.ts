#!/usr/bin/env node
/**
 * The empty scene: a framelatch `runApp` that draws nothing of its own (800x600, all the shared
 * app flags). With `--latency-probe` it is what `framelatch bench` and the latency benchmark
 * measure as "framelatch, empty scene": the engine's own cost between input and pixels.
 *
 *   node dist/cli/apps/empty-scene.js --latency-probe --mode low-latency
 */
import { runApp } from '../../engine/app.js'

await runApp({ title: 'framelatch: empty scene', setup() {} })
