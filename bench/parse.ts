// Front-end benchmark: parseSource throughput alone (lexing, nesting guard, Chevrotain CST parse, CST→AST) on
// generated configurations, warm (as in a long-running checker), median of several rounds of CPU time.
//   node dist/bench/parse.js          (prints the rows; bench/run.ts can include it as module "parse")
import { parseSource } from "../src/parse/parse-source.js";
import { generateConfig } from "./gen-config.js";
import type { Row } from "./row.js";

function medianMs(rounds: number, action: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // CPU time of this process rather than wall time: the machine is shared, and waiting for a core is not parsing.
    const before = process.cpuUsage();
    const t0 = performance.now();
    action();
    const cpu = process.cpuUsage(before);
    times.push(Math.min(performance.now() - t0, (cpu.user + cpu.system) / 1000));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const events of [1000, 4000, 7500]) {
    const text = generateConfig(events);
    const mb = text.length / 1e6;
    let diagnostics = 0;
    medianMs(3, () => void parseSource("bench.hyp", text)); // warm-up (JIT)
    const ms = medianMs(5, () => {
      diagnostics = parseSource("bench.hyp", text).diagnostics.length;
    });
    const mbps = mb / (ms / 1000);
    rows.push({
      name: `parse ${events} events (${mb.toFixed(2)} MB)`,
      value: mbps,
      unit: "MB/s",
      // Informational: the target (>= 10 MB/s) is for parse+check together (bench/check.ts).
      ...(diagnostics === 0 ? {} : { ok: false, target: "0 diagnostics" }),
      note: diagnostics === 0 ? `${ms.toFixed(0)} ms` : `${diagnostics} diagnostics (generator bug)`,
    });
  }
  return rows;
}

if (process.argv[1] !== undefined && /bench[\\/]parse\.[cm]?[jt]s$/.test(process.argv[1])) {
  for (const row of await run()) {
    console.log(`${row.name.padEnd(34)} ${row.value.toFixed(1).padStart(7)} ${row.unit}  target ${row.target}  ${row.ok ? "ok" : "NOT MET"}  ${row.note ?? ""}`);
  }
}
