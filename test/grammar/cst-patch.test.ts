// The parser patches Chevrotain's CST node creation for speed (see HypParser.cstInvocationStateUpdate).
import { describe, expect, it } from "vitest";
import { lex } from "../../grammar/lexer.js";
import { hypParser } from "../../grammar/parser.js";
import { parserTokens } from "../../grammar/tokens.js";

describe("CST node patch", () => {
  it("is the method Chevrotain calls: children are plain fast-mode objects", () => {
    const cst = hypParser.parseTokens(lex('a { k: "v" }').tokens);
    expect(hypParser.errors).toEqual([]);
    expect(Object.getPrototypeOf(cst.children)).toBe(Object.prototype);
    const block = cst.children["block"]?.[0];
    expect(block && "children" in block ? Object.keys(block.children) : []).toEqual(["Identifier", "object"]);
  });

  it("no child key of the grammar is inherited from Object.prototype", () => {
    const productions = hypParser.getGAstProductions();
    const labels = ["key", "string", "number", "boolean", "tooDeep", "singleQuoted", "bareWord"];
    const keys = [...Object.keys(productions), ...parserTokens.map((t) => t.name), ...labels];
    const inherited = keys.filter((key) => key in Object.prototype);
    expect(inherited).toEqual([]);
  });
});
