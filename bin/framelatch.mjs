#!/usr/bin/env node
// The framelatch CLI; the code lives in src/cli (compiled to dist/cli, bundled into
// dist/bundle/cli.js with the package entries, so `framelatch dev` and the app it runs, which
// imports 'framelatch', share one copy of the engine: scripts/bundle.mjs).
import { main } from '../dist/bundle/cli.js'

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.message ?? err)
    process.exit(1)
  },
)
