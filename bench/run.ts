// `npm run bench`: runs every benchmark module in turn and prints one table. Speed targets live here,
// never in timed tests. A module whose broker is not reachable reports a "skipped" row instead of failing.
// Usage: node dist/bench/run.js [name ...]   (names: parse check build embedded rabbitmq kafka sqs activemq)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Row } from "./row.js";

const modules = ["parse", "check", "build", "embedded", "rabbitmq", "kafka", "sqs", "activemq"] as const;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? modules.filter((m) => wanted.includes(m)) : [...modules];
  const rows: { module: string; row: Row }[] = [];
  for (const name of selected) {
    process.stderr.write(`bench: ${name}…\n`);
    // One process per module: a module never inherits another's heap, JIT state or open connections.
    const runner = fileURLToPath(new URL("./run-one.js", import.meta.url));
    const child = spawnSync(process.execPath, [runner, name], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    try {
      if (child.status !== 0) throw new Error(lastLine(child.stderr) || `exit code ${child.status}`);
      for (const row of JSON.parse(child.stdout) as Row[]) rows.push({ module: name, row });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      rows.push({ module: name, row: { name: "(not run)", value: Number.NaN, unit: "", note: reason } });
    }
  }
  printTable(rows);
  if (rows.some(({ row }) => row.ok === false)) process.exitCode = 1;
}

function printTable(rows: readonly { module: string; row: Row }[]): void {
  const header = ["module", "benchmark", "value", "unit", "target", "ok", "note"];
  const lines = rows.map(({ module, row }) => [
    module,
    row.name,
    // NaN travels as null in the JSON of a module's rows.
    typeof row.value !== "number" || Number.isNaN(row.value) ? "-" : formatNumber(row.value),
    row.unit,
    row.target ?? "",
    row.ok === undefined ? "" : row.ok ? "yes" : "NO",
    row.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: readonly string[]): string => "| " + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ") + " |";
  console.log(fmt(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const l of lines) console.log(fmt(l));
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter((l) => l.trim() !== "");
  return lines[lines.length - 1] ?? "";
}

function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(2);
}

await main();
