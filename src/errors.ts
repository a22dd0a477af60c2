/**
 * framelatch's error table: every error the library throws is a `FramelatchError` subclass whose
 * `code` comes from `ErrorCode` below. Codes are stable across releases; messages may improve.
 * A message always says what to do next and starts with the `framelatch:` prefix.
 *
 * This file is shared by `gl`, `sync` and `core`; it imports nothing from them.
 */

export const ErrorCode = {
  // Environment and native bindings
  NATIVE_GL_MISSING: 'FL_NATIVE_GL_MISSING',
  NATIVE_SDL_MISSING: 'FL_NATIVE_SDL_MISSING',
  NO_DISPLAY: 'FL_NO_DISPLAY',
  XVFB_FAILED: 'FL_XVFB_FAILED',
  CONTEXT_FAILED: 'FL_CONTEXT_FAILED',
  EXTENSION_MISSING: 'FL_EXTENSION_MISSING',

  // Descriptors and handles
  INVALID_DESC: 'FL_INVALID_DESC',
  INVALID_HANDLE: 'FL_INVALID_HANDLE',
  WRONG_HANDLE_KIND: 'FL_WRONG_HANDLE_KIND',
  RESOURCE_DESTROYED: 'FL_RESOURCE_DESTROYED',
  RESOURCE_FAILED: 'FL_RESOURCE_FAILED',
  POOL_EXHAUSTED: 'FL_POOL_EXHAUSTED',
  POOL_GREW: 'FL_POOL_GREW', // warning code (logged, not thrown): a pool grew past its preallocated capacity
  DATA_SIZE_MISMATCH: 'FL_DATA_SIZE_MISMATCH',
  OUT_OF_RANGE: 'FL_OUT_OF_RANGE',
  IMAGE_DECODE: 'FL_IMAGE_DECODE',

  // Shaders and programs
  SHADER_COMPILE: 'FL_SHADER_COMPILE',
  PROGRAM_LINK: 'FL_PROGRAM_LINK',
  UNKNOWN_ATTRIBUTE: 'FL_UNKNOWN_ATTRIBUTE',
  UNKNOWN_UNIFORM: 'FL_UNKNOWN_UNIFORM',

  // GL calls (debug mode)
  GL_ERROR: 'FL_GL_ERROR',
  FRAMEBUFFER_INCOMPLETE: 'FL_FRAMEBUFFER_INCOMPLETE',

  // Draw queue and uniform blocks
  INVALID_DRAW: 'FL_INVALID_DRAW',
  UNIFORM_SCHEMA: 'FL_UNIFORM_SCHEMA',
  UNIFORM_WRITE: 'FL_UNIFORM_WRITE',
  FONT_LOAD: 'FL_FONT_LOAD',

  // Sync: shared state, workers, ticker, input
  STATE_SCHEMA: 'FL_STATE_SCHEMA',
  STATE_WRITE: 'FL_STATE_WRITE',
  WORKER_LOAD: 'FL_WORKER_LOAD',
  WORKER_CRASHED: 'FL_WORKER_CRASHED',
  TICKER_CONFIG: 'FL_TICKER_CONFIG',
  VBLANK_UNAVAILABLE: 'FL_VBLANK_UNAVAILABLE',

  // Engine and CLI
  ENGINE_STATE: 'FL_ENGINE_STATE',
  CLI_USAGE: 'FL_CLI_USAGE',

  // Hot reload (issue 11)
  HOT_WATCH: 'FL_HOT_WATCH', // warning code (logged): a watched folder could not be watched or went away
  HOT_RELOAD: 'FL_HOT_RELOAD',

  // Probe and latency measurement (issue 8)
  XTEST_MISSING: 'FL_XTEST_MISSING',
  PROBE_NO_WINDOW: 'FL_PROBE_NO_WINDOW',
  PROBE_TARGET_EXITED: 'FL_PROBE_TARGET_EXITED',
  PROBE_TIMEOUT: 'FL_PROBE_TIMEOUT',

  // Text (issue 10)
  GLYPH_MISSING: 'FL_GLYPH_MISSING', // warning code (logged once per character): no font in the atlas's list has the glyph

  // Faults (issue 9): worker limits, shared-state roles, engine callbacks, display, resources
  WORKER_INIT_TIMEOUT: 'FL_WORKER_INIT_TIMEOUT',
  WORKER_STALLED: 'FL_WORKER_STALLED',
  WORKER_OUT_OF_MEMORY: 'FL_WORKER_OUT_OF_MEMORY',
  WORKER_CRASH_LOOP: 'FL_WORKER_CRASH_LOOP',
  STATE_ROLE: 'FL_STATE_ROLE',
  FRAME_CALLBACK: 'FL_FRAME_CALLBACK',
  DISPLAY_LOST: 'FL_DISPLAY_LOST',
  RESOURCE_TOO_LARGE: 'FL_RESOURCE_TOO_LARGE',
  FILE_WRITE: 'FL_FILE_WRITE',
  // issue 8 (latency): the X input doorbell that wakes the ticker's wait
  INPUT_DOORBELL_UNAVAILABLE: 'FL_INPUT_DOORBELL_UNAVAILABLE',
} as const

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

const PREFIX = 'framelatch: '

/** Base of every error framelatch throws. `code` is stable; test against it, not the message. */
export class FramelatchError extends Error {
  readonly code: ErrorCodeValue
  /**
   * Optional structured facts (field names, sizes, handles) for programmatic use. (Not called
   * `details`: test runners such as uvu treat an error's `details` as a printable string.)
   */
  readonly info: Readonly<Record<string, unknown>> | undefined

  constructor(code: ErrorCodeValue, message: string, details?: Record<string, unknown>) {
    super(message.startsWith(PREFIX) ? message : PREFIX + message)
    this.name = 'FramelatchError'
    this.code = code
    this.info = details
  }
}

/** The environment cannot run framelatch: a binding is not built, or there is no display. */
export class EnvironmentError extends FramelatchError {
  constructor(code: ErrorCodeValue, message: string, details?: Record<string, unknown>) {
    super(code, message, details)
    this.name = 'EnvironmentError'
  }
}

/** A `*Desc` object, a handle or an argument was rejected before any GL call was made. */
export class ValidationError extends FramelatchError {
  constructor(code: ErrorCodeValue, message: string, details?: Record<string, unknown>) {
    super(code, message, details)
    this.name = 'ValidationError'
  }
}

/** A handle was used after `destroy*`, or its creation failed. */
export class ResourceStateError extends FramelatchError {
  constructor(code: ErrorCodeValue, message: string, details?: Record<string, unknown>) {
    super(code, message, details)
    this.name = 'ResourceStateError'
  }
}

/** `gl.getError()` reported an error after a GL call (only checked when `debug: true`). */
export class GLCallError extends FramelatchError {
  readonly call: string
  readonly glError: number
  constructor(call: string, glError: number, glErrorName: string) {
    super(
      ErrorCode.GL_ERROR,
      `GL call ${call} raised ${glErrorName} (0x${glError.toString(16)}); ` +
        'check the arguments of that call, or run with debug: true from the start to find the first failing call',
      { call, glError, glErrorName },
    )
    this.name = 'GLCallError'
    this.call = call
    this.glError = glError
  }
}

export type ShaderStage = 'vertex' | 'fragment' | 'link'

/**
 * A shader failed to compile or a program failed to link. Carries the stage, the first failing
 * line (1-based, or 0 when the driver did not name one), the driver's log, and the numbered
 * source around that line so the message alone is enough to find the mistake.
 */
export class ShaderError extends FramelatchError {
  readonly stage: ShaderStage
  readonly line: number
  readonly log: string
  readonly numberedSource: string
  readonly programName: string

  constructor(desc: {
    stage: ShaderStage
    line: number
    log: string
    numberedSource: string
    programName: string
  }) {
    const where = desc.line > 0 ? ` at line ${desc.line}` : ''
    const what = desc.stage === 'link' ? 'failed to link' : `${desc.stage} shader failed to compile`
    super(
      desc.stage === 'link' ? ErrorCode.PROGRAM_LINK : ErrorCode.SHADER_COMPILE,
      `program "${desc.programName}": ${what}${where}: ${desc.log.trim()}\n` +
        `fix the GLSL below and create the program again:\n${desc.numberedSource}`,
      { stage: desc.stage, line: desc.line, programName: desc.programName },
    )
    this.name = 'ShaderError'
    this.stage = desc.stage
    this.line = desc.line
    this.log = desc.log
    this.numberedSource = desc.numberedSource
    this.programName = desc.programName
  }
}

/** A logic worker failed to load or threw; carries the worker's own stack. */
export class WorkerError extends FramelatchError {
  readonly workerStack: string
  constructor(code: ErrorCodeValue, message: string, workerStack: string, details?: Record<string, unknown>) {
    super(code, message, details)
    this.name = 'WorkerError'
    this.workerStack = workerStack
  }
}
