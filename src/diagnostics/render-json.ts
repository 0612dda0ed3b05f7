// `--format json`: an array of objects with a fixed set of keys (absent parts are null or []), so tools
// can rely on the shape. Positions: 1-based line/column, 0-based UTF-16 offsets, end exclusive.
import type { Span } from "../ast.js";
import { codes } from "./codes.js";
import type { Diagnostic } from "./diagnostic.js";

export interface JsonRange {
  readonly start: { readonly line: number; readonly column: number; readonly offset: number };
  readonly end: { readonly line: number; readonly column: number; readonly offset: number };
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly title: string | null;
  readonly message: string;
  readonly file: string | null;
  readonly range: JsonRange | null;
  readonly label: string | null;
  readonly secondary: readonly { readonly file: string; readonly range: JsonRange; readonly message: string }[];
  readonly help: string | null;
  readonly suggestions: readonly string[];
}

export function toJsonDiagnostic(diagnostic: Diagnostic): JsonDiagnostic {
  const info = (codes as Record<string, { title: string } | undefined>)[diagnostic.code];
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    title: info?.title ?? null,
    message: diagnostic.message,
    file: diagnostic.span?.file ?? null,
    range: diagnostic.span ? range(diagnostic.span) : null,
    label: diagnostic.label ?? null,
    secondary: (diagnostic.secondary ?? []).map((s) => ({ file: s.span.file, range: range(s.span), message: s.message })),
    help: diagnostic.help ?? null,
    suggestions: [...(diagnostic.suggestions ?? [])],
  };
}

/** Pretty-printed JSON array followed by a newline. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(toJsonDiagnostic), null, 2) + "\n";
}

function range(span: Span): JsonRange {
  return {
    start: { line: span.line, column: span.column, offset: span.start },
    end: { line: span.endLine, column: span.endColumn, offset: span.end },
  };
}
