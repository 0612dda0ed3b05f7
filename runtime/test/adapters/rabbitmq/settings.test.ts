// Seed key → amqplib option mapping (no broker needed). The broker-side effect of each option is tested in
// connection.test.ts / tls.test.ts.
import { describe, expect, it } from "vitest";
import { resolveSettings } from "../../../src/adapters/rabbitmq/settings.js";
import { delayStep } from "../../../src/adapters/rabbitmq/names.js";
import { ConfigError } from "../../../src/errors.js";
import { seedConfig, testContext } from "./support.js";

describe("rabbitmq settings mapping", () => {
  it("maps the seed block as written: amqps, host, port, vhost, env credentials, heartbeat, channelMax, timeouts", () => {
    const s = resolveSettings(seedConfig(), testContext({ RABBITMQ_USERNAME: "svc", RABBITMQ_PASSWORD: "s3cret" }));
    expect(s.connect).toMatchObject({
      protocol: "amqps",
      hostname: "rabbitmq.example.com",
      port: 5672,
      vhost: "/hypnoscript",
      username: "svc",
      password: "s3cret",
      heartbeat: 60,
      channelMax: 100,
    });
    expect(s.tls).toBe(true);
    expect(s.socket).toMatchObject({ noDelay: true, timeout: 60000, rejectUnauthorized: true, servername: "rabbitmq.example.com" });
    expect(s).toMatchObject({
      connectionTimeoutMs: 60000,
      channelRpcTimeoutMs: 10000,
      automaticRecovery: true,
      networkRecoveryIntervalMs: 5000,
      maxChannels: 100,
      channelTimeoutMs: 30000,
    });
    expect(s.endpoint).not.toContain("s3cret");
  });

  it("names the missing environment variable of a credential", () => {
    expect(() => resolveSettings(seedConfig(), testContext({ RABBITMQ_PASSWORD: "x" }))).toThrow(/RABBITMQ_USERNAME/);
  });

  it("lets HYPC_RABBITMQ_URL replace host, port, vhost, credentials and the TLS choice", () => {
    const s = resolveSettings(seedConfig(), testContext({ HYPC_RABBITMQ_URL: "amqp://u%40x:p%2Fw@127.0.0.1:5673/%2Fhyp" }));
    expect(s.connect).toMatchObject({ protocol: "amqp", hostname: "127.0.0.1", port: 5673, vhost: "/hyp", username: "u@x", password: "p/w", heartbeat: 60 });
    expect(s.tls).toBe(false);
    expect(s.socket.rejectUnauthorized).toBeUndefined();
    const root = resolveSettings(seedConfig(), testContext({ HYPC_RABBITMQ_URL: "amqp://127.0.0.1" }));
    expect(root.connect).toMatchObject({ vhost: "/", port: 5672, username: "guest", password: "guest" });
    const tls = resolveSettings(seedConfig(), testContext({ HYPC_RABBITMQ_URL: "amqps://127.0.0.1/" }));
    expect(tls.connect).toMatchObject({ protocol: "amqps", port: 5671 });
    expect(tls.socket.rejectUnauthorized).toBe(true);
    expect(tls.socket.servername).toBeUndefined(); // no SNI for an IP address
  });

  it("rejects a bad override URL and bad numbers with a ConfigError", () => {
    expect(() => resolveSettings(seedConfig(), testContext({ HYPC_RABBITMQ_URL: "http://127.0.0.1" }))).toThrow(ConfigError);
    expect(() => resolveSettings(seedConfig({ channel_pool: { max_channels: 0 } }), testContext())).toThrow(/max_channels/);
    expect(() => resolveSettings(seedConfig({ connection: { heartbeat: -1 } }), testContext())).toThrow(/heartbeat/);
  });

  it("ssl.verify_peer false disables certificate checks; fail_if_no_peer_cert demands a client certificate", () => {
    const env = { RABBITMQ_USERNAME: "u", RABBITMQ_PASSWORD: "p" };
    const lax = resolveSettings(seedConfig({ ssl: { verify_peer: false } }), testContext(env));
    expect(lax.socket.rejectUnauthorized).toBe(false);
    expect(() => resolveSettings(seedConfig({ ssl: { fail_if_no_peer_cert: true } }), testContext(env))).toThrow(/fail_if_no_peer_cert.*cert_file/);
    expect(() => resolveSettings(seedConfig({ ssl: { ca_file: "/nonexistent/ca.pem" } }), testContext(env))).toThrow(/ca_file/);
  });

  it("ssl.enabled false connects in plain AMQP", () => {
    const s = resolveSettings(seedConfig({ ssl: { enabled: false } }), testContext({ RABBITMQ_USERNAME: "u", RABBITMQ_PASSWORD: "p" }));
    expect(s.connect.protocol).toBe("amqp");
    expect(s.socket.rejectUnauthorized).toBeUndefined();
  });

  it("rounds delay steps up to two significant digits (never early, few queues)", () => {
    expect([1, 99, 100, 101, 800, 1000, 1234, 5000, 29_999].map(delayStep)).toEqual([1, 99, 100, 110, 800, 1000, 1300, 5000, 30_000]);
    for (const ms of [3, 150, 777, 1001, 65_432]) expect(delayStep(ms)).toBeGreaterThanOrEqual(ms);
  });
});
