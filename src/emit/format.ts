// Prettier, once per file, after all files are printed (which files skip it, and why, is decided in
// generate.ts). A cold `hypc build` spends much of its time loading and warming up prettier; a Formatter
// started early runs prettier in a worker thread, so that cost overlaps with parsing, checking and
// printing on the main thread. Running from TypeScript sources (tests, tsx) there is no compiled worker
// file, and prettier runs in-thread; both paths use the same options and give identical output.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { prettierOptions } from "./format-options.js";

export interface Formatter {
  format(text: string): Promise<string>;
  close(): Promise<void>;
}

export async function formatTypeScript(text: string): Promise<string> {
  const prettier = await import("prettier");
  return prettier.format(text, prettierOptions);
}

export const inThreadFormatter: Formatter = { format: formatTypeScript, close: async () => {} };

/** Starts a worker-thread formatter when the compiled worker exists; otherwise formats in-thread. */
export function startFormatter(): Formatter {
  const workerFile = fileURLToPath(new URL("./format-worker.js", import.meta.url));
  if (import.meta.url.endsWith(".ts") || !existsSync(workerFile)) return inThreadFormatter;
  let worker: Worker;
  try {
    worker = new Worker(workerFile);
  } catch {
    return inThreadFormatter;
  }
  worker.unref();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const failAll = (error: Error): void => {
    failed = error;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };
  worker.on("message", (reply: { id: number; text?: string; error?: string }) => {
    const request = pending.get(reply.id);
    if (request === undefined) return;
    pending.delete(reply.id);
    if (reply.text !== undefined) request.resolve(reply.text);
    else request.reject(new Error(reply.error ?? "prettier failed"));
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`formatter worker exited with code ${code}`)));
  return {
    format(text) {
      // A broken worker must not break the build: fall back to formatting in this thread.
      if (failed !== undefined) return formatTypeScript(text);
      const id = nextId++;
      worker.ref();
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, text });
      })
        .catch(() => formatTypeScript(text))
        .finally(() => {
          if (pending.size === 0) worker.unref();
        });
    },
    async close() {
      await worker.terminate();
    },
  };
}
