// isUuid must decide every string exactly as ajv-formats' full "uuid" does: it replaces that format in generated
// validators (runtime/src/formats.ts).
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUuid } from "../../src/formats/uuid.js";
import { fullFormats } from "../../src/formats.js";

const require = createRequire(import.meta.url);
const reference = (require("ajv-formats/dist/formats.js") as { fullFormats: Record<string, RegExp> }).fullFormats["uuid"]!;

// Characters near the grammar: hex digits of both cases, the letters right after f/F, the code units either side
// of the digit and letter ranges, the separator and look-alikes, and code units past Latin-1 whose low byte is a
// hex digit (a table indexed by a truncated code would take them).
const chars = fc.constantFrom(..."0123456789abcdefABCDEFgG/:@`-_ ".split(""), "\u2010", "\u0130", "\u0161", "\u0141", "\uff10", "\u0066\u0301");
const nearUuid = fc.array(chars, { minLength: 32, maxLength: 40 }).map((xs) => xs.join(""));
/** A real uuid with one character replaced, removed or duplicated. */
const mutated = fc.tuple(fc.nat(35), chars, fc.constantFrom("replace", "remove", "duplicate", "upper", "urn")).map(([at, c, how]) => {
  const u = randomUUID();
  switch (how) {
    case "replace":
      return u.slice(0, at) + c + u.slice(at + 1);
    case "remove":
      return u.slice(0, at) + u.slice(at + 1);
    case "duplicate":
      return u.slice(0, at) + u[at]! + u.slice(at);
    case "upper":
      return u.toUpperCase();
    default:
      return `urn:uuid:${u.slice(0, at)}${c}${u.slice(at + 1)}`;
  }
});

describe("isUuid", () => {
  it("accepts uuids in both cases and the urn:uuid: form", () => {
    for (const s of [randomUUID(), randomUUID().toUpperCase(), `urn:uuid:${randomUUID()}`, "00000000-0000-0000-0000-000000000000"]) expect(isUuid(s), s).toBe(true);
  });

  it("rejects near misses", () => {
    for (const s of ["", "00000000-0000-0000-0000-00000000000g", "00000000-0000-0000-0000_000000000000", "0000000-00000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000000}", "00000000000000000000000000000000", "urn:uuid:0000"]) {
      expect(isUuid(s), s).toBe(false);
    }
  });

  it("agrees with ajv-formats on strings near the grammar", () => {
    fc.assert(fc.property(nearUuid, (s) => isUuid(s) === reference.test(s)), { numRuns: 20_000 });
  });

  it("agrees with ajv-formats on mutated uuids", () => {
    fc.assert(fc.property(mutated, (s) => isUuid(s) === reference.test(s)), { numRuns: 20_000 });
  });

  it("agrees with ajv-formats on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => isUuid(s) === reference.test(s)), { numRuns: 20_000 });
  });

  it("is the uuid format generated validators use", () => {
    expect((fullFormats["uuid"] as { validate: unknown }).validate).toBe(isUuid);
  });
});
