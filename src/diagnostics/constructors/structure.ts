// Constructors of the HYP2xxx diagnostics: the configuration against the spec (src/spec). One function per
// code; src/check/validate-spec.ts calls them. Voice: plain words, name the key by its path, end with the fix.
import type { Span } from "../../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { makeDiagnostic, quoteList } from "./make.js";

/**
 * How a fixed value is written at `path`: `acks: "all"` for a key, just `"all"` for a list item
 * (`…bootstrap_servers[1]`). Exported for the structural checker's examples.
 */
export function writtenAt(path: string, value: string): string {
  if (path.endsWith("]")) return value;
  const last = /(?:^|\.)("(?:[^"\\]|\\.)*"|[^.]+)$/.exec(path)?.[1] ?? path;
  return `${last}: ${value}`;
}

/** `acks` in `messaging.kafka.producer`, or the block name at top level. */
const where = (key: string, parent: string): string => (parent === "" ? `\`${key}\`` : `\`${key}\` in \`${parent}\``);

export function unknownBlock(name: string, span: Span, suggestions: readonly string[], known: readonly string[]): Diagnostic {
  return makeDiagnostic("HYP2001", `I do not know a block called \`${name}\`.`, span, {
    label: "unknown block",
    help:
      suggestions.length > 0
        ? `Rename it to \`${suggestions[0]}\`, or remove it.`
        : `A configuration is made of these blocks: ${quoteList(known)}. Rename or remove this one.`,
    suggestions,
  });
}

/**
 * `elsewhere`: spec paths where a key of this name does exist (it may have been put at the wrong level).
 */
export function unknownKey(
  key: string,
  parent: string,
  span: Span,
  suggestions: readonly string[],
  known: readonly string[],
  elsewhere: readonly string[] = [],
): Diagnostic {
  const shown = known.length > 12 ? [...known.slice(0, 12), "…"] : known;
  const moved =
    elsewhere.length === 1
      ? `\`${key}\` is a key of \`${elsewhere[0]}\`; move it there, or remove it.`
      : `\`${key}\` is a key of ${quoteList(elsewhere.slice(0, 3))}${elsewhere.length > 3 ? " and other places" : ""}; move it to the right one, or remove it.`;
  return makeDiagnostic("HYP2002", `I do not know the key ${where(key, parent)}.`, span, {
    label: "unknown key",
    help:
      suggestions.length > 0
        ? `Rename it to \`${suggestions[0]}\`, or remove it.`
        : elsewhere.length > 0
          ? moved
          : known.length > 0
          ? `\`${parent}\` accepts ${quoteList(shown)}. Rename or remove this key.`
          : `\`${parent}\` accepts no keys. Remove this one.`,
    suggestions,
  });
}

export function wrongType(path: string, expected: string, found: string, span: Span, example: string): Diagnostic {
  return makeDiagnostic("HYP2003", `\`${path}\` must be ${expected}, but I found ${found}.`, span, {
    label: `expected ${expected}`,
    help: `Write it like this: \`${example}\`.`,
  });
}

export function valueNotAllowed(path: string, value: string, allowed: readonly string[], span: Span, suggestions: readonly string[]): Diagnostic {
  return makeDiagnostic("HYP2004", `\`${path}\` cannot be \`"${value}"\`; it must be one of ${quoteList(allowed)}.`, span, {
    label: "not an allowed value",
    help: `Write \`${writtenAt(path, `"${suggestions[0] ?? allowed[0] ?? ""}"`)}\`${suggestions.length > 0 ? "" : ", or another of the values above"}.`,
    suggestions,
  });
}

export function valueOutOfRange(path: string, raw: string, range: { min?: number; max?: number }, unit: string | undefined, span: Span): Diagnostic {
  // A ratio is a plain number (0..1); other units are said after the number.
  const u = unit && unit !== "ratio" ? ` ${unit}` : "";
  const bounds =
    range.min !== undefined && range.max !== undefined
      ? `between ${range.min} and ${range.max}${u}`
      : range.min !== undefined
        ? `at least ${range.min}${u}`
        : `at most ${range.max}${u}`;
  const value = Number(raw);
  const nearest = range.min !== undefined && value < range.min ? range.min : (range.max ?? range.min ?? 0);
  return makeDiagnostic("HYP2005", `\`${path}\` is ${raw}${u}, but it must be ${bounds}.`, span, {
    label: `must be ${bounds}`,
    help: `Use a value ${bounds}, for example \`${writtenAt(path, String(nearest))}\`.`,
  });
}

export function duplicateKey(key: string, parent: string, span: Span, first: Span): Diagnostic {
  return makeDiagnostic("HYP2006", `The key ${where(key, parent)} is given twice.`, span, {
    label: "given again here",
    secondary: [{ span: first, message: "first given here" }],
    help: `Keep one of the two \`${key}\` entries and delete the other (blocks spread over several files are merged, their keys are not).`,
  });
}

export function missingRequiredKey(key: string, parent: string, span: Span, description: string, example: string): Diagnostic {
  const what = description.charAt(0).toLowerCase() + description.slice(1);
  return makeDiagnostic("HYP2007", `\`${parent}\` is missing the required key \`${key}\`: ${what}.`, span, {
    label: `\`${key}\` is missing`,
    help: `Add \`${example}\` to \`${parent}\`.`,
  });
}

export function secretAsLiteral(path: string, span: Span, envName: string): Diagnostic {
  return makeDiagnostic("HYP2008", `\`${path}\` is a secret, but it is written here as plain text.`, span, {
    label: "secret in plain text",
    help: `Secrets come from the environment at start-up, so they never end up in files or generated code: write \`${writtenAt(path, `env.${envName}`)}\`.`,
  });
}

export function invalidFieldType(path: string, text: string, reason: string, span: Span, suggestions: readonly string[]): Diagnostic {
  return makeDiagnostic("HYP2009", `The type \`"${text}"\` of \`${path}\` is not valid: ${reason}.`, span, {
    label: "invalid type",
    help:
      (suggestions.length > 0 ? `Write \`"${suggestions[0]}"\`. ` : "") +
      "Field types are `uuid`, `string`, `timestamp`, `integer`, `number`, `boolean`, `object`, `array`, `array<T>`, `enum<a|b>` " +
      "or a nested `{ … }`; add `?` for an optional field.",
    suggestions,
  });
}

export function malformedString(path: string, value: string, form: string, example: string, span: Span): Diagnostic {
  return makeDiagnostic("HYP2010", `\`${path}\` is \`"${value}"\`, but it must be ${form}.`, span, {
    label: `not ${form}`,
    help: `Write it like this: \`${writtenAt(path, `"${example}"`)}\`.`,
  });
}

export function repeatedItem(path: string, item: string, span: Span, first: Span): Diagnostic {
  return makeDiagnostic("HYP2012", `\`${item}\` appears twice in \`${path}\`.`, span, {
    label: "repeated here",
    secondary: [{ span: first, message: "first listed here" }],
    help: `Delete the repeated \`${item}\`; listing it once has the same effect.`,
  });
}

export function tooFewItems(path: string, min: number, found: number, what: "items" | "entries", span: Span): Diagnostic {
  const need = min === 1 ? (what === "items" ? "at least one item" : "at least one entry") : `at least ${min} ${what}`;
  return makeDiagnostic("HYP2011", `\`${path}\` needs ${need}, but ${found === 0 ? "it is empty" : `it has ${found}`}.`, span, {
    label: `needs ${need}`,
    help: `Add ${need} to \`${path}\`.`,
  });
}
