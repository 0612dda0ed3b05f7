// Size and depth limits: a 10 MB configuration parses; 10,000 levels of nesting end in a diagnostic, not a
// stack overflow. (Speed is measured in bench/, not asserted here.)
import { describe, expect, it } from "vitest";
import { generateConfig } from "../../bench/gen-config.js";
import { MAX_NESTING } from "../../grammar/lexer.js";
import { assertValidSpan, codes, parse } from "./helpers.js";

describe("large input", () => {
  it("parses a 10 MB generated configuration without diagnostics", () => {
    const text = generateConfig(7500);
    expect(text.length).toBeGreaterThan(10_000_000);
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const events = file.blocks.find((b) => b.name === "events")!;
    const groups = events.body.members;
    expect(groups).toHaveLength(750);
    expect(groups.reduce((sum, g) => sum + (g.value.kind === "object" ? g.value.members.length : 0), 0)).toBe(7500);
  });
});

describe("deep nesting", () => {
  const deep = 10_000;

  it.each([
    ["objects", `a { ${"k: {".repeat(deep)}${"}".repeat(deep)} }`],
    ["arrays", `a { k: ${"[".repeat(deep)}${"]".repeat(deep)} }`],
    ["unclosed objects", `a { ${"k: {".repeat(deep)}`],
    ["unclosed arrays", `a { k: ${"[".repeat(deep)}`],
    ["mixed, with errors at the bottom", `a { ${"k: [{".repeat(deep / 2)} x ; ] ${"]}".repeat(deep / 2)} }`],
  ])("%s 10,000 levels deep end in HYP1010", (_name, text) => {
    const { file, diagnostics } = parse(text);
    expect(codes(diagnostics)).toContain("HYP1010");
    const tooDeep = diagnostics.find((d) => d.code === "HYP1010")!;
    expect(tooDeep.message).toContain(`deeper than ${MAX_NESTING} levels`);
    for (const d of diagnostics) assertValidSpan(text, d.span!);
    expect(file.blocks[0]?.name).toBe("a");
  });

  it("errors just under the limit, at every level, still recover without overflowing the stack", () => {
    const levels = MAX_NESTING - 1;
    const text = `a { ${"k: {".repeat(levels)}${" x ; y ".repeat(120)}`;
    const { diagnostics } = parse(text);
    expect(diagnostics.length).toBeGreaterThan(1);
    for (const d of diagnostics) assertValidSpan(text, d.span!);
  });
});
