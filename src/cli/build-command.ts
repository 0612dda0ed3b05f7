// `hypc build <files...> --out <dir> [--check] [--timings] [--format text|json]`: check, generate, format and
// write the TypeScript modules. Writes only files whose content changed and removes generated files that are
// no longer produced. `--check` writes nothing and exits 1 listing each stale, missing or extra file; when
// every header's input hash still matches the sources it names, it answers without compiling at all.
// Exit codes: 0 ok (warnings allowed), 1 errors or stale output, 2 usage and I/O problems.
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import { outputNotWritable } from "../diagnostics/constructors/emit.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderJson } from "../diagnostics/render-json.js";
import { findUnreadable, printDiagnostics, type CliOutput } from "./report.js";
import type { Formatter } from "../emit/format.js";
import type { GeneratedFile } from "../emit/generate.js";
import { generatedFileNames } from "../emit/file-names.js";
import { hashInputs, isUnmodified, parseHeader, type SourceInput } from "../emit/header.js";

export type BuildOutput = CliOutput;

export interface BuildOptions {
  readonly out: string;
  readonly check?: boolean;
  readonly timings?: boolean;
  readonly format?: "text" | "json";
}

export interface BuildPhaseTimings {
  parse: number;
  check: number;
  generate: number;
  format: number;
  write: number;
}

export function registerBuildCommand(
  program: Command,
  setExit: (code: number) => void,
  output: BuildOutput = { stdout: process.stdout, stderr: process.stderr },
): void {
  program
    .command("build")
    .description("Check .hyp files and generate typed TypeScript modules into --out")
    .argument("<files...>", ".hyp files (their mindLink imports are followed)")
    .requiredOption("--out <dir>", "directory for the generated modules")
    .option("--check", "write nothing; exit 1 if the generated files are stale, missing or extra")
    .option("--timings", "print the time of each phase (parse, check, generate, format, write)")
    .addOption(new Option("--format <format>", "diagnostics format").choices(["text", "json"]).default("text"))
    .action(async (files: string[], options: BuildOptions) => {
      setExit(await runBuild(files, options, output));
    });
}

export async function runBuild(files: readonly string[], options: BuildOptions, output: BuildOutput): Promise<number> {
  const timings: BuildPhaseTimings = { parse: 0, check: 0, generate: 0, format: 0, write: 0 };
  const outDir = path.resolve(options.out);
  // Sorted: the order of files on the command line must not change the output.
  const entries = [...new Set(files)].sort();

  const unreadable = await findUnreadable(entries);
  if (unreadable.length > 0) {
    printDiagnostics(unreadable, new Map(), options.format, output);
    return 2;
  }
  if (options.check && (await upToDateByHash(entries, outDir))) {
    if (options.format === "json") output.stdout.write(renderJson([]));
    (options.format === "json" ? output.stderr : output.stdout).write(`${displayPath(outDir)} is up to date (input hash unchanged).\n`);
    printTimings(timings, options, output);
    return 0;
  }

  // Loaded on demand: the generator pulls in ts-morph, prettier and ajv, which `hypc check` and the
  // --check fast path never need (they dominated the CLI's start-up time). The formatter starts first: it
  // loads and warms up prettier in a worker while this thread parses, checks and generates.
  const { startFormatter } = await import("../emit/format.js");
  const formatter = startFormatter();
  try {
    return await buildWith(formatter, entries, outDir, options, output, timings);
  } finally {
    await formatter.close();
  }
}

async function buildWith(
  formatter: Formatter,
  entries: readonly string[],
  outDir: string,
  options: BuildOptions,
  output: BuildOutput,
  timings: BuildPhaseTimings,
): Promise<number> {
  const [{ compile }, { generate }] = await Promise.all([import("../compile.js"), import("../emit/generate.js")]);
  const result = await compile(entries);
  timings.parse = result.timings.parseMs;
  timings.check = result.timings.checkMs;
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  let generatedFiles: readonly GeneratedFile[] = [];
  if (result.topology !== undefined) {
    const sources: SourceInput[] = [...result.program.sources].map(([file, content]) => ({ path: relativeTo(outDir, file), content }));
    const generated = await generate({ topology: result.topology, sources, program: result.program }, formatter);
    timings.generate = generated.timings.generateMs;
    timings.format = generated.timings.formatMs;
    diagnostics.push(...generated.diagnostics);
    generatedFiles = generated.files;
  }
  const hasErrors = diagnostics.some((d) => d.severity === "error");
  if (diagnostics.length > 0 || options.format === "json") printDiagnostics(diagnostics, result.program.sources, options.format, output);
  if (hasErrors) {
    output.stderr.write("No files were written: fix the errors above first.\n");
    printTimings(timings, options, output);
    return 1;
  }

  const t0 = performance.now();
  // With --format json, stdout carries only the JSON diagnostics; status lines go to stderr.
  const status = options.format === "json" ? output.stderr : output.stdout;
  const code = options.check ? await checkOutput(generatedFiles, outDir, status) : await writeOutput(generatedFiles, outDir, options, output, status);
  timings.write = performance.now() - t0;
  printTimings(timings, options, output);
  return code;
}

/**
 * The fast path of --check: every expected file exists, is exactly as hypc wrote it (output hash) and its
 * input hash matches the sources it names as they are now.
 */
async function upToDateByHash(entries: readonly string[], outDir: string): Promise<boolean> {
  const extra = await generatedFilesIn(outDir);
  if (extra.some((name) => !(generatedFileNames as readonly string[]).includes(name))) return false;
  let expectedHash: string | undefined;
  for (const name of generatedFileNames) {
    const text = await readFile(path.join(outDir, name), "utf8").catch(() => undefined);
    const header = text === undefined ? undefined : parseHeader(text);
    if (header === undefined || text === undefined || !isUnmodified(text)) return false;
    if (expectedHash === undefined) {
      // The entry files must be among the recorded sources, or the output belongs to another configuration.
      const recorded = new Set(header.sources);
      if (!entries.every((entry) => recorded.has(relativeTo(outDir, entry)))) return false;
      const sources: SourceInput[] = [];
      for (const source of header.sources) {
        const content = await readFile(path.resolve(outDir, source), "utf8").catch(() => undefined);
        if (content === undefined) return false;
        sources.push({ path: source, content });
      }
      expectedHash = hashInputs(sources);
    }
    if (header.inputHash !== expectedHash) return false;
  }
  return true;
}

type Stream = BuildOutput["stdout"];

async function checkOutput(files: readonly GeneratedFile[], outDir: string, status: Stream): Promise<number> {
  const problems: string[] = [];
  for (const file of files) {
    const existing = await readFile(path.join(outDir, file.path), "utf8").catch(() => undefined);
    if (existing === undefined) problems.push(`missing: ${file.path}`);
    else if (existing !== file.content) problems.push(`stale:   ${file.path}`);
  }
  const expected = new Set(files.map((f) => f.path));
  for (const name of await generatedFilesIn(outDir)) if (!expected.has(name)) problems.push(`extra:   ${name}`);
  if (problems.length === 0) {
    status.write(`${displayPath(outDir)} is up to date.\n`);
    return 0;
  }
  status.write(`${displayPath(outDir)} is out of date; run \`hypc build\` without --check:\n${problems.map((p) => `  ${p}\n`).join("")}`);
  return 1;
}

async function writeOutput(
  files: readonly GeneratedFile[],
  outDir: string,
  options: BuildOptions,
  output: BuildOutput,
  status: Stream,
): Promise<number> {
  const written: string[] = [];
  const removed: string[] = [];
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    printDiagnostics([outputNotWritable(displayPath(outDir), errorCode(error))], new Map(), options.format, output);
    return 2;
  }
  for (const file of files) {
    const target = path.join(outDir, file.path);
    const existing = await readFile(target, "utf8").catch(() => undefined);
    if (existing === file.content) continue;
    try {
      await writeFile(target, file.content);
      written.push(file.path);
    } catch (error) {
      printDiagnostics([outputNotWritable(displayPath(target), errorCode(error))], new Map(), options.format, output);
      return 2;
    }
  }
  const expected = new Set(files.map((f) => f.path));
  for (const name of await generatedFilesIn(outDir)) {
    if (expected.has(name)) continue;
    await rm(path.join(outDir, name), { force: true });
    removed.push(name);
  }
  const unchanged = files.length - written.length;
  status.write(
    `Generated ${files.length} files in ${displayPath(outDir)}: ${written.length} written, ${unchanged} unchanged` +
      (removed.length > 0 ? `, ${removed.length} removed (${removed.join(", ")})` : "") +
      ".\n",
  );
  return 0;
}

/** Files in the output directory that hypc generated (they carry its header); user files are never touched. */
async function generatedFilesIn(outDir: string): Promise<string[]> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  const generated: string[] = [];
  for (const name of names.sort()) {
    if (!/\.(ts|js|mts|d\.ts)$/.test(name)) continue;
    const info = await stat(path.join(outDir, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    const text = await readFile(path.join(outDir, name), "utf8").catch(() => "");
    if (parseHeader(text) !== undefined) generated.push(name);
  }
  return generated;
}

function relativeTo(outDir: string, file: string): string {
  return path.relative(outDir, path.resolve(file)).split(path.sep).join("/");
}

function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative === "" ? "." : relative.startsWith("..") ? absolute : relative;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function printTimings(timings: BuildPhaseTimings, options: BuildOptions, output: BuildOutput): void {
  if (!options.timings) return;
  const rows = Object.entries(timings).map(([phase, ms]) => `  ${phase.padEnd(9)}${ms.toFixed(1).padStart(9)} ms`);
  const total = Object.values(timings).reduce((sum, ms) => sum + ms, 0);
  output.stderr.write(`Timings:\n${rows.join("\n")}\n  ${"total".padEnd(9)}${total.toFixed(1).padStart(9)} ms\n`);
}
