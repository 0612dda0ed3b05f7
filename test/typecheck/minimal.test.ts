// Configurations that use only some blocks must still generate code that compiles under the strictest
// flags: no producers, no consumers, no request_reply, no pub_sub, no dead_letter_queue, even no events.
import { mkdir, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import type { Topology } from "@hypc/runtime";
import { generate } from "../../src/emit/generate.js";
import { seedTopology } from "../emit/fixtures/seed.js";

// Inside node_modules so that `@hypc/runtime`, ajv and ajv-formats resolve as they do for an app.
const scratch = path.resolve("node_modules/.cache/hypc-typecheck-minimal", String(process.pid));
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rmdir(path.dirname(scratch)).catch(() => {}); // only when no other run is using it
});

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

async function typeErrors(name: string, topology: Topology, app: string): Promise<string[]> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  const result = await generate({ topology, sources: [] });
  expect(result.diagnostics).toEqual([]);
  for (const file of result.files) await writeFile(path.join(dir, file.path), file.content);
  await writeFile(path.join(dir, "app.ts"), app);
  const program = ts.createProgram({ rootNames: [path.join(dir, "app.ts")], options });
  return ts.getPreEmitDiagnostics(program).map((d) => `${path.basename(d.file?.fileName ?? "-")}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

const empty = { consumers: [], requestReply: [], pubSub: [] } as const;

describe("generated code for partial configurations", () => {
  it("compiles with events and one producer only", async () => {
    const { deadLetter: _dlq, ...rest } = seedTopology;
    const topology: Topology = { ...rest, ...empty, producers: [seedTopology.producers[1]!] };
    const app = [
      'import { createMessaging } from "./index.js";',
      "export async function main(): Promise<void> {",
      "  const messaging = createMessaging({ handlers: {} });",
      '  await messaging.producers.userEventProducer.userRegistered({ user_id: "u", email: "e", username: "n", registered_at: "t" });',
      "}",
    ].join("\n");
    expect(await typeErrors("producer-only", topology, app)).toEqual([]);
  });

  it("compiles with no events and no blocks besides messaging", async () => {
    const { deadLetter: _dlq, ...rest } = seedTopology;
    const topology: Topology = { ...rest, ...empty, events: [], topics: [], producers: [] };
    const app = 'import { createMessaging } from "./index.js";\nexport const messaging = createMessaging({ handlers: {} });\n';
    expect(await typeErrors("nothing", topology, app)).toEqual([]);
  });
});
