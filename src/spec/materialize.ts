// AST + spec → plain JSON with the spec's defaults applied, in the snake_case shapes of
// runtime/src/topology.ts (MessagingConfig, GuaranteesConfig, MonitoringConfig, …). `env.NAME` becomes
// `{ env: "NAME" }`. Tolerant: values of the wrong type, unknown keys and duplicates (all reported by the
// structural checker) are skipped — the first occurrence of a key wins — and defaults fill the gap.
import type { ObjectNode, Program, ValueNode } from "../ast.js";
import { mergeBlocks } from "./merge-blocks.js";
import { rootSpec } from "./root.js";
import type { SpecNode } from "./types.js";

export type Json = string | number | boolean | null | { env: string } | Json[] | { [key: string]: Json };

/**
 * The value of `node` read as `spec` says, defaults applied. `node` undefined means "the key is absent".
 * Returns undefined for an absent key without default (or an optional object/map that is absent).
 */
export function materialize(node: ValueNode | undefined, spec: SpecNode): Json | undefined {
  if (node === undefined || node.kind === "error") return fromDefault(spec);
  switch (spec.kind) {
    case "object":
      return node.kind === "object" ? materializeObject(node, spec.fields) : fromDefault(spec);
    case "map":
      return node.kind === "object" ? materializeMap(node, spec.values) : fromDefault(spec);
    case "array":
      return node.kind === "array"
        ? node.items.map((item) => materialize(item, spec.items)).filter((item): item is Json => item !== undefined)
        : fromDefault(spec);
    case "string":
    case "enum":
      return node.kind === "string" ? node.value : fromDefault(spec);
    case "env-or-string":
    case "secret":
      // A literal secret is an error (HYP2008) but still carried, so later passes see what was written.
      if (node.kind === "env") return { env: node.name };
      return node.kind === "string" ? node.value : fromDefault(spec);
    case "integer":
      return node.kind === "number" && node.integer ? node.value : fromDefault(spec);
    case "decimal":
      return node.kind === "number" ? node.value : fromDefault(spec);
    case "boolean":
      return node.kind === "boolean" ? node.value : fromDefault(spec);
    case "field-type":
      return rawFieldType(node) ?? fromDefault(spec);
  }
}

function materializeObject(node: ObjectNode, fields: Readonly<Record<string, SpecNode>>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, fieldSpec] of Object.entries(fields)) {
    const member = node.members.find((m) => m.key === key);
    const value = materialize(member?.value, fieldSpec);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function materializeMap(node: ObjectNode, values: SpecNode): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const member of node.members) {
    if (Object.hasOwn(out, member.key)) continue;
    const value = materialize(member.value, values);
    if (value !== undefined) out[member.key] = value;
  }
  return out;
}

/** A field type as written: the type string, or a nested object of them. */
function rawFieldType(node: ValueNode): Json | undefined {
  if (node.kind === "string") return node.value;
  if (node.kind !== "object") return undefined;
  const out: { [key: string]: Json } = {};
  for (const member of node.members) {
    if (Object.hasOwn(out, member.key)) continue;
    const value = rawFieldType(member.value);
    if (value !== undefined) out[member.key] = value;
  }
  return out;
}

/** What an absent key becomes. */
export function fromDefault(spec: SpecNode): Json | undefined {
  switch (spec.kind) {
    case "object":
      return spec.optional || spec.required ? undefined : materializeObject({ kind: "object", members: [], span: emptySpan }, spec.fields);
    case "map":
      return spec.optional || spec.required ? undefined : {};
    case "array":
      return spec.default === undefined ? undefined : [...spec.default];
    case "secret":
      return undefined;
    default:
      return spec.default;
  }
}

const emptySpan = { file: "", start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Every block of the spec, materialized from the (merged) blocks of a program. Absent blocks get defaults. */
export function materializeProgram(program: Program): { [block: string]: Json | undefined } {
  const merged = mergeBlocks(program);
  const out: { [block: string]: Json | undefined } = {};
  for (const [name, spec] of Object.entries(rootSpec.fields)) {
    out[name] = materialize(merged.get(name)?.body, spec);
  }
  return out;
}
