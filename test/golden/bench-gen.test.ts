// The benchmarks drive code generated from bench/throughput/<broker>.hyp, committed under bench/gen/<broker>/
// (type-checked by `npm run build`, which compiles bench/). This keeps it byte for byte what the generator
// writes now — compared in full, not by `hypc build --check`'s input hash, which only changes with the
// sources and hypc's version. UPDATE_GOLDEN=1 rewrites it.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { generate } from "../../src/emit/generate.js";

const configs = readdirSync("bench/throughput").filter((f) => f.endsWith(".hyp"));
const update = process.env.UPDATE_GOLDEN === "1";

describe("bench/gen: code generated from bench/throughput/*.hyp", () => {
  it("has a configuration for each broker the benchmarks compare", () => {
    expect(configs.sort()).toEqual(expect.arrayContaining(["rabbitmq.hyp"]));
  });

  for (const config of configs) {
    const name = config.replace(/\.hyp$/, "");
    const outDir = `bench/gen/${name}`;
    it(update ? `rewrites ${outDir}` : `${outDir} is what hypc generates`, async () => {
      const result = await compile([`bench/throughput/${config}`]);
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([]);
      if (result.topology === undefined) throw new Error(`${config} produced no topology`);
      const sources = [...result.program.sources].map(([file, content]) => ({ path: path.relative(path.resolve(outDir), path.resolve(file)).split(path.sep).join("/"), content }));
      const generated = await generate({ topology: result.topology, sources, program: result.program });
      expect(generated.diagnostics).toEqual([]);
      if (update) {
        await mkdir(outDir, { recursive: true });
        for (const file of await readdir(outDir)) if (!generated.files.some((f) => f.path === file)) await rm(path.join(outDir, file));
        for (const file of generated.files) await writeFile(path.join(outDir, file.path), file.content);
        return;
      }
      expect((await readdir(outDir)).sort()).toEqual(generated.files.map((f) => f.path).sort());
      for (const file of generated.files) {
        expect(file.content, `${outDir}/${file.path} differs; run UPDATE_GOLDEN=1 npx vitest run test/golden/bench-gen.test.ts`).toBe(await readFile(path.join(outDir, file.path), "utf8"));
      }
    });
  }
});
