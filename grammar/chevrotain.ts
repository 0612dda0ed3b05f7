// Chevrotain's runtime values, loaded from the single-file ESM bundle the package ships (lib/chevrotain.mjs)
// instead of its package entry (lib/src/api.js). The entry imports ~650 lodash-es modules one by one: measured
// 300–900 ms of module loading on every cold `hypc` start, against ~30 ms for the bundle. Same version, same API.
//
// Every runtime import of Chevrotain in this repo must come from here: token types such as EOF and the GAST
// classes are compared by identity, and two copies of the library would not recognise each other's.
// (Type-only imports from "chevrotain" are fine: they are erased.)
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as ChevrotainApi from "chevrotain";

async function loadChevrotain(): Promise<typeof ChevrotainApi> {
  try {
    // require.resolve honours the package's "exports" (→ lib/src/api.js); the bundle sits one folder up.
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as typeof ChevrotainApi;
  } catch {
    // fall through to the package entry
  }
  return import("chevrotain");
}

const chevrotain = await loadChevrotain();

export const { createToken, createTokenInstance, CstParser, EOF, generateCstDts, Lexer } = chevrotain;
