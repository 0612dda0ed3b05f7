// Build benchmark (issue 3): cold `hypc build` of the seed in a new process, and in-process builds of
// generated 1,000- and 4,000-event configurations split by phase (parse, check, generate, format, write),
// with how the time scales for 4x the input. Targets: seed < 2 s cold; 4x input <= 4.5x time.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile.js";
import { generate } from "../src/emit/generate.js";
import { generateConfig } from "./gen-config.js";
import type { Row } from "./row.js";
import { median } from "./stats.js";

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

async function buildOnce(file: string, outDir: string): Promise<Phases & { cpu: number }> {
  const cpu0 = process.cpuUsage();
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
    cpu: cpuMs(process.cpuUsage(cpu0)),
  };
}

const total = (p: Phases): number => p.parse + p.check + p.generate + p.format + p.write;
const split = (p: Phases & { cpu: number }): string =>
  `parse ${Math.round(p.parse)}, check ${Math.round(p.check)}, generate ${Math.round(p.generate)}, format ${Math.round(p.format)}, ` +
  `write ${Math.round(p.write)} ms; CPU ${Math.round(p.cpu)} ms (wall time inflates on a loaded machine)`;
const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

/** CPU time of waited-for child processes (Linux /proc), to tell CPU cost from waiting on a loaded machine. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: fields[13] = cutime, fields[14] = cstime (clock ticks, 100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}


export async function run(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "hypc-bench-build-"));
  try {
    const rows: Row[] = [];
    const cold: number[] = [];
    const childCpu0 = childrenCpuMs();
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `seed-${i}`);
      const t0 = performance.now();
      execFileSync(process.execPath, [join(repoRoot, "bin", "hypc.js"), "build", join(repoRoot, "fixtures", "seed", "messaging.hyp"), "--out", out], {
        stdio: "ignore",
      });
      cold.push(performance.now() - t0);
    }
    const coldMs = median(cold);
    const childCpu = childrenCpuMs();
    const cpuNote = childCpu0 === undefined || childCpu === undefined ? "" : `; CPU ${Math.round((childCpu - childCpu0) / 3)} ms per run`;
    rows.push({
      name: "cold `hypc build` of the seed (new process, median of 3)",
      value: coldMs,
      unit: "ms",
      target: "< 2000",
      ok: coldMs < 2000,
      note: `wall time${cpuNote}`,
    });

    const times = new Map<number, number>();
    const cpuTimes = new Map<number, number>();
    for (const events of [1000, 4000]) {
      const file = join(dir, `gen-${events}.hyp`);
      writeFileSync(file, generateConfig(events));
      const phases = await buildOnce(file, join(dir, `out-${events}`));
      times.set(events, total(phases));
      cpuTimes.set(events, phases.cpu);
      rows.push({ name: `build ${events} events (first build in this process)`, value: total(phases), unit: "ms", note: split(phases) });
    }
    const ratio = (times.get(4000) ?? Number.NaN) / (times.get(1000) ?? Number.NaN);
    rows.push({ name: "build time(4,000 events) / time(1,000 events)", value: ratio, unit: "x", target: "<= 4.5", ok: ratio <= 4.5 });
    // CPU time is what scales with the input; wall time on a shared machine also measures the neighbours.
    const cpuRatio = (cpuTimes.get(4000) ?? Number.NaN) / (cpuTimes.get(1000) ?? Number.NaN);
    rows.push({ name: "build CPU time(4,000 events) / CPU time(1,000 events)", value: cpuRatio, unit: "x", target: "<= 4.5", ok: cpuRatio <= 4.5 });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
