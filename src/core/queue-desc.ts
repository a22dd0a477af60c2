/**
 * What `createQueue` takes: the sizes a draw queue preallocates, its transient ring's strategy
 * and its checking, with their defaults (applied by DrawQueue in queue.ts).
 */
import { descKeys } from '../check.js'

export interface QueueDesc {
  /** Commands (after merging consecutive records) held before the pool grows. Default 4096. */
  capacity?: number
  /** Payload floats held before the pool grows. Default 262144 (1 MB). */
  payloadCapacity?: number
  /** Transient ring bytes per buffer. Default: `payloadCapacity * 4`. */
  ringSize?: number
  /** Transient ring strategy, 'orphan' (default) or 'rotate' (see transient-ring.ts). */
  ringStrategy?: 'orphan' | 'rotate'
  /** Validate every record and throw coded errors. Default: the device's `debug`. */
  debug?: boolean
  /** Used in warnings and errors. Default 'draw queue'. */
  label?: string
}

export const QUEUE_KEYS = descKeys<QueueDesc>({ capacity: true, payloadCapacity: true, ringSize: true, ringStrategy: true, debug: true, label: true })
