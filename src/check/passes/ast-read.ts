// Tolerant readers over the schema-free AST. The structural checker (src/check/validate-spec.ts) has
// already reported wrong types, so every reader here returns `undefined` for anything malformed and the
// semantic passes simply skip it: one mistake, one diagnostic.
import type { ArrayNode, MemberNode, NumberNode, ObjectNode, Span, ValueNode } from "../../ast.js";

/** A string value together with where it was written. */
export interface Str {
  readonly value: string;
  readonly span: Span;
}

export function member(obj: ObjectNode | undefined, key: string): MemberNode | undefined {
  if (!obj) return undefined;
  for (const m of obj.members) if (m.key === key) return m;
  return undefined;
}

export function objectAt(obj: ObjectNode | undefined, key: string): ObjectNode | undefined {
  const v = member(obj, key)?.value;
  return v?.kind === "object" ? v : undefined;
}

export function arrayAt(obj: ObjectNode | undefined, key: string): ArrayNode | undefined {
  const v = member(obj, key)?.value;
  return v?.kind === "array" ? v : undefined;
}

export function strAt(obj: ObjectNode | undefined, key: string): Str | undefined {
  return asStr(member(obj, key)?.value);
}

export function asStr(v: ValueNode | undefined): Str | undefined {
  return v?.kind === "string" ? { value: v.value, span: v.span } : undefined;
}

export function numAt(obj: ObjectNode | undefined, key: string): NumberNode | undefined {
  const v = member(obj, key)?.value;
  return v?.kind === "number" ? v : undefined;
}

export function boolAt(obj: ObjectNode | undefined, key: string): boolean | undefined {
  const v = member(obj, key)?.value;
  return v?.kind === "boolean" ? v.value : undefined;
}

/** Members whose value is an object: the entries of a map such as `event_producers { Name: {…} }`. */
export function objectMembers(obj: ObjectNode | undefined): { member: MemberNode; value: ObjectNode }[] {
  const out: { member: MemberNode; value: ObjectNode }[] = [];
  if (!obj) return out;
  for (const m of obj.members) if (m.value.kind === "object") out.push({ member: m, value: m.value });
  return out;
}

/** The string items of an array, skipping anything else. */
export function stringItems(arr: ArrayNode | undefined): Str[] {
  const out: Str[] = [];
  if (!arr) return out;
  for (const item of arr.items) if (item.kind === "string") out.push({ value: item.value, span: item.span });
  return out;
}

/** Plain JSON of a value: env refs become `{ env: NAME }`, broken values are left out. */
export function toPlain(v: ValueNode): unknown {
  switch (v.kind) {
    case "string":
    case "number":
    case "boolean":
      return v.value;
    case "env":
      return { env: v.name };
    case "array":
      return v.items.filter((i) => i.kind !== "error").map(toPlain);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const m of v.members) {
        // First occurrence wins: duplicates are the structural checker's to report.
        if (m.value.kind !== "error" && !(m.key in out)) out[m.key] = toPlain(m.value);
      }
      return out;
    }
    case "error":
      return undefined;
  }
}
