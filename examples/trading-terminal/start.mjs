#!/usr/bin/env node
// `npm start`: the trading terminal in a window when a display is reachable; otherwise headless for
// a few seconds (300 frames, the live feed in its logic worker), writing a screenshot to
// trading-terminal.png and printing a summary. Any flags are passed on (see main.mjs).
import Path from 'node:path'
import { checkDisplay } from 'framelatch/low-level'
import { runTerminal } from './main.mjs'

let windowed = true
try {
  checkDisplay()
} catch {
  windowed = false
}
const argv = process.argv.slice(2)
if (windowed) {
  await runTerminal(argv)
} else {
  const shot = Path.resolve('trading-terminal.png')
  console.log('no display: running the terminal headless for 300 frames (starting Xvfb)…')
  const s = await runTerminal(['--headless', '--frames', '300', '--screenshot', shot, ...argv])
  const span = (name) => s.trace.spans[name]
  const f2 = (v) => (v === null || v === undefined ? '-' : v.toFixed(2))
  const cost = ['record', 'flush', 'swap'].map((n) => `${n} p50 ${f2(span(n).p50)} / p99 ${f2(span(n).p99)} ms`).join(', ')
  console.log(`trading terminal: ${s.frames} frames at ${s.width}x${s.height} (headless)`)
  console.log(`  ${cost}`)
  console.log(`  GL draw calls in the last frame ${s.queue.glDrawCalls}, queue draws ${s.queue.draws}`)
  console.log(`  screenshot: ${shot}`)
}
