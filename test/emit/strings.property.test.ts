// DSL strings are data, never code. Property: whatever characters a topic, source, event type, queue name or
// endpoint contains (quotes, backslashes, backticks, `${`, `*/`, newlines, U+2028), the generated modules
// parse, and evaluating them gives back exactly the strings of the Topology. Names that become TypeScript
// identifiers are either valid (and emitted) or rejected with HYP5001 (and the output still parses).
import { mkdir, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import type { Topology } from "@hypc/runtime";
import { generate, generateUnformatted, type GeneratedFile } from "../../src/emit/generate.js";
import { isIdentifier } from "../../src/emit/names.js";
import { seedTopology } from "./fixtures/seed.js";

const fragments = ['"', "'", "\\", "`", "${", "*/", "/*", "//", "\n", "\r\n", "\u2028", "\u2029", "\u0000", "</script>", "é", "😀"];
const nastyString = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""))
  .filter((s) => s.length > 0);

/** Replaces every string equal to a key of `replacements` anywhere in the value (keys of objects included). */
function replaceStrings<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === "string") return replacements.get(v) ?? v;
    if (Array.isArray(v)) return v.map(visit);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [replacements.get(k) ?? k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}

interface Strings {
  eventType: string;
  source: string;
  topic: string;
  queue: string;
  endpoint: string;
  sourcePath: string;
}

function topologyWith(s: Strings): Topology {
  return replaceStrings(
    seedTopology,
    new Map([
      ["script.created", s.eventType],
      ["hypnoscript-api", s.source],
      ["hypnoscript.events.script-events", s.topic],
      ["script-execution-queue", s.queue],
      ["/api/dlq/manual-processing", s.endpoint],
    ]),
  );
}

function assertParses(files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const out = ts.transpileModule(file.content, {
      reportDiagnostics: true,
      fileName: file.path,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const problems = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems, file.path).toEqual([]);
  }
}

const scratch = path.resolve("node_modules/.cache/hypc-emit-property", String(process.pid));
let counter = 0;

/**
 * Transpiles every generated module of one run into its own directory (inside node_modules so that bare
 * imports such as ajv-formats resolve; with a package.json making .js ESM) and returns an importer.
 */
async function materialize(files: readonly GeneratedFile[]): Promise<(name: string) => Promise<Record<string, unknown>>> {
  const dir = path.join(scratch, String(counter++));
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
  for (const file of files) {
    const js = ts.transpileModule(file.content, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    await writeFile(path.join(dir, file.path.replace(/\.ts$/, ".js")), js);
  }
  return async (name) => (await import(pathToFileURL(path.join(dir, name.replace(/\.ts$/, ".js"))).href)) as Record<string, unknown>;
}

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rmdir(path.dirname(scratch)).catch(() => {}); // only when no other run is using it
});

async function checkRoundTrip(files: readonly GeneratedFile[], topology: Topology, s: Strings): Promise<void> {
  assertParses(files);
  const load = await materialize(files);
  const { topology: evaluated } = await load("topology.ts");
  expect(evaluated).toEqual(topology);

  const producers = await load("producers.ts");
  const Producer = producers["ScriptEventProducer"] as {
    routes: Record<string, { topic: string }>;
    new (runtime: unknown): { scriptCreated(payload: unknown): unknown };
  };
  expect(Producer.routes[s.eventType]?.topic).toBe(s.topic);
  // A recording stand-in for the runtime: what matters is the exact strings the generated method passes.
  const calls: unknown[][] = [];
  new Producer({ publish: (...args: unknown[]) => calls.push(args) }).scriptCreated({});
  expect(calls).toEqual([["ScriptEventProducer", s.eventType, {}, undefined]]);

  const deadLetter = await load("dead-letter.ts");
  expect((deadLetter["deadLetterQueue"] as { mainQueue: { name: string } }).mainQueue.name).toBe(s.queue);
  expect((deadLetter["manualProcessingDeadLetterConfig"] as { ui: { endpoint: string } }).ui.endpoint).toBe(s.endpoint);

  const { validators } = await load("validators.ts");
  const validate = (validators as Record<string, (data: unknown) => boolean>)[`event:${s.eventType}`];
  expect(validate).toBeTypeOf("function");
  const uuid = "123e4567-e89b-12d3-a456-426614174000";
  const at = "2024-01-01T00:00:00Z";
  const envelope = {
    event_type: s.eventType,
    version: "1.0",
    payload: { script_id: uuid, name: "n", created_by: uuid, created_at: at, metadata: {} },
    metadata: { message_id: uuid, source: s.source, correlation_id: uuid, causation_id: uuid, timestamp: at },
  };
  expect(validate!(envelope)).toBe(true);
  expect(validate!({ ...envelope, event_type: s.eventType + "x" })).toBe(false);
}

const stringsArbitrary = fc.record({
  eventType: nastyString,
  source: nastyString,
  topic: nastyString,
  queue: nastyString,
  endpoint: nastyString,
  sourcePath: nastyString,
});

describe("DSL strings in generated code", () => {
  it("survives every nasty fragment at once, through prettier", async () => {
    const s: Strings = {
      eventType: 'a"b\\c`d${e}*/f\ng\u2028h',
      source: "*/ /* `${x}` \\ \"",
      topic: "t'\"`${1}`\\n*/\r\n",
      queue: "q\u2029*/",
      endpoint: "/x/*/y`",
      sourcePath: "../we*/ird\n\u2028path.hyp",
    };
    const topology = topologyWith(s);
    const result = await generate({ topology, sources: [{ path: s.sourcePath, content: "" }] });
    expect(result.diagnostics).toEqual([]);
    await checkRoundTrip(result.files, topology, s);
  });

  it("round-trips arbitrary strings (unformatted output)", async () => {
    await fc.assert(
      fc.asyncProperty(stringsArbitrary, async (s) => {
        fc.pre(!seedTopology.events.some((e) => e.eventType === s.eventType));
        const topology = topologyWith(s);
        const result = generateUnformatted({ topology, sources: [{ path: s.sourcePath, content: "" }] });
        expect(result.diagnostics).toEqual([]);
        await checkRoundTrip(result.files, topology, s);
      }),
      { numRuns: 20 },
    );
  });

  it("emits handler names that are identifiers and rejects all others with HYP5001", () => {
    const consumer = seedTopology.consumers[0]!;
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,12}$/)), (name) => {
        const topology: Topology = { ...seedTopology, consumers: [{ ...consumer, handlers: [{ ...consumer.handlers[0]!, handler: `${name}` }] }] };
        const result = generateUnformatted({ topology, sources: [] });
        assertParses(result.files);
        const consumers = result.files.find((f) => f.path === "consumers.ts")!.content;
        const codes = result.diagnostics.map((d) => d.code);
        if (isIdentifier(name)) {
          // Valid names are emitted unless they collide with another generated name (HYP5002).
          if (codes.length === 0) expect(consumers).toContain(`export type ${name} = `);
          else expect(codes).toEqual(["HYP5002"]);
        } else {
          expect(codes).toEqual(["HYP5001"]);
          expect(result.diagnostics[0]!.message).toContain(JSON.stringify(name));
        }
      }),
      { numRuns: 30 },
    );
  });
});
