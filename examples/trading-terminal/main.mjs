#!/usr/bin/env node
// framelatch's flagship example: a real-time trading terminal. An order book (2 × 50 levels with
// size and depth bars, tick grouping, flashes), a depth chart, a price chart over a million
// trades (candles, M4-decimated line, volume; drag to pan, wheel to zoom, crosshair), a trade
// tape (virtual-scrolled, flashing) and a header with the frame HUD. Market data comes from a
// logic worker through the engine's shared state: a seeded exchange simulator (≥ 2,000 order
// updates a second) or a replayed NDJSON recording.
//
//   node examples/trading-terminal/main.mjs                       # a window, live simulated feed
//   node examples/trading-terminal/main.mjs --seed 7              # another market
//   node examples/trading-terminal/main.mjs --replay examples/trading-terminal/market/sample.ndjson
//   node examples/trading-terminal/main.mjs --headless --frames 60 --sync-feed --screenshot t.png --json
//
// Terminal flags (the shared app flags of runApp come after or between them):
//   --seed N         exchange seed (default 1); also seeds the generated history
//   --replay FILE    replay an NDJSON recording instead of the simulator (format: market/ndjson.mjs)
//   --sync-feed      step the feed on the render thread, 1/60 s of market time a frame, so the same
//                    seed and frame count give the same picture (the reference test uses this)
//   --history N      trades generated before the session opens (default 1,000,000)
//   --rate N         simulator order events a second (default 4000)
//   --damage         damage-aware: panels are engine panels redrawn only when they changed (see
//                    terminal.mjs; at a live 2,000 updates/s nearly every panel changes every frame
//                    and the canvas copy makes it dearer, so the default records every panel)
//
// Keys: [ ] or - = tick grouping · L chart mode (candles, line, both) · End live chart ·
// Up/Down/PageUp/PageDown/Home scroll the tape. Mouse: drag the chart to pan, wheel to zoom;
// wheel over the tape scrolls it.
import Path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runApp, createSharedState, ErrorCode, ValidationError } from 'framelatch'
import { marketSchema } from './market/schema.mjs'
import { TradeStore } from './market/trade-store.mjs'
import { loadHistory } from './market/history-worker.mjs'
import { SESSION_OPEN, createSyncFeed } from './feed.mjs'
import { createTerminal } from './terminal.mjs'
import { CLEAR_COLOR, GUTTER_COLOR } from './kit.mjs'

const here = Path.dirname(fileURLToPath(import.meta.url))
const FRAME_MS = 1000 / 60

/** Splits the terminal's own flags from the shared app flags. */
export function parseTerminalArgs(argv) {
  const opts = { seed: 1, replay: null, syncFeed: false, history: 1_000_000, rate: 4000, damage: false }
  const rest = []
  const num = (flag, v, min) => {
    const n = Number(v)
    if (v === undefined || !Number.isInteger(n) || n < min) {
      throw new ValidationError(ErrorCode.CLI_USAGE, `${flag} needs an integer >= ${min}, got ${v ?? 'nothing'}`)
    }
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--seed') opts.seed = num(a, argv[++i], 0)
    else if (a === '--history') opts.history = num(a, argv[++i], 1)
    else if (a === '--rate') opts.rate = num(a, argv[++i], 1)
    else if (a === '--sync-feed') opts.syncFeed = true
    else if (a === '--damage') opts.damage = true
    else if (a === '--replay') {
      const f = argv[++i]
      if (!f) throw new ValidationError(ErrorCode.CLI_USAGE, '--replay needs an NDJSON file')
      opts.replay = Path.resolve(f)
    } else rest.push(a)
  }
  return { opts, rest }
}

/**
 * The app for runApp. `onReady(terminal, engine)` is called after setup (tests and the
 * benchmark use it to reach the panels).
 */
export function terminalApp(opts, onReady = null) {
  const state = createSharedState(marketSchema)
  // The history is generated on a worker from now on, while the engine starts (runApp creates
  // it after this returns); setup waits for it. Room for 2^18 live trades before the columns grow.
  // FRAMELATCH_STARTUP_MARK=1 (the cold-start benchmark): when the history arrived and setup began.
  const markAt = process.env.FRAMELATCH_STARTUP_MARK === '1' ? (name, ms) => process.stdout.write(`@@phase ${name} ${ms.toFixed(1)}\n`) : () => {}
  const mark = (name) => markAt(name, performance.now())
  const history = loadHistory({ seed: opts.seed, count: opts.history, endTime: SESSION_OPEN, endTick: 10_000, capacity: opts.history + (1 << 18) })
  // `historyPosted`: when the worker sent it (its clock moved to this thread's), which may be before
  // this thread is free to take the message (`history`).
  history.then((h) => {
    mark('history')
    if (h.postedAt !== undefined) markAt('historyPosted', h.postedAt - performance.timeOrigin)
  }, () => {}) // a failure is reported by setup's await
  let sync = null
  let terminal = null
  return {
    title: 'framelatch: trading terminal',
    width: 1280,
    height: 720,
    // Damage-aware, the panels are cleared to their own colour and the clear colour shows only
    // in the gutters between them; redrawing everything, the clear is the panels' colour.
    engine: { clearColor: opts.damage === true ? GUTTER_COLOR : CLEAR_COLOR, state },
    async setup(engine) {
      mark('setup')
      const store = new TradeStore(1024)
      store.adopt(await history)
      const data = { seed: opts.seed, ratePerSec: opts.rate, replay: opts.replay ?? undefined }
      const feedLabel = opts.replay ? `replay ${Path.basename(opts.replay)}` : `sim seed ${opts.seed}${opts.syncFeed ? ' (sync)' : ''}`
      terminal = createTerminal(engine, {
        store, feedLabel, damage: opts.damage === true,
        clock: opts.syncFeed ? (f) => f.index * FRAME_MS : (f) => f.timeMs,
      })
      let feedError = null
      if (opts.syncFeed) {
        sync = createSyncFeed(state, data, FRAME_MS)
        sync.step() // the first frame already has a book
      }
      // The live feed's logic worker starts once the first frame is on screen, not before: its
      // thread loads its own copy of the modules (a few hundred ms of CPU, which on two cores
      // delays the first frame), and the first frames draw the chart and the tape from the history
      // meanwhile; the book and the depth chart fill in with the worker's first snapshot. A failed
      // start stops the app at the next frame. Its steps allocate almost nothing: a 2 MB young
      // generation instead of the default saves about 5 MB of RSS.
      let feedStarted = opts.syncFeed
      const startFeed = () => {
        if (engine.destroyed || !engine.isRunning) return
        engine.startLogic({ module: pathToFileURL(Path.join(here, 'market', 'feed-worker.mjs')), hz: 240, data, resourceLimits: { maxYoungGenerationSizeMb: 2 } })
          .catch((e) => { feedError = e })
      }
      engine.onFrame((f) => {
        if (feedError !== null) throw feedError
        terminal.frame(f)
        if (sync !== null) sync.step() // read by the next frame
        if (!feedStarted) {
          feedStarted = true
          setImmediate(startFeed) // after this frame is presented
        }
      })
      mark('ready')
      onReady?.(terminal, engine)
    },
  }
}

/** Runs the terminal with command-line flags; resolves with runApp's summary. */
export async function runTerminal(argv = process.argv.slice(2), onReady = null) {
  const { opts, rest } = parseTerminalArgs(argv)
  return runApp(terminalApp(opts, onReady), rest)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runTerminal()
