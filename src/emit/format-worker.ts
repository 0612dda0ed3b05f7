// Runs prettier off the main thread (see format.ts): loads and warms it up while the main thread parses,
// checks and generates, then formats the texts it is sent, one reply per request.
import { parentPort } from "node:worker_threads";
import * as prettier from "prettier";
import { prettierOptions, warmUpSample } from "./format-options.js";

interface Request {
  readonly id: number;
  readonly text: string;
}

const port = parentPort;
if (port !== null) {
  // The first format call pays for loading the TypeScript parser and JIT warm-up: pay it now, in parallel.
  const warm = prettier.format(warmUpSample, prettierOptions).catch(() => "");
  port.on("message", (request: Request) => {
    void warm
      .then(() => prettier.format(request.text, prettierOptions))
      .then(
        (text) => port.postMessage({ id: request.id, text }),
        (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
