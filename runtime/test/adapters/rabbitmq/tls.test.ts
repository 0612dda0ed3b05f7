// ssl.* against real TLS handshakes, with certificates generated here by openssl (CA, server cert for
// 127.0.0.1, client cert). Two servers, the same cases:
//  - "rabbitmq": TLS listeners added to the running broker at run time (`rabbitmqctl eval
//    rabbit_networking:start_ssl_listener(...)` on random loopback ports, removed afterwards): no restart,
//    the broker's 5672 listener and everyone on it are untouched. One listener with ssl_options
//    {verify, verify_none}, one with {verify, verify_peer}, {fail_if_no_peer_cert, true}. Needs rabbitmqctl.
//  - "proxy": a TLS-terminating node:tls proxy in front of 5672 playing the same two ssl_options
//    (runs without rabbitmqctl).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRabbitMqTransport, type RabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { ConfigError, TransportError } from "../../../src/errors.js";
import type { RabbitMqConfig } from "../../../src/topology.js";
import type { Transport } from "../../../src/transport.js";
import { startProxy, type TestProxy } from "./proxy.js";
import { connectionsNamed, deleteObjectsWithPrefix, rabbitmqctl, rabbitmqctlAvailable } from "./rabbitmqctl.js";
import { rabbitSkip, seedConfig, testContext } from "./support.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"]);
    return true;
  } catch {
    return false;
  }
})();
const run = `hypc-rmq-tls-${randomUUID().slice(0, 8)}`;

type Certs = Record<"dir" | "ca" | "serverKey" | "serverCert" | "clientKey" | "clientCert", string>;

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by that CA. */
function makeCertificates(): Certs {
  const dir = mkdtempSync(join(tmpdir(), "hypc-rmq-tls-"));
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hypc test CA", "-keyout", f("ca.key"), "-out", f("ca.pem"));
  writeFileSync(f("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key"), "-out", f("server.csr"));
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-extfile", f("server.ext"), "-out", f("server.pem"));
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=hypc-client", "-keyout", f("client.key"), "-out", f("client.csr"));
  ssl("x509", "-req", "-in", f("client.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-out", f("client.pem"));
  // The broker runs as its own user: it must read the server files (throw-away test certificates).
  chmodSync(dir, 0o755);
  for (const file of readdirSync(dir)) chmodSync(f(file), 0o644);
  return { dir, ca: f("ca.pem"), serverKey: f("server.key"), serverCert: f("server.pem"), clientKey: f("client.key"), clientCert: f("client.pem") };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The two TLS endpoints every case runs against. */
interface TlsServer {
  /** Server does not ask for a client certificate. */
  readonly port: number;
  /** Server demands a client certificate signed by the test CA (fail_if_no_peer_cert). */
  readonly mutualPort: number;
  stop(): Promise<void>;
}

async function rabbitListeners(certs: Certs): Promise<TlsServer> {
  const [port, mutualPort] = [await freePort(), await freePort()];
  const files = `{cacertfile, "${certs.ca}"}, {certfile, "${certs.serverCert}"}, {keyfile, "${certs.serverKey}"}`;
  const start = (p: number, verify: string): Promise<string> =>
    rabbitmqctl("eval", `rabbit_networking:ensure_ssl(), rabbit_networking:start_ssl_listener({"127.0.0.1", ${p}}, [${files}, ${verify}], 1).`);
  const stop = (p: number): Promise<string> => rabbitmqctl("eval", `rabbit_networking:stop_tcp_listener({"127.0.0.1", ${p}}).`).catch(() => "");
  await start(port, "{verify, verify_none}, {fail_if_no_peer_cert, false}");
  await start(mutualPort, "{verify, verify_peer}, {fail_if_no_peer_cert, true}");
  return { port, mutualPort, stop: async () => void (await Promise.all([stop(port), stop(mutualPort)])) };
}

async function proxies(certs: Certs): Promise<TlsServer> {
  const server = { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert) };
  const plain: TestProxy = await startProxy({ tls: server });
  const mutual: TestProxy = await startProxy({ tls: { ...server, ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true } });
  return { port: plain.port, mutualPort: mutual.port, stop: async () => void (await Promise.all([plain.close(), mutual.close()])) };
}

const servers: { name: string; start: (c: Certs) => Promise<TlsServer>; enabled: boolean }[] = [
  { name: "a RabbitMQ TLS listener", start: rabbitListeners, enabled: ctl },
  { name: "a TLS proxy in front of RabbitMQ", start: proxies, enabled: true },
];

describe.skipIf(skip !== false || !hasOpenssl)("rabbitmq ssl settings over real TLS handshakes", () => {
  let certs: Certs;
  beforeAll(() => {
    certs = makeCertificates();
  });
  afterAll(async () => {
    if (certs !== undefined) rmSync(certs.dir, { recursive: true, force: true });
    if (ctl) await deleteObjectsWithPrefix(run);
  });

  for (const server of servers) {
    describe.skipIf(!server.enabled)(`against ${server.name}`, () => {
      let tls: TlsServer;
      const opened: Transport[] = [];
      beforeAll(async () => {
        tls = await server.start(certs);
      });
      afterAll(async () => {
        await tls?.stop();
      });
      afterEach(async () => {
        for (const t of opened.splice(0)) await t.close().catch(() => undefined);
      });

      const transport = (port: number, ssl: Partial<RabbitMqConfig["ssl"]>): RabbitMqTransport => {
        const t = createRabbitMqTransport(
          seedConfig({ ssl: { enabled: true, ...ssl }, connection: { connection_timeout: 5_000, automatic_recovery: false } }),
          testContext({ HYPC_RABBITMQ_URL: `amqps://guest:guest@127.0.0.1:${port}/` }),
        ) as RabbitMqTransport;
        opened.push(t);
        return t;
      };

      const roundTrip = async (t: Transport): Promise<void> => {
        await t.connect();
        const topic = `${run}-${randomUUID().slice(0, 8)}`;
        await t.ensureTopics([{ name: topic, partitions: 1 }]);
        let received: (id: string) => void = () => undefined;
        const got = new Promise<string>((resolve) => (received = resolve));
        await t.subscribe({ group: "g", topics: [topic], concurrency: 1 }, async (m) => {
          await m.ack();
          received(m.id);
        });
        await t.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: "over-tls" }]);
        expect(await got).toBe("over-tls");
      };

      it("verify_peer with the CA (ssl.ca_file): connects and messages flow over TLS", async () => {
        const t = transport(tls.port, { verify_peer: true, ca_file: certs.ca });
        await roundTrip(t);
        if (server.start === rabbitListeners) expect((await connectionsNamed(t.connectionName))[0]?.ssl).toBe(true);
      });

      it("verify_peer without trusting the CA: refuses the broker's certificate (non-retriable TransportError)", async () => {
        const err = await transport(tls.port, { verify_peer: true }).connect().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect((err as TransportError).retriable).toBe(false);
        expect((err as Error).message).toMatch(/certificate/i);
      });

      it("verify_peer false: accepts the untrusted certificate", async () => {
        await roundTrip(transport(tls.port, { verify_peer: false }));
      });

      it("fail_if_no_peer_cert: the client certificate (ssl.cert_file/key_file) is presented and accepted", async () => {
        await roundTrip(
          transport(tls.mutualPort, { verify_peer: true, ca_file: certs.ca, fail_if_no_peer_cert: true, cert_file: certs.clientCert, key_file: certs.clientKey }),
        );
      });

      it("a broker that demands a client certificate refuses a client without one; the config check catches it first", async () => {
        const err = await transport(tls.mutualPort, { verify_peer: true, ca_file: certs.ca }).connect().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(() => transport(tls.mutualPort, { verify_peer: true, ca_file: certs.ca, fail_if_no_peer_cert: true })).toThrow(ConfigError);
      });
    });
  }
});
