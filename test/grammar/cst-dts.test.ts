// grammar/cst.d.ts must match the grammar: regenerate with `npx tsx scripts/gen-cst-dts.ts` after changing it.
import { readFileSync } from "node:fs";
import { generateCstDts } from "../../grammar/chevrotain.js";
import { describe, expect, it } from "vitest";
import { hypParser } from "../../grammar/parser.js";

describe("generated CST types", () => {
  it("grammar/cst.d.ts is up to date with grammar/parser.ts", () => {
    const committed = readFileSync(new URL("../../grammar/cst.d.ts", import.meta.url), "utf8");
    const generated = generateCstDts(hypParser.getGAstProductions());
    expect(committed.slice(committed.indexOf("\n") + 1)).toBe(generated);
  });
});
