// A minimal Prometheus scrape endpoint (node:http). Binds 127.0.0.1 unless told otherwise: exposing metrics
// beyond the host is a deployment decision, not a default.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../api.js";

export interface MetricsServerOptions {
  /** The exposition text (Prometheus format 0.0.4), produced per scrape. */
  readonly render: () => string | Promise<string>;
  readonly host?: string;
  /** 0 (default) = an ephemeral port; read it from the result. */
  readonly port?: number;
  readonly path?: string;
  readonly logger?: Logger;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(o: MetricsServerOptions): Promise<RunningServer> {
  const path = o.path ?? "/metrics";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found; metrics are at ${path}\n`);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    Promise.resolve()
      .then(o.render)
      .then(
        (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(req.method === "HEAD" ? undefined : text),
        (error: unknown) => {
          o.logger?.error("rendering /metrics failed", { error: error instanceof Error ? error.message : String(error) });
          res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("metrics unavailable\n");
        },
      );
  });
  return listen(server, o.host ?? "127.0.0.1", o.port ?? 0, path);
}

export function listen(server: Server, host: string, port: number, path: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shownHost}:${address.port}${path}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
