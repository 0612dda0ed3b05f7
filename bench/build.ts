// Build benchmark (issue 3): cold `hypc build` of the seed in a new process, and in-process builds of
// generated 1,000- and 4,000-event configurations split by phase (parse, check, generate, format, write),
// with how the time scales for 4x the input. Targets: seed < 2 s cold; 4x input <= 4.5x time.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile.js";
import { generate } from "../src/emit/generate.js";
import { generateConfig } from "./gen-config.js";
import type { Row } from "./row.js";

/** The repository root, whether this runs from bench/ (tsx) or dist/bench/ (npm run bench). */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "bin", "hypc.js"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find bin/hypc.js above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}
const repoRoot = findRepoRoot();

interface Phases {
  parse: number;
  check: number;
  generate: number;
  format: number;
  write: number;
}

async function buildOnce(file: string, outDir: string): Promise<Phases> {
  const result = await compile([file]);
  if (result.topology === undefined) throw new Error(`generated config has errors: ${result.diagnostics[0]?.message}`);
  const sources = [...result.program.sources].map(([path, content]) => ({ path: relative(outDir, path), content }));
  const generated = await generate({ topology: result.topology, sources, program: result.program });
  const t0 = performance.now();
  mkdirSync(outDir, { recursive: true });
  for (const f of generated.files) writeFileSync(join(outDir, f.path), f.content);
  return {
    parse: result.timings.parseMs,
    check: result.timings.checkMs,
    generate: generated.timings.generateMs,
    format: generated.timings.formatMs,
    write: performance.now() - t0,
  };
}

const total = (p: Phases): number => p.parse + p.check + p.generate + p.format + p.write;
const split = (p: Phases): string =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(", ") + " ms";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "hypc-bench-build-"));
  try {
    const rows: Row[] = [];
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `seed-${i}`);
      const t0 = performance.now();
      execFileSync(process.execPath, [join(repoRoot, "bin", "hypc.js"), "build", join(repoRoot, "fixtures", "seed", "messaging.hyp"), "--out", out], {
        stdio: "ignore",
      });
      cold.push(performance.now() - t0);
    }
    const coldMs = median(cold);
    rows.push({ name: "cold `hypc build` of the seed (new process, median of 3)", value: coldMs, unit: "ms", target: "< 2000", ok: coldMs < 2000 });

    const times = new Map<number, number>();
    for (const events of [1000, 4000]) {
      const file = join(dir, `gen-${events}.hyp`);
      writeFileSync(file, generateConfig(events));
      const phases = await buildOnce(file, join(dir, `out-${events}`));
      times.set(events, total(phases));
      rows.push({ name: `build ${events} events (first build in this process)`, value: total(phases), unit: "ms", note: split(phases) });
    }
    const ratio = (times.get(4000) ?? Number.NaN) / (times.get(1000) ?? Number.NaN);
    rows.push({ name: "build time(4,000 events) / time(1,000 events)", value: ratio, unit: "x", target: "<= 4.5", ok: ratio <= 4.5 });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
