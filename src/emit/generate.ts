// The code generator: (Topology, sources) → files. Pure: no file system, no clock, no environment; the CLI
// writes the files. Each module is printed from ts-morph structures in one go and formatted once.
import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Topology } from "@hypc/runtime";
import { emitConsumers } from "./emit-consumers.js";
import { emitDeadLetter } from "./emit-dead-letter.js";
import { emitEvents } from "./emit-events.js";
import { emitIndex } from "./emit-index.js";
import { emitProducers } from "./emit-producers.js";
import { emitPubSub } from "./emit-pub-sub.js";
import { emitRequestReply } from "./emit-request-reply.js";
import { emitTopologyText } from "./emit-topology.js";
import { emitValidators } from "./emit-validators.js";
import { generatedFileNames } from "./file-names.js";
import { inThreadFormatter, type Formatter } from "./format.js";
import { fileHeader, hashInputs, sealFile, type SourceInput } from "./header.js";
import { createLocator } from "./locate.js";
import { buildModel } from "./model.js";
import { printStatements, type Statement } from "./print.js";

export interface GenerateInput {
  readonly topology: Topology;
  /** The .hyp files the topology came from, paths relative to the output directory. */
  readonly sources: readonly SourceInput[];
  /** For locating HYP5xxx diagnostics; optional. */
  readonly program?: Program;
}

export interface GeneratedFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly content: string;
}

export interface GenerateTimings {
  generateMs: number;
  formatMs: number;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly inputHash: string;
  readonly timings: GenerateTimings;
}

export { generatedFileNames };

/**
 * Modules that are not passed through prettier: ajv's validator code (machine output nobody reads) and the
 * Topology data, laid out by prettyLiteral. Together they are most of the bytes of a large configuration.
 */
const preformatted = new Set(["validators.ts", "topology.ts"]);

/**
 * Modules larger than this keep ts-morph's layout (already indented, one declaration per line) instead of
 * going through prettier: prettier took most of a large build and grew faster than linearly with file size
 * (bench/build.ts). The seed's modules are far below it. Deterministic: the choice depends only on the text.
 */
export const prettierSizeLimit = 256 * 1024;

/** Printing only; no prettier. Exposed for the benchmark's phase split and for tests that need no formatting. */
export function generateUnformatted(input: GenerateInput): { files: GeneratedFile[]; diagnostics: Diagnostic[]; inputHash: string } {
  const diagnostics: Diagnostic[] = [];
  const locate = createLocator(input.program);
  const model = buildModel(input.topology, locate, diagnostics);
  const inputHash = hashInputs(input.sources);
  const header = fileHeader(input.sources, inputHash);
  const modules: Record<string, Statement[]> = {
    "events.ts": emitEvents(model),
    "producers.ts": emitProducers(model),
    "consumers.ts": emitConsumers(model),
    "request-reply.ts": emitRequestReply(model),
    "pub-sub.ts": emitPubSub(model),
    "dead-letter.ts": emitDeadLetter(model),
    "index.ts": emitIndex(model),
  };
  const validators = emitValidators(model, locate, diagnostics);
  const files = generatedFileNames.map((path): GeneratedFile => {
    if (path === "validators.ts") {
      // @ts-nocheck: ajv's output is untyped JavaScript; the exported map is typed by its annotation.
      return { path, content: `${header}\n// @ts-nocheck\n/* eslint-disable */\n${validators.code}` };
    }
    if (path === "topology.ts") return { path, content: `${header}\n\n${emitTopologyText(model)}` };
    return { path, content: `${header}\n\n${printStatements(path, modules[path] ?? [])}` };
  });
  return { files, diagnostics, inputHash };
}

/** `formatter`: the CLI passes one started early (a worker); by default prettier runs in this thread. */
export async function generate(input: GenerateInput, formatter: Formatter = inThreadFormatter): Promise<GenerateResult> {
  const t0 = performance.now();
  const { files, diagnostics, inputHash } = generateUnformatted(input);
  const t1 = performance.now();
  const formatted = await Promise.all(
    files.map(async (file) => ({
      path: file.path,
      content: sealFile(
        preformatted.has(file.path) || file.content.length > prettierSizeLimit ? file.content : await formatter.format(file.content),
      ),
    })),
  );
  const t2 = performance.now();
  return { files: formatted, diagnostics, inputHash, timings: { generateMs: t1 - t0, formatMs: t2 - t1 } };
}
