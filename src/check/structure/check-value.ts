// The structural walk: one AST value against one spec node, reporting every HYP2xxx problem and going on
// (a wrong value never stops the check of its siblings). Linear in the size of the input: duplicate
// detection uses one Map per object.
import type { MemberNode, ObjectNode, Span, ValueNode } from "../../ast.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import * as d from "../../diagnostics/constructors/structure.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { readFieldType } from "../../spec/field-types.js";
import { specPaths } from "../../spec/lookup.js";
import type { EnumSpec, MapSpec, NumberSpec, ObjectSpec, SpecNode, StringSpec } from "../../spec/types.js";
import { childPath, describeValue, exampleValue, expectedText, itemPath } from "./describe.js";

export type Report = (diagnostic: Diagnostic) => void;

/**
 * Checks `node` against `spec`. `path` names the value in messages; `anchor` is where a missing required
 * key of this value is reported (the key or block name that holds it).
 */
export function checkValue(node: ValueNode, spec: SpecNode, path: string, anchor: Span, report: Report): void {
  if (node.kind === "error") return; // the parser already reported it
  switch (spec.kind) {
    case "object":
      if (node.kind !== "object") return reportWrongType(node, spec, path, report);
      return checkObject(node, spec, path, anchor, report);
    case "map":
      if (node.kind !== "object") return reportWrongType(node, spec, path, report);
      return checkMap(node, spec, path, report);
    case "array":
      if (node.kind !== "array") return reportWrongType(node, spec, path, report);
      if (spec.minItems !== undefined && node.items.length < spec.minItems) {
        report(d.tooFewItems(path, spec.minItems, node.items.length, "items", node.span));
      }
      node.items.forEach((item, index) => checkValue(item, spec.items, itemPath(path, index), item.span, report));
      if (spec.uniqueItems) checkRepeats(node.items, path, report);
      return;
    case "string":
      if (node.kind !== "string") return reportWrongType(node, spec, path, report);
      return checkPattern(node.value, spec, path, node.span, report);
    case "enum":
      if (node.kind !== "string") return reportWrongType(node, spec, path, report);
      return checkEnum(node.value, spec, path, node.span, report);
    case "env-or-string":
      if (node.kind !== "string" && node.kind !== "env") reportWrongType(node, spec, path, report);
      return;
    case "secret":
      if (node.kind === "string") return report(d.secretAsLiteral(path, node.span, spec.exampleEnv));
      if (node.kind !== "env") reportWrongType(node, spec, path, report);
      return;
    case "integer":
      if (node.kind !== "number" || !node.integer) return reportWrongType(node, spec, path, report);
      return checkRange(node.value, node.raw, spec, path, node.span, report);
    case "decimal":
      if (node.kind !== "number") return reportWrongType(node, spec, path, report);
      return checkRange(node.value, node.raw, spec, path, node.span, report);
    case "boolean":
      if (node.kind !== "boolean") reportWrongType(node, spec, path, report);
      return;
    case "field-type":
      return checkFieldType(node, path, report);
  }
}

function reportWrongType(node: ValueNode, spec: SpecNode, path: string, report: Report): void {
  report(d.wrongType(path, expectedText(spec), describeValue(node), node.span, d.writtenAt(path, exampleValue(spec, node))));
}

/** Reports duplicates (first wins) and returns the first member of every key. */
function uniqueMembers(node: ObjectNode, path: string, report: Report): Map<string, MemberNode> {
  const first = new Map<string, MemberNode>();
  for (const member of node.members) {
    const earlier = first.get(member.key);
    if (earlier) report(d.duplicateKey(member.key, path, member.keySpan, earlier.keySpan));
    else first.set(member.key, member);
  }
  return first;
}

function checkObject(node: ObjectNode, spec: ObjectSpec, path: string, anchor: Span, report: Report): void {
  const members = uniqueMembers(node, path, report);
  const known = Object.keys(spec.fields);
  for (const member of members.values()) {
    const fieldSpec = Object.hasOwn(spec.fields, member.key) ? spec.fields[member.key] : undefined;
    if (!fieldSpec) {
      report(d.unknownKey(member.key, path, member.keySpan, didYouMean(member.key, known), known, pathsOfKey(member.key)));
      continue;
    }
    checkValue(member.value, fieldSpec, childPath(path, member.key), member.keySpan, report);
  }
  for (const [key, fieldSpec] of Object.entries(spec.fields)) {
    if (fieldSpec.required && !members.has(key)) {
      report(d.missingRequiredKey(key, path, anchor, fieldSpec.description, `${key}: ${exampleValue(fieldSpec)}`));
    }
  }
}

let keyIndex: Map<string, string[]> | undefined;

/** Where in the spec a key of this name exists (built once, on the first unknown key). */
function pathsOfKey(key: string): string[] {
  if (!keyIndex) {
    keyIndex = new Map();
    for (const { path } of specPaths()) {
      const name = path.slice(path.lastIndexOf(".") + 1);
      if (name.startsWith("<") || name === "[]") continue;
      const list = keyIndex.get(name) ?? [];
      list.push(path.slice(0, path.lastIndexOf(".")) || "(top level)");
      keyIndex.set(name, list);
    }
  }
  return keyIndex.get(key) ?? [];
}

function checkMap(node: ObjectNode, spec: MapSpec, path: string, report: Report): void {
  const members = uniqueMembers(node, path, report);
  if (spec.minEntries !== undefined && members.size < spec.minEntries) {
    report(d.tooFewItems(path, spec.minEntries, members.size, "entries", node.span));
  }
  for (const member of members.values()) {
    checkValue(member.value, spec.values, childPath(path, member.key), member.keySpan, report);
  }
}

function checkRepeats(items: readonly ValueNode[], path: string, report: Report): void {
  const first = new Map<string, ValueNode>();
  for (const item of items) {
    if (item.kind !== "string" && item.kind !== "number" && item.kind !== "boolean") continue;
    const text = item.kind === "string" ? JSON.stringify(item.value) : String(item.value);
    const earlier = first.get(text);
    if (earlier) report(d.repeatedItem(path, text, item.span, earlier.span));
    else first.set(text, item);
  }
}

function checkPattern(value: string, spec: StringSpec, path: string, span: Span, report: Report): void {
  if (spec.pattern && !spec.pattern.regex.test(value)) {
    report(d.malformedString(path, value, spec.pattern.description, spec.pattern.example, span));
  }
}

function checkEnum(value: string, spec: EnumSpec, path: string, span: Span, report: Report): void {
  if (spec.values.includes(value)) return;
  // A different case is almost surely meant (`"SNAPPY"`): offer it first.
  const sameLetters = spec.values.filter((allowed) => allowed.toLowerCase() === value.toLowerCase());
  const suggestions = [...new Set([...sameLetters, ...didYouMean(value, spec.values)])].slice(0, 4);
  report(d.valueNotAllowed(path, value, spec.values, span, suggestions));
}

function checkRange(value: number, raw: string, spec: NumberSpec, path: string, span: Span, report: Report): void {
  const below = spec.min !== undefined && value < spec.min;
  const above = spec.max !== undefined && value > spec.max;
  if (below || above) {
    const range: { min?: number; max?: number } = {};
    if (spec.min !== undefined) range.min = spec.min;
    if (spec.max !== undefined) range.max = spec.max;
    report(d.valueOutOfRange(path, raw, range, spec.unit, span));
  }
}

function checkFieldType(node: ValueNode, path: string, report: Report): void {
  // Nested objects: check their own duplicate keys, then every field's type.
  if (node.kind === "object") {
    const members = uniqueMembers(node, path, report);
    for (const member of members.values()) checkFieldType(member.value, childPath(path, member.key), report);
    return;
  }
  readFieldType(node, (problem) => {
    if (problem.error && problem.node.kind === "string") {
      report(d.invalidFieldType(path, problem.node.value, problem.error.reason, problem.node.span, problem.error.suggestions));
    } else {
      report(d.wrongType(path, "a type string like `\"uuid\"` or a nested object of them", describeValue(problem.node), problem.node.span, d.writtenAt(path, '"string"')));
    }
  });
}
