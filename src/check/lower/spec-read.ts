// Reading config objects from the AST the way the spec says: `read` materializes with the spec's defaults
// (src/spec/materialize.ts); `overlay` is a fast path for the per-entry objects large configurations have
// thousands of; `sub` picks a nested object of a materialized one.
import type { ObjectNode } from "../../ast.js";
import { rootSpec } from "../../spec/root.js";
import type { SpecNode } from "../../spec/types.js";
import { materialize, type Json } from "../../spec/materialize.js";

export type Obj = { readonly [key: string]: Json };

/**
 * The spec node at `path`, one segment per level (a map consumes exactly one segment, so nested maps such
 * as `events.<Group>.<Event>` are unambiguous, unlike lookupSpec's dotted-key matching).
 */
function specAt(path: readonly string[]): SpecNode | undefined {
  let node: SpecNode | undefined = rootSpec;
  for (const segment of path) {
    if (!node) return undefined;
    if (node.kind === "object") node = Object.hasOwn(node.fields, segment) ? node.fields[segment] : undefined;
    else if (node.kind === "map") node = node.values;
    else if (node.kind === "array") node = node.items;
    else return undefined;
  }
  return node;
}

/** Materialize the object at `node` as the spec node at `path` says (any segment for a map key). */
export function read(node: ObjectNode | undefined, path: readonly string[]): Obj {
  const spec = specAt(path);
  const value = spec ? materialize(node, spec) : undefined;
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {};
}

/**
 * Fast path for the per-entry objects a large configuration has thousands of (routes, handlers, retry
 * policies): the spec's defaults for `path` (computed once), overlaid with the scalar values written in
 * `node` whose JSON type matches the default's. Wrong types were reported structurally and fall back to
 * the default, as in `materialize`.
 */
const defaultsCache = new Map<string, Obj>();
export function overlay(node: ObjectNode | undefined, path: readonly string[]): Obj {
  const cacheKey = path.join("\u0000");
  let defaults = defaultsCache.get(cacheKey);
  if (!defaults) {
    defaults = read(undefined, path);
    defaultsCache.set(cacheKey, defaults);
  }
  if (!node) return { ...defaults };
  const out: Record<string, Json> = { ...defaults };
  const seen = new Set<string>();
  for (const m of node.members) {
    if (seen.has(m.key)) continue;
    seen.add(m.key);
    const v = m.value;
    if ((v.kind === "string" || v.kind === "number" || v.kind === "boolean") && (!(m.key in defaults) || typeof defaults[m.key] === typeof v.value)) {
      out[m.key] = v.value;
    }
  }
  return out;
}

export function sub(obj: Obj | undefined, key: string): Obj {
  const v = obj?.[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

