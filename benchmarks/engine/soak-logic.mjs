// The soak benchmark's logic worker (not a benchmark itself): a market-data simulation that
// moves a price and rewrites a 200-level order book every step, at whatever hz it is given.
export function init(ctx) {
  ctx.views.price[0] = 100
}

export function step(ctx) {
  const v = ctx.views
  // A deterministic wobble instead of Math.random, so runs compare.
  const p = v.price[0] + Math.sin(ctx.step * 0.013) * 0.05
  v.price[0] = p
  const book = v.book
  for (let i = 0; i < book.length; i++) book[i] = p + (i - book.length / 2) * 0.01 + Math.sin(ctx.step * 0.1 + i) * 0.002
  v.steps[0] = ctx.step
}
