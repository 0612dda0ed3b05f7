// `hypc build` end to end on real files: writes only what changed, --check lists stale/missing/extra files,
// the fast path answers from the headers, errors write nothing, the file order does not matter.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuild, type BuildOptions } from "../../src/cli/build-command.js";

let dir = "";
let seed = "";
let out = "";

function capture() {
  let stdout = "";
  let stderr = "";
  return {
    output: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    text: () => stdout + stderr,
  };
}

async function build(files: string[], options: Partial<BuildOptions> = {}): Promise<{ code: number; text: string }> {
  const io = capture();
  const code = await runBuild(files, { out, ...options }, io.output);
  return { code, text: io.text() };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hypc-build-"));
  seed = path.join(dir, "messaging.hyp");
  out = path.join(dir, "generated");
  await copyFile("fixtures/seed/messaging.hyp", seed);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("hypc build", () => {
  it("writes every module, then nothing when nothing changed", async () => {
    const first = await build([seed], { timings: true });
    expect(first.code).toBe(0);
    expect(first.text).toContain("9 written, 0 unchanged");
    for (const phase of ["parse", "check", "generate", "format", "write"]) expect(first.text).toMatch(new RegExp(`${phase}\\s+\\d+\\.\\d ms`));
    expect((await readdir(out)).sort()).toEqual(
      ["consumers.ts", "dead-letter.ts", "events.ts", "index.ts", "producers.ts", "pub-sub.ts", "request-reply.ts", "topology.ts", "validators.ts"],
    );
    const second = await build([seed]);
    expect(second.code).toBe(0);
    expect(second.text).toContain("0 written, 9 unchanged");
  });

  it("--check answers from the headers when nothing changed", async () => {
    const result = await build([seed], { check: true });
    expect(result.code).toBe(0);
    expect(result.text).toContain("up to date (input hash unchanged)");
  });

  it("--check lists stale, missing and extra files and writes nothing", async () => {
    const events = path.join(out, "events.ts");
    await writeFile(events, (await readFile(events, "utf8")) + "// edited by hand\n");
    await rm(path.join(out, "consumers.ts"));
    await copyFile(path.join(out, "producers.ts"), path.join(out, "old-module.ts"));
    await writeFile(path.join(out, "user-notes.ts"), "// not generated: never touched\n");
    const result = await build([seed], { check: true });
    expect(result.code).toBe(1);
    expect(result.text).toContain("stale:   events.ts");
    expect(result.text).toContain("missing: consumers.ts");
    expect(result.text).toContain("extra:   old-module.ts");
    expect(result.text).not.toContain("user-notes.ts");
    expect(await readdir(out)).not.toContain("consumers.ts");

    const rebuilt = await build([seed]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.text).toContain("2 written, 7 unchanged, 1 removed (old-module.ts)");
    expect(await readdir(out)).toContain("user-notes.ts");
    expect((await build([seed], { check: true })).code).toBe(0);
  });

  it("--check notices a changed source", async () => {
    const original = await readFile(seed, "utf8");
    await writeFile(seed, original.replace('topic_prefix: "hypnoscript.user"', 'topic_prefix: "hypnoscript.users"'));
    try {
      const result = await build([seed], { check: true });
      expect(result.code).toBe(1);
      expect(result.text).toContain("stale:   topology.ts");
    } finally {
      await writeFile(seed, original);
    }
  });

  it("writes nothing when the configuration has errors", async () => {
    const broken = path.join(dir, "broken.hyp");
    await writeFile(broken, 'event_producers { P: { broker: "nope", events: {} } }\n');
    const target = path.join(dir, "never");
    const io = capture();
    const code = await runBuild([broken], { out: target }, io.output);
    expect(code).toBe(1);
    expect(io.text()).toContain("No files were written");
    await expect(readdir(target)).rejects.toThrow();
  });

  it("reports a missing input file with exit code 2", async () => {
    const result = await build([path.join(dir, "absent.hyp")]);
    expect(result.code).toBe(2);
    expect(result.text).toContain("HYP9001");
  });

  it("gives byte-identical output whatever the order of the files", async () => {
    const text = await readFile(seed, "utf8");
    const cut = text.indexOf("request_reply {");
    const partA = path.join(dir, "a.hyp");
    const partB = path.join(dir, "b.hyp");
    await writeFile(partA, text.slice(0, cut));
    await writeFile(partB, text.slice(cut));
    const outAB = path.join(dir, "ab");
    const outBA = path.join(dir, "ba");
    expect((await runBuild([partA, partB], { out: outAB }, capture().output))).toBe(0);
    expect((await runBuild([partB, partA], { out: outBA }, capture().output))).toBe(0);
    for (const name of await readdir(outAB)) {
      expect(await readFile(path.join(outBA, name), "utf8"), name).toBe(await readFile(path.join(outAB, name), "utf8"));
    }
  });
});
