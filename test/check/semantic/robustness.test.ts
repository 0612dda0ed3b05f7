// analyze never throws: whatever the structural checker reported is skipped, partial results remain.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseSource } from "../../../src/parse/parse-source.js";
import { analyze } from "../../../src/check/analyze.js";

const seed = readFileSync("fixtures/seed/messaging.hyp", "utf8");
const lines = seed.split("\n");

describe("robustness", () => {
  it("survives deleting, duplicating and swapping ranges of the seed", () => {
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(40), fc.constantFrom("delete", "duplicate", "blank-values"), (start, length, op) => {
        const range = lines.slice(start, start + length);
        const mutated =
          op === "delete"
            ? [...lines.slice(0, start), ...lines.slice(start + length)]
            : op === "duplicate"
              ? [...lines.slice(0, start + length), ...range, ...lines.slice(start + length)]
              : [...lines.slice(0, start), ...range.map((l) => l.replace(/:\s*"[^"]*"/, ": 1")), ...lines.slice(start + length)];
        const { file } = parseSource("m.hyp", mutated.join("\n"));
        const result = analyze({ files: [file], sources: new Map() });
        expect(Array.isArray(result.diagnostics)).toBe(true);
        for (const d of result.diagnostics) expect(d.span === undefined || d.span.start <= d.span.end).toBe(true);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it("handles an empty program and blocks of the wrong shape", () => {
    expect(analyze({ files: [], sources: new Map() }).diagnostics).toEqual([]);
    const { file } = parseSource("w.hyp", `events { G: "x" }\nevent_producers { P: [] }\nevent_consumers { C: { topics: "x", handlers: [] } }\npub_sub { c: { subscribers: {} } }`);
    expect(() => analyze({ files: [file], sources: new Map() })).not.toThrow();
  });
});
