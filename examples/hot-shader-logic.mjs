// The logic worker of examples/hot-shader.mjs: counts its steps into the shared state. Edit and
// save it while the app runs with --hot: the new version takes over between two steps, the count
// goes on (the shared state is kept), and dispose(ctx) hands ctx.hot.data to the next init(ctx).
export function init(ctx) {
  ctx.hot.data.versions = (ctx.hot.data.versions ?? 0) + 1
  ctx.views.versions[0] = ctx.hot.data.versions
}

export function step(ctx) {
  ctx.views.steps[0] += 1
  ctx.views.wave[0] = Math.sin(ctx.time / 500)
}

export function dispose(ctx) {
  // Anything the next version needs; here only the count of versions seen, kept in init above.
  ctx.hot.data.lastStep = ctx.step
}
