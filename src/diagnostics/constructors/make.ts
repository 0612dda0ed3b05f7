// Shared builder of the structure and CLI constructors: fills severity from the registry and leaves
// optional fields out when empty, so JSON output and goldens stay minimal and stable.
import type { Span } from "../../ast.js";
import type { Diagnostic, Label } from "../diagnostic.js";
import { codes, type Code } from "../codes.js";

export interface DiagnosticExtras {
  readonly label?: string;
  readonly secondary?: readonly Label[];
  readonly help?: string;
  readonly suggestions?: readonly string[];
}

export function makeDiagnostic(code: Code, message: string, span: Span | undefined, extra: DiagnosticExtras = {}): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { code, severity: codes[code].severity, message };
  if (span) d.span = span;
  if (extra.label !== undefined) d.label = extra.label;
  if (extra.secondary && extra.secondary.length > 0) d.secondary = extra.secondary;
  if (extra.help !== undefined) d.help = extra.help;
  if (extra.suggestions && extra.suggestions.length > 0) d.suggestions = extra.suggestions.slice(0, 4);
  return d;
}

/** `a`, `b` and `c` — for lists inside sentences. */
export function quoteList(items: readonly string[], conjunction = "or"): string {
  const quoted = items.map((item) => `\`${item}\``);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1]}`;
}
