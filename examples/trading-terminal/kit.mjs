// The terminal's drawing kit: its colours, reusable styles and the batchers every panel draws
// through, created once at setup. Layers fix the stacking: panel backgrounds, then fills (bars,
// flashes, candles), then lines (the price line's series), then text, then the crosshair above
// everything. It makes only batchers the first frame draws with: each kind compiles its program
// when it is made (a line batcher nobody drew with cost ~25 ms of setup's CPU; grid lines are
// opaque rectangles and the price line is a line series).
//
// Fill rate is the cost on software GL, so every rectangle is opaque (no blending) and solid (the
// rect batchers' fill-only shader, `solid: true`: no border, radius or edge anti-aliasing): a fading
// flash is one of a ramp of colours mixed once on the CPU (`mix`), not a translucent overlay; the window background is
// the clear colour (the panels' own colour: a panel draws no background), never a full-screen
// rectangle; only the gutters between panels are drawn.
import {
  createLineStyle, createRectBatcher, createRectStyle, createTextBatcher, createTextStyle, rgba,
} from 'framelatch'

/** The clear colour: the panels' background, as 0..1 channels. */
export const CLEAR_COLOR = [0.075, 0.086, 0.106, 1]

/** The gutters' colour, 0..1: the clear colour of a damage-aware terminal (the canvas shows it where no panel is). */
export const GUTTER_COLOR = [0.035, 0.04, 0.05, 1]

export const LAYER = { panel: 0, fill: 1, line: 2, text: 3, crossFill: 4, crossText: 5 }

export const COLOR = {
  /** Panels have no background rectangle: the frame is cleared to their colour (see the file comment). */
  panel: rgba(0.075, 0.086, 0.106, 1),
  /** The 2 px gutters between panels. */
  gutter: rgba(...GUTTER_COLOR),
  header: rgba(0.094, 0.106, 0.133, 1),
  grid: rgba(0.13, 0.145, 0.17, 1),
  border: rgba(0.18, 0.2, 0.24, 1),
  text: rgba(0.86, 0.88, 0.92, 1),
  dim: rgba(0.5, 0.54, 0.6, 1),
  up: rgba(0.2, 0.8, 0.45, 1),
  down: rgba(0.93, 0.3, 0.3, 1),
  upBar: rgba(0.09, 0.26, 0.17, 1),
  downBar: rgba(0.3, 0.11, 0.12, 1),
  upCum: rgba(0.08, 0.17, 0.125, 1),
  downCum: rgba(0.19, 0.09, 0.1, 1),
  flashUp: rgba(0.15, 0.55, 0.3, 1),
  flashDown: rgba(0.62, 0.18, 0.18, 1),
  line: rgba(0.95, 0.78, 0.3, 1),
  cross: rgba(0.55, 0.6, 0.68, 1),
  crossLabel: rgba(0.25, 0.29, 0.36, 1),
  accent: rgba(0.35, 0.65, 1, 1),
}

/** `a` blended toward `b` by t (0..1), both 0xRRGGBBAA: an opaque colour for fades (alpha from `a`). */
export function mix(a, b, t) {
  if (!(t > 0)) return a
  if (t >= 1) return b
  const r = Math.round(((a >>> 24) & 0xff) + (((b >>> 24) & 0xff) - ((a >>> 24) & 0xff)) * t)
  const g = Math.round(((a >>> 16) & 0xff) + (((b >>> 16) & 0xff) - ((a >>> 16) & 0xff)) * t)
  const bl = Math.round(((a >>> 8) & 0xff) + (((b >>> 8) & 0xff) - ((a >>> 8) & 0xff)) * t)
  return ((r << 24) | (g << 16) | (bl << 8) | (a & 0xff)) >>> 0
}

/** Steps of a flash's fade (styles made once; a frame picks one). */
export const RAMP_STEPS = 16

function ramp(from, to) {
  const out = []
  for (let i = 0; i < RAMP_STEPS; i++) out.push(createRectStyle({ fill: mix(from, to, i / (RAMP_STEPS - 1)) }))
  return out
}

/** The batchers and styles of one terminal (one per engine). */
export function createKit(queue) {
  const kit = {
    panels: createRectBatcher(queue, { layer: LAYER.panel, translucent: false, solid: true, label: 'terminal panels' }),
    fills: createRectBatcher(queue, { layer: LAYER.fill, translucent: false, solid: true, capacity: 2048, label: 'terminal fills' }),
    text: createTextBatcher(queue, { layer: LAYER.text, pixelSize: 12, label: 'terminal text' }),
    big: createTextBatcher(queue, { layer: LAYER.text, pixelSize: 17, label: 'terminal headline' }),
    crossFills: createRectBatcher(queue, { layer: LAYER.crossFill, translucent: false, solid: true, label: 'crosshair' }),
    crossText: null, // below: shares the 12 px atlas (one glyph raster, one texture)
    /** One opaque rect style per colour of COLOR (`kit.rect.grid`, `kit.rect.upBar`…). */
    rect: Object.fromEntries(Object.entries(COLOR).map(([name, c]) => [name, createRectStyle({ fill: c })])),
    /** Fades from the panel colour to a flash colour in RAMP_STEPS styles (see `flash`). */
    ramp: {
      up: ramp(COLOR.panel, COLOR.flashUp),
      down: ramp(COLOR.panel, COLOR.flashDown),
    },
    style: {
      text: createTextStyle({ color: COLOR.text, anchor: 'middle' }),
      textRight: createTextStyle({ color: COLOR.text, align: 'right', anchor: 'middle' }),
      dim: createTextStyle({ color: COLOR.dim, anchor: 'middle' }),
      dimRight: createTextStyle({ color: COLOR.dim, align: 'right', anchor: 'middle' }),
      dimCenter: createTextStyle({ color: COLOR.dim, align: 'center', anchor: 'middle' }),
      up: createTextStyle({ color: COLOR.up, anchor: 'middle' }),
      upRight: createTextStyle({ color: COLOR.up, align: 'right', anchor: 'middle' }),
      down: createTextStyle({ color: COLOR.down, anchor: 'middle' }),
      downRight: createTextStyle({ color: COLOR.down, align: 'right', anchor: 'middle' }),
      center: createTextStyle({ color: COLOR.text, align: 'center', anchor: 'middle' }),
      cross: createTextStyle({ color: COLOR.text, anchor: 'middle' }),
      crossCenter: createTextStyle({ color: COLOR.text, align: 'center', anchor: 'middle' }),
    },
    line: createLineStyle({ color: COLOR.line, thickness: 1.25, join: 'bevel' }),
    /**
     * Fills a rectangle with a rect style on the fills layer. Pass whole pixels: V8 boxes a
     * fractional number passed to a call it does not inline (an allocation per call), and colours
     * travel as style objects for the same reason (0xRRGGBBAA above 2^31 is not a small integer).
     */
    fill(x, y, w, h, style) {
      kit.fills.add(x, y, w, h, style)
    },
    /** The ramp style of flash step `step` (0..RAMP_STEPS − 1, an integer: see `fill`) toward green (`up`) or red. */
    flash(up, step) {
      const r = up ? kit.ramp.up : kit.ramp.down
      return r[step < 0 ? 0 : step >= RAMP_STEPS ? RAMP_STEPS - 1 : step]
    },
    destroy() {
      for (const b of [kit.panels, kit.fills, kit.text, kit.big, kit.crossFills, kit.crossText]) b.destroy()
    },
  }
  kit.crossText = createTextBatcher(queue, { layer: LAYER.crossText, atlas: kit.text.atlas, label: 'crosshair text' })
  return kit
}
