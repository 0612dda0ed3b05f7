// CST → AST. A Chevrotain visitor over the generated CST types (grammar/cst.d.ts) that builds src/ast.ts nodes
// with exact spans. It must cope with partial CST nodes from error recovery: any child may be missing, and
// tokens inserted by recovery have no offsets. Those become ErrorNodes or are left out, never a throw.
import type { IToken } from "chevrotain";
import type {
  ArrayNode,
  BlockNode,
  EnvRefNode,
  ErrorNode,
  ImportNode,
  MemberNode,
  ObjectNode,
  ValueNode,
} from "../ast.js";
import type {
  ArrayCstChildren,
  BlockCstChildren,
  EnvRefCstChildren,
  FileCstChildren,
  ImportDeclCstChildren,
  MemberCstChildren,
  ObjectCstChildren,
  ValueCstChildren,
} from "../../grammar/cst.js";
import { hypParser } from "../../grammar/parser.js";
import { tokenEnd } from "../../grammar/lexer.js";
import { StringLiteral, True } from "../../grammar/tokens.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { bareWordValue, envNameMissing, singleQuotedString } from "../diagnostics/constructors/syntax.js";
import type { LineIndex } from "./line-index.js";
import { decodeNumber, decodeString } from "./literals.js";

/** A token the source really contains (recovery-inserted tokens have NaN offsets). */
function real(token: IToken | undefined): token is IToken {
  return token !== undefined && !Number.isNaN(token.startOffset) && token.isInsertedInRecovery !== true;
}

const BaseVisitor = hypParser.getBaseCstVisitorConstructor();

/** Output of visiting one `file` CST (the front end may parse a file in several chunks after top-level errors). */
export interface FileParts {
  readonly imports: ImportNode[];
  readonly blocks: BlockNode[];
}

class AstBuilder extends BaseVisitor {
  private lines!: LineIndex;
  private diagnostics!: Diagnostic[];

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Adds the imports and blocks of one CST chunk to `into`. */
  build(children: FileCstChildren, lines: LineIndex, diagnostics: Diagnostic[], into: FileParts): void {
    this.lines = lines;
    this.diagnostics = diagnostics;
    this.file(children, into);
  }

  file(children: FileCstChildren, into: FileParts): void {
    // Imports and blocks interleave in the source; the CST groups them by kind. Each list stays in source order.
    for (const node of children.importDecl ?? []) {
      const imported = this.importDecl(node.children);
      if (imported) into.imports.push(imported);
    }
    for (const node of children.block ?? []) {
      const block = this.block(node.children);
      if (block) into.blocks.push(block);
    }
  }

  importDecl(children: ImportDeclCstChildren): ImportNode | undefined {
    const keyword = children.MindLink?.[0];
    const path = children.StringLiteral?.[0];
    if (!real(keyword) || !real(path)) return undefined;
    const semicolon = children.Semicolon?.[0];
    const end = real(semicolon) ? tokenEnd(semicolon) : tokenEnd(path);
    return {
      kind: "import",
      path: decodeString(path.image, path.startOffset, this.lines, this.diagnostics),
      pathSpan: this.tokenSpan(path),
      span: this.lines.span(keyword.startOffset, end),
    };
  }

  block(children: BlockCstChildren): BlockNode | undefined {
    const name = children.Identifier?.[0];
    if (!real(name)) return undefined;
    const bodyNode = children.object?.[0];
    const body = bodyNode ? this.object(bodyNode.children, tokenEnd(name)) : this.emptyObject(tokenEnd(name));
    // `key: 2` stranded at the top level parses as a "block" without braces: not a block, leave it out (the
    // parser has reported it). A block whose `{` alone is missing still has members and is kept.
    if (!real(bodyNode?.children.LCurly?.[0]) && body.members.length === 0) return undefined;
    return {
      kind: "block",
      name: name.image,
      nameSpan: this.tokenSpan(name),
      body,
      span: this.lines.span(name.startOffset, Math.max(body.span.end, tokenEnd(name))),
    };
  }

  /** `fallback`: where the object would start if even its `{` is missing. */
  object(children: ObjectCstChildren, fallback: number): ObjectNode {
    const open = children.LCurly?.[0];
    const close = children.RCurly?.[0];
    const members: MemberNode[] = [];
    for (const node of children.member ?? []) {
      const member = this.member(node.children);
      if (member) members.push(member);
    }
    const start = real(open) ? open.startOffset : (members[0]?.span.start ?? fallback);
    const end = real(close) ? tokenEnd(close) : (members[members.length - 1]?.span.end ?? (real(open) ? tokenEnd(open) : start));
    return { kind: "object", members, span: this.lines.span(start, end) };
  }

  member(children: MemberCstChildren): MemberNode | undefined {
    const keyToken = children.key?.[0];
    if (!real(keyToken)) return undefined;
    const quoted = keyToken.tokenType === StringLiteral;
    const key = quoted ? decodeString(keyToken.image, keyToken.startOffset, this.lines, this.diagnostics) : keyToken.image;
    const colon = children.Colon?.[0];
    const afterKey = real(colon) ? tokenEnd(colon) : tokenEnd(keyToken);
    // The member's CST node holds its value's alternatives directly (see grammar/parser.ts).
    const value = this.value(children, afterKey, key);
    return {
      kind: "member",
      key,
      keySpan: this.tokenSpan(keyToken),
      quoted,
      value,
      span: this.lines.span(keyToken.startOffset, Math.max(value.span.end, afterKey)),
    };
  }

  array(children: ArrayCstChildren, fallback: number): ArrayNode {
    const open = children.LBracket?.[0];
    const close = children.RBracket?.[0];
    const items: ValueNode[] = [];
    let cursor = real(open) ? tokenEnd(open) : fallback;
    for (const node of children.value ?? []) {
      const item = this.value(node.children, cursor, undefined);
      items.push(item);
      cursor = item.span.end;
    }
    const start = real(open) ? open.startOffset : (items[0]?.span.start ?? fallback);
    const end = real(close) ? tokenEnd(close) : cursor;
    return { kind: "array", items, span: this.lines.span(start, Math.max(start, end)) };
  }

  /**
   * A value, from an array item's `value` node or a member's own node. `fallback`: offset where an absent value
   * is reported (just after the `:`); `key`: the member's key, for messages about its value.
   */
  value(children: ValueCstChildren, fallback: number, key: string | undefined): ValueNode {
    let token = children.string?.[0];
    if (real(token)) {
      const value = decodeString(token.image, token.startOffset, this.lines, this.diagnostics);
      return { kind: "string", value, span: this.tokenSpan(token) };
    }
    token = children.number?.[0];
    if (real(token)) {
      const decoded = decodeNumber(token.image, token.startOffset, this.lines, this.diagnostics);
      const span = this.tokenSpan(token);
      if (!decoded.ok) return { kind: "error", span };
      return { kind: "number", value: decoded.value, integer: decoded.integer, raw: token.image, span };
    }
    token = children.boolean?.[0];
    if (real(token)) return { kind: "boolean", value: token.tokenType === True, span: this.tokenSpan(token) };
    const object = children.object?.[0];
    if (object) return this.object(object.children, fallback);
    const array = children.array?.[0];
    if (array) return this.array(array.children, fallback);
    const env = children.envRef?.[0];
    if (env) return this.envRef(env.children, fallback);
    token = children.tooDeep?.[0];
    if (real(token)) return { kind: "error", span: this.tokenSpan(token) }; // reported by the nesting guard
    token = children.singleQuoted?.[0];
    if (real(token)) {
      const span = this.tokenSpan(token);
      this.diagnostics.push(singleQuotedString(token.image, span));
      return { kind: "error", span };
    }
    token = children.bareWord?.[0];
    if (real(token)) {
      const span = this.tokenSpan(token);
      this.diagnostics.push(bareWordValue(token.image, key, span));
      return { kind: "error", span };
    }
    // Nothing readable: the parser has reported why.
    return this.errorAt(fallback);
  }

  envRef(children: EnvRefCstChildren, fallback: number): EnvRefNode | ErrorNode {
    const keyword = children.Env?.[0];
    const name = children.Identifier?.[0];
    const start = real(keyword) ? keyword.startOffset : fallback;
    if (!real(name)) {
      const dot = children.Dot?.[0];
      const end = real(dot) ? tokenEnd(dot) : real(keyword) ? tokenEnd(keyword) : start;
      const span = this.lines.span(start, end);
      // A missing `.` was reported by the parser; a missing name after a real dot is reported here.
      if (real(dot)) this.diagnostics.push(envNameMissing(span));
      return { kind: "error", span };
    }
    return { kind: "env", name: name.image, span: this.lines.span(start, tokenEnd(name)) };
  }

  private tokenSpan(token: IToken) {
    return this.lines.span(token.startOffset, tokenEnd(token));
  }

  private errorAt(offset: number): ErrorNode {
    return { kind: "error", span: this.lines.span(offset, offset) };
  }

  private emptyObject(offset: number): ObjectNode {
    return { kind: "object", members: [], span: this.lines.span(offset, offset) };
  }
}

/** One builder for the process (the visitor validates itself against the grammar once, at construction). */
export const astBuilder = new AstBuilder();
