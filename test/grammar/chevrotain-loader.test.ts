// grammar/chevrotain.ts loads Chevrotain's single-file bundle (fast cold start) rather than the package entry.
import { describe, expect, it } from "vitest";
import * as loaded from "../../grammar/chevrotain.js";

describe("Chevrotain loader", () => {
  it("uses the bundle of the same version as the installed package", async () => {
    const fromPackage = await import("chevrotain");
    // A different object identity proves the bundle was loaded (the package entry would be the same module).
    expect(loaded.EOF).not.toBe(fromPackage.EOF);
    const bundle = (await import("../../grammar/chevrotain.js")) as unknown as Record<string, unknown>;
    expect(Object.keys(bundle).sort()).toEqual(["CstParser", "EOF", "Lexer", "createToken", "createTokenInstance", "generateCstDts"]);
    expect(loaded.EOF.name).toBe(fromPackage.EOF.name);
  });
});
