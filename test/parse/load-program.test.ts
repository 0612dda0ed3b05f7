// Imports: relative resolution, nesting, de-duplication, order of Program.files, cycles, missing files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProgram, memoryFileSystem } from "../../src/parse/load-program.js";
import { codes, slice } from "./helpers.js";

describe("loadProgram with imports", () => {
  it("loads nested imports relative to the importing file, entries first, then first-reached order", async () => {
    const fs = memoryFileSystem({
      "/app/main.hyp": 'mindLink "brokers/kafka.hyp";\nmindLink "events.hyp";\nmessaging { }',
      "/app/brokers/kafka.hyp": 'mindLink "../shared/common.hyp";\nk { a: 1 }',
      "/app/shared/common.hyp": "common { b: 2 }",
      "/app/events.hyp": 'mindLink "./shared/common.hyp";\nevents { }',
    });
    const { program, diagnostics } = await loadProgram(["/app/main.hyp"], fs);
    expect(diagnostics).toEqual([]);
    expect(program.files.map((f) => f.path)).toEqual([
      "/app/main.hyp",
      "/app/brokers/kafka.hyp",
      "/app/shared/common.hyp",
      "/app/events.hyp",
    ]);
    // Every span carries its own file's path, and sources are keyed by that path.
    for (const file of program.files) {
      expect(file.span.file).toBe(file.path);
      for (const block of file.blocks) expect(block.span.file).toBe(file.path);
      expect(program.sources.get(file.path)).toBeDefined();
    }
  });

  it("loads a file imported twice (or by another entry) once, and keeps entries first", async () => {
    const fs = memoryFileSystem({
      "/a.hyp": 'mindLink "c.hyp";\nmindLink "b.hyp";\na { }',
      "/b.hyp": 'mindLink "c.hyp";\nb { }',
      "/c.hyp": "c { }",
    });
    const { program, diagnostics } = await loadProgram(["/a.hyp", "/b.hyp", "/a.hyp"], fs);
    expect(diagnostics).toEqual([]);
    expect(program.files.map((f) => f.path)).toEqual(["/a.hyp", "/b.hyp", "/c.hyp"]);
  });

  it("works with relative entry paths and keeps them relative", async () => {
    const fs = memoryFileSystem({ "cfg/main.hyp": 'mindLink "sub/x.hyp";', "cfg/sub/x.hyp": "x { }" });
    const { program, diagnostics } = await loadProgram(["cfg/main.hyp"], fs);
    expect(diagnostics).toEqual([]);
    expect(program.files.map((f) => f.path)).toEqual(["cfg/main.hyp", "cfg/sub/x.hyp"]);
  });

  it("reports a missing import at the import's path, naming the resolved path, and keeps loading", async () => {
    const main = 'mindLink "nope/missing.hyp";\nmindLink "ok.hyp";\nm { }';
    const fs = memoryFileSystem({ "/d/main.hyp": main, "/d/ok.hyp": "ok { }" });
    const { program, diagnostics } = await loadProgram(["/d/main.hyp"], fs);
    expect(codes(diagnostics)).toEqual(["HYP1101"]);
    const d = diagnostics[0]!;
    expect(d.span?.file).toBe("/d/main.hyp");
    expect(slice(main, d.span!)).toBe('"nope/missing.hyp"');
    expect(d.message).toContain("/d/nope/missing.hyp");
    expect(program.files.map((f) => f.path)).toEqual(["/d/main.hyp", "/d/ok.hyp"]);
  });

  it("reports a missing entry file without a span", async () => {
    const { program, diagnostics } = await loadProgram(["/none.hyp"], memoryFileSystem({}));
    expect(codes(diagnostics)).toEqual(["HYP1101"]);
    expect(diagnostics[0]!.span).toBeUndefined();
    expect(program.files).toEqual([]);
  });

  it("reports a cycle once, at the import that closes it, with the other imports as secondary labels", async () => {
    const a = 'mindLink "b.hyp";\na { }';
    const b = 'mindLink "sub/c.hyp";\nb { }';
    const c = 'mindLink "../a.hyp";\nc { }';
    const fs = memoryFileSystem({ "/p/a.hyp": a, "/p/b.hyp": b, "/p/sub/c.hyp": c });
    const { program, diagnostics } = await loadProgram(["/p/a.hyp"], fs);
    expect(codes(diagnostics)).toEqual(["HYP1102"]);
    const d = diagnostics[0]!;
    expect(d.message).toBe("These files import each other in a cycle: `/p/a.hyp` → `/p/b.hyp` → `/p/sub/c.hyp` → `/p/a.hyp`.");
    expect(d.span?.file).toBe("/p/sub/c.hyp");
    expect(slice(c, d.span!)).toBe('"../a.hyp"');
    expect(d.secondary?.map((l) => [l.span.file, l.message])).toEqual([
      ["/p/a.hyp", "`/p/a.hyp` imports `/p/b.hyp` here"],
      ["/p/b.hyp", "`/p/b.hyp` imports `/p/sub/c.hyp` here"],
    ]);
    expect(program.files).toHaveLength(3);
  });

  it("detects a cycle between two entry files and a self-import", async () => {
    const fs = memoryFileSystem({ "/a.hyp": 'mindLink "b.hyp";', "/b.hyp": 'mindLink "a.hyp";', "/s.hyp": 'mindLink "s.hyp";' });
    const both = await loadProgram(["/a.hyp", "/b.hyp"], fs);
    expect(codes(both.diagnostics)).toEqual(["HYP1102"]);
    const self = await loadProgram(["/s.hyp"], fs);
    expect(codes(self.diagnostics)).toEqual(["HYP1102"]);
    expect(self.diagnostics[0]!.message).toContain("`/s.hyp` → `/s.hyp`");
  });

  it("reports a folder as unreadable (HYP1103)", async () => {
    const fs = memoryFileSystem({ "/m.hyp": 'mindLink "dir";', "/dir/x.hyp": "x { }" });
    const { diagnostics } = await loadProgram(["/m.hyp"], fs);
    expect(codes(diagnostics)).toEqual(["HYP1103"]);
    expect(diagnostics[0]!.message).toContain("folder");
  });

  it("returns syntax errors of imported files with their own file in the span", async () => {
    const fs = memoryFileSystem({ "/m.hyp": 'mindLink "bad.hyp";', "/bad.hyp": "b { x: @ }" });
    const { diagnostics } = await loadProgram(["/m.hyp"], fs);
    expect(diagnostics.map((d) => [d.code, d.span?.file])).toEqual([["HYP1001", "/bad.hyp"]]);
  });
});

describe("loadProgram on the real file system", () => {
  it("resolves imports relative to the importing file's folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hypc-load-"));
    try {
      mkdirSync(join(dir, "conf", "parts"), { recursive: true });
      writeFileSync(join(dir, "conf", "main.hyp"), 'mindLink "parts/brokers.hyp";\nmessaging { }');
      writeFileSync(join(dir, "conf", "parts", "brokers.hyp"), 'mindLink "../main.hyp";\nmindLink "gone.hyp";\nb { }');
      const { program, diagnostics } = await loadProgram([join(dir, "conf", "main.hyp")]);
      expect(program.files.map((f) => f.path)).toEqual([join(dir, "conf", "main.hyp"), join(dir, "conf", "parts", "brokers.hyp")]);
      expect(codes(diagnostics)).toEqual(["HYP1102", "HYP1101"]);
      expect(diagnostics[1]!.message).toContain(join(dir, "conf", "parts", "gone.hyp"));
      const missingEntry = await loadProgram([join(dir, "absent.hyp")]);
      expect(codes(missingEntry.diagnostics)).toEqual(["HYP1101"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
