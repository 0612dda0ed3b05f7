// Fuzz: mutated fixtures, token soup and random bytes never make the front end throw, and every diagnostic and
// AST node has a valid position. `npx tsx scripts/fuzz.ts <runs>` runs many more cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkParse,
  fixtureTexts,
  mutatedFixture,
  randomBytes,
  spanChecker,
  tokenMutatedFixture,
  tokenSoup,
} from "../../scripts/fuzz.js";
import type { Span } from "../../src/ast.js";

describe("fuzzing parseSource", () => {
  it("survives mutated fixture files", () => {
    fc.assert(fc.property(mutatedFixture(fixtureTexts()), checkParse), { numRuns: 600 });
  });

  it("survives fixture files with token ranges deleted or duplicated", () => {
    fc.assert(fc.property(tokenMutatedFixture(fixtureTexts()), checkParse), { numRuns: 500 });
  });

  it("survives token soup", () => {
    fc.assert(fc.property(tokenSoup, checkParse), { numRuns: 2000 });
  });

  it("survives random bytes", () => {
    fc.assert(fc.property(randomBytes, checkParse), { numRuns: 2000 });
  });
});

describe("the fuzz oracle itself", () => {
  // The span checker must be able to fail, or the fuzz tests above prove nothing.
  const span = (over: Partial<Span>): Span => ({ file: "f", start: 0, end: 1, line: 1, column: 1, endLine: 1, endColumn: 2, ...over });

  it("accepts a correct span and rejects wrong offsets or positions", () => {
    const check = spanChecker("ab\ncd");
    expect(() => check(span({}), "ok")).not.toThrow();
    expect(() => check(span({ start: 3, end: 5, line: 2, column: 1, endLine: 2, endColumn: 3 }), "ok")).not.toThrow();
    expect(() => check(span({ end: 9 }), "x")).toThrow(/out of bounds/);
    expect(() => check(span({ column: 2 }), "x")).toThrow(/disagree/);
    expect(() => check(undefined, "x")).toThrow(/no span/);
  });
});
