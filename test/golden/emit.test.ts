// Golden output: fixtures/golden/seed/ is what `hypc build fixtures/seed/messaging.hyp` generates, committed
// and diffed here. UPDATE_GOLDEN=1 rewrites it (then review the diff like any code change).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { generate } from "../../src/emit/generate.js";

const seed = "fixtures/seed/messaging.hyp";
const goldenDir = "fixtures/golden/seed";
const update = process.env.UPDATE_GOLDEN === "1";

async function generateSeed() {
  const result = await compile([seed]);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  if (result.topology === undefined) throw new Error("the seed produced no topology");
  const sources = [...result.program.sources].map(([file, content]) => ({
    path: path.relative(path.resolve(goldenDir), path.resolve(file)).split(path.sep).join("/"),
    content,
  }));
  return generate({ topology: result.topology, sources, program: result.program });
}

describe("golden output of the seed", () => {
  it(update ? "rewrites fixtures/golden/seed" : "matches fixtures/golden/seed byte for byte", async () => {
    const generated = await generateSeed();
    expect(generated.diagnostics).toEqual([]);
    if (update) {
      await mkdir(goldenDir, { recursive: true });
      const keep = new Set(generated.files.map((f) => f.path));
      for (const name of await readdir(goldenDir)) if (!keep.has(name)) await rm(path.join(goldenDir, name));
      for (const file of generated.files) await writeFile(path.join(goldenDir, file.path), file.content);
      return;
    }
    expect((await readdir(goldenDir)).sort()).toEqual(generated.files.map((f) => f.path).sort());
    for (const file of generated.files) {
      const golden = await readFile(path.join(goldenDir, file.path), "utf8");
      expect(file.content, `${goldenDir}/${file.path} differs; run UPDATE_GOLDEN=1 npx vitest run test/golden/emit.test.ts`).toBe(golden);
    }
  });
});

describe("fixtures/golden/tsconfig.json", () => {
  it("type-checks the golden output with strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes", () => {
    const configPath = path.resolve("fixtures/golden/tsconfig.json");
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
    expect(parsed.options.exactOptionalPropertyTypes).toBe(true);
    expect(parsed.fileNames.length).toBeGreaterThanOrEqual(9);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? "-"}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(problems).toEqual([]);
  });
});

// The compiled CLI formats in a worker thread (src/emit/format.ts); tests run from sources format in-thread.
// Both must write the same bytes. Needs `npm run build` (npm test runs it first).
const compiledCli = existsSync("dist/src/cli/main.js") && existsSync("dist/src/emit/format-worker.js");
describe.skipIf(!compiledCli)("the compiled `hypc build` (worker-thread formatting)", () => {
  it("writes exactly the golden modules", async () => {
    // Same depth as fixtures/golden/seed, so the relative source paths in the headers are the same too.
    const out = `fixtures/golden/.cli-check-${process.pid}`;
    try {
      execFileSync(process.execPath, ["bin/hypc.js", "build", seed, "--out", out], { stdio: "pipe" });
      for (const name of await readdir(goldenDir)) {
        expect(await readFile(path.join(out, name), "utf8"), name).toBe(await readFile(path.join(goldenDir, name), "utf8"));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
