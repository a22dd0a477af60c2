/**
 * Text data for framelatch: font loading, a TrueType parser, an anti-aliased outline
 * rasterizer, a glyph atlas and allocation-free layout. Plain data only (no GL); the text
 * batcher uploads `GlyphAtlas.pixels` and draws the quads `layoutText` writes.
 */
export { BUNDLED_FONT_PATH, loadFont, type Font, type FontDesc } from './font.js'
export { parseTrueType, TrueTypeFont, type GlyphOutline } from './ttf.js'
export { Rasterizer, rasterizeGlyph, MAX_BITMAP_SIDE, type AlphaBitmap, type GlyphBitmap } from './rasterize.js'
export {
  createGlyphAtlas, glyphIndexFor, LOOKUP_SIZE, ASCII_PRINTABLE, DASHBOARD_SYMBOLS,
  type GlyphAtlas, type GlyphAtlasDesc,
} from './atlas.js'
export { packShelves, MAX_ATLAS_SIDE, type PackResult } from './pack.js'
export {
  layoutText, measureText, measureTextHeight, countLines, QUAD_FLOATS, type TextAlign, type TextAnchor,
} from './layout.js'
