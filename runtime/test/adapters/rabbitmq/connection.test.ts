// Connection settings against the real broker: credentials and virtual_host from the configuration,
// heartbeat and max_channels as negotiated (seen by rabbitmqctl), connection_timeout, channel_rpc_timeout,
// channel_pool limits, automatic_recovery with network_recovery_interval (through a proxy that drops the
// network) and what happens with recovery off.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRabbitMqTransport, RabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { ConfigError, TransportError } from "../../../src/errors.js";
import type { OutgoingMessage, ReceivedMessage, Transport } from "../../../src/transport.js";
import { startProxy, type TestProxy } from "./proxy.js";
import { connectionsNamed, rabbitmqctl, rabbitmqctlAvailable, deleteObjectsWithPrefix } from "./rabbitmqctl.js";
import { rabbitSkip, recordingLogger, seedConfig, testContext } from "./support.js";
import { until as waitUntil } from "../../helpers.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const run = `hypc-rmq-conn-${randomUUID().slice(0, 8)}`;
let n = 0;
const unique = (what: string): string => `${run}-${what}-${++n}`;

const msg = (topic: string, i: number): OutgoingMessage => ({
  topic,
  key: `k${i % 4}`,
  body: Buffer.from(JSON.stringify({ i })),
  headers: {},
  id: `${topic}-${i}`,
});

/** This file's default wait is 10_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 10_000): Promise<void> => waitUntil(what, done, ms);

describe.skipIf(skip !== false)("rabbitmq connection settings", () => {
  const opened: Transport[] = [];
  const proxies: TestProxy[] = [];
  const open = async (t: Transport): Promise<Transport> => {
    opened.push(t);
    await t.connect();
    return t;
  };
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close().catch(() => undefined);
    for (const p of proxies.splice(0)) await p.close();
  });
  afterAll(async () => {
    // This run's durable exchanges and queues (unique names): leave the shared broker as we found it.
    if (ctl) await deleteObjectsWithPrefix(run);
  });

  describe.skipIf(!ctl)("with rabbitmqctl", () => {
    const vhost = `/${run}`;
    beforeAll(async () => {
      await rabbitmqctl("add_vhost", vhost);
      await rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    });
    afterAll(async () => {
      await rabbitmqctl("delete_vhost", vhost).catch(() => undefined);
    });

    it("connects with host, port, virtual_host and env credentials from the configuration (no URL override)", async () => {
      const config = { ...seedConfig({ ssl: { enabled: false } }), host: "127.0.0.1", virtual_host: vhost };
      const t = (await open(
        createRabbitMqTransport(config, testContext({ RABBITMQ_USERNAME: "guest", RABBITMQ_PASSWORD: "guest" })),
      )) as RabbitMqTransport;
      const topic = unique("vhost");
      await t.ensureTopics([{ name: topic, partitions: 1 }]);
      const seen: string[] = [];
      await t.subscribe({ group: "g", topics: [topic], concurrency: 2 }, async (m) => {
        seen.push(m.id);
        await m.ack();
      });
      await t.publish([msg(topic, 1)]);
      await until("the message in the vhost", () => seen.length === 1);
      const [conn] = await connectionsNamed(t.connectionName);
      expect(conn).toMatchObject({ vhost, user: "guest" });
      const exchanges = await rabbitmqctl("list_exchanges", "-p", vhost, "name", "type", "durable");
      expect(exchanges).toMatch(new RegExp(`${topic}\\ttopic\\ttrue`));
    });

    it("shares one confirm channel between many concurrent publish calls (all in flight, all confirmed)", async () => {
      const t = (await open(createRabbitMqTransport(seedConfig(), testContext()))) as RabbitMqTransport;
      const topic = unique("shared");
      await t.ensureTopics([{ name: topic, partitions: 1 }]);
      const handled = new Set<string>();
      await t.subscribe({ group: "g", topics: [topic], concurrency: 100 }, async (m) => {
        handled.add(m.id);
        await m.ack();
      });
      await Promise.all(Array.from({ length: 500 }, (_, i) => t.publish([msg(topic, i)])));
      await until("500 messages", () => handled.size === 500);
      const [conn] = await connectionsNamed(t.connectionName);
      // declarations + one publishing channel + the subscription's channel
      expect(conn?.channels).toBeLessThanOrEqual(3);
    });

    it("negotiates heartbeat (s) and channel_pool.max_channels as channel_max", async () => {
      const t = (await open(
        createRabbitMqTransport(seedConfig({ connection: { heartbeat: 17 }, channel_pool: { max_channels: 33 } }), testContext()),
      )) as RabbitMqTransport;
      const [conn] = await connectionsNamed(t.connectionName);
      expect(conn).toMatchObject({ timeout: 17, channelMax: 33 });
    });
  });

  it("refuses wrong credentials with a non-retriable TransportError", async () => {
    const t = createRabbitMqTransport(seedConfig(), testContext({ HYPC_RABBITMQ_URL: "amqp://guest:wrong@127.0.0.1:5672/" }));
    opened.push(t);
    const err = await t.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).retriable).toBe(false);
    expect((err as Error).message).toMatch(/ACCESS.REFUSED/);
  });

  it("fails a missing env credential at creation with a ConfigError naming it", () => {
    expect(() => createRabbitMqTransport(seedConfig(), testContext({}))).toThrow(ConfigError);
  });

  it("gives up a handshake that hangs after connection_timeout (ms)", async () => {
    const proxy = await startProxy({ hold: true });
    proxies.push(proxy);
    const t = createRabbitMqTransport(
      seedConfig({ connection: { connection_timeout: 300 } }),
      testContext({ HYPC_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}/` }),
    );
    opened.push(t);
    const started = Date.now();
    const err = await t.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).retriable).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("bounds a channel RPC the broker does not answer by channel_rpc_timeout (ms)", async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const t = await open(
      createRabbitMqTransport(
        seedConfig({ connection: { channel_rpc_timeout: 300, automatic_recovery: false } }),
        testContext({ HYPC_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}/` }),
      ),
    );
    proxy.pause();
    const started = Date.now();
    const err = await t.ensureTopics([{ name: unique("rpc"), partitions: 1 }]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/channel_rpc_timeout 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
    proxy.resume();
  });

  it("enforces channel_pool.max_channels and channel_pool.channel_timeout", async () => {
    // 3 channels: one for declarations, two subscriptions; nothing left for publishing.
    const t = await open(createRabbitMqTransport(seedConfig({ channel_pool: { max_channels: 3, channel_timeout: 200 } }), testContext()));
    const topic = unique("pool");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const noop = async (m: ReceivedMessage): Promise<void> => m.ack();
    await t.subscribe({ group: "a", topics: [topic], concurrency: 1 }, noop);
    await t.subscribe({ group: "b", topics: [topic], concurrency: 1 }, noop);
    await expect(t.subscribe({ group: "c", topics: [topic], concurrency: 1 }, noop)).rejects.toThrow(/max_channels \(3\)/);
    const started = Date.now();
    await expect(t.publish([msg(topic, 1)])).rejects.toThrow(/channel_timeout 200 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("recovers after the network drops: reconnects every network_recovery_interval, resumes consumers, loses nothing", async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const logger = recordingLogger();
    const env = { HYPC_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}/` };
    const config = seedConfig({ connection: { network_recovery_interval: 300 } });
    const t = await open(createRabbitMqTransport(config, testContext(env, logger)));
    const topic = unique("recover");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const handled = new Set<string>();
    await t.subscribe({ group: "g", topics: [topic], concurrency: 8 }, async (m) => {
      handled.add(m.id);
      await m.ack();
    });
    await t.publish([msg(topic, 0)]);
    await until("the first message", () => handled.size === 1);
    const acceptedBefore = proxy.accepted;
    proxy.killAll();
    const lostAt = Date.now();
    // Published while the connection is down: held until recovery, then confirmed.
    await t.publish([msg(topic, 1), msg(topic, 2)]);
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(250);
    await until("messages published during the outage", () => handled.size === 3);
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    expect(logger.lines.some((l) => l.message.includes("recovered"))).toBe(true);
  });

  it("detects a silently dead network by missed heartbeats (heartbeat in s) and recovers once it is back", { timeout: 30_000 }, async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const logger = recordingLogger();
    const config = seedConfig({ connection: { heartbeat: 1, network_recovery_interval: 200, connection_timeout: 1_000 } });
    const t = await open(createRabbitMqTransport(config, testContext({ HYPC_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}/` }, logger)));
    const topic = unique("heartbeat");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const handled = new Set<string>();
    await t.subscribe({ group: "g", topics: [topic], concurrency: 4 }, async (m) => {
      handled.add(m.id);
      await m.ack();
    });
    proxy.pause(); // no RST, no FIN: only heartbeats can tell
    const frozenAt = Date.now();
    await until("the connection to be declared lost", () => logger.lines.some((l) => l.message.includes("connection lost")), 10_000);
    const detectedAfter = Date.now() - frozenAt;
    expect(detectedAfter).toBeGreaterThanOrEqual(1_000); // not before a heartbeat interval
    expect(detectedAfter).toBeLessThan(6_000); // amqplib: two missed heartbeats (+ timer slack)
    proxy.killAll(); // drop the frozen sockets, as the OS eventually would
    proxy.resume();
    await t.publish([msg(topic, 7)]);
    await until("a message after recovery", () => handled.has(`${topic}-7`));
  });

  it("with automatic_recovery off, a publish after a network drop fails with a retriable TransportError", async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const t = await open(
      createRabbitMqTransport(
        seedConfig({ connection: { automatic_recovery: false } }),
        testContext({ HYPC_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}/` }),
      ),
    );
    const topic = unique("norecover");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    await t.publish([msg(topic, 0)]);
    proxy.killAll();
    await new Promise((r) => setTimeout(r, 100));
    const err = await t.publish([msg(topic, 1)]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).retriable).toBe(true);
    expect((err as TransportError).topic).toBe(topic);
    expect((err as TransportError).messageId).toBe(`${topic}-1`);
  });
});
