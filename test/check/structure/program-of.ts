// Test helper: a Program from in-memory sources, parsed by the real parser (no loader, no imports).
import type { Program } from "../../../src/ast.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { parseSource } from "../../../src/parse/parse-source.js";

export function programOf(...sources: (string | { path: string; text: string })[]): { program: Program; syntax: Diagnostic[] } {
  const files = sources.map((source, index) => (typeof source === "string" ? { path: `test-${index}.hyp`, text: source } : source));
  const parsed = files.map((f) => parseSource(f.path, f.text));
  return {
    program: { files: parsed.map((p) => p.file), sources: new Map(files.map((f) => [f.path, f.text])) },
    syntax: parsed.flatMap((p) => p.diagnostics),
  };
}
