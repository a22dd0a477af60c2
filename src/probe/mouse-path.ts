/**
 * Mouse paths that move like a hand: a timed list of points from a polyline, eased (slow start,
 * slow stop) and, for 'bezier', bent sideways along a cubic Bézier whose bend comes from a seeded
 * generator so a path can be replayed. Pure math, no X11.
 */
import { mulberry32Float } from '../random.js'

export type PathCurve = 'linear' | 'ease' | 'bezier'

export interface PathPoint {
  x: number
  y: number
}

/** A point to send and when, ms after the path starts. */
export interface TimedPoint extends PathPoint {
  atMs: number
}

export interface PathPlanDesc {
  durationMs: number
  rateHz: number
  curve: PathCurve
  seed: number
}

/** Smoothstep-like ease-in-out (cubic): 0 → 0, 1 → 1, zero slope at both ends. */
export function easeInOut(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2
}

/**
 * Plans the motion events along `points`: the duration is shared between segments by length,
 * each segment eased ('ease', 'bezier') or not ('linear'); 'bezier' bends each segment by up to
 * a fifth of its length. The last point is always exactly the polyline's end; with
 * `durationMs` 0 the plan is that one point.
 */
export function planPath(points: readonly PathPoint[], desc: PathPlanDesc): TimedPoint[] {
  const end = points[points.length - 1]!
  if (desc.durationMs <= 0 || points.length < 2) return [{ x: end.x, y: end.y, atMs: 0 }]
  const rand = mulberry32Float(desc.seed)
  const lengths: number[] = []
  let total = 0
  for (let i = 1; i < points.length; i++) {
    const l = Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y)
    lengths.push(l)
    total += l
  }
  const out: TimedPoint[] = []
  let t0 = 0
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!
    const b = points[i]!
    const segMs = total > 0 ? (desc.durationMs * lengths[i - 1]!) / total : desc.durationMs / (points.length - 1)
    const n = Math.max(1, Math.round((segMs * desc.rateHz) / 1000))
    // Control points a third and two thirds along, pushed sideways (same side) by a random bend.
    const dx = b.x - a.x
    const dy = b.y - a.y
    const bend = desc.curve === 'bezier' ? (rand() * 2 - 1) * 0.2 : 0
    const c1 = { x: a.x + dx / 3 - dy * bend, y: a.y + dy / 3 + dx * bend }
    const c2 = { x: a.x + (2 * dx) / 3 - dy * bend, y: a.y + (2 * dy) / 3 + dx * bend }
    for (let k = 1; k <= n; k++) {
      const u = desc.curve === 'linear' ? k / n : easeInOut(k / n)
      const v = 1 - u
      const x = v * v * v * a.x + 3 * v * v * u * c1.x + 3 * v * u * u * c2.x + u * u * u * b.x
      const y = v * v * v * a.y + 3 * v * v * u * c1.y + 3 * v * u * u * c2.y + u * u * u * b.y
      out.push({ x: k === n ? b.x : x, y: k === n ? b.y : y, atMs: t0 + (segMs * k) / n })
    }
    t0 += segMs
  }
  return out
}
