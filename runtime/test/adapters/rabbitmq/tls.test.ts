// ssl.* against a real TLS handshake. The shared RabbitMQ has no TLS listener and adding one means
// restarting it under everyone's feet, so the test starts a TLS-terminating proxy (node:tls) in front of
// it with certificates it generates with openssl: the client side of every ssl key is real (handshake,
// chain and name checks, client certificates); the proxy plays RabbitMQ's `ssl_options` (verify /
// fail_if_no_peer_cert). AMQP then runs over that TLS connection to the real broker.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { ConfigError, TransportError } from "../../../src/errors.js";
import type { RabbitMqConfig } from "../../../src/topology.js";
import type { Transport } from "../../../src/transport.js";
import { startProxy, type TestProxy } from "./proxy.js";
import { rabbitSkip, seedConfig, testContext } from "./support.js";

const skip = await rabbitSkip();
const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"]);
    return true;
  } catch {
    return false;
  }
})();

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by that CA. */
function makeCertificates(dir: string): Record<"ca" | "serverKey" | "serverCert" | "clientKey" | "clientCert", string> {
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hypc test CA", "-keyout", f("ca.key"), "-out", f("ca.pem"));
  writeFileSync(f("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key"), "-out", f("server.csr"));
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-extfile", f("server.ext"), "-out", f("server.pem"));
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=hypc-client", "-keyout", f("client.key"), "-out", f("client.csr"));
  ssl("x509", "-req", "-in", f("client.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-out", f("client.pem"));
  return { ca: f("ca.pem"), serverKey: f("server.key"), serverCert: f("server.pem"), clientKey: f("client.key"), clientCert: f("client.pem") };
}

describe.skipIf(skip !== false || !hasOpenssl)("rabbitmq ssl settings over a real TLS handshake", () => {
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;
  let proxy: TestProxy;
  let mutualProxy: TestProxy;
  const opened: Transport[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hypc-rmq-tls-"));
    certs = makeCertificates(dir);
    const server = { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert) };
    proxy = await startProxy({ tls: server });
    // RabbitMQ's ssl_options {verify, verify_peer}, {fail_if_no_peer_cert, true}
    mutualProxy = await startProxy({ tls: { ...server, ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true } });
  });
  afterAll(async () => {
    await proxy?.close();
    await mutualProxy?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close().catch(() => undefined);
  });

  const transport = (port: number, ssl: Partial<RabbitMqConfig["ssl"]>): Transport => {
    const t = createRabbitMqTransport(
      seedConfig({ ssl: { enabled: true, ...ssl }, connection: { connection_timeout: 5_000, automatic_recovery: false } }),
      testContext({ HYPC_RABBITMQ_URL: `amqps://guest:guest@127.0.0.1:${port}/` }),
    );
    opened.push(t);
    return t;
  };

  const roundTrip = async (t: Transport): Promise<void> => {
    await t.connect();
    const topic = `hypc-rmq-tls-${randomUUID().slice(0, 8)}`;
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
    const before = proxy.accepted;
    await roundTrip(transport(proxy.port, { verify_peer: true, ca_file: certs.ca }));
    expect(proxy.accepted).toBeGreaterThan(before);
  });

  it("verify_peer without trusting the CA: refuses the broker's certificate (non-retriable TransportError)", async () => {
    const err = await transport(proxy.port, { verify_peer: true }).connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).retriable).toBe(false);
    expect((err as Error).message).toMatch(/certificate/i);
  });

  it("verify_peer false: accepts the untrusted certificate", async () => {
    await roundTrip(transport(proxy.port, { verify_peer: false }));
  });

  it("fail_if_no_peer_cert: a client certificate (ssl.cert_file/key_file) is presented and accepted", async () => {
    await roundTrip(
      transport(mutualProxy.port, { verify_peer: true, ca_file: certs.ca, fail_if_no_peer_cert: true, cert_file: certs.clientCert, key_file: certs.clientKey }),
    );
  });

  it("a broker that demands a client certificate refuses a client without one; the config check catches it first", async () => {
    const err = await transport(mutualProxy.port, { verify_peer: true, ca_file: certs.ca }).connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(() => transport(mutualProxy.port, { verify_peer: true, ca_file: certs.ca, fail_if_no_peer_cert: true })).toThrow(ConfigError);
  });
});
