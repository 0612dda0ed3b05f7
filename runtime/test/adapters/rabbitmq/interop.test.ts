// Interop with plain amqplib (what another service would do) and the broker objects of the topology table
// (docs/brokers/rabbitmq.md), checked on the broker itself.
import { randomUUID } from "node:crypto";
import amqp, { type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import type { Topology } from "../../../src/topology.js";
import type { ReceivedMessage, Transport } from "../../../src/transport.js";
import { rabbitmqctl, rabbitmqctlAvailable, deleteObjectsWithPrefix } from "./rabbitmqctl.js";
import { RABBIT_URL, rabbitSkip, seedConfig, testContext } from "./support.js";
import { until as waitUntil } from "../../helpers.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const run = `hypc-rmq-interop-${randomUUID().slice(0, 8)}`;
let n = 0;
const unique = (what: string): string => `${run}-${what}-${++n}`;

/** This file's default wait is 10_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 10_000): Promise<void> => waitUntil(what, done, ms);

/** Calls `get` until it returns something (bounded). */
async function poll<T>(what: string, get: () => Promise<T | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await get();
    if (got !== false) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skip !== false)("rabbitmq interop and topology", () => {
  let raw: ChannelModel;
  const opened: Transport[] = [];
  const open = async (topology?: Topology): Promise<Transport> => {
    const t = createRabbitMqTransport(seedConfig(), testContext(undefined, undefined, topology));
    opened.push(t);
    await t.connect();
    return t;
  };
  beforeAll(async () => {
    raw = await amqp.connect(RABBIT_URL, { noDelay: true });
  });
  afterAll(async () => {
    await raw?.close();
  });
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close().catch(() => undefined);
  });
  afterAll(async () => {
    // This run's durable exchanges and queues (unique names): leave the shared broker as we found it.
    if (ctl) await deleteObjectsWithPrefix(run);
  });

  it("a plain amqplib consumer reads what the adapter published, with the documented properties and headers", async () => {
    const t = await open();
    const topic = unique("out");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const ch = await raw.createChannel();
    const { queue } = await ch.assertQueue("", { exclusive: true });
    await ch.bindQueue(queue, topic, "#");
    const got: ConsumeMessage[] = [];
    await ch.consume(queue, (m) => m && got.push(m), { noAck: true });
    const body = Buffer.from(JSON.stringify({ event_type: "script.created", payload: { id: 1 } }));
    await t.publish([
      { topic, key: "script-7", body, id: "msg-1", headers: { "x-trace-id": "t-1", "x-correlation-id": "c-1", "x-reply-to": "replies", "x-hypc-event-type": "script.created" } },
    ]);
    await until("the raw consumer", () => got.length === 1);
    const m = got[0]!;
    expect(m.content.equals(body)).toBe(true);
    expect(m.fields).toMatchObject({ exchange: topic, routingKey: "script-7" });
    expect(m.properties).toMatchObject({
      messageId: "msg-1",
      correlationId: "c-1",
      replyTo: "replies",
      contentType: "application/json",
      deliveryMode: 2,
      type: "script.created",
    });
    // What AMQP has a property for is not repeated in the headers table; the key is the routing key.
    expect(m.properties.headers).toEqual({ "x-trace-id": "t-1" });
    await ch.close();
  });

  it("keys that cannot be a routing key (empty, over 255 bytes) travel in hypc-key and come back exactly", async () => {
    const t = await open();
    const topic = unique("keys");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: ReceivedMessage[] = [];
    await t.subscribe({ group: "g", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m);
      await m.ack();
    });
    const long = "ü".repeat(200); // 200 UTF-16 units, 400 UTF-8 bytes
    await t.publish([
      { topic, key: "", body: Buffer.from("{}"), headers: {}, id: "empty-key" },
      { topic, key: long, body: Buffer.from("{}"), headers: {}, id: "long-key" },
      { topic, body: Buffer.from("{}"), headers: { "x-hypc-event-type": "a.b" }, id: "no-key" },
    ]);
    await until("three messages", () => seen.length === 3);
    const byId = new Map(seen.map((m) => [m.id, m]));
    expect(byId.get("empty-key")!.key).toBe("");
    expect(byId.get("long-key")!.key).toBe(long);
    expect(byId.get("no-key")!.key).toBeUndefined();
    expect(byId.get("no-key")!.headers["x-hypc-event-type"]).toBe("a.b");
  });

  it("a plain amqplib publish reaches a subscriber: id from message_id, key from the routing key, headers as strings", async () => {
    const t = await open();
    const topic = unique("in");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: ReceivedMessage[] = [];
    await t.subscribe({ group: "g", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m);
      await m.ack();
    });
    const ch = await raw.createConfirmChannel();
    ch.publish(topic, "user-9", Buffer.from("{}"), { messageId: "plain-1", correlationId: "c-9", replyTo: "r-9", type: "user.registered", headers: { "x-trace-id": "t-9", n: 5 }, persistent: true });
    await ch.waitForConfirms();
    await until("the subscriber", () => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: "plain-1", key: "user-9", topic, deliveryCount: 1 });
    expect(seen[0]!.headers).toMatchObject({ "x-trace-id": "t-9", n: "5", "x-correlation-id": "c-9", "x-reply-to": "r-9", "x-hypc-event-type": "user.registered" });
    await ch.close();
  });

  it("keeps a message no group was bound for in <topic>/unrouted instead of dropping it", async () => {
    const t = await open();
    const topic = unique("unrouted");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    await t.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: "lonely" }]);
    const ch = await raw.createChannel();
    const m = await ch.get(`${topic}/unrouted`, { noAck: true });
    expect(m && m.properties.messageId).toBe("lonely");
    await ch.close();
  });

  it("pre-declares the group queues the compiled topology names, so messages published before the consumer starts wait for it", async () => {
    const topic = unique("predeclared");
    const topology = {
      consumers: [{ name: "c", broker: "rabbitmq", groupId: "script-processors", topics: [{ name: topic, partitions: [0], auto_offset_reset: "earliest" }] }],
      pubSub: [],
    } as unknown as Topology;
    const producer = await open(topology);
    await producer.ensureTopics([{ name: topic, partitions: 1 }]);
    await producer.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: "early" }]);
    const consumer = await open(topology);
    const seen: string[] = [];
    await consumer.subscribe({ group: "script-processors", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m.id);
      await m.ack();
    });
    await until("the early message", () => seen.length === 1);
    expect(seen).toEqual(["early"]);
  });

  it("orderedByKey groups are single-active-consumer: one instance of the group receives, the other stands by", async () => {
    const t1 = await open();
    const t2 = await open();
    const topic = unique("sac");
    await t1.ensureTopics([{ name: topic, partitions: 1 }]);
    const who: string[] = [];
    const handler = (name: string) => async (m: ReceivedMessage) => {
      who.push(name);
      await m.ack();
    };
    await t1.subscribe({ group: "ordered", topics: [topic], concurrency: 4, orderedByKey: true }, handler("one"));
    await t2.subscribe({ group: "ordered", topics: [topic], concurrency: 4, orderedByKey: true }, handler("two"));
    await t1.publish(Array.from({ length: 20 }, (_, i) => ({ topic, key: `k${i % 3}`, body: Buffer.from("{}"), headers: {}, id: `${topic}-${i}` })));
    await until("20 messages", () => who.length === 20);
    expect(new Set(who).size).toBe(1);
    // The active one goes away: the standby takes over.
    const first = who[0]!;
    const [active, standby] = first === "one" ? [t1, t2] : [t2, t1];
    await active.close();
    await standby.publish([{ topic, key: "k", body: Buffer.from("{}"), headers: {}, id: `${topic}-after` }]);
    await until("the standby to take over", () => who.length === 21);
    expect(who[20]).not.toBe(first);
  });

  it.skipIf(!ctl)("declares the documented objects: DLX + DLQ per group queue, one fixed-TTL queue per delay step, exclusive reply queues", async () => {
    const t = await open();
    const topic = unique("objects");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    let deliveries = 0;
    await t.subscribe({ group: "workers", topics: [topic], concurrency: 2 }, async (m) => {
      deliveries++;
      if (deliveries === 1) await m.nack({ delayMs: 120 });
      else if (deliveries === 2) await m.nack({ delayMs: 1234 });
      else await m.ack();
    });
    await t.subscribe({ group: "replies", topics: [topic], concurrency: 1, exclusive: true }, async (m) => m.ack());
    await t.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: "x" }]);
    await until("three deliveries", () => deliveries === 3, 15_000);
    const queues = await rabbitmqctl("list_queues", "name", "durable", "auto_delete", "exclusive", "arguments");
    const line = (name: string): string => queues.split("\n").find((l) => l.startsWith(`${name}\t`)) ?? `missing ${name}`;
    const main = `${topic}/workers`;
    expect(line(main)).toMatch(/\ttrue\tfalse\tfalse\t.*x-dead-letter-exchange.*\/workers\/dlx/);
    expect(line(`${main}/dlq`)).toMatch(/\ttrue\tfalse\tfalse/);
    expect(line(`${main}/retry/120ms`)).toMatch(/x-message-ttl.*120/);
    expect(line(`${main}/retry/1300ms`)).toMatch(/x-message-ttl.*1300/);
    const exclusive = queues.split("\n").find((l) => l.startsWith(`${topic}/replies/exclusive/`));
    expect(exclusive).toMatch(/\tfalse\ttrue\ttrue\t/);
    const bindings = await rabbitmqctl("list_bindings", "source_name", "destination_name", "routing_key");
    expect(bindings).toContain(`${topic}\t${main}\t#`);
    expect(bindings).toContain(`${main}/dlx\t${main}/dlq\t`);
  });

  it("a message rejected without requeue (operator, policy, another client) is dead-lettered to the group's DLQ", async () => {
    const t = await open();
    const topic = unique("dlq");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const sub = await t.subscribe({ group: "g", topics: [topic], concurrency: 1 }, async (m) => m.ack());
    await sub.close(); // the group queue stays (durable); nobody consumes now
    await t.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: "to-dlq" }]);
    const ch = await raw.createChannel();
    const m = await poll("the message in the group queue", () => ch.get(`${topic}/g`));
    ch.reject(m, false);
    const dead = await poll("the message in the DLQ", () => ch.get(`${topic}/g/dlq`, { noAck: true }));
    expect(dead.properties.messageId).toBe("to-dlq");
    await ch.close();
  });

  it("re-declares and resumes when the broker cancels the consumer (queue deleted under it: amqplib hands null)", async () => {
    const t = await open();
    const topic = unique("cancelled");
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: string[] = [];
    await t.subscribe({ group: "g", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m.id);
      await m.ack();
    });
    const ch = await raw.createChannel();
    await ch.deleteQueue(`${topic}/g`);
    await ch.close();
    // Published until the re-declared queue is bound again (the first ones may go to T/unrouted).
    for (let i = 0; seen.length === 0; i++) {
      if (i >= 100) throw new Error("no message handled 10 s after the queue was deleted");
      await t.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: `after-${i}` }]);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen[0]).toMatch(/^after-/);
  });
});
