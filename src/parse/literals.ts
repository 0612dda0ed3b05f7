// Decoding of string and number literals, with a located diagnostic per problem (a bad escape points at the
// escape itself, not at the whole string).
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { invalidEscape, numberOutOfRange, unterminatedString } from "../diagnostics/constructors/syntax.js";
import type { LineIndex } from "./line-index.js";

const simpleEscapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Decodes a double-quoted literal as the lexer produced it (closing quote possibly missing). Bad escapes are
 * kept as written in the value, so later checks still see something sensible; the diagnostic is the error.
 */
export function decodeString(image: string, start: number, lines: LineIndex, diagnostics: Diagnostic[]): string {
  const last = image.length - 1;
  // Fast path: no escapes and properly closed.
  if (last >= 1 && image.charCodeAt(last) === 34 && image.indexOf("\\") === -1) return image.slice(1, last);

  let out = "";
  let i = 1;
  let closed = false;
  while (i < image.length) {
    const c = image[i]!;
    if (c === '"') {
      closed = true;
      break;
    }
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const next = image[i + 1];
    if (next === undefined) {
      // A lone backslash at the very end cannot come from the lexer's pattern; keep it.
      out += c;
      i++;
      continue;
    }
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next === "u") {
      const hex = image.slice(i + 2, i + 6);
      if (HEX4.test(hex)) {
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      // Point at `\u` plus whatever hex digits follow it.
      let end = i + 2;
      while (end < i + 6 && end < image.length && /[0-9a-fA-F]/.test(image[end]!)) end++;
      diagnostics.push(invalidEscape(image.slice(i, end), lines.span(start + i, start + end)));
      out += image.slice(i, end);
      i = end;
      continue;
    }
    diagnostics.push(invalidEscape(image.slice(i, i + 2), lines.span(start + i, start + i + 2)));
    out += image.slice(i, i + 2);
    i += 2;
  }
  if (!closed) diagnostics.push(unterminatedString(lines.span(start, start + image.length)));
  return out;
}

export interface DecodedNumber {
  readonly value: number;
  readonly integer: boolean;
  /** False when the literal is not representable (reported already). */
  readonly ok: boolean;
}

export function decodeNumber(raw: string, start: number, lines: LineIndex, diagnostics: Diagnostic[]): DecodedNumber {
  const value = Number(raw);
  const integer = !/[.eE]/.test(raw);
  const ok = integer ? Number.isSafeInteger(value) : Number.isFinite(value);
  if (!ok) diagnostics.push(numberOutOfRange(raw, lines.span(start, start + raw.length)));
  return { value, integer, ok };
}
