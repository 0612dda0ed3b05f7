// Runs one benchmark module in this process and prints its rows as JSON on stdout (bench/run.ts starts one
// process per module, so a module never inherits another's heap, JIT state or open connections).
import type { Row } from "./row.js";

const name = process.argv[2] ?? "";
const mod = (await import(`./${name}.js`)) as { run: () => Promise<Row[]> };
const rows = await mod.run();
process.stdout.write(JSON.stringify(rows));
// Broker clients may keep sockets open a little longer; the rows are out, so end now.
process.exit(0);
