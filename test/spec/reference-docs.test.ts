import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderReference } from "../../scripts/gen-docs.js";
import { codes } from "../../src/diagnostics/codes.js";
import { specPaths } from "../../src/spec/index.js";

describe("docs/reference.md", () => {
  const committed = readFileSync(new URL("../../docs/reference.md", import.meta.url), "utf8");

  it("is up to date with the spec and the codes (run `npm run docs` after changing either)", () => {
    expect(committed).toBe(renderReference());
  });

  it("lists every key path and every code", () => {
    const text = renderReference();
    for (const { path } of specPaths()) expect(text, path).toContain(`\`${path.replace(/\|/g, "\\|")}\``);
    for (const code of Object.keys(codes)) expect(text).toContain(`| ${code} |`);
  });
});
