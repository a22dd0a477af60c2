/**
 * A replaceable logger for warnings that do not stop the program (pool growth, skipped draws,
 * missing optional features). Errors are thrown, never only logged.
 */

export type LogLevel = 'info' | 'warn' | 'error'

export interface Logger {
  (level: LogLevel, code: string, message: string): void
}

const defaultLogger: Logger = (level, code, message) => {
  const line = `framelatch: [${code}] ${message}`
  if (level === 'info') console.log(line)
  else console.warn(line)
}

let current: Logger = defaultLogger

/** Replace the logger (pass `null` to restore the default, which writes to the console). */
export function setLogger(logger: Logger | null): void {
  current = logger ?? defaultLogger
}

export function log(level: LogLevel, code: string, message: string): void {
  current(level, code, message)
}

/** Log a warning once per `key` for the life of the process (for per-frame conditions). */
const warnedKeys = new Set<string>()
export function warnOnce(key: string, code: string, message: string): void {
  if (warnedKeys.has(key)) return
  warnedKeys.add(key)
  current('warn', code, message)
}
