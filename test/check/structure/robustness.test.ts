// The structural check never throws and always points inside the file, whatever values stand where.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateAgainstSpec } from "../../../src/check/validate-spec.js";
import { materializeProgram } from "../../../src/spec/index.js";
import { programOf } from "./program-of.js";

const seed = readFileSync(new URL("../../../fixtures/seed/messaging.hyp", import.meta.url), "utf8");
/** Offsets of every value after `key: ` on its own line in the seed. */
const valueSites = [...seed.matchAll(/^(\s*"?[\w.*]+"?: )(.+)$/gm)].map((m) => ({ start: m.index! + m[1]!.length, end: m.index! + m[0].length }));

const literal = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.integer({ min: -100000, max: 100000 }).map(String),
  fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.boolean().map(String),
  fc.constantFrom("env.X", "{}", "[]", '{ a: "uuid" }', '["x", 1]', '"uuid?"', '"array<"', '"enum<a|a>"'),
);

describe("validateAgainstSpec robustness", () => {
  it("never throws and reports positions inside the file for values replaced at random", () => {
    let reported = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valueSites.length - 1), literal), { minLength: 1, maxLength: 6 }), (edits) => {
        let text = seed;
        // Apply from the end so earlier offsets stay valid.
        const unique = [...new Map(edits.map(([site, value]) => [site, value])).entries()].sort((a, b) => b[0] - a[0]);
        for (const [site, value] of unique) {
          const { start, end } = valueSites[site]!;
          text = text.slice(0, start) + value + text.slice(end);
        }
        const { program } = programOf({ path: "fuzz.hyp", text });
        const diagnostics = validateAgainstSpec(program);
        reported += diagnostics.length;
        const lines = text.split("\n").length;
        for (const d of diagnostics) {
          expect(d.span).toBeDefined();
          expect(d.span!.line).toBeGreaterThanOrEqual(1);
          expect(d.span!.line).toBeLessThanOrEqual(lines);
          expect(d.span!.end).toBeLessThanOrEqual(text.length);
        }
        expect(() => materializeProgram(program)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    expect(reported, "the replacements must provoke diagnostics, or this test checks nothing").toBeGreaterThan(100);
  });
});
