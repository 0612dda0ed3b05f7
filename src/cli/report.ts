// What `hypc check` and `hypc build` share: finding entry files that cannot be read, and printing
// diagnostics as code frames (people) or JSON (tools: stdout stays pure JSON, the summary goes to stderr).
import { stat } from "node:fs/promises";
import { inputFileNotFound } from "../diagnostics/constructors/cli.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderFrames, summaryLine, wantsColor } from "../diagnostics/render-frame.js";
import { renderJson } from "../diagnostics/render-json.js";

export interface CliOutput {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

export type ReportFormat = "text" | "json";

/** Entry files that cannot be read, as HYP9001 diagnostics (imports are the loader's business). */
export async function findUnreadable(files: readonly string[]): Promise<Diagnostic[]> {
  const problems: Diagnostic[] = [];
  for (const file of files) {
    try {
      const info = await stat(file);
      if (info.isDirectory()) problems.push(inputFileNotFound(file, "directory"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(code === "ENOENT" || code === "ENOTDIR" ? inputFileNotFound(file, "missing") : inputFileNotFound(file, "unreadable", code));
    }
  }
  return problems;
}

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  format: ReportFormat | undefined,
  output: CliOutput,
): void {
  if (format === "json") {
    output.stdout.write(renderJson(diagnostics));
    output.stderr.write(summaryLine(diagnostics) + "\n");
    return;
  }
  const text = renderFrames(diagnostics, { sources, color: wantsColor(output.stdout) });
  output.stdout.write(text + (text === "" ? "" : "\n") + summaryLine(diagnostics) + "\n");
}
