// Each HYP1xxx fixture makes the front end report its code (the golden harness checks the rendered output of
// the whole compiler; this checks the front end alone, and that every HYP1 code has a fixture).
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { codes as registry } from "../../src/diagnostics/codes.js";
import { loadProgram } from "../../src/parse/load-program.js";
import { codes } from "./helpers.js";

const fixtureDir = fileURLToPath(new URL("../../fixtures/diagnostics/", import.meta.url));
const fixtures = readdirSync(fixtureDir)
  .filter((name) => /^HYP1\d{3}-.*\.hyp$/.test(name))
  .sort();

describe("HYP1xxx fixtures", () => {
  it.each(fixtures)("%s reports its code and nothing outside HYP1xxx", async (name) => {
    const path = relative(process.cwd(), join(fixtureDir, name));
    const { diagnostics } = await loadProgram([path]);
    const code = name.slice(0, 7);
    expect(codes(diagnostics)).toContain(code);
    for (const d of diagnostics) expect(d.code).toMatch(/^HYP1/);
  });

  it("every HYP1xxx code has a fixture", () => {
    const covered = new Set(fixtures.map((name) => name.slice(0, 7)));
    const missing = Object.keys(registry).filter((code) => code.startsWith("HYP1") && !covered.has(code));
    expect(missing).toEqual([]);
  });
});
