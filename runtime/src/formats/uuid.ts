// RFC 4122 uuid, exactly as ajv-formats' full "uuid" format decides it
// (/^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i). Every envelope carries four uuids
// (message, correlation and causation ids, usually a payload id too), checked on publish and on consume: with
// the regular expression they were the largest part of validating an envelope (~0.15 µs each). The plain
// 36-character form is checked with a table lookup per character at fixed positions (~0.05 µs); any other
// length (the urn:uuid: form, or a wrong one) goes to the regular expression, which decides it as before.
// runtime/test/formats/uuid.test.ts compares both on generated and random strings.
import { createRequire } from "node:module";

// ajv-formats is CommonJS; require() keeps its export shape under NodeNext. Its own expression, not a copy.
const require = createRequire(import.meta.url);
const UUID = (require("ajv-formats/dist/formats.js") as { fullFormats: { uuid: RegExp } }).fullFormats.uuid;

/** 0 for a hex digit (either case), 1 for any other UTF-16 code unit. */
const NOT_HEX = new Uint8Array(65536).fill(1);
for (const c of "0123456789abcdefABCDEF") NOT_HEX[c.charCodeAt(0)] = 0;

/**
 * The last string accepted: an envelope repeats its ids (a root message's correlation and causation ids are its
 * message id), and comparing 36 characters costs a fraction of checking them.
 */
let lastAccepted = "";

export function isUuid(s: string): boolean {
  if (s === lastAccepted) return true;
  if (s.length !== 36) return UUID.test(s);
  if (s.charCodeAt(8) !== 45 || s.charCodeAt(13) !== 45 || s.charCodeAt(18) !== 45 || s.charCodeAt(23) !== 45) return false;
  // OR of the misses: one branch at the end instead of one per character.
  let bad = 0;
  for (let i = 0; i < 8; i++) bad |= NOT_HEX[s.charCodeAt(i)]!;
  for (let i = 9; i < 13; i++) bad |= NOT_HEX[s.charCodeAt(i)]!;
  for (let i = 14; i < 18; i++) bad |= NOT_HEX[s.charCodeAt(i)]!;
  for (let i = 19; i < 23; i++) bad |= NOT_HEX[s.charCodeAt(i)]!;
  for (let i = 24; i < 36; i++) bad |= NOT_HEX[s.charCodeAt(i)]!;
  if (bad !== 0) return false;
  lastAccepted = s;
  return true;
}
