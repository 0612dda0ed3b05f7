// Default logger: one JSON line per entry on stderr; level from HYPC_LOG_LEVEL (debug|info|warn|error, default warn).
import type { Logger } from "../api.js";

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

export function createConsoleLogger(level: string | undefined = process.env.HYPC_LOG_LEVEL): Logger {
  const min = levels[(level ?? "warn") as Level] ?? levels.warn;
  const write = (lvl: Level) => (message: string, fields?: object) => {
    if (levels[lvl] < min) return;
    process.stderr.write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg: message, ...fields }) + "\n");
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
