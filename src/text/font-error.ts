/**
 * The one way the text module reports an unusable font: a `ValidationError` with code FONT_LOAD
 * whose message names the problem and says what to do instead.
 */
import { ErrorCode, ValidationError } from '../errors.js'

export function fontError(message: string, details?: Record<string, unknown>): ValidationError {
  return new ValidationError(ErrorCode.FONT_LOAD, message, details)
}
