// Chevrotain recognition errors → HYP1xxx diagnostics. The parser's errorMessageProvider serialised what it
// knew (error kind, rule, expected token) as JSON; here that is combined with the offending and previous tokens
// into a message that names the thing and ends with the fix.
import type { IRecognitionException, IToken } from "chevrotain";
import { EOF } from "../../grammar/chevrotain.js";
import type { ParseErrorInfo } from "../../grammar/parser.js";
import { tokenEnd } from "../../grammar/lexer.js";
import {
  Colon,
  Comma,
  Identifier,
  LBracket,
  LCurly,
  NumberLiteral,
  RBracket,
  RCurly,
  SingleQuotedString,
  StringLiteral,
  TooDeep,
} from "../../grammar/tokens.js";
import type { Span } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import {
  missingToken,
  memberAtTopLevel,
  missingValue,
  quote,
  unclosed,
  unexpectedInContainer,
  unexpectedTopLevel,
} from "../diagnostics/constructors/syntax.js";
import type { LineIndex } from "./line-index.js";

export interface ErrorContext {
  readonly lines: LineIndex;
  /** All tokens of the file, in order (to find the token before another). */
  readonly tokens: readonly IToken[];
  /** `{`/`[` never closed (innermost last), from the nesting guard. */
  readonly unclosedOpeners: readonly IToken[];
}

export function isEof(token: IToken | undefined): boolean {
  return token === undefined || token.tokenType === EOF || Number.isNaN(token.startOffset);
}

/** Span of a token; the end of the file for EOF. */
export function spanOfToken(token: IToken | undefined, lines: LineIndex): Span {
  if (isEof(token)) return lines.span(lines.length, lines.length);
  return lines.span(token!.startOffset, tokenEnd(token!));
}

/** "the string `"all"`", "the key `retries`", "`}`", "the end of the file". */
export function describeToken(token: IToken | undefined, next?: IToken): string {
  // Zero-width closers added by the nesting guard stand at the end of the file.
  if (isEof(token) || token!.image === "") return "the end of the file";
  const t = token!;
  switch (t.tokenType) {
    case StringLiteral:
    case SingleQuotedString:
      return next?.tokenType === Colon ? `the key ${quote(t.image)}` : `the string ${quote(t.image)}`;
    case NumberLiteral:
      return `the number ${quote(t.image)}`;
    case TooDeep:
      return "a value nested too deep";
    default:
      if (/^[A-Za-z_]/.test(t.image)) return next?.tokenType === Colon ? `the key ${quote(t.image)}` : `the word ${quote(t.image)}`;
      return quote(t.image);
  }
}

function parseInfo(message: string): ParseErrorInfo | undefined {
  try {
    return JSON.parse(message) as ParseErrorInfo;
  } catch {
    return undefined;
  }
}

/** Index of the token starting at `offset` (binary search; tokens are sorted by offset). */
function indexOfOffset(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = tokens[mid]!.startOffset;
    if (at === offset) return mid;
    if (at < offset) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

function neighbour(ctx: ErrorContext, token: IToken | undefined, delta: number): IToken | undefined {
  if (isEof(token)) return delta < 0 ? ctx.tokens[ctx.tokens.length - 1] : undefined;
  const index = indexOfOffset(ctx.tokens, token!.startOffset);
  return index < 0 ? undefined : ctx.tokens[index + delta];
}

/** The key whose value is being read when `token` (the offending one) is reached, if the previous token is `:`. */
function keyBefore(ctx: ErrorContext, token: IToken | undefined): string | undefined {
  const previous = neighbour(ctx, token, -1);
  if (previous?.tokenType !== Colon) return undefined;
  const key = neighbour(ctx, previous, -1);
  if (!key) return undefined;
  return key.tokenType === StringLiteral ? key.image.slice(1, -1) : key.image;
}

function unclosedDiagnostic(kind: "object" | "array", ctx: ErrorContext, at: Span): Diagnostic | undefined {
  const opener = ctx.unclosedOpeners[ctx.unclosedOpeners.length - 1];
  if (!opener) return undefined;
  const openerKind = opener.tokenType === LBracket ? "array" : "object";
  return unclosed(openerKind === kind ? kind : openerKind, spanOfToken(opener, ctx.lines), at);
}

export function toDiagnostic(error: IRecognitionException, ctx: ErrorContext): Diagnostic {
  const token = error.token;
  const span = spanOfToken(token, ctx.lines);
  const next = isEof(token) ? undefined : neighbour(ctx, token, 1);
  const found = describeToken(token, next);
  const info = parseInfo(error.message);
  if (info?.kind === "mismatch") {
    const previous = neighbour(ctx, token, -1);
    switch (info.expected) {
      case "Colon": {
        const key = previous && previous.tokenType !== Comma ? previous.image : "key";
        // A bare word after the key (`acks all`) needs quotes as well as the colon.
        const shownValue = isEof(token)
          ? "…"
          : token.image.length > 30
            ? "…"
            : token.tokenType === Identifier
              ? `"${token.image}"`
              : token.image;
        return missingToken("a `:`", `after the key ${quote(key)}`, found, span, `Write \`${key}: ${shownValue}\`.`);
      }
      case "Semicolon":
        return missingToken("a `;`", "at the end of the import", found, span, 'Write `mindLink "file.hyp";`.');
      case "StringLiteral":
        return missingToken(
          "the path of the file to import, in double quotes,",
          "after `mindLink`",
          found,
          span,
          'Write `mindLink "file.hyp";` (the path is relative to this file).',
        );
      case "LCurly": {
        const name = previous?.tokenType === Identifier ? previous.image : "name";
        if (token.tokenType === Colon && previous && neighbour(ctx, token, 1)?.tokenType !== LCurly) {
          return memberAtTopLevel(name, spanOfToken(previous, ctx.lines));
        }
        const help =
          token.tokenType === Colon
            ? `Top-level blocks have no \`:\`: write \`${name} { … }\`.`
            : `Write \`${name} { … }\` with the block's members between the braces.`;
        return missingToken("a `{`", `after the block name ${quote(name)}`, found, span, help);
      }
      case "RCurly":
      case "RBracket": {
        const kind = info.expected === "RCurly" ? "object" : "array";
        if (isEof(token)) return unclosedDiagnostic(kind, ctx, span) ?? unexpectedInContainer(kind, found, span);
        return unexpectedInContainer(kind, found, span);
      }
      case "EOF":
        // Chevrotain's re-sync in the top-level repetition skipped stray text up to the next block.
        return unexpectedTopLevel(found, span, token.tokenType === RCurly || token.tokenType === RBracket);
      case "Dot":
        return missingToken(
          "a `.`",
          "after `env`",
          found,
          span,
          'Write `env.NAME` to read the environment variable NAME; for the text "env" write `"env"`.',
        );
      case "Identifier":
        if (info.rule === "envRef") {
          return missingToken(
            "the name of an environment variable",
            "after `env.`",
            found,
            span,
            "Write `env.NAME`, e.g. `env.KAFKA_USERNAME`.",
          );
        }
        break;
      default:
        break;
    }
    return missingToken(`\`${info.expected}\``, "here", found, span, "Check the text just before this point.");
  }
  // The value alternatives live in `member` (inlined) and in `value` (array items).
  if (info?.kind === "noViableAlt" && (info.rule === "value" || info.rule === "member")) {
    if (isEof(token)) {
      const unclosedHere = unclosedDiagnostic("object", ctx, span);
      if (unclosedHere) return unclosedHere;
    }
    return missingValue(keyBefore(ctx, token), found, span);
  }
  // Any other shape (not produced by this grammar today): still a located, readable error.
  return missingToken("something else", "here", found, span, "Check the text just before this point.");
}
