// A TCP (or TLS-terminating) proxy in front of the local RabbitMQ, started by the tests: it lets them cut
// the network (kill sockets), freeze it (pause: bytes are held, not forwarded), accept without ever
// answering (hold) and speak TLS with certificates the test generated — without touching the shared broker.
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TlsOptions } from "node:tls";

export interface TestProxy {
  readonly port: number;
  /** Stop forwarding in both directions (bytes are kept and sent on resume). */
  pause(): void;
  resume(): void;
  /** Destroy every open connection (the network "drops"); new connections are still accepted. */
  killAll(): void;
  /** Connections opened so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  readonly target?: { host: string; port: number };
  /** Terminate TLS with these options (key, cert, ca, requestCert, rejectUnauthorized). */
  readonly tls?: TlsOptions;
  /** Accept connections but never connect upstream nor answer (a broker that hangs in the handshake). */
  readonly hold?: boolean;
}

/** Host and port of the broker under test (HYPC_RABBITMQ_URL, default 127.0.0.1:5672). */
function brokerAddress(): { host: string; port: number } {
  const url = new URL(process.env.HYPC_RABBITMQ_URL ?? "amqp://127.0.0.1:5672/");
  return { host: url.hostname, port: url.port === "" ? 5672 : Number(url.port) };
}

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const target = options.target ?? brokerAddress();
  const sockets = new Set<Socket>();
  let paused = false;
  let accepted = 0;
  const held: (() => void)[] = [];

  const forward = (from: Socket, to: Socket): void => {
    from.on("data", (chunk: Buffer) => {
      if (paused) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  };
  const onClient = (client: Socket): void => {
    accepted++;
    sockets.add(client);
    client.on("error", () => undefined);
    client.on("close", () => sockets.delete(client));
    if (options.hold === true) return;
    const upstream = connect(target);
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on("close", () => upstream.destroy());
    forward(client, upstream);
    forward(upstream, client);
  };
  const server: Server =
    options.tls === undefined ? createTcpServer(onClient) : createTlsServer(options.tls, (s) => onClient(s));
  if (options.tls !== undefined) server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    get accepted() {
      return accepted;
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const send of held.splice(0)) send();
    },
    killAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
