/**
 * framelatch/low-level: the building blocks under the application API, for tools, tests,
 * benchmarks and engines of your own. Stable enough to use, closer to the machine, and free to
 * change faster than `framelatch` itself. The README's "Low-level entry" section lists them.
 */

// Contexts and devices without an engine
export { createContext, checkDisplay } from './gl/context.js'
export { createDevice } from './gl/device.js'
export { createDataTexture, type DataTexture, type DataTextureDesc } from './gl/data-texture.js'

// Displays and SDL
export { startXvfb, ensureDisplay, type XvfbDesc, type XvfbServer } from './platform/xvfb.js'
export { acquireDisplay, ownedDisplay, type DisplayLease } from './platform/display-owner.js'
export { createVblankSource, type VblankSourceDesc } from './platform/vblank-source.js'
export { pumpSdlEvents } from './platform/sdl-events.js'
export { attachSdlInput } from './engine/sdl-input.js'

// The draw queue's internals: command pool, radix sort, sort keys
export { CommandPool, type CommandPoolDesc } from './core/command-pool.js'
export { RadixSorter, type RadixSorterDesc } from './core/radix-sort.js'
export {
  SortMode, type SortModeValue, MAX_LAYER, MAX_PIPELINE_ID, MAX_MATERIAL_ID, MAX_SEQUENCE, STATE_DEPTH_MAX, DEPTH_MODE_MAX,
  quantizeDepth, encodeStateKey, encodeSequenceKey, encodeDepthKey, encodeSortKey,
  sortKeyLayer, sortKeyMode, sortKeyTranslucent, sortKeyPipeline, sortKeyMaterial, sortKeySequence, sortKeyDepthBits, sortKeyDepth,
} from './core/sort-key.js'

// Text internals: TrueType parsing, rasterising, atlas, layout
export { BUNDLED_FONT_PATH, reloadFontInPlace } from './text/font.js'
export { parseTrueType, type TrueTypeFont } from './text/ttf.js'
export type { GlyphOutline } from './text/glyf.js'
export { Rasterizer, rasterizeGlyph, type AlphaBitmap, type GlyphBitmap } from './text/rasterize.js'
export {
  createGlyphAtlas, glyphIndexFor, ASCII_PRINTABLE, DASHBOARD_SYMBOLS, type GlyphAtlas, type GlyphAtlasDesc,
  DEFAULT_FALLBACK_FONTS,
} from './text/atlas.js'
export { ensureGlyphs, ensureGlyphCodes } from './text/atlas-growth.js'
export { layoutText, measureText, measureTextHeight, countLines, QUAD_FLOATS } from './text/layout.js'
export { layoutTextBox, measureTextBox, countTextBoxLines } from './text/layout.js'

// Pacing and timing pieces the engine wires together
export { createTicker } from './sync/ticker/ticker.js'
export { nowMs, ustToMs, msToUst, systemClock, type Clock } from './clock.js'
export { preciseWaitUntil, type PreciseWaitOptions } from './sync/precise-wait.js'
export { createFrameTrace, Stage, STAGE_NAMES, type FrameTraceDesc, type StageValue } from './sync/frame-trace.js'
export { attachSharedState } from './sync/state/shared-state.js'
export { createInputRing, attachInputRing, type InputRingDesc } from './sync/input/input-ring.js'
export { createInputLatch, type InputLatch } from './sync/input/input-latch.js'
export { INPUT_GLSL, INPUT_VEC4S } from './engine/input-block.js'
