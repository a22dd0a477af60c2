// Pacing error at 60 Hz: how far each frame starts from the time it was meant to start.
// Compared in the same run, one after another, each loop doing the same 2 ms of busy work a frame:
//   - the framelatch ticker (paced mode, precise wait, free-running at hz: 60),
//   - the same ticker locked to the X server's Present vblank clock (when a display is there),
//   - a drift-corrected setTimeout loop (each frame sleeps until t0 + n·period),
//   - a setInterval(1000 / 60) loop.
// Error = |actual start − target start|, targets on the loop's 60 Hz grid. Also reported: the
// spread of start-to-start intervals around the period (insensitive to drift), and CPU time a
// frame (the price of the precise wait's blocking and spinning).
// Run directly: node benchmarks/pacing.bench.mjs [--quick]
import { createTicker } from '../../dist/sync/ticker/ticker.js'
import { createVblankSource } from '../../dist/platform/vblank-source.js'
import { nowMs } from '../../dist/clock.js'

const PERIOD = 1000 / 60
const WORK_MS = 2
const CHUNK = 60 // frames per loop per round; rounds interleave the loops so they share the machine's noise
const SKIP = 3 // frames skipped at the start of each chunk (each loop restarts there)

function busy(ms) {
  const end = nowMs() + ms
  while (nowMs() < end) {
    // the frame's work
  }
}

/** Accumulates one loop's figures over its chunks. */
function createAcc(name) {
  return { name, errors: [], dev: [], cpuUs: 0, frames: 0, dropped: 0 }
}

function record(acc, errors, starts, cpu, frames) {
  acc.errors.push(...errors.map(Math.abs))
  for (let i = 1; i < starts.length; i++) acc.dev.push(Math.abs(starts[i] - starts[i - 1] - PERIOD))
  acc.cpuUs += cpu.user + cpu.system
  acc.frames += frames
}

function summarize(acc) {
  const abs = acc.errors.slice().sort((a, b) => a - b)
  const dev = acc.dev.slice().sort((a, b) => a - b)
  const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))]
  return {
    name: acc.name, n: abs.length, p50: q(abs, 0.5), p99: q(abs, 0.99), max: abs[abs.length - 1],
    intervalP99: q(dev, 0.99), cpuMsPerFrame: acc.cpuUs / 1000 / acc.frames, dropped: acc.dropped,
  }
}

async function tickerChunk(acc, ticker) {
  const errors = []
  const starts = []
  let dropped = 0
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < CHUNK; i++) {
    const f = await ticker.waitForFrame()
    // The first frame of a round skips the vblanks that passed while the other loops ran.
    if (i > 0) dropped += f.dropped
    if (i >= SKIP) {
      errors.push(f.actualStartMs - f.targetStartMs)
      starts.push(f.actualStartMs)
    }
    busy(WORK_MS)
    ticker.frameEnd()
  }
  record(acc, errors, starts, process.cpuUsage(cpu0), CHUNK)
  acc.dropped += dropped
}

function setTimeoutChunk(acc) {
  return new Promise((resolve) => {
    const errors = []
    const starts = []
    const t0 = nowMs() + PERIOD
    let n = 0
    const cpu0 = process.cpuUsage()
    const frame = () => {
      const s = nowMs()
      if (n >= SKIP) {
        errors.push(s - (t0 + n * PERIOD))
        starts.push(s)
      }
      busy(WORK_MS)
      n++
      if (n >= CHUNK) {
        record(acc, errors, starts, process.cpuUsage(cpu0), CHUNK)
        return resolve()
      }
      setTimeout(frame, Math.max(0, t0 + n * PERIOD - nowMs()))
    }
    setTimeout(frame, Math.max(0, t0 - nowMs()))
  })
}

/** The floor this machine allows: busy-wait (100% CPU) to each target on the 60 Hz grid. */
function spinChunk(acc) {
  const errors = []
  const starts = []
  const t0 = nowMs() + PERIOD
  const cpu0 = process.cpuUsage()
  for (let n = 0; n < CHUNK; n++) {
    const target = t0 + n * PERIOD
    while (nowMs() < target) {
      // spin
    }
    const s = nowMs()
    if (n >= SKIP) {
      errors.push(s - target)
      starts.push(s)
    }
    busy(WORK_MS)
  }
  record(acc, errors, starts, process.cpuUsage(cpu0), CHUNK)
}

/** How often the OS (or hypervisor) takes the CPU away: gaps in a tight clock-reading loop. */
function preemption(ms) {
  let last = nowMs()
  const end = last + ms
  let gaps = 0
  let max = 0
  for (;;) {
    const t = nowMs()
    if (t > end) break
    const g = t - last
    if (g > 0.2) gaps++
    if (g > max) max = g
    last = t
  }
  return { gaps, max }
}

function setIntervalChunk(acc) {
  return new Promise((resolve) => {
    const errors = []
    const starts = []
    let n = 0
    let t0 = 0
    const cpu0 = process.cpuUsage()
    const iv = setInterval(() => {
      const s = nowMs()
      if (n === 0) t0 = s // the grid starts at the first tick
      if (n >= SKIP) {
        errors.push(s - (t0 + n * PERIOD))
        starts.push(s)
      }
      busy(WORK_MS)
      n++
      if (n >= CHUNK) {
        clearInterval(iv)
        record(acc, errors, starts, process.cpuUsage(cpu0), CHUNK)
        resolve()
      }
    }, PERIOD)
  })
}

const f2 = (x) => x.toFixed(2)
const f3 = (x) => x.toFixed(3)

export async function run({ quick = false } = {}) {
  const rounds = quick ? 3 : 10
  const frames = rounds * CHUNK
  const accTicker = createAcc('framelatch ticker (paced, hz 60)')
  const accPresent = createAcc('framelatch ticker locked to X Present vblanks')
  const accTimeout = createAcc('setTimeout loop (drift-corrected)')
  const accInterval = createAcc('setInterval(1000 / 60) loop')
  const accSpin = createAcc('floor: busy-wait to each target (100% CPU)')
  const ticker = createTicker({ hz: 60 })
  let src = null
  let present = null
  let note = ''
  if (process.env.DISPLAY) {
    try {
      src = createVblankSource()
      await src.start()
      present = createTicker({ hz: 60, vblank: src })
    } catch (err) {
      src = null
      note = ` The Present-locked row is missing: ${err.code ?? ''} ${err.message}.`
    }
  } else {
    note = ' No DISPLAY, so no Present-locked row.'
  }
  try {
    for (let r = 0; r < rounds; r++) {
      await tickerChunk(accTicker, ticker)
      if (present) await tickerChunk(accPresent, present)
      await setTimeoutChunk(accTimeout)
      await setIntervalChunk(accInterval)
      spinChunk(accSpin)
    }
  } finally {
    await src?.stop()
  }
  const pre = preemption(quick ? 1000 : 3000)
  const rows = [accTicker, ...(present ? [accPresent] : []), accTimeout, accInterval, accSpin].map(summarize)
  const base = rows[0]
  const st = rows.find((r) => r.name.startsWith('setTimeout'))
  const lines = [
    `Frame-start error |actual − target| at 60 Hz, ${frames} frames per loop, each loop doing ${WORK_MS} ms of busy ` +
      `work a frame. The loops take turns in rounds of ${CHUNK} frames (first ${SKIP} of each round not counted) so ` +
      'they share the machine\'s background load. Targets: the ticker\'s own `targetStartMs`; the 60 Hz grid ' +
      'for the timer loops (setInterval truncates 16.667 ms to whole milliseconds, so it drifts off that grid). ' +
      '"interval p99": 99th percentile of |start-to-start interval − 16.667 ms|, which drift does not affect. ' +
      `"CPU/frame": user+system CPU time a frame, the 2 ms of work included. Ratios: each loop's p99 over the ticker's.${note}`,
    '',
    '| loop | p50 (ms) | p99 (ms) | max (ms) | interval p99 (ms) | CPU/frame (ms) | p99 vs ticker |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    lines.push(`| ${r.name} | ${f3(r.p50)} | ${f3(r.p99)} | ${f2(r.max)} | ${f3(r.intervalP99)} | ${f2(r.cpuMsPerFrame)} | ` +
      `${r === base ? '1x' : f2(r.p99 / base.p99) + 'x'} |`)
  }
  lines.push('')
  const floor = rows.find((r) => r.name.startsWith('floor'))
  lines.push(`The setTimeout loop's p99 is ${f2(st.p99 / base.p99)}x the ticker's (goal: at least 10x); the ticker's p99 is ` +
    `${f2(base.p99 / floor.p99)}x that of a loop that burns a whole core spinning to each target, the best any user-space ` +
    `loop can do here. This machine takes the CPU away from a running process: a ${quick ? 1 : 3} s loop reading the ` +
    `clock saw ${pre.gaps} gaps over 0.2 ms, the longest ${f2(pre.max)} ms, and every loop's p99 inherits those gaps. ` +
    `Vblanks the tickers skipped (late frames): ${rows.filter((r) => r.name.startsWith('framelatch')).map((r) => r.dropped).join(' / ')}.`)
  return { title: 'Frame pacing at 60 Hz: framelatch ticker vs setTimeout vs setInterval', markdown: lines.join('\n') }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const r = await run({ quick: process.argv.includes('--quick') })
  console.log(r.markdown)
  process.exit(0)
}
