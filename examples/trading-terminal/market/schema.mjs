// What the market feed worker publishes each step (a framelatch shared-state schema): both sides of
// the book from the touch outward, and the newest trades in a ring the render side catches up on.
import { defineStateSchema } from 'framelatch'

/** Levels per side published from the touch outward (the render side groups them by tick size). */
export const BOOK_TICKS = 400
/** Trades kept in the ring; the render side reads each frame the ones it has not seen. */
export const TRADE_RING = 1024

export const marketSchema = defineStateSchema({
  tickSize: 'f64',
  bestBid: 'f64', // ticks (NaN: empty side)
  bestAsk: 'f64',
  bids: { type: 'f32', length: BOOK_TICKS }, // bids[k]: size at bestBid − k
  asks: { type: 'f32', length: BOOK_TICKS }, // asks[k]: size at bestAsk + k
  events: 'f64', // order events so far
  tradeCount: 'f64', // trades so far; trade n is at index n % TRADE_RING
  tradeTime: { type: 'f64', length: TRADE_RING }, // exchange ms
  tradeTick: { type: 'f32', length: TRADE_RING },
  tradeSize: { type: 'f32', length: TRADE_RING },
  tradeSide: { type: 'f32', length: TRADE_RING }, // +1 buy, −1 sell
})
