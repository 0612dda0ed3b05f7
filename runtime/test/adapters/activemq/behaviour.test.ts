// ActiveMQ adapter beyond the conformance suite: the seed's settings, refused and unreachable brokers,
// the session (link) cap, and queues of declared groups created up front.
import { execFile } from "node:child_process";
import net from "node:net";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import rhea from "rhea";
import type { EventContext } from "rhea";
import { afterAll, describe, expect, it } from "vitest";
import { activeMqSettings, createActiveMqTransport } from "../../../src/adapters/activemq/index.js";
import { ConfigError } from "../../../src/errors.js";
import type { ResolvedConsumer } from "../../../src/topology.js";
import type { ReceivedMessage, Transport } from "../../../src/transport.js";
import { emptyTopology, testContext } from "../sqs/support.js";
import { ACTIVEMQ_ENV, artemisSkip, seedActiveMqConfig } from "./support.js";

const skip = await artemisSkip();
const opened: Transport[] = [];
afterAll(async () => {
  for (const t of opened) await t.close().catch(() => undefined);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** TCP connections this test process holds to the broker port (ss shows the owning pid). */
async function ownConnections(port: number): Promise<number> {
  const { stdout } = await promisify(execFile)("ss", ["-tnpH", "state", "established", `( dport = :${port} )`]);
  return stdout.split("\n").filter((line) => line.includes(`pid=${process.pid},`)).length;
}

describe("activemq settings from the seed block", () => {
  it("maps every seed key", () => {
    const s = activeMqSettings(seedActiveMqConfig(), testContext({ ACTIVEMQ_USERNAME: "u", ACTIVEMQ_PASSWORD: "p" }));
    expect(s).toEqual({
      host: "activemq.example.com",
      port: 61616,
      tls: false,
      username: "u",
      password: "p",
      maxConnections: 50,
      connectionTimeoutMs: 30000,
      idleTimeoutMs: 300000,
      keepAlive: true,
      maxSessions: 200,
      sessionTimeoutMs: 60000,
    });
  });

  it("takes HYPC_ACTIVEMQ_URL over broker_url; keep_alive false asks for no heartbeats", () => {
    const s = activeMqSettings(
      seedActiveMqConfig({ connection: { keep_alive: false } }),
      testContext({ ACTIVEMQ_USERNAME: "u", ACTIVEMQ_PASSWORD: "p", HYPC_ACTIVEMQ_URL: "amqps://127.0.0.1:5671" }),
    );
    expect([s.host, s.port, s.tls, s.idleTimeoutMs]).toEqual(["127.0.0.1", 5671, true, 0]);
  });

  it("rejects unknown schemes and names a missing credential variable", () => {
    expect(() => activeMqSettings({ ...seedActiveMqConfig(), broker_url: "http://x:1" }, testContext({ ACTIVEMQ_USERNAME: "u", ACTIVEMQ_PASSWORD: "p" }))).toThrow(ConfigError);
    expect(() => activeMqSettings(seedActiveMqConfig(), testContext({ ACTIVEMQ_USERNAME: "u" }))).toThrow(/ACTIVEMQ_PASSWORD/);
  });
});

describe("activemq connection failures", () => {
  it("fails a connect to a port nobody listens on after connection_timeout, as retriable", async () => {
    const t = createActiveMqTransport(seedActiveMqConfig({ connection: { connection_timeout: 700 } }), testContext({ ...ACTIVEMQ_ENV, HYPC_ACTIVEMQ_URL: "tcp://127.0.0.1:1" }));
    const started = Date.now();
    await expect(t.connect()).rejects.toMatchObject({ retriable: true, message: expect.stringContaining("within 700 ms") });
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    await t.close();
  });

  it.skipIf(skip !== false)("fails at once, not retriable, when the broker refuses the credentials", async () => {
    const t = createActiveMqTransport(seedActiveMqConfig(), testContext({ ...ACTIVEMQ_ENV, ACTIVEMQ_PASSWORD: "wrong-password" }));
    const started = Date.now();
    await expect(t.connect()).rejects.toMatchObject({ retriable: false, message: expect.stringContaining("unauthorized") });
    expect(Date.now() - started).toBeLessThan(10_000); // not the 30 s connection_timeout
    await t.close();
  });
});

describe.skipIf(skip !== false)("activemq adapter on Artemis", () => {
  const run = `hypc-amq-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;

  it("caps attached links at session_pool.max_sessions and frees a slot on close", async () => {
    const t = createActiveMqTransport(seedActiveMqConfig({ session_pool: { max_sessions: 2 } }), testContext(ACTIVEMQ_ENV));
    opened.push(t);
    await t.connect();
    const noop = async (m: ReceivedMessage) => m.ack();
    const a = await t.subscribe({ group: "a", topics: [`${run}.cap`], concurrency: 1 }, noop);
    await t.subscribe({ group: "b", topics: [`${run}.cap`], concurrency: 1 }, noop);
    await expect(t.subscribe({ group: "c", topics: [`${run}.cap`], concurrency: 1 }, noop)).rejects.toMatchObject({
      retriable: false,
      message: expect.stringContaining("max_sessions (2)"),
    });
    await a.close();
    await t.subscribe({ group: "c", topics: [`${run}.cap`], concurrency: 1 }, noop);
  });

  it("opens at most max_connections connections: one to publish, then one per subscription until the cap", async () => {
    const port = Number(new URL(ACTIVEMQ_ENV.HYPC_ACTIVEMQ_URL).port || 61616);
    const before = await ownConnections(port);
    const t = createActiveMqTransport(seedActiveMqConfig({ connection: { max_connections: 3 } }), testContext(ACTIVEMQ_ENV));
    await t.connect();
    const noop = async (m: ReceivedMessage) => m.ack();
    for (const group of ["a", "b", "c", "d"]) await t.subscribe({ group, topics: [`${run}.conns`], concurrency: 1 }, noop);
    await t.publish([{ topic: `${run}.conns`, id: randomUUID(), body: Buffer.from("{}"), headers: {} }]);
    expect((await ownConnections(port)) - before).toBe(3);
    await t.close();
    await sleep(200);
    expect(await ownConnections(port)).toBe(before);
  });

  it("writes a burst of publishes to the socket together, not one write per message", async () => {
    const topic = `${run}.burst`;
    const t = createActiveMqTransport(seedActiveMqConfig(), testContext(ACTIVEMQ_ENV));
    opened.push(t);
    await t.connect();
    const message = () => ({ topic, id: randomUUID(), body: Buffer.from('{"n":1}'), headers: { "x-trace-id": "t" } });
    await t.publish([message()]); // attaches the sender
    const proto = net.Socket.prototype as unknown as { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown };
    const { _write, _writev } = proto;
    let writes = 0;
    proto._write = function (...a: unknown[]) {
      writes++;
      return _write.apply(this, a);
    };
    proto._writev = function (...a: unknown[]) {
      writes++;
      return _writev.apply(this, a);
    };
    try {
      // The core publishes one event per call: 200 calls in one turn.
      await Promise.all(Array.from({ length: 200 }, () => t.publish([message()])));
    } finally {
      proto._write = _write;
      proto._writev = _writev;
    }
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(20); // rhea alone writes each message's frame separately: 200
  });

  it("creates the queues of declared groups at ensureTopics: a message published before the consumer starts waits", async () => {
    const topic = `${run}.declared`;
    const consumer = { name: "c", broker: "activemq", groupId: "declared", topics: [{ name: topic, partitions: [0], auto_offset_reset: "earliest" }], handlers: [] } as unknown as ResolvedConsumer;
    const t = createActiveMqTransport(seedActiveMqConfig(), testContext(ACTIVEMQ_ENV, emptyTopology({ consumers: [consumer] })));
    opened.push(t);
    await t.connect();
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const id = randomUUID();
    await t.publish([{ topic, id, body: Buffer.from("{}"), headers: { "x-trace-id": "early" } }]);
    await sleep(300);
    const got: ReceivedMessage[] = [];
    await t.subscribe({ group: "declared", topics: [topic], concurrency: 1 }, async (m) => {
      got.push(m);
      await m.ack();
    });
    const deadline = Date.now() + 10_000;
    while (got.length === 0 && Date.now() < deadline) await sleep(20);
    expect(got.map((m) => [m.id, m.headers["x-trace-id"]])).toEqual([[id, "early"]]);
  });

  it("after max-delivery-attempts (Artemis default 10) the broker moves a message to its DLQ, nothing dropped", { timeout: 30_000 }, async () => {
    const t = createActiveMqTransport(seedActiveMqConfig(), testContext(ACTIVEMQ_ENV));
    opened.push(t);
    await t.connect();
    const topic = `${run}.poison`;
    const counts: number[] = [];
    const sub = await t.subscribe({ group: "poison", topics: [topic], concurrency: 1 }, async (m) => {
      counts.push(m.deliveryCount);
      await m.nack();
    });
    const id = randomUUID();
    await t.publish([{ topic, id, body: Buffer.from("{}"), headers: {} }]);
    const deadline = Date.now() + 15_000;
    while (counts.length < 10 && Date.now() < deadline) await sleep(20);
    await sleep(500);
    await sub.close();
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Read the broker's DLQ (ANYCAST queue "DLQ") with a plain AMQP client until our message shows up.
    const url = new URL(ACTIVEMQ_ENV.HYPC_ACTIVEMQ_URL);
    const conn = rhea.create_container().connect({
      host: url.hostname, port: Number(url.port || 61616), username: ACTIVEMQ_ENV.ACTIVEMQ_USERNAME, password: ACTIVEMQ_ENV.ACTIVEMQ_PASSWORD, reconnect: false,
    });
    try {
      const found = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        const receiver = conn.open_receiver({ source: { address: "DLQ", capabilities: ["queue"] }, autoaccept: false });
        receiver.on("message", (c: EventContext) => {
          if (c.message?.message_id === id) {
            c.delivery?.accept();
            clearTimeout(timer);
            resolve(true);
          } else {
            c.delivery?.release();
          }
        });
      });
      expect(found).toBe(true);
    } finally {
      conn.close();
    }
  });
});
