/**
 * Diffing a CPU storage's bit patterns against its shadow copy (the last uploaded contents), for
 * the 'diff' dirty tracking of data textures and uniform blocks. Both arrays are Int32 views, so
 * floats compare by their exact bits (a NaN equals itself, -0 differs from 0). Allocation-free;
 * the arrays belong to the caller and are only read.
 */

/** Index of the first element where `bits` and `shadow` differ, or `bits.length` when none does. */
export function firstDifference(bits: Int32Array, shadow: Int32Array): number {
  const n = bits.length
  let lo = 0
  while (lo < n && bits[lo] === shadow[lo]) lo++
  return lo
}

/**
 * Index of the last element where `bits` and `shadow` differ, given that element `first` (from
 * `firstDifference`, below `bits.length`) differs; `first` when no later one does.
 */
export function lastDifference(bits: Int32Array, shadow: Int32Array, first: number): number {
  let hi = bits.length - 1
  while (hi > first && bits[hi] === shadow[hi]) hi--
  return hi
}
