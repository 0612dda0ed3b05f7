// The compiler pipeline: load+parse (src/parse) → structure against the spec (src/check/validate-spec)
// → semantic passes and lowering to a Topology (src/check/analyze). Every stage returns partial results
// plus diagnostics; nothing throws on user input. Generation (src/emit) takes the Topology.
import type { Program } from "./ast.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import type { Topology } from "@hypc/runtime";
import { loadProgram, type FileSystem } from "./parse/load-program.js";
import { validateAgainstSpec } from "./check/validate-spec.js";
import { analyze } from "./check/analyze.js";

export interface CompileOptions {
  /** Defaults to the real file system. Tests pass an in-memory one. */
  readonly fs?: FileSystem;
}

export interface Timings {
  parseMs: number;
  checkMs: number;
}

export interface CompileResult {
  readonly program: Program;
  /** Present when there are no errors (warnings allowed). */
  readonly topology: Topology | undefined;
  /** Sorted by file, then offset, then code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly timings: Timings;
}

export async function compile(entryFiles: readonly string[], options: CompileOptions = {}): Promise<CompileResult> {
  const t0 = performance.now();
  const loaded = await loadProgram(entryFiles, options.fs);
  const t1 = performance.now();
  const structural = validateAgainstSpec(loaded.program);
  const analysis = analyze(loaded.program);
  const t2 = performance.now();
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...structural, ...analysis.diagnostics]);
  const hasErrors = diagnostics.some((d) => d.severity === "error");
  return {
    program: loaded.program,
    topology: hasErrors ? undefined : analysis.topology,
    diagnostics,
    timings: { parseMs: t1 - t0, checkMs: t2 - t1 },
  };
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.span?.file ?? "";
    const fb = b.span?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.span?.start ?? -1;
    const ob = b.span?.start ?? -1;
    if (oa !== ob) return oa - ob;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
