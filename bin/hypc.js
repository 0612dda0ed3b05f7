#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { main } from "../dist/src/cli/main.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Only a bug in hypc reaches this point: user mistakes are diagnostics, never exceptions.
    console.error("hypc: internal error (please report it):", error);
    process.exitCode = 3;
  },
);
