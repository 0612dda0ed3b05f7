// How configuration names become TypeScript names. Names used verbatim (event, producer, handler, publisher
// names) must already be identifiers; snake/kebab names (exchanges, channels, DLQ groups) are PascalCased.
// Whether a name is acceptable is decided here; the diagnostics are raised by the NameRegistry's caller.

const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await " +
    // Predefined type names: `type string = …` is an error, `interface any` too.
    "any boolean never number object string symbol undefined unknown bigint"
  ).split(" "),
);

/** ASCII identifiers only: what every editor, grep and code review treats the same way. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !reservedWords.has(name);
}

/** `script_validation` → `ScriptValidation`, `dead-letter.queue` → `DeadLetterQueue`. Undefined if nothing usable. */
export function pascalCase(name: string): string | undefined {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  const result = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
  return isIdentifier(result) ? result : undefined;
}

/** `ScriptCreated` → `scriptCreated`, `script_validation` → `scriptValidation`. */
export function camelCase(name: string): string | undefined {
  const pascal = pascalCase(name);
  if (pascal === undefined) return undefined;
  // Leading acronyms stay readable: `DLQErrorAnalysis` → `dlqErrorAnalysis`.
  const match = /^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/.exec(pascal);
  const head = match ? match[0].toLowerCase() : "";
  const result = head + pascal.slice(head.length);
  return isIdentifier(result) ? result : "_" + result;
}
