// The lexer (one module-level instance, built once) and the nesting guard that runs on its token stream.
//
// Why a guard on tokens: the parser is recursive descent, so 10,000 nested `{` would overflow the JS stack.
// Counting brackets on the flat token array is cheap and iterative; a subtree deeper than MAX_NESTING is
// replaced by a single synthetic TooDeep token, which the parser accepts as a value.
import type { IToken } from "chevrotain";
import { createTokenInstance, Lexer } from "./chevrotain.js";
import {
  allTokens,
  LBracket,
  LCurly,
  RBracket,
  RCurly,
  TooDeep,
  UnterminatedBlockComment,
} from "./tokens.js";

/** Objects/arrays nested deeper than this are cut off with a diagnostic. */
export const MAX_NESTING = 100;

const hypLexer = new Lexer(allTokens, {
  // Offsets only: line/column are computed from offsets by the front end's line index, which is cheaper
  // than Chevrotain tracking them per token, and the same code then locates sub-token positions (escapes).
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
});

export interface LexProblem {
  readonly offset: number;
  readonly length: number;
}

export interface TooDeepRegion {
  /** Offset of the `{`/`[` that went past the limit. */
  readonly start: number;
  /** Exclusive end offset of the cut-off subtree. */
  readonly end: number;
}

export interface LexResult {
  /** Tokens for the parser (comments and whitespace removed, too-deep subtrees replaced). */
  readonly tokens: IToken[];
  /** Runs of characters no token matches. */
  readonly unknownCharacters: LexProblem[];
  /** `/*` comments that never close. */
  readonly unterminatedComments: IToken[];
  readonly tooDeep: TooDeepRegion[];
  /**
   * `{`/`[` tokens never closed, outermost first. The token stream gets a zero-width closer for each at the end
   * of the file, so the parser keeps every member; the front end reports the innermost one.
   */
  readonly unclosedOpeners: IToken[];
}

export function lex(text: string): LexResult {
  const result = hypLexer.tokenize(text);
  const unterminated = (result.groups["unterminated"] ?? []).filter(
    (t) => t.tokenType === UnterminatedBlockComment,
  );
  const guarded = guardNesting(result.tokens, text.length);
  return {
    tokens: guarded.tokens,
    unknownCharacters: result.errors.map((e) => ({ offset: e.offset, length: e.length })),
    unterminatedComments: unterminated,
    tooDeep: guarded.tooDeep,
    unclosedOpeners: guarded.unclosedOpeners,
  };
}

/** Exclusive end offset. Offset-only tokens carry no endOffset; synthetic ones (TooDeep) do. */
export function tokenEnd(token: IToken): number {
  const end = token.endOffset;
  return end !== undefined && !Number.isNaN(end) ? end + 1 : token.startOffset + token.image.length;
}

function isOpener(token: IToken): boolean {
  return token.tokenType === LCurly || token.tokenType === LBracket;
}

function isCloser(token: IToken): boolean {
  return token.tokenType === RCurly || token.tokenType === RBracket;
}

function guardNesting(tokens: IToken[], textLength: number): {
  tokens: IToken[];
  tooDeep: TooDeepRegion[];
  unclosedOpeners: IToken[];
} {
  const open: IToken[] = [];
  const tooDeep: TooDeepRegion[] = [];
  // Copied lazily: the common case (no cut) returns the lexer's array untouched.
  let out: IToken[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isOpener(token)) {
      if (open.length >= MAX_NESTING) {
        out ??= tokens.slice(0, i);
        let depth = 1;
        let last = token;
        let j = i + 1;
        for (; j < tokens.length && depth > 0; j++) {
          const inner = tokens[j]!;
          if (isOpener(inner)) depth++;
          else if (isCloser(inner)) depth--;
          last = inner;
        }
        const end = tokenEnd(last);
        out.push(createTokenInstance(TooDeep, token.image, token.startOffset, end - 1, NaN, NaN, NaN, NaN));
        tooDeep.push({ start: token.startOffset, end });
        i = j - 1;
        continue;
      }
      open.push(token);
    } else if (isCloser(token)) {
      open.pop();
    }
    out?.push(token);
  }
  // Close what the file left open, with zero-width closers at its end. The parser then never has to recover
  // at the end of the file from hundreds of open levels (Chevrotain's re-sync there is deeply recursive);
  // the front end reports the unclosed opener itself.
  if (open.length > 0) {
    out ??= tokens.slice();
    for (let k = open.length - 1; k >= 0; k--) {
      const closer = open[k]!.tokenType === LCurly ? RCurly : RBracket;
      out.push(createTokenInstance(closer, "", textLength, NaN, NaN, NaN, NaN, NaN));
    }
  }
  return { tokens: out ?? tokens, tooDeep, unclosedOpeners: open };
}
