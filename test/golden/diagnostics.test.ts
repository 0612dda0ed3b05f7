// Golden tests of every diagnostic fixture. For each fixtures/diagnostics/*.hyp (a sibling folder of the
// same name may hold files it mindLinks): compile, render the diagnostics as plain text frames (paths
// relative to the repo root) and compare with <name>.expected.txt. A fixture named HYPxxxx-* must produce
// that code, and every code in codes.ts must have a fixture. *.cli fixtures hold `hypc` arguments for
// problems only the command line can have (HYP9xxx, or build-time HYP5xxx): one line of arguments as typed
// after `hypc`, run in-process from the repo root; their golden is stdout, then stderr, then the exit code.
// UPDATE_GOLDEN=1 rewrites the expectations.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { compile } from "../../src/compile.js";
import { codes } from "../../src/diagnostics/codes.js";
import { renderFrames } from "../../src/diagnostics/render-frame.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const fixtureDir = join(repoRoot, "fixtures/diagnostics");
const update = process.env.UPDATE_GOLDEN === "1";

/** Fixture paths as the user would type them from the repo root, whatever vitest's cwd is. */
const fromRoot = (absolute: string): string => relative(process.cwd(), absolute);

const fixtures = readdirSync(fixtureDir).sort();
const hypFixtures = fixtures.filter((name) => name.endsWith(".hyp"));
const cliFixtures = fixtures.filter((name) => name.endsWith(".cli"));

function compareGolden(expectedFile: string, actual: string): void {
  if (update || !existsSync(expectedFile)) {
    writeFileSync(expectedFile, actual);
    if (!update) throw new Error(`${relative(repoRoot, expectedFile)} did not exist; written now — review it and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(expectedFile, "utf8"));
}

function expectedCode(name: string): string | undefined {
  return /^(HYP\d{4})-/.exec(name)?.[1];
}

async function renderCompiled(file: string): Promise<{ text: string; codes: string[]; errors: number }> {
  const result = await compile([fromRoot(file)]);
  return {
    text: renderFrames(result.diagnostics, { sources: result.program.sources, color: false }),
    codes: result.diagnostics.map((d) => d.code),
    errors: result.diagnostics.filter((d) => d.severity === "error").length,
  };
}

describe("diagnostic fixtures", () => {
  it.each(hypFixtures)("%s matches its golden", async (name) => {
    const rendered = await renderCompiled(join(fixtureDir, name));
    const code = expectedCode(name);
    if (code) expect(rendered.codes, `${name} must produce ${code}`).toContain(code);
    compareGolden(join(fixtureDir, name.replace(/\.hyp$/, ".expected.txt")), rendered.text);
  });
});

describe("command-line fixtures", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(cliFixtures)("%s matches its golden", async (name) => {
    const args = readFileSync(join(fixtureDir, name), "utf8").trim().split(/\s+/);
    let stdout = "";
    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const exit = await main(["node", "hypc", ...args]);
    vi.restoreAllMocks();
    const code = expectedCode(name);
    if (code) expect(stdout + stderr).toContain(`[${code}]`);
    const golden = `${stdout}${stderr === "" ? "" : `--- stderr\n${stderr}`}exit: ${exit}\n`;
    compareGolden(join(fixtureDir, name.replace(/\.cli$/, ".expected.txt")), golden);
  });
});

describe("fixture coverage", () => {
  it("has a fixture for every diagnostic code", () => {
    const covered = new Set(fixtures.map(expectedCode).filter((code) => code !== undefined));
    const missing = Object.keys(codes).filter((code) => !covered.has(code));
    expect(missing, "codes without a fixtures/diagnostics/<code>-*.hyp (or <code>-*.cli)").toEqual([]);
  });

  it("names only codes that exist", () => {
    const unknown = fixtures.map(expectedCode).filter((code) => code !== undefined && !Object.hasOwn(codes, code));
    expect(unknown).toEqual([]);
  });
});

describe("the seed configuration", () => {
  it("has no errors, and its warnings match fixtures/seed/messaging.expected.txt", async () => {
    const seed = join(repoRoot, "fixtures/seed/messaging.hyp");
    const rendered = await renderCompiled(seed);
    expect(rendered.errors).toBe(0);
    compareGolden(join(repoRoot, "fixtures/seed/messaging.expected.txt"), rendered.text);
  });
});
