/**
 * Resize events of an engine (`engine.onResize`). A window engine emits one when SDL reports the
 * window's new size, after the context has re-read the window's pixel size and set
 * `gl.drawingBufferWidth/Height` (@kmamal/gl clips read-backs to them, see DEVELOPERS.md) and the
 * device has taken the new default-framebuffer size, so a listener may lay out and draw at once
 * and the next flush's `view_target` is already the new size. A headless engine emits one from
 * `engine.resize(width, height)`, which resizes its drawing buffer.
 *
 * Listeners run on the main thread in registration order, between frames (SDL delivers window
 * events from its poll, which the engine pumps before each frame's latch); one that throws is
 * logged (FL_FRAME_CALLBACK) and does not stop the others. Resizes are rare: each event is a new
 * small object.
 */
import { ErrorCode } from '../errors.js'
import { log } from '../log.js'

/** What `engine.onResize` listeners receive: the new drawing size in pixels. */
export interface ResizeEvent {
  /** Drawing-buffer width in pixels (a window's pixel width, which is more than its size on high-DPI displays). */
  readonly width: number
  /** Drawing-buffer height in pixels. */
  readonly height: number
}

export type ResizeListener = (event: ResizeEvent) => void

/** The listeners of one engine. */
export class ResizeEvents {
  private readonly listeners: ResizeListener[] = []

  /** Adds a listener; returns a function that removes it. */
  on(listener: ResizeListener): () => void {
    this.listeners.push(listener)
    return () => {
      const i = this.listeners.indexOf(listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  /** Calls every listener with the new size. */
  emit(width: number, height: number): void {
    const event: ResizeEvent = { width, height }
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (e) {
        log('error', ErrorCode.FRAME_CALLBACK, `an onResize listener threw: ${(e as Error)?.stack ?? String(e)}`)
      }
    }
  }
}
