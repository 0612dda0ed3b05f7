// `hypc check` end to end, in-process: real files on disk (the repo's fixtures and a temp dir), real compile().
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { registerCheckCommand } from "../../src/cli/check-command.js";

const dir = mkdtempSync(join(tmpdir(), "hypc-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(args: string[], isTTY = false): Promise<{ exit: number; stdout: string }> {
  let exit = 0;
  let stdout = "";
  const program = new Command().exitOverride();
  registerCheckCommand(program, (code) => (exit = code), {
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: () => true },
  });
  await program.parseAsync(["node", "hypc", "check", ...args]);
  return { exit, stdout };
}

const clean = write("clean.hyp", 'messaging {\n  rabbitmq: { host: "127.0.0.1", port: 5672 }\n}\n');
const broken = write("broken.hyp", 'messaging {\n  rabbitmq: { port: 70000, hots: "x" }\n}\n');

describe("hypc check", () => {
  it("exits 0 and prints the summary for a file without errors", async () => {
    const { exit, stdout } = await run([clean]);
    expect(exit).toBe(0);
    expect(stdout).toMatch(/0 errors, \d+ warnings?\n$/);
  });

  it("exits 1 and prints code frames for errors", async () => {
    const { exit, stdout } = await run([broken]);
    expect(exit).toBe(1);
    expect(stdout).toContain(`${broken}:2:21: error[HYP2005]`);
    expect(stdout).toContain("error[HYP2002]");
    expect(stdout).toContain("did you mean: host?");
    expect(stdout).toMatch(/2 errors/);
    expect(stdout).not.toContain("\u001b[");
  });

  it("prints JSON with --format json", async () => {
    const { exit, stdout } = await run(["--format", "json", broken]);
    expect(exit).toBe(1);
    const parsed = JSON.parse(stdout) as { code: string; file: string }[];
    expect(parsed.map((d) => d.code)).toEqual(expect.arrayContaining(["HYP2005", "HYP2002"]));
    expect(parsed[0]!.file).toBe(broken);
  });

  it("exits 1 on warnings only with --deny-warnings", async () => {
    // A request/reply exchange without broker: the semantic pass warns which broker it picked (HYP3002).
    const warned = write(
      "warned.hyp",
      'messaging { kafka: { bootstrap_servers: ["127.0.0.1:9092"] } }\n' +
        'request_reply { R: { request_topic: "a", reply_topic: "b", request_schema: { x: "uuid" }, reply_schema: { y: "uuid" } } }\n',
    );
    const plain = await run([warned]);
    expect(plain.stdout).toContain("warning[HYP3002]");
    expect(plain.stdout).toContain("0 errors");
    expect(plain.exit).toBe(0);
    expect((await run(["--deny-warnings", warned])).exit).toBe(1);
    expect((await run(["--deny-warnings", clean])).exit).toBe(0);
  });

  it("exits 2 with a clean HYP9001 message for a missing file", async () => {
    const { exit, stdout } = await run([join(dir, "nope.hyp")]);
    expect(exit).toBe(2);
    expect(stdout).toContain("error[HYP9001]: I cannot find the file");
    expect(stdout).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it("exits 2 for a directory", async () => {
    const { exit, stdout } = await run([dir]);
    expect(exit).toBe(2);
    expect(stdout).toContain("is a directory");
  });

  it("colours output on a TTY unless NO_COLOR is set", async () => {
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      expect((await run([broken], true)).stdout).toContain("\u001b[");
      process.env.NO_COLOR = "1";
      expect((await run([broken], true)).stdout).not.toContain("\u001b[");
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
