// Front-end benchmark (issue 2): parse+check throughput on generated configs of 1,000 and 4,000 events,
// how the time scales with 4x the input, and the cold `hypc check` time of the seed fixture (a new process).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile.js";
import { generateConfig } from "./gen-config.js";
import type { Row } from "./row.js";
import { median } from "./stats.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function timeCompile(path: string, rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // min(wall, CPU time of this process): the machine is shared, and waiting for a core is not checking.
    const before = process.cpuUsage();
    const t0 = performance.now();
    const result = await compile([path]);
    const cpu = process.cpuUsage(before);
    times.push(Math.min(performance.now() - t0, (cpu.user + cpu.system) / 1000));
    if (result.diagnostics.some((d) => d.severity === "error")) throw new Error(`generated config has errors: ${result.diagnostics[0]?.message}`);
  }
  return median(times);
}


export async function run(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "hypc-bench-check-"));
  try {
    const rows: Row[] = [];
    const timings = new Map<number, number>();
    for (const events of [1000, 4000]) {
      const text = generateConfig(events);
      const path = join(dir, `gen-${events}.hyp`);
      writeFileSync(path, text);
      await timeCompile(path, 2); // warm-up (JIT), as a long-running checker or LSP would be
      const ms = await timeCompile(path, 5);
      timings.set(events, ms);
      const mbps = Buffer.byteLength(text) / 1e6 / (ms / 1000);
      rows.push({ name: `parse+check ${events} events (${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB)`, value: mbps, unit: "MB/s", target: ">= 10", ok: mbps >= 10 });
    }
    const ratio = (timings.get(4000) ?? Number.NaN) / (timings.get(1000) ?? Number.NaN);
    rows.push({ name: "time(4,000 events) / time(1,000 events)", value: ratio, unit: "x", target: "<= 4.5", ok: ratio <= 4.5 });

    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [join(repoRoot, "bin", "hypc.js"), "check", join(repoRoot, "fixtures", "seed", "messaging.hyp")], { stdio: "ignore" });
      cold.push(performance.now() - t0);
    }
    const coldMs = median(cold);
    rows.push({ name: "cold `hypc check` of the seed (new process, median of 5)", value: coldMs, unit: "ms", target: "< 400", ok: coldMs < 400 });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
