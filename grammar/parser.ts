// The .hyp grammar as a Chevrotain CstParser (rules as typed class fields, like Chevrotain's ecma5 example).
// One instance is built per process (`hypParser` below): performSelfAnalysis is expensive, parsing is not.
//
//   file       := ( importDecl | block )*
//   importDecl := "mindLink" String ";"
//   block      := Identifier object
//   object     := "{" ( member ","? )* "}"        commas optional: newline-separated members are the norm
//   member     := key ":" value                   key = identifier, keyword or quoted string
//                                                 (value inlined into member: see the rule)
//   array      := "[" ( value ","? )* "]"
//   value      := String | Number | true | false | envRef | object | array
//               | Identifier   (a bare word: not valid, accepted so the AST builder can say "put it in quotes")
//               | 'single'     (same idea)  | TooDeep (synthetic, see lexer.ts)
//   envRef     := "env" "." Identifier           (no space around the dot)
//
// Error recovery is Chevrotain's (single-token insertion/deletion, re-sync inside repetitions and between
// rules). Error messages are built by the front end from structured data: `errorMessageProvider` below only
// serialises what Chevrotain knows, src/parse/syntax-errors.ts turns it into Elm-style diagnostics.
import type { CstNode, IOrAlt, IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import {
  Colon,
  Comma,
  Dot,
  Env,
  False,
  Identifier,
  LBracket,
  LCurly,
  MindLink,
  NumberLiteral,
  parserTokens,
  RBracket,
  RCurly,
  Semicolon,
  SingleQuotedString,
  StringLiteral,
  TooDeep,
  True,
} from "./tokens.js";

/** What a parse error message carries (JSON in the Chevrotain exception's `message`). */
export type ParseErrorInfo =
  | { readonly kind: "mismatch"; readonly expected: string; readonly rule: string }
  | { readonly kind: "noViableAlt"; readonly rule: string }
  | { readonly kind: "earlyExit"; readonly rule: string }
  | { readonly kind: "notAllInput"; readonly rule: string };

/** Thrown (through Chevrotain) when a file has so many errors that going on is pointless. */
export class TooManyParseErrors extends Error {
  constructor() {
    super("too many parse errors");
    this.name = "TooManyParseErrors";
  }
}

/** Chevrotain may build a few messages for errors it then recovers from silently; leave headroom over the cap. */
const HARD_ERROR_LIMIT = 150;

class StructuredMessages implements IParserErrorMessageProvider {
  built = 0;

  private count(info: ParseErrorInfo): string {
    this.built++;
    if (this.built > HARD_ERROR_LIMIT) throw new TooManyParseErrors();
    return JSON.stringify(info);
  }

  buildMismatchTokenMessage(options: { expected: TokenType; ruleName: string }): string {
    return this.count({ kind: "mismatch", expected: options.expected.name, rule: options.ruleName });
  }

  buildNotAllInputParsedMessage(options: { ruleName: string }): string {
    return this.count({ kind: "notAllInput", rule: options.ruleName });
  }

  buildNoViableAltMessage(options: { ruleName: string }): string {
    return this.count({ kind: "noViableAlt", rule: options.ruleName });
  }

  buildEarlyExitMessage(options: { ruleName: string }): string {
    return this.count({ kind: "earlyExit", rule: options.ruleName });
  }
}

export class HypParser extends CstParser {
  readonly messages: StructuredMessages;

  constructor() {
    const messages = new StructuredMessages();
    super(parserTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages });
    this.messages = messages;
    this.performSelfAnalysis();
  }

  /**
   * Performance patch of a Chevrotain internal (tree_builder.js): it creates each CST node's `children` with
   * `Object.create(null)`, which V8 keeps in slow dictionary mode; on large files that dominated parse time
   * (allocation and GC). A plain object literal is a fast-mode object. Safe because no child key of this
   * grammar (rule names, token names, labels) is a property of Object.prototype; test/grammar/cst-patch.test.ts
   * checks that and that the patched method is still the one Chevrotain calls.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push({ name: fullRuleName, children: {} });
  }

  /** Parses a token array from the start; resets all state (errors, recovery, the message counter). */
  parseTokens(tokens: IToken[]) {
    this.messages.built = 0;
    this.input = tokens;
    return this.file();
  }

  /** Gate of the bare-word alternative: a word followed by `:` is the next key, not a value. */
  private readonly notAKey = (): boolean => this.LA(2).tokenType !== Colon;

  // The alternatives of the ORs every member and array item goes through, built once instead of on every call
  // (an array of up to ten objects and closures per member was a large part of parse time and garbage; the
  // pattern of Chevrotain's performance guide). Declared here, before the rules, so the instance keeps one shape.
  private memberKeyAlts: IOrAlt<unknown>[] | undefined = undefined;
  private memberValueAlts: IOrAlt<unknown>[] | undefined = undefined;
  private itemAlts: IOrAlt<unknown>[] | undefined = undefined;

  /**
   * A value's alternatives, for a member (inline) and an array item. `occurrence`: Chevrotain's index (CONSUME =
   * 0, CONSUME2 = 2) of the tokens a member's key may be too (string, true, false, identifier).
   */
  private valueAlternatives(occurrence: 0 | 2): IOrAlt<unknown>[] {
    return [
      { ALT: () => this.consume(occurrence, StringLiteral, { LABEL: "string" }) },
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "number" }) },
      { ALT: () => this.consume(occurrence, True, { LABEL: "boolean" }) },
      { ALT: () => this.consume(occurrence, False, { LABEL: "boolean" }) },
      { ALT: () => this.SUBRULE(this.envRef) },
      { ALT: () => this.SUBRULE(this.object) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.CONSUME(TooDeep, { LABEL: "tooDeep" }) },
      { ALT: () => this.CONSUME(SingleQuotedString, { LABEL: "singleQuoted" }) },
      // A bare word, unless it is the next member's key (`acks:` with its value forgotten): then no value fits and
      // the error says so, instead of eating the key.
      { GATE: this.notAKey, ALT: () => this.consume(occurrence, Identifier, { LABEL: "bareWord" }) },
    ];
  }

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.block) },
      ]);
    });
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(MindLink);
    this.CONSUME(StringLiteral);
    this.CONSUME(Semicolon);
  });

  block = this.RULE("block", () => {
    this.CONSUME(Identifier);
    this.SUBRULE(this.object);
  });

  object = this.RULE("object", () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.SUBRULE(this.member);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RCurly);
  });

  member = this.RULE("member", () => {
    // Keys are identifiers, keywords or quoted strings, all labelled `key`. (Not a token category: Chevrotain's
    // re-sync compares follow sets by exact token type, and a category there made recovery skip whole blocks.)
    this.OR(
      (this.memberKeyAlts ??= [
        { ALT: () => this.CONSUME(Identifier, { LABEL: "key" }) },
        { ALT: () => this.CONSUME(StringLiteral, { LABEL: "key" }) },
        { ALT: () => this.CONSUME(True, { LABEL: "key" }) },
        { ALT: () => this.CONSUME(False, { LABEL: "key" }) },
        { ALT: () => this.CONSUME(Env, { LABEL: "key" }) },
        { ALT: () => this.CONSUME(MindLink, { LABEL: "key" }) },
      ]),
    );
    this.CONSUME(Colon);
    // The value inline rather than as a `value` sub-rule: one CST node per member instead of two. Most members
    // hold a scalar, and CST allocation is most of the parse time on large files.
    // Occurrence 2 for the tokens the key's alternatives consumed already.
    this.OR2((this.memberValueAlts ??= this.valueAlternatives(2)));
  });

  array = this.RULE("array", () => {
    this.CONSUME(LBracket);
    this.MANY(() => {
      this.SUBRULE(this.value);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RBracket);
  });

  /** An array item: the same alternatives as a member's value. */
  value = this.RULE("value", () => {
    this.OR((this.itemAlts ??= this.valueAlternatives(0)));
  });

  envRef = this.RULE("envRef", () => {
    this.CONSUME(Env);
    this.CONSUME(Dot);
    // The name must follow the dot directly: `env.` at the end of a line must not take the next line's key as
    // its name. Without it the AST builder reports the missing name.
    this.OPTION({
      GATE: () => this.LA(1).startOffset === this.LA(0).startOffset + this.LA(0).image.length,
      DEF: () => this.CONSUME(Identifier),
    });
  });
}

/** The one parser instance of the process. Not re-entrant, but parsing is synchronous, so it never needs to be. */
export const hypParser = new HypParser();
