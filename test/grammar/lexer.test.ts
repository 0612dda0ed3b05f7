// The lexer and the nesting guard on its token stream.
import { describe, expect, it } from "vitest";
import { lex, MAX_NESTING, tokenEnd } from "../../grammar/lexer.js";

const names = (text: string): string[] => lex(text).tokens.map((t) => t.tokenType.name);

describe("lexer", () => {
  it("produces the tokens of every construct and skips whitespace and comments", () => {
    expect(names('mindLink "a.hyp"; b { k: [1, -2.5e3], "q": env.X, t: true f: false } // c\n/* d */')).toEqual([
      "MindLink", "StringLiteral", "Semicolon", "Identifier", "LCurly", "Identifier", "Colon", "LBracket", "NumberLiteral",
      "Comma", "NumberLiteral", "RBracket", "Comma", "StringLiteral", "Colon", "Env", "Dot", "Identifier", "Comma",
      "Identifier", "Colon", "True", "Identifier", "Colon", "False", "RCurly",
    ]);
  });

  it("keeps keywords that are prefixes of identifiers whole", () => {
    expect(names("envelope trueish mindLinks")).toEqual(["Identifier", "Identifier", "Identifier"]);
  });

  it("reports unknown characters with offset and length, and keeps going", () => {
    const result = lex("a { b: @@ 1 }");
    expect(result.unknownCharacters).toEqual([{ offset: 7, length: 2 }]);
    expect(result.tokens.map((t) => t.image)).toEqual(["a", "{", "b", ":", "1", "}"]);
  });

  it("lexes an unterminated string up to the end of its line", () => {
    const [, string] = lex('a "abc\n}').tokens;
    expect(string?.image).toBe('"abc');
  });

  it("sets unterminated block comments aside so they can be reported where they start", () => {
    const result = lex("a { } /* open\n b");
    expect(result.unterminatedComments.map((t) => t.startOffset)).toEqual([6]);
    expect(result.tokens.map((t) => t.image)).toEqual(["a", "{", "}"]);
  });

  it("tokenEnd gives the exclusive end offset", () => {
    const [token] = lex("  hello").tokens;
    expect(tokenEnd(token!)).toBe(7);
  });
});

describe("nesting guard", () => {
  it("leaves nesting up to the limit alone", () => {
    const text = "[".repeat(MAX_NESTING) + "]".repeat(MAX_NESTING);
    const result = lex(text);
    expect(result.tooDeep).toEqual([]);
    expect(result.tokens).toHaveLength(2 * MAX_NESTING);
  });

  it("replaces a subtree deeper than the limit by one TooDeep token covering it", () => {
    const depth = MAX_NESTING + 50;
    const text = `a { k: ${"[".repeat(depth)}${"]".repeat(depth)} }`;
    const result = lex(text);
    expect(result.tooDeep).toHaveLength(1);
    const region = result.tooDeep[0]!;
    // The block's `{` is level 1, so the first `[` past the limit is the (MAX_NESTING)th.
    expect(region.start).toBe(7 + MAX_NESTING - 1);
    expect(text.slice(region.start, region.end)).toBe("[".repeat(51) + "]".repeat(51));
    expect(result.tokens.filter((t) => t.tokenType.name === "TooDeep")).toHaveLength(1);
    expect(result.unclosedOpeners).toEqual([]);
  });

  it("closes what the file leaves open with zero-width closers at its end", () => {
    const text = "a { b: [ { c: 1 ";
    const result = lex(text);
    expect(result.unclosedOpeners.map((t) => t.image)).toEqual(["{", "[", "{"]);
    const tail = result.tokens.slice(-3);
    expect(tail.map((t) => [t.tokenType.name, t.startOffset, t.image])).toEqual([
      ["RCurly", text.length, ""],
      ["RBracket", text.length, ""],
      ["RCurly", text.length, ""],
    ]);
  });
});
