// isDateTime must decide every string exactly as ajv-formats' full "date-time" does: it replaces that
// format in generated validators (runtime/src/formats.ts).
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDateTime } from "../../src/formats/date-time.js";
import { fullFormats } from "../../src/formats.js";

const require = createRequire(import.meta.url);
const reference = (require("ajv-formats/dist/formats.js") as { fullFormats: Record<string, { validate: (s: string) => boolean }> }).fullFormats["date-time"]!.validate;

// Strings close to the grammar, so that most land near a boundary: digits, separators, offsets, fractions.
const pieces = fc.constantFrom(
  ..."0123456789".split(""),
  "-", ":", ".", "T", "t", " ", "\t", "\u00a0", "Z", "z", "+", "-", "x",
  "00", "12", "23", "24", "28", "29", "30", "31", "59", "60", "61", "99",
  "2024", "2023", "1900", "2000", "0000",
);
const nearDateTime = fc
  .record({
    year: fc.constantFrom("2024", "2023", "1900", "2000", "0000", "9999", "20x4", "202"),
    month: fc.constantFrom("01", "02", "04", "12", "13", "00", "1"),
    day: fc.constantFrom("01", "28", "29", "30", "31", "32", "00"),
    sep: fc.constantFrom("T", "t", " ", "\t", "\u2028", "x", "TT", ""),
    hour: fc.constantFrom("00", "12", "23", "24", "99", "0"),
    minute: fc.constantFrom("00", "59", "60", "5"),
    second: fc.constantFrom("00", "59", "60", "61", "6"),
    fraction: fc.constantFrom("", ".1", ".123456789", ".", ".x"),
    offset: fc.constantFrom("Z", "z", "", "+00:00", "-00:00", "+01:00", "-01:00", "+0100", "+01", "+24:00", "+23:60", "+23:59", "-23:59", "+1", "+01:0", "+01:", "Zz", "+01:00Z"),
  })
  .map((p) => `${p.year}-${p.month}-${p.day}${p.sep}${p.hour}:${p.minute}:${p.second}${p.fraction}${p.offset}`);

describe("isDateTime", () => {
  it("accepts what the runtime writes and common RFC 3339 forms", () => {
    for (const s of [new Date().toISOString(), "2024-02-29T23:59:59Z", "2024-01-01 10:00:00+05:30", "2024-01-01t10:00:00.5-0800", "1998-12-31T23:59:60Z", "1998-12-31T15:59:60-08:00"]) {
      expect(isDateTime(s), s).toBe(true);
    }
  });

  it("rejects impossible dates, times and offsets", () => {
    for (const s of ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T10:00:00", "2024-01-01T10:00:60Z", "2024-01-01", "1900-02-29T00:00:00Z", ""]) {
      expect(isDateTime(s), s).toBe(false);
    }
  });

  it("agrees with ajv-formats on strings near the grammar", () => {
    fc.assert(fc.property(nearDateTime, (s) => isDateTime(s) === reference(s)), { numRuns: 20_000 });
  });

  it("agrees with ajv-formats on arbitrary strings built from its pieces", () => {
    fc.assert(fc.property(fc.array(pieces, { maxLength: 16 }).map((xs) => xs.join("")), (s) => isDateTime(s) === reference(s)), { numRuns: 20_000 });
  });

  it("is the date-time format generated validators use", () => {
    expect((fullFormats["date-time"] as { validate: unknown }).validate).toBe(isDateTime);
  });
});
