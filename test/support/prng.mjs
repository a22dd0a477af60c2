// Seeded pseudo-random numbers for tests and benchmarks: the library's mulberry32 (src/random.ts),
// so a seed gives the same sequence on every run and machine.
export { mulberry32, mulberry32Float } from '../../dist/random.js'
