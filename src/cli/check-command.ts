// `hypc check <files...> [--format text|json] [--deny-warnings]`: parse and check, print diagnostics and a
// summary. Exit 0 without errors (warnings allowed), 1 with errors (or warnings under --deny-warnings),
// 2 for usage and I/O problems (a missing input file is a clean HYP9001 message, never a stack trace).
import { stat } from "node:fs/promises";
import { Command, Option } from "commander";
import { compile } from "../compile.js";
import { inputFileNotFound } from "../diagnostics/constructors/cli.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderFrames, summaryLine, wantsColor } from "../diagnostics/render-frame.js";
import { renderJson } from "../diagnostics/render-json.js";

export interface CheckOutput {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

interface CheckOptions {
  readonly format: "text" | "json";
  readonly denyWarnings?: boolean;
}

export function registerCheckCommand(
  program: Command,
  setExit: (code: number) => void,
  output: CheckOutput = { stdout: process.stdout, stderr: process.stderr },
): void {
  program
    .command("check")
    .description("Check .hyp files and report problems without generating code")
    .argument("<files...>", ".hyp files to check (their mindLink imports are followed)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--deny-warnings", "exit with 1 when there are warnings")
    .action(async (files: string[], options: CheckOptions) => {
      setExit(await runCheck(files, options, output));
    });
}

export async function runCheck(files: readonly string[], options: CheckOptions, output: CheckOutput): Promise<number> {
  const missing = await findUnreadable(files);
  if (missing.length > 0) {
    print(missing, new Map(), options, output);
    return 2;
  }
  const result = await compile(files);
  print(result.diagnostics, result.program.sources, options, output);
  const errors = result.diagnostics.some((d) => d.severity === "error");
  const warnings = result.diagnostics.some((d) => d.severity === "warning");
  return errors || (options.denyWarnings && warnings) ? 1 : 0;
}

function print(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: CheckOptions, output: CheckOutput): void {
  if (options.format === "json") {
    // stdout stays pure JSON for tools; the summary goes to stderr for people.
    output.stdout.write(renderJson(diagnostics));
    output.stderr.write(summaryLine(diagnostics) + "\n");
    return;
  }
  const text = renderFrames(diagnostics, { sources, color: wantsColor(output.stdout) });
  output.stdout.write(text + (text === "" ? "" : "\n") + summaryLine(diagnostics) + "\n");
}

/** Entry files that cannot be read, as HYP9001 diagnostics (imports are the loader's business). */
async function findUnreadable(files: readonly string[]): Promise<Diagnostic[]> {
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
