// The generated code is the app's type system: these tests run the real TypeScript compiler over small apps
// written against fixtures/golden/seed (the committed output for the seed) with the strictest flags.
// @hypc/runtime resolves through the workspace symlink to runtime/dist: build the runtime first.
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

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

const appsDir = path.resolve("test/typecheck/apps");
const goldenDir = path.resolve("fixtures/golden/seed");
let previous: ts.Program | undefined;

/** Errors per file for one app (plus the generated files it pulls in), as `file:TScode` strings. */
function typecheck(app: string): { codes: number[]; messages: string[]; generatedErrors: string[] } {
  const program = ts.createProgram({ rootNames: [path.join(appsDir, app)], options, ...(previous ? { oldProgram: previous } : {}) });
  previous = program;
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const format = (d: ts.Diagnostic) =>
    `${d.file ? path.relative(process.cwd(), d.file.fileName) : "-"}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  const inApp = diagnostics.filter((d) => d.file?.fileName === path.join(appsDir, app));
  const inGenerated = diagnostics.filter((d) => d.file?.fileName.startsWith(goldenDir) || d.file === undefined);
  return { codes: inApp.map((d) => d.code), messages: inApp.map(format), generatedErrors: inGenerated.map(format) };
}

describe("typed handlers and façades of the generated seed code", () => {
  it("accepts an app that implements every handler and uses every façade", () => {
    const result = typecheck("complete-app.ts");
    expect(result.generatedErrors).toEqual([]);
    expect(result.messages).toEqual([]);
  });

  it("rejects an app that forgets a handler (TS2741)", () => {
    const result = typecheck("missing-handler.ts");
    expect(result.generatedErrors).toEqual([]);
    expect(result.codes).toEqual([2741]);
    expect(result.messages[0]).toContain("AlertingHandler");
  });

  it("rejects a handler reading a payload field the event does not have (TS2339)", () => {
    const result = typecheck("wrong-field.ts");
    expect(result.codes).toEqual([2339]);
    expect(result.messages[0]).toContain("owner_id");
  });

  it("rejects a handler of another event type in a slot (TS2322)", () => {
    const result = typecheck("wrong-event.ts");
    expect(result.codes).toEqual([2322]);
  });

  it("rejects publishing, from a handler, an event the named producer does not route (TS2345)", () => {
    const result = typecheck("wrong-context-publish.ts");
    expect(result.codes).toEqual([2345]);
    expect(result.messages[0]).toContain("user.registered");
  });

  it("rejects a payload of the wrong type (TS2322)", () => {
    const result = typecheck("wrong-payload.ts");
    expect(result.codes).toEqual([2322]);
  });
});
