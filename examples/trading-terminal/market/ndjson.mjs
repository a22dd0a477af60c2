// Market data as NDJSON, one event a line, so a recorded session replays through the same sink as
// the live simulator:
//   {"t":12.5,"e":"L","s":0,"p":9999,"q":14}     a level's new total size (s: 0 bid, 1 ask; p in ticks)
//   {"t":12.5,"e":"T","p":10001,"q":3,"d":1}     a trade (d: +1 buyer lifted the ask, −1 seller hit the bid)
// t is milliseconds from the start of the recording.
import Fs from 'node:fs'

/** A sink that writes every event as an NDJSON line (for recording a sample file). */
export function ndjsonRecorder(clock) {
  const lines = []
  return {
    lines,
    level: (side, tick, size) => lines.push(JSON.stringify({ t: round(clock()), e: 'L', s: side, p: tick, q: size })),
    trade: (t, tick, size, dir) => lines.push(JSON.stringify({ t: round(t), e: 'T', p: tick, q: size, d: dir })),
  }
}

const round = (t) => Math.round(t * 1000) / 1000

/** Records `ms` of an exchange (its book first, then every event) as NDJSON text. */
export function recordSession(exchange, ms, stepMs = 1) {
  const rec = ndjsonRecorder(() => exchange.timeMs)
  exchange.snapshot(rec)
  for (let t = 0; t < ms; t += stepMs) exchange.advance(stepMs, rec)
  return rec.lines.join('\n') + '\n'
}

/** Replays an NDJSON recording: `advance(dtMs, sink)` delivers the events whose time has come. */
export class Replay {
  constructor(text, { loop = true } = {}) {
    this.events = text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
      let e
      try {
        e = JSON.parse(line)
      } catch (err) {
        throw new Error(`market replay: line ${i + 1} is not JSON (${err.message}); each line must be one event object`)
      }
      if ((e.e !== 'L' && e.e !== 'T') || !Number.isFinite(e.t) || !Number.isFinite(e.p) || !Number.isFinite(e.q)) {
        throw new Error(`market replay: line ${i + 1} is not a level or trade event: ${line.slice(0, 80)}`)
      }
      return e
    })
    if (this.events.length === 0) throw new Error('market replay: the file holds no events')
    this.loop = loop
    this.next = 0
    this.timeMs = 0
    this.offset = 0 // added to event times on each loop
    this.duration = this.events[this.events.length - 1].t + 1
  }

  static fromFile(path, opts) {
    return new Replay(Fs.readFileSync(path, 'utf8'), opts)
  }

  advance(dtMs, sink) {
    this.timeMs += dtMs
    for (;;) {
      if (this.next === this.events.length) {
        if (!this.loop) return
        this.next = 0
        this.offset += this.duration
      }
      const e = this.events[this.next]
      if (e.t + this.offset > this.timeMs) return
      this.next++
      if (e.e === 'L') sink.level(e.s, e.p, e.q)
      else sink.trade(e.t + this.offset, e.p, e.q, e.d)
    }
  }
}
