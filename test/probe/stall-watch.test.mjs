// The stall watch (src/probe/stall-watch.ts): a thread that sleeps 1 ms at a time records the
// intervals it did not run. A real stall is made by stopping this whole process (SIGSTOP from a
// child, SIGCONT 150 ms later); which samples a stall overlaps is checked on made-up samples.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { StallWatch, stallReport } from '../../dist/probe/stall-watch.js'
import { ErrorCode } from '../../dist/errors.js'

const mono = () => Number(process.hrtime.bigint()) / 1e6

test('a process stopped for 150 ms is one stall of about that length, inside the stop', async () => {
  const watch = new StallWatch({ thresholdMs: 20 })
  await watch.start()
  const before = mono()
  const child = spawn('sh', ['-c', `kill -STOP ${process.pid}; sleep 0.15; kill -CONT ${process.pid}`], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  const after = mono()
  const record = await watch.stop()
  const long = record.stalls.filter((s) => s.endMonoMs - s.startMonoMs >= 100)
  assert.is(long.length, 1, JSON.stringify(record.stalls))
  assert.ok(long[0].endMonoMs - long[0].startMonoMs < after - before, 'no longer than the stop')
  assert.ok(long[0].startMonoMs >= before && long[0].endMonoMs <= after, 'on the samples\' clock (CLOCK_MONOTONIC), within the stop')
  assert.is(record.dropped, 0)
})

test('a watch that saw nothing returns no stalls; stop() is idempotent', async () => {
  const watch = new StallWatch({ thresholdMs: 500 })
  await watch.start()
  await new Promise((r) => setTimeout(r, 30))
  assert.equal((await watch.stop()).stalls, [])
  assert.equal((await watch.stop()).stalls, [])
})

const sample = (index, inject, latency) => ({ index, injectMonoMs: inject, detectMonoMs: latency === null ? null : inject + latency, latencyMs: latency, resolutionMs: 0.5, polls: 3 })

test('stallReport: samples whose inject→detect interval overlaps a stall are set apart', () => {
  const samples = [sample(0, 100, 3), sample(1, 200, 25), sample(2, 300, 4), sample(3, 400, 2), sample(4, 500, null)]
  const record = {
    thresholdMs: 4,
    dropped: 0,
    stalls: [
      { startMonoMs: 10, endMonoMs: 20 }, // before the first sample: not counted
      { startMonoMs: 210, endMonoMs: 222 }, // inside sample 1
      { startMonoMs: 298, endMonoMs: 301 }, // across sample 2's injection
      { startMonoMs: 402, endMonoMs: 409 }, // after sample 3 was seen: overlaps nothing
    ],
  }
  const r = stallReport(samples, record)
  assert.is(r.count, 3)
  assert.is(r.longestMs, 12)
  assert.equal(r.overlapping, [1, 2])
  assert.is(r.statsWithout.n, 3, 'samples 0, 3 and the timeout')
  assert.is(r.statsWithout.timeouts, 1)
  assert.is(r.statsWithout.max, 3)
})

test('bad settings are coded errors', () => {
  assert.throws(() => new StallWatch({ thresholdMs: 0 }), (e) => e.code === ErrorCode.INVALID_DESC)
  assert.throws(() => new StallWatch({ capacity: 0 }), (e) => e.code === ErrorCode.INVALID_DESC)
})

test.run()
