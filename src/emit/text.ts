// Every string that came from a .hyp file is data. It reaches generated code only through these helpers:
// as a string literal (quoted and escaped) or inside a comment (made unable to end the comment).

/**
 * A TypeScript string literal for `value`. JSON.stringify escapes quotes, backslashes and control characters;
 * U+2028/U+2029 are escaped as well because they end a `//` comment line in which a literal may be echoed.
 * Backticks and `${` are inert inside double quotes. A backslash is written `\u005c`, not `\\`: ts-morph's
 * code writer mistakes the `\"` of `"\\"` for an escaped quote, loses track of the string and then treats
 * a later `/*` inside it as a comment (found by the property test in test/emit/strings.property.test.ts).
 */
export function stringLiteral(value: string): string {
  return escapeForWriter(JSON.stringify(value));
}

function escapeForWriter(json: string): string {
  return json.replace(/\\\\/g, "\\u005c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text safe inside a `/** … *\/` doc comment or a `//` line: no comment end, no line breaks. */
export function commentText(value: string): string {
  return value
    .replace(/\*\//g, "*\\/")
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/[\u0000-\u001f\u007f]/g, "?");
}

/** Doc comment text quoting a user string: `name` shown as data. */
export function quoted(value: string): string {
  return "`" + commentText(value).replace(/`/g, "'") + "`";
}

/** A property name: bare when it is a plain identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/**
 * A TypeScript literal for a JSON-compatible value with unquoted identifier keys, as a person would write it.
 * Strings go through stringLiteral; non-finite numbers cannot occur in a checked configuration and become null.
 */
export function tsLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${propertyName(k)}: ${tsLiteral(v)}`);
    return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
  }
  return "null";
}

/**
 * tsLiteral laid out like prettier lays out data (120 columns, 2-space indent, trailing commas): a value that
 * fits on the rest of its line stays on it, otherwise it is broken one member per line. Used for the large
 * data modules, which are then not passed through prettier (formatting megabytes of data dominated builds).
 */
export function prettyLiteral(value: unknown, indent = 0, used = 0, width = 120): string {
  const flat = tsLiteral(value);
  if (indent * 2 + used + flat.length <= width || typeof value !== "object" || value === null) return flat;
  const pad = "  ".repeat(indent + 1);
  const close = "  ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => `${pad}${prettyLiteral(item, indent + 1, 1)},`);
    return `[\n${items.join("\n")}\n${close}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const members = entries.map(([k, v]) => {
    const key = `${propertyName(k)}: `;
    return `${pad}${key}${prettyLiteral(v, indent + 1, key.length + 1)},`;
  });
  return `{\n${members.join("\n")}\n${close}}`;
}
