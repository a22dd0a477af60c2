/**
 * The in-app error overlay of hot reload: while a reload error stands (a shader that does not
 * compile: see ShaderHost.overlayLines), its lines are drawn over the frame the app keeps drawing
 * with the last good version, on a dark panel in the top-left corner; the overlay disappears on
 * the next good compile. It draws with the public batchers on the engine's queue in the two
 * highest layers, so it lands over everything the app draws.
 *
 * Per frame it reads `source.overlayLines()` (the host returns the same array until the error
 * changes) and records nothing when it is empty: an app without errors pays one call a frame.
 */
import { checkDesc, descKeys } from '../check.js'
import { createRectBatcher, createRectStyle, type RectBatcher } from '../draw/rect-batcher.js'
import { createTextBatcher, createTextStyle, type TextBatcher } from '../draw/text-batcher.js'
import type { Engine } from '../engine/engine.js'

export interface OverlaySource {
  /** The lines to show now; empty for none. */
  overlayLines(): readonly string[]
}

export interface ErrorOverlayDesc {
  engine: Engine
  /** Where the lines come from: a ShaderHost, or anything with `overlayLines()`. */
  source: OverlaySource
  /** Em size of the text in pixels. Default 14. */
  pixelSize?: number
}

export interface ErrorOverlay {
  /** The lines drawn by the last frame (empty when the overlay is clear). */
  readonly lines: readonly string[]
  /** Removes the frame callback and frees the batchers. */
  destroy(): void
}

const OVERLAY_KEYS = descKeys<ErrorOverlayDesc>({ engine: true, source: true, pixelSize: true })
const MARGIN = 8
/** Dark red, 88% opaque (0xRRGGBBAA). */
const PANEL_COLOR = 0x1a0505e0

export function createErrorOverlay(desc: ErrorOverlayDesc): ErrorOverlay {
  checkDesc('createErrorOverlay', desc, OVERLAY_KEYS, true)
  const { engine, source } = desc
  const panel: RectBatcher = createRectBatcher(engine.queue, { layer: 254 })
  const text: TextBatcher = createTextBatcher(engine.queue, { layer: 255, pixelSize: desc.pixelSize ?? 14, label: 'hot reload overlay' })
  // Styles made once: the heading and the failing line (marked >>) in red, the context in grey.
  const panelStyle = createRectStyle({ fill: PANEL_COLOR })
  const hotStyle = createTextStyle({ color: 0xff7366ff, anchor: 'top' })
  const contextStyle = createTextStyle({ color: 0xccccccff, anchor: 'top' })
  let shown: readonly string[] = []
  let width = 0
  const remove = engine.onFrame(() => {
    const lines = source.overlayLines()
    if (lines.length === 0) {
      shown = lines
      return
    }
    if (lines !== shown) {
      // Measured once per error, not per frame.
      width = 0
      for (const line of lines) width = Math.max(width, text.measure(line))
      shown = lines
    }
    const lh = text.lineHeight
    panel.add(0, 0, Math.min(engine.width, width + 2 * MARGIN), Math.min(engine.height, lines.length * lh + 2 * MARGIN), panelStyle)
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      text.draw(line, MARGIN, MARGIN + i * lh, i === 0 || line.startsWith('>>') ? hotStyle : contextStyle)
    }
  })
  return {
    get lines() {
      return shown
    },
    destroy() {
      remove()
      text.destroy()
      panel.destroy()
    },
  }
}
