// The lexer (one module-level instance, built once) and the nesting guard that runs on its token stream.
//
// Why a guard on tokens: the parser is recursive descent, so 10,000 nested `{` would overflow the JS stack.
// Counting brackets on the flat token array is cheap and iterative; a subtree deeper than MAX_NESTING is
// replaced by a single synthetic TooDeep token, which the parser accepts as a value.
import { createTokenInstance, Lexer, type IToken } from "chevrotain";
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
export const MAX_NESTING = 256;

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
  /** `{`/`[` tokens never closed, outermost first (used to point at the opener when the file ends early). */
  readonly unclosedOpeners: IToken[];
}

export function lex(text: string): LexResult {
  const result = hypLexer.tokenize(text);
  const unterminated = (result.groups["unterminated"] ?? []).filter(
    (t) => t.tokenType === UnterminatedBlockComment,
  );
  const guarded = guardNesting(result.tokens);
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

function guardNesting(tokens: IToken[]): {
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
  return { tokens: out ?? tokens, tooDeep, unclosedOpeners: open };
}
