// Token definitions of the .hyp language (Chevrotain). Order matters: the lexer tries them top to bottom, so
// comments come before `/`-free tokens, keywords before Identifier (with `longer_alt` so `envelope` stays one word).
//
// Every pattern is a plain RegExp whose first characters Chevrotain can analyse, so the lexer runs in its
// optimised first-char mode (`ensureOptimizations` in lexer.ts fails the build if one stops qualifying).
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: Lexer.SKIPPED,
});

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/**
 * A `/*` that never finds its `*\/`: it swallows the rest of the file. Kept in its own group (not SKIPPED) so the
 * front end can report it at the place it starts instead of a confusing error at the end of the file.
 */
export const UnterminatedBlockComment = createToken({
  name: "UnterminatedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: "unterminated",
  line_breaks: true,
});

/**
 * A string literal. The closing quote is optional so that an unterminated string (ends at the line break) is
 * still one token the parser can use; the AST builder reports it. Escapes are checked (and decoded) there too,
 * which gives one located diagnostic per bad escape instead of a lexer error that splits the string.
 */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"?/,
});

/** `'text'`: not valid .hyp, but lexed as one token so the error says "use double quotes" and parsing goes on. */
export const SingleQuotedString = createToken({
  name: "SingleQuotedString",
  pattern: /'(?:[^'\\\r\n]|\\[^\r\n])*'?/,
});

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
});

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
});

export const True = createToken({ name: "True", pattern: /true/, longer_alt: Identifier });
export const False = createToken({ name: "False", pattern: /false/, longer_alt: Identifier });
export const Env = createToken({ name: "Env", pattern: /env/, longer_alt: Identifier });
export const MindLink = createToken({ name: "MindLink", pattern: /mindLink/, longer_alt: Identifier });

export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "`{`" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "`}`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "`]`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "`;`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });

/**
 * Never produced by the lexer: the depth guard (lexer.ts) replaces a subtree nested deeper than the limit with
 * one of these, so the recursive parser never descends that far. The parser accepts it wherever a value may
 * stand and the AST builder turns it into an ErrorNode.
 */
export const TooDeep = createToken({ name: "TooDeep", pattern: Lexer.NA, label: "a nested value" });

/** Lexer order: whitespace and comments first, keywords before Identifier. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  SingleQuotedString,
  NumberLiteral,
  True,
  False,
  Env,
  MindLink,
  Identifier,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  Colon,
  Comma,
  Semicolon,
  Dot,
];

/** Every token type the parser knows (the lexer's plus the synthetic TooDeep). */
export const parserTokens: TokenType[] = [...allTokens, TooDeep];
