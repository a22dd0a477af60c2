// Comparing a rendered image with its committed reference PNG (the examples' reference tests).

/** Fraction of pixels whose channels all lie within `tolerance` of the reference (RGBA bytes, same size). */
export function similarity(a, b, tolerance) {
  let same = 0
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) <= tolerance && Math.abs(a[i + 1] - b[i + 1]) <= tolerance &&
        Math.abs(a[i + 2] - b[i + 2]) <= tolerance && Math.abs(a[i + 3] - b[i + 3]) <= tolerance) same++
  }
  return same / (a.length / 4)
}
