// Faults under load, counting what the broker confirmed against what handlers saw: nothing confirmed may be
// lost (duplicates are allowed: at-least-once). Two faults:
//  1. the broker closes our connections (320 CONNECTION_FORCED, what `rabbitmqctl close_all_connections`
//     does) — only ours, by connection_name: other suites share this broker;
//  2. `rabbitmqctl stop_app` / `start_app` (a broker restart, ~2 s outage). It disturbs everyone using the
//     broker, so it runs only with HYPC_RABBITMQ_DISRUPTIVE=1 (run it once, alone).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createRabbitMqTransport, type RabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import type { OutgoingMessage, Transport } from "../../../src/transport.js";
import { closeConnectionsNamed, rabbitmqctl, rabbitmqctlAvailable, deleteObjectsWithPrefix } from "./rabbitmqctl.js";
import { rabbitSkip, recordingLogger, seedConfig, testContext } from "./support.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const disruptive = process.env.HYPC_RABBITMQ_DISRUPTIVE === "1";
const run = `hypc-rmq-faults-${randomUUID().slice(0, 8)}`;

const TOTAL = 3_000;
const BATCH = 50;
const PARALLEL_BATCHES = 4;

interface LoadResult {
  readonly confirmed: Set<string>;
  readonly failed: string[];
  readonly handled: Map<string, number>;
}

async function until(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Publishes TOTAL messages in parallel batches while a consumer handles them; `fault` fires at 1/3. */
async function loadWithFault(topic: string, producer: Transport, consumer: Transport, fault: () => Promise<void>): Promise<LoadResult> {
  const handled = new Map<string, number>();
  await producer.ensureTopics([{ name: topic, partitions: 1 }]);
  await consumer.subscribe({ group: "g", topics: [topic], concurrency: 50 }, async (m) => {
    handled.set(m.id, (handled.get(m.id) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 2)); // a little work: a backlog of unacked messages exists at the fault
    await m.ack();
  });
  const confirmed = new Set<string>();
  const failed: string[] = [];
  let next = 0;
  let faultFired: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      const batch: OutgoingMessage[] = [];
      for (let i = 0; i < BATCH && next < TOTAL; i++, next++) {
        batch.push({ topic, key: `k${next % 16}`, body: Buffer.from(JSON.stringify({ n: next })), headers: {}, id: `${topic}-${next}` });
      }
      try {
        await producer.publish(batch);
        for (const m of batch) confirmed.add(m.id);
      } catch {
        failed.push(...batch.map((m) => m.id));
      }
      if (faultFired === undefined && confirmed.size >= TOTAL / 3) faultFired = fault();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  await faultFired;
  await until("every confirmed message to be handled", () => [...confirmed].every((id) => handled.has(id)), 60_000);
  // The subscription resumed on the recovered connection: a message published now is handled too.
  await producer.publish([{ topic, body: Buffer.from("{}"), headers: {}, id: `${topic}-sentinel` }]);
  await until("the sentinel published after recovery", () => handled.has(`${topic}-sentinel`), 30_000);
  return { confirmed, failed, handled };
}

describe.skipIf(skip !== false || !ctl)("rabbitmq faults under load (confirmed vs handled)", () => {
  const opened: Transport[] = [];
  const open = async (logger = recordingLogger()): Promise<RabbitMqTransport> => {
    // Recovery every 300 ms instead of the seed's 5 s keeps the test short; the mechanism is the same.
    const t = createRabbitMqTransport(seedConfig({ connection: { network_recovery_interval: 300 } }), testContext(undefined, logger));
    opened.push(t);
    await t.connect();
    return t as RabbitMqTransport;
  };
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close().catch(() => undefined);
  });
  afterAll(async () => {
    // This run's durable exchanges and queues (unique names): leave the shared broker as we found it.
    if (ctl) await deleteObjectsWithPrefix(run);
  });

  it("loses nothing when the broker force-closes our connections mid-load", { timeout: 120_000 }, async () => {
    const producerLog = recordingLogger();
    const consumerLog = recordingLogger();
    const producer = await open(producerLog);
    const consumer = await open(consumerLog);
    const result = await loadWithFault(`${run}-forced`, producer, consumer, async () => {
      const closed = await closeConnectionsNamed(producer.connectionName, "hypc fault test");
      const closedConsumer = await closeConnectionsNamed(consumer.connectionName, "hypc fault test");
      expect(closed + closedConsumer).toBe(2);
    });
    const duplicates = [...result.handled.values()].filter((c) => c > 1).length;
    console.info(`[faults] forced close: confirmed ${result.confirmed.size}/${TOTAL}, failed ${result.failed.length}, handled ${result.handled.size}, duplicates ${duplicates}`);
    expect(result.failed).toEqual([]);
    expect(result.confirmed.size).toBe(TOTAL);
    expect([...result.confirmed].filter((id) => !result.handled.has(id))).toEqual([]);
    expect(producerLog.lines.some((l) => l.message.includes("recovered"))).toBe(true);
    expect(consumerLog.lines.some((l) => l.message.includes("recovered"))).toBe(true);
    expect(consumerLog.lines.some((l) => l.message.includes("subscription resumed"))).toBe(true);
  });

  it.skipIf(!disruptive)("loses nothing across rabbitmqctl stop_app / start_app mid-load", { timeout: 180_000 }, async () => {
    const producer = await open();
    const consumer = await open();
    let outageMs = 0;
    const result = await loadWithFault(`${run}-restart`, producer, consumer, async () => {
      const started = Date.now();
      try {
        await rabbitmqctl("stop_app");
        await new Promise((r) => setTimeout(r, 1_000));
      } finally {
        await rabbitmqctl("start_app");
        outageMs = Date.now() - started;
      }
    });
    const duplicates = [...result.handled.values()].filter((c) => c > 1).length;
    console.info(`[faults] stop_app/start_app (${outageMs} ms): confirmed ${result.confirmed.size}/${TOTAL}, failed ${result.failed.length}, handled ${result.handled.size}, duplicates ${duplicates}`);
    expect(result.failed).toEqual([]);
    expect([...result.confirmed].filter((id) => !result.handled.has(id))).toEqual([]);
  });
});
