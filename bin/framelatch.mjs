#!/usr/bin/env node
// The framelatch CLI; the code lives in src/cli (compiled to dist/cli).
import { main } from '../dist/cli/main.js'

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.message ?? err)
    process.exit(1)
  },
)
