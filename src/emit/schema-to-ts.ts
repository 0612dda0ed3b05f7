// TypeScript types derived from the JSON Schemas in the Topology (not from the field-type mini-language), so
// the generated types agree with the validators by construction. Everything is readonly: messages are facts.
import { propertyName, stringLiteral } from "./text.js";

type Schema = { readonly [key: string]: unknown };

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);

/** Deep schemas are legal JSON Schema but unreadable types; past this depth a value is `unknown`. */
const maxDepth = 32;

export function schemaToType(schema: unknown, depth = 0): string {
  if (schema === true || !isSchema(schema) || depth > maxDepth) return "unknown";
  if ("const" in schema) return literalType(schema["const"]);
  const enumValues = schema["enum"];
  if (Array.isArray(enumValues)) return union(enumValues.map(literalType));
  for (const combinator of ["anyOf", "oneOf"] as const) {
    const options = schema[combinator];
    if (Array.isArray(options)) return union(options.map((option) => schemaToType(option, depth + 1)));
  }
  const type = schema["type"];
  if (Array.isArray(type)) return union(type.map((t) => (typeof t === "string" ? typeFor(t, schema, depth) : "unknown")));
  if (typeof type === "string") return typeFor(type, schema, depth);
  if (isSchema(schema["properties"])) return typeFor("object", schema, depth);
  return "unknown";
}

/** The members of an object schema, for an `interface` body; undefined when the schema is no object with properties. */
export function objectMembers(schema: unknown, depth = 0): { name: string; type: string; optional: boolean }[] | undefined {
  if (!isSchema(schema) || !isSchema(schema["properties"])) return undefined;
  if (schema["type"] !== undefined && schema["type"] !== "object") return undefined;
  const required = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r) => typeof r === "string") : []);
  return Object.entries(schema["properties"]).map(([name, property]) => ({
    name: propertyName(name),
    type: schemaToType(property, depth + 1),
    optional: !required.has(name),
  }));
}

function typeFor(type: string, schema: Schema, depth: number): string {
  switch (type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array": {
      const items = schema["items"];
      return `readonly (${items === undefined ? "unknown" : schemaToType(items, depth + 1)})[]`;
    }
    case "object": {
      const members = objectMembers({ ...schema, type: "object" }, depth);
      if (members === undefined || members.length === 0) return "{ readonly [key: string]: unknown }";
      return `{ ${members.map((m) => `readonly ${m.name}${m.optional ? "?" : ""}: ${m.type};`).join(" ")} }`;
    }
    default:
      return "unknown";
  }
}

function literalType(value: unknown): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean" || value === null) return String(value);
  return "unknown";
}

function union(types: readonly string[]): string {
  const unique = [...new Set(types)];
  if (unique.length === 0) return "never";
  if (unique.includes("unknown")) return "unknown";
  return unique.length === 1 ? unique[0]! : unique.map((t) => (t.startsWith("readonly") ? `(${t})` : t)).join(" | ");
}
