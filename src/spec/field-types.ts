// The little type language of payload and request/reply schema fields:
//   uuid string timestamp integer number boolean object array   (bare object/array: any content)
//   "string?"            optional field (not in JSON Schema `required`)
//   "array<uuid>"        typed array, nests: "array<array<integer>>"
//   "enum<a|b|c>"        one of the listed strings
//   { street: "string", zip: "string?" }   nested object, written as an object literal in the .hyp file
// parseFieldType reads one type string; readFieldType reads a whole AST value (string or object literal).
import type { ObjectNode, StringNode, ValueNode } from "../ast.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";

export const primitiveTypeNames = ["uuid", "string", "timestamp", "integer", "number", "boolean"] as const;
export type PrimitiveTypeName = (typeof primitiveTypeNames)[number];

/** Every word that may start a type, for suggestions and editor completion. */
export const fieldTypeKeywords: readonly string[] = [...primitiveTypeNames, "object", "array", "array<…>", "enum<…>"];

export type FieldType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName; readonly optional: boolean }
  /** `items` absent: a bare `array` of anything. */
  | { readonly kind: "array"; readonly items?: FieldType; readonly optional: boolean }
  | { readonly kind: "enum"; readonly values: readonly string[]; readonly optional: boolean }
  /** `fields` absent: a bare `object` with any content. */
  | { readonly kind: "object"; readonly fields?: readonly FieldTypeField[]; readonly optional: boolean };

export interface FieldTypeField {
  readonly name: string;
  readonly type: FieldType;
}

export interface FieldTypeError {
  /** Plain-words reason, e.g. "`uuidd` is not a type I know". */
  readonly reason: string;
  /** The part of the text that is wrong. */
  readonly found: string;
  /** Corrected full type strings to offer. */
  readonly suggestions: readonly string[];
}

export type FieldTypeResult = { readonly ok: true; readonly type: FieldType } | { readonly ok: false; readonly error: FieldTypeError };

const simpleNames: readonly string[] = [...primitiveTypeNames, "object", "array"];

/** Parses one type string. Never throws. */
export function parseFieldType(text: string): FieldTypeResult {
  const trimmed = text.trim();
  let optional = false;
  let body = trimmed;
  if (body.endsWith("?")) {
    optional = true;
    body = body.slice(0, -1).trimEnd();
  }
  return parseBody(body, optional);
}

function parseBody(body: string, optional: boolean): FieldTypeResult {
  if (body === "") return fail("the type is empty", body, ["string"]);
  if ((primitiveTypeNames as readonly string[]).includes(body)) {
    return { ok: true, type: { kind: "primitive", name: body as PrimitiveTypeName, optional } };
  }
  if (body === "object") return { ok: true, type: { kind: "object", optional } };
  if (body === "array") return { ok: true, type: { kind: "array", optional } };

  const generic = /^([A-Za-z_]\w*)\s*<(.*)>$/s.exec(body);
  if (generic) {
    const head = generic[1] ?? "";
    const inner = (generic[2] ?? "").trim();
    if (head === "array") return parseArray(inner, optional);
    if (head === "enum") return parseEnum(inner, optional);
    const heads = didYouMean(head, ["array", "enum"]);
    return fail(`\`${head}<…>\` is not a type I know; only \`array<…>\` and \`enum<…>\` take parameters`, head, heads.map((h) => `${h}<${inner}>`));
  }
  if (body.includes("<") || body.includes(">")) {
    return fail("the `<` and `>` of this type do not match", body, []);
  }
  const closest = didYouMean(body, simpleNames);
  return fail(`\`${body}\` is not a type I know`, body, closest.map((name) => (optional ? `${name}?` : name)));
}

function parseArray(inner: string, optional: boolean): FieldTypeResult {
  const item = parseFieldType(inner);
  if (!item.ok) {
    return fail(item.error.reason, item.error.found, item.error.suggestions.map((s) => `array<${s}>${optional ? "?" : ""}`));
  }
  if (item.type.optional) {
    return fail("items of an array cannot be optional; mark the whole field optional instead", inner, [
      `array<${inner.replace(/\?\s*$/, "")}>?`,
    ]);
  }
  return { ok: true, type: { kind: "array", items: item.type, optional } };
}

function parseEnum(inner: string, optional: boolean): FieldTypeResult {
  const values = inner.split("|").map((value) => value.trim());
  const cleaned = [...new Set(values.filter((v) => /^[^\s<>|?]+$/.test(v)))];
  const fix = cleaned.length > 0 ? [`enum<${cleaned.join("|")}>${optional ? "?" : ""}`] : [];
  if (values.some((value) => value === "")) return fail("an enum value is empty", inner, fix);
  const bad = values.find((value) => !/^[^\s<>|?]+$/.test(value));
  if (bad !== undefined) return fail(`the enum value \`${bad}\` may not contain spaces, \`<\`, \`>\` or \`?\``, bad, fix);
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  if (duplicate !== undefined) return fail(`the enum value \`${duplicate}\` is listed twice`, duplicate, fix);
  return { ok: true, type: { kind: "enum", values, optional } };
}

function fail(reason: string, found: string, suggestions: readonly string[]): FieldTypeResult {
  return { ok: false, error: { reason, found, suggestions: suggestions.slice(0, 4) } };
}

/** A problem found while reading a field type from the AST: the node it is at and why. */
export interface FieldTypeProblem {
  readonly node: ValueNode;
  /** For invalid type strings. */
  readonly error?: FieldTypeError;
}

/**
 * Reads a field's type from its AST value: a type string or a nested object literal of them.
 * Invalid parts are reported through `onProblem` and left out (the result is partial, never thrown).
 * Returns undefined when the value itself is unusable.
 */
export function readFieldType(node: ValueNode, onProblem: (problem: FieldTypeProblem) => void = () => {}): FieldType | undefined {
  if (node.kind === "string") return readTypeString(node, onProblem);
  if (node.kind === "object") return readObjectType(node, onProblem);
  if (node.kind !== "error") onProblem({ node });
  return undefined;
}

function readTypeString(node: StringNode, onProblem: (problem: FieldTypeProblem) => void): FieldType | undefined {
  const parsed = parseFieldType(node.value);
  if (parsed.ok) return parsed.type;
  onProblem({ node, error: parsed.error });
  return undefined;
}

function readObjectType(node: ObjectNode, onProblem: (problem: FieldTypeProblem) => void): FieldType {
  const fields: FieldTypeField[] = [];
  const seen = new Set<string>();
  for (const member of node.members) {
    // Duplicates are reported by the structural checker; the first one wins here as in `materialize`.
    if (seen.has(member.key)) continue;
    seen.add(member.key);
    const type = readFieldType(member.value, onProblem);
    if (type) fields.push({ name: member.key, type });
  }
  return { kind: "object", fields, optional: false };
}

/** Writes a type back in the mini-language (for messages and docs). */
export function formatFieldType(type: FieldType): string {
  const suffix = type.optional ? "?" : "";
  switch (type.kind) {
    case "primitive":
      return type.name + suffix;
    case "array":
      return (type.items ? `array<${formatFieldType(type.items)}>` : "array") + suffix;
    case "enum":
      return `enum<${type.values.join("|")}>${suffix}`;
    case "object":
      return type.fields ? `{ ${type.fields.map((f) => `${f.name}: ${formatFieldType(f.type)}`).join(", ")} }` : "object" + suffix;
  }
}
