/**
 * Debug-mode GL: every method call is followed by getError, and a non-zero error throws a
 * GLCallError naming the call. Only engines created with `debug: true` pay for this.
 */
import { GLCallError } from '../errors.js'
import type { GL } from './types.js'

const GL_ERROR_NAMES: Record<number, string> = {
  0x0500: 'INVALID_ENUM', 0x0501: 'INVALID_VALUE', 0x0502: 'INVALID_OPERATION', 0x0505: 'OUT_OF_MEMORY',
  0x0506: 'INVALID_FRAMEBUFFER_OPERATION', 0x9242: 'CONTEXT_LOST_WEBGL',
}

/** Wraps `gl` so every method call is followed by getError; throws naming the call that failed. */
export function debugGL(gl: GL): GL {
  const cache = new Map<PropertyKey, unknown>()
  return new Proxy(gl, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop)
      if (typeof value !== 'function') return value
      const method = value as (this: GL, ...args: unknown[]) => unknown
      if (prop === 'getError') return method.bind(target)
      let wrapped = cache.get(prop)
      if (!wrapped) {
        wrapped = (...args: unknown[]): unknown => {
          const result = method.apply(target, args)
          const err = target.getError()
          if (err !== 0) throw new GLCallError(String(prop), err, GL_ERROR_NAMES[err] ?? 'UNKNOWN')
          return result
        }
        cache.set(prop, wrapped)
      }
      return wrapped
    },
  })
}
