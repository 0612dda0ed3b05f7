// Words for the structural diagnostics: what a value is, what the spec expects, an example that fixes it,
// and how a key path is printed.
import type { ValueNode } from "../../ast.js";
import type { SpecNode } from "../../spec/types.js";

/** `messaging.kafka` + `acks` → `messaging.kafka.acks`; keys that are not plain words are quoted. */
export function childPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  return parent === "" ? segment : `${parent}.${segment}`;
}

export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** The value as the user wrote it, in words: "the string `"3"`", "an object", … */
export function describeValue(node: ValueNode): string {
  switch (node.kind) {
    case "string":
      return `the string \`${JSON.stringify(node.value.length > 40 ? node.value.slice(0, 37) + "..." : node.value)}\``;
    case "number":
      return `the number \`${node.raw}\``;
    case "boolean":
      return `\`${node.value}\``;
    case "env":
      return `the environment reference \`env.${node.name}\``;
    case "object":
      return "an object `{ … }`";
    case "array":
      return "a list `[ … ]`";
    case "error":
      return "an unreadable value";
  }
}

export function expectedText(spec: SpecNode): string {
  switch (spec.kind) {
    case "string":
    case "enum":
      return "a string";
    case "env-or-string":
      return "a string or `env.NAME`";
    case "secret":
      return "an environment reference `env.NAME`";
    case "integer":
      return "a whole number";
    case "decimal":
      return "a number";
    case "boolean":
      return "`true` or `false`";
    case "array":
      return "a list `[ … ]`";
    case "object":
    case "map":
      return "an object `{ … }`";
    case "field-type":
      return "a type string like `\"uuid\"` or a nested object of them";
  }
}

/** A value that would be accepted, preferring what the user meant (`"30000"` → `30000`). */
export function exampleValue(spec: SpecNode, written?: ValueNode): string {
  switch (spec.kind) {
    case "integer":
    case "decimal": {
      if (written?.kind === "string" && written.value.trim() !== "" && Number.isFinite(Number(written.value))) {
        const n = Number(written.value);
        return String(spec.kind === "integer" ? Math.round(n) : n);
      }
      if (written?.kind === "number" && spec.kind === "integer") return String(Math.round(written.value));
      return String(spec.default ?? spec.min ?? 1);
    }
    case "boolean":
      if (written?.kind === "string" && (written.value === "true" || written.value === "false")) return written.value;
      return String(spec.default ?? true);
    case "enum": {
      if (written?.kind === "number" && spec.values.includes(written.raw)) return JSON.stringify(written.raw);
      return JSON.stringify(spec.default ?? spec.values[0] ?? "");
    }
    case "string":
      if (written?.kind === "number" || written?.kind === "boolean") return JSON.stringify(String(written.value));
      return JSON.stringify(spec.default ?? spec.pattern?.example ?? "…");
    case "env-or-string":
      return spec.default !== undefined ? JSON.stringify(spec.default) : "env.NAME";
    case "secret":
      return `env.${spec.exampleEnv}`;
    case "array":
      return spec.default !== undefined ? JSON.stringify(spec.default) : `[${exampleValue(spec.items)}]`;
    case "object":
    case "map":
      return "{ … }";
    case "field-type":
      return JSON.stringify(spec.default ?? "string");
  }
}
