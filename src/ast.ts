// The AST of a .hyp configuration: a JSON-like value tree in which every node carries its source span.
// It is deliberately schema-free: the spec (src/spec) gives keys their meaning, the checker reads both.

/** A position range in one source file. Offsets are 0-based UTF-16 indices; line and column are 1-based. */
export interface Span {
  readonly file: string;
  readonly start: number;
  /** Exclusive end offset. */
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

interface NodeBase {
  readonly span: Span;
}

export interface StringNode extends NodeBase {
  readonly kind: "string";
  /** The decoded value (JSON escapes resolved). */
  readonly value: string;
}

export interface NumberNode extends NodeBase {
  readonly kind: "number";
  readonly value: number;
  /** True when written without fraction or exponent (`3`, `-1`), false for `0.05`, `1e3`. */
  readonly integer: boolean;
  /** The literal as written, for messages. */
  readonly raw: string;
}

export interface BooleanNode extends NodeBase {
  readonly kind: "boolean";
  readonly value: boolean;
}

/** `env.NAME`: a value read from the environment at start-up, never at compile time. */
export interface EnvRefNode extends NodeBase {
  readonly kind: "env";
  readonly name: string;
}

export interface ObjectNode extends NodeBase {
  readonly kind: "object";
  readonly members: readonly MemberNode[];
}

export interface ArrayNode extends NodeBase {
  readonly kind: "array";
  readonly items: readonly ValueNode[];
}

/** Stands in for a value the parser could not read; a diagnostic has already been reported for it. */
export interface ErrorNode extends NodeBase {
  readonly kind: "error";
}

export type ValueNode = StringNode | NumberNode | BooleanNode | EnvRefNode | ObjectNode | ArrayNode | ErrorNode;

export interface MemberNode extends NodeBase {
  readonly kind: "member";
  /** The key as decoded: `script.created` for `"script.created"`, `kafka` for `kafka`. */
  readonly key: string;
  readonly keySpan: Span;
  /** Whether the key was written in quotes. */
  readonly quoted: boolean;
  readonly value: ValueNode;
}

/** A top-level block: `messaging { … }`. */
export interface BlockNode extends NodeBase {
  readonly kind: "block";
  readonly name: string;
  readonly nameSpan: Span;
  readonly body: ObjectNode;
}

/** `mindLink "other.hyp";` — HypnoScript's import, resolved relative to the importing file. */
export interface ImportNode extends NodeBase {
  readonly kind: "import";
  /** The path as written. */
  readonly path: string;
  readonly pathSpan: Span;
}

export interface FileNode extends NodeBase {
  readonly kind: "file";
  /** The path as given to the loader (used in every span of this file). */
  readonly path: string;
  readonly imports: readonly ImportNode[];
  readonly blocks: readonly BlockNode[];
}

/** Every file of one configuration, the entry files first, imports in the order they were first reached. */
export interface Program {
  readonly files: readonly FileNode[];
  /** Source text per file path, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
}
