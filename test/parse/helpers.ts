// Shared helpers for the front-end tests.
import type { BlockNode, FileNode, MemberNode, ObjectNode, Span, ValueNode } from "../../src/ast.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parseSource } from "../../src/parse/parse-source.js";

export function parse(text: string, path = "test.hyp"): { file: FileNode; diagnostics: Diagnostic[] } {
  return parseSource(path, text);
}

/** Parses `messaging { <body> }` and returns the block body. */
export function parseBody(body: string): { object: ObjectNode; diagnostics: Diagnostic[]; text: string } {
  const text = `messaging {\n${body}\n}`;
  const { file, diagnostics } = parse(text);
  const block = file.blocks[0];
  if (!block) throw new Error(`no block parsed from: ${text}`);
  return { object: block.body, diagnostics, text };
}

export function member(object: ObjectNode, key: string): MemberNode {
  const found = object.members.find((m) => m.key === key);
  if (!found) throw new Error(`no member ${key}; have ${object.members.map((m) => m.key).join(", ")}`);
  return found;
}

export function valueOf(object: ObjectNode, key: string): ValueNode {
  return member(object, key).value;
}

export function block(file: FileNode, name: string): BlockNode {
  const found = file.blocks.find((b) => b.name === name);
  if (!found) throw new Error(`no block ${name}`);
  return found;
}

/** The source text a span covers. */
export function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** Recomputes line/column of an offset independently of LineIndex (no \r handling needed for test inputs). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before[before.length - 1] ?? "").length + 1 };
}

/** Asserts a span is internally consistent with the text: offsets in bounds, line/column matching the offsets. */
export function assertValidSpan(text: string, span: Span): void {
  if (!(span.start >= 0 && span.start <= span.end && span.end <= text.length)) {
    throw new Error(`span offsets out of bounds: ${JSON.stringify(span)} (length ${text.length})`);
  }
  const start = positionOf(text, span.start);
  const end = positionOf(text, span.end);
  if (start.line !== span.line || start.column !== span.column || end.line !== span.endLine || end.column !== span.endColumn) {
    throw new Error(`span positions wrong: ${JSON.stringify(span)}; expected ${JSON.stringify({ start, end })}`);
  }
}
