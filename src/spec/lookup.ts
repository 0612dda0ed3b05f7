// Finding spec nodes by key path, and listing every path (docs, completion, the seed-coverage test).
import { rootSpec } from "./root.js";
import type { SpecNode } from "./types.js";

/**
 * The spec node of a key path such as `messaging.kafka.producer.acks`,
 * `event_producers.ScriptEventProducer.events.script.created.topic` (map keys may contain dots),
 * `event_consumers.X.topics.[].name` or `…topics[0].name`. Placeholders like `<Group>` match map keys.
 * Pass an array of segments to avoid any dot ambiguity. Undefined when no key has that path.
 */
export function lookupSpec(path: string | readonly string[], root: SpecNode = rootSpec): SpecNode | undefined {
  const segments = typeof path === "string" ? splitPath(path) : path;
  return walk(root, segments, 0);
}

function splitPath(path: string): string[] {
  if (path === "") return [];
  // `topics[0].name` and `topics.[].name` both become topics / [] / name.
  return path.replace(/\[(\d*)\]/g, ".[]").split(".").filter((segment) => segment !== "");
}

function walk(node: SpecNode, segments: readonly string[], index: number): SpecNode | undefined {
  if (index === segments.length) return node;
  const segment = segments[index]!;
  switch (node.kind) {
    case "object": {
      const field = Object.hasOwn(node.fields, segment) ? node.fields[segment] : undefined;
      return field ? walk(field, segments, index + 1) : undefined;
    }
    case "array":
      return segment === "[]" || /^\d+$/.test(segment) ? walk(node.items, segments, index + 1) : undefined;
    case "map": {
      // A user-chosen key may itself contain dots (`script.created`): try the shortest key that leads on.
      for (let end = index + 1; end <= segments.length; end++) {
        const found = walk(node.values, segments, end);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export interface SpecPath {
  /** Dotted path with placeholders: `events.<Group>.<Event>.payload.<field>`, `…topics.[].name`. */
  readonly path: string;
  readonly spec: SpecNode;
}

/** Every key path of the spec, depth first in declaration order. */
export function specPaths(root: SpecNode = rootSpec): SpecPath[] {
  const out: SpecPath[] = [];
  const visit = (node: SpecNode, path: string): void => {
    if (path !== "") out.push({ path, spec: node });
    const join = (segment: string) => (path === "" ? segment : `${path}.${segment}`);
    if (node.kind === "object") for (const [key, child] of Object.entries(node.fields)) visit(child, join(key));
    else if (node.kind === "map") visit(node.values, join(node.keyName));
    else if (node.kind === "array" && (node.items.kind === "object" || node.items.kind === "map")) visit(node.items, join("[]"));
  };
  visit(root, "");
  return out;
}

/**
 * The keys that may be written inside the value at `path` (for editor completion): the fields of an
 * object, nothing for a map (its keys are the user's), the item fields for a list of objects.
 */
export function keysAt(path: string | readonly string[]): { key: string; spec: SpecNode }[] {
  let node = lookupSpec(path);
  if (node?.kind === "array") node = node.items;
  if (node?.kind !== "object") return [];
  return Object.entries(node.fields).map(([key, spec]) => ({ key, spec }));
}
