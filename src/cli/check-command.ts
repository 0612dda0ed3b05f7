// `hypc check <files...> [--format text|json] [--deny-warnings]`: parse and check, print diagnostics and a
// summary. Exit 0 without errors (warnings allowed), 1 with errors (or warnings under --deny-warnings),
// 2 for usage and I/O problems (a missing input file is a clean HYP9001 message, never a stack trace).
import { Command, Option } from "commander";
import { compile } from "../compile.js";
import { findUnreadable, printDiagnostics, type CliOutput } from "./report.js";

export type CheckOutput = CliOutput;

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
    printDiagnostics(missing, new Map(), options.format, output);
    return 2;
  }
  const result = await compile(files);
  printDiagnostics(result.diagnostics, result.program.sources, options.format, output);
  const errors = result.diagnostics.some((d) => d.severity === "error");
  const warnings = result.diagnostics.some((d) => d.severity === "warning");
  return errors || (options.denyWarnings && warnings) ? 1 : 0;
}
