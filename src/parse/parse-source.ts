// The front end's façade: source text → FileNode + diagnostics. Never throws on any input.
//
// Steps: lex (unknown characters, unterminated comments), guard nesting on the token stream, parse with
// Chevrotain's recovery, resume after stray top-level text (Chevrotain stops there), build the AST, then
// merge, de-duplicate and cap the diagnostics.
import type { IRecognitionException, IToken } from "chevrotain";
import { EOF } from "../../grammar/chevrotain.js";
import type { FileNode } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import {
  nestingTooDeep,
  tooManyErrors,
  unclosed,
  unexpectedTopLevel,
  unknownCharacters,
  unterminatedBlockComment,
} from "../diagnostics/constructors/syntax.js";
import { lex, MAX_NESTING } from "../../grammar/lexer.js";
import { hypParser, TooManyParseErrors } from "../../grammar/parser.js";
import { Identifier, LCurly, MindLink, RBracket, RCurly } from "../../grammar/tokens.js";
import { astBuilder, type FileParts } from "./build-ast.js";
import { LineIndex } from "./line-index.js";
import { describeToken, spanOfToken, toDiagnostic, type ErrorContext } from "./syntax-errors.js";

/** Syntax errors reported per file before giving up with HYP1090. */
export const MAX_SYNTAX_ERRORS = 100;

export function parseSource(path: string, text: string): { file: FileNode; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(path, text);
  const lexed = lex(text);
  const diagnostics: Diagnostic[] = [];

  // Only the first errors can be reported (see finish); binary input has millions of unknown characters.
  const unknownRuns = lexed.unknownCharacters.slice(0, MAX_SYNTAX_ERRORS + 1);
  for (const problem of unknownRuns) {
    const chars = text.slice(problem.offset, problem.offset + problem.length);
    diagnostics.push(unknownCharacters(chars, lines.span(problem.offset, problem.offset + problem.length)));
  }
  for (const comment of lexed.unterminatedComments) {
    diagnostics.push(unterminatedBlockComment(lines.span(comment.startOffset, comment.startOffset + 2)));
  }
  const innermostUnclosed = lexed.unclosedOpeners[lexed.unclosedOpeners.length - 1];
  if (innermostUnclosed) {
    const kind = innermostUnclosed.tokenType === LCurly ? "object" : "array";
    const opener = lines.span(innermostUnclosed.startOffset, innermostUnclosed.startOffset + 1);
    // "The file ends here" right after its last visible character, not on the empty line after it.
    const end = text.trimEnd().length;
    diagnostics.push(unclosed(kind, opener, lines.span(end, end)));
  }
  for (const region of lexed.tooDeep) {
    diagnostics.push(nestingTooDeep(MAX_NESTING, lines.span(region.start, region.start + 1)));
  }

  const parts: FileParts = { imports: [], blocks: [] };
  const context: ErrorContext = { lines, tokens: lexed.tokens, unclosedOpeners: lexed.unclosedOpeners };
  const parseDiagnostics: Diagnostic[] = [];
  parseAll(lexed.tokens, context, parts, parseDiagnostics);

  const suppressed = tokensRightAfterLexErrors(lexed.tokens, unknownRuns);
  for (const d of parseDiagnostics) {
    if (d.span && suppressed.has(d.span.start)) continue;
    diagnostics.push(d);
  }

  const file: FileNode = {
    kind: "file",
    path,
    imports: parts.imports,
    blocks: parts.blocks,
    span: lines.span(0, text.length),
  };
  return { file, diagnostics: finish(diagnostics) };
}

/**
 * Parses the whole token stream. Chevrotain's re-sync at the top level skips stray text up to the next
 * identifier; where it cannot, it stops with "not all input parsed". We report that and resume at the next
 * thing that looks like a block (`name {`) or an import, so later blocks are still read.
 */
function parseAll(tokens: IToken[], ctx: ErrorContext, parts: FileParts, out: Diagnostic[]): void {
  let rest = tokens;
  const astDiagnostics: Diagnostic[] = [];
  for (;;) {
    let errors: IRecognitionException[];
    let stopped = false;
    try {
      const cst = hypParser.parseTokens(rest);
      errors = hypParser.errors;
      astBuilder.build(cst.children as Parameters<typeof astBuilder.build>[0], ctx.lines, astDiagnostics, parts);
    } catch (error) {
      if (!(error instanceof TooManyParseErrors)) throw error;
      // Hopeless input: keep what was reported, skip the AST of this chunk.
      errors = hypParser.errors;
      stopped = true;
    }
    let resumeAt: IToken | undefined;
    for (const error of errors) {
      if (error.name === "NotAllInputParsedException") {
        resumeAt = error.token;
        continue;
      }
      out.push(toDiagnostic(error, ctx));
    }
    // After the parser's: where both report the same place (`acks all`: missing `:` and a bare word), the
    // parser's message comes first and wins (see finish).
    out.push(...astDiagnostics.splice(0));
    if (stopped || resumeAt === undefined || resumeAt.tokenType === EOF || out.length > MAX_SYNTAX_ERRORS) return;

    const strayCloser = resumeAt.tokenType === RCurly || resumeAt.tokenType === RBracket;
    out.push(unexpectedTopLevel(describeToken(resumeAt), spanOfToken(resumeAt, ctx.lines), strayCloser));
    const index = rest.indexOf(resumeAt);
    if (index < 0) return;
    let next = index + 1;
    while (next < rest.length && !startsTopLevelItem(rest, next)) next++;
    if (next >= rest.length) return;
    rest = rest.slice(next);
  }
}

function startsTopLevelItem(tokens: readonly IToken[], index: number): boolean {
  const token = tokens[index]!;
  if (token.tokenType === MindLink) return true;
  return token.tokenType === Identifier && tokens[index + 1]?.tokenType === LCurly;
}

/**
 * Offsets of tokens that directly follow an unknown character. A parser error there is a consequence of the
 * same typo (`acks = "all"` → the `=` and a "missing `:`"); reporting the character alone is clearer.
 */
function tokensRightAfterLexErrors(
  tokens: readonly IToken[],
  problems: readonly { offset: number; length: number }[],
): Set<number> {
  const result = new Set<number>();
  let t = 0;
  for (const problem of problems) {
    const end = problem.offset + problem.length;
    while (t < tokens.length && tokens[t]!.startOffset < end) t++;
    const token = tokens[t];
    if (token) result.add(token.startOffset);
  }
  return result;
}

/** Sorted by offset, one error per offset, at most MAX_SYNTAX_ERRORS errors plus a closing note. */
function finish(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start ?? 0) - (b.d.span?.start ?? 0) || a.i - b.i)
    .map((x) => x.d);
  // One error per place: a second error at the same offset is a consequence of the first.
  const errorAt = new Set<number>();
  const result: Diagnostic[] = [];
  let errors = 0;
  for (const d of sorted) {
    if (d.severity === "error") {
      const at = d.span?.start ?? -1;
      if (errorAt.has(at)) continue;
      errorAt.add(at);
      if (errors === MAX_SYNTAX_ERRORS) {
        if (d.span) result.push(tooManyErrors(MAX_SYNTAX_ERRORS, d.span));
        break;
      }
      errors++;
    }
    result.push(d);
  }
  return result;
}
