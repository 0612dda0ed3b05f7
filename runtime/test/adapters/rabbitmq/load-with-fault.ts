// Load with a fault in the middle, counting what the broker confirmed against what handlers saw (shared by
// faults.test.ts and the broker-restart test restart.disruptive.test.ts).
import { afterAll, afterEach } from "vitest";
import { createRabbitMqTransport, type RabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import type { OutgoingMessage, Transport } from "../../../src/transport.js";
import { deleteObjectsWithPrefix } from "./rabbitmqctl.js";
import { recordingLogger, seedConfig, testContext } from "./support.js";
import { until } from "../../helpers.js";

export const TOTAL = 3_000;
const BATCH = 50;
const PARALLEL_BATCHES = 4;

export interface LoadResult {
  readonly confirmed: Set<string>;
  readonly failed: string[];
  readonly handled: Map<string, number>;
}


/** Publishes TOTAL messages in parallel batches while a consumer handles them; `fault` fires at 1/3. */
export async function loadWithFault(topic: string, producer: Transport, consumer: Transport, fault: () => Promise<void>): Promise<LoadResult> {
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

/** Opens transports for one describe block and closes them (and this run's broker objects) afterwards. */
export function transportsForTests(run: string, ctl: boolean): (logger?: ReturnType<typeof recordingLogger>) => Promise<RabbitMqTransport> {
  const opened: Transport[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close().catch(() => undefined);
  });
  afterAll(async () => {
    // This run's durable exchanges and queues (unique names): leave the shared broker as we found it.
    if (ctl) await deleteObjectsWithPrefix(run);
  });
  return async (logger = recordingLogger()) => {
    // Recovery every 300 ms instead of the seed's 5 s keeps the test short; the mechanism is the same.
    const t = createRabbitMqTransport(seedConfig({ connection: { network_recovery_interval: 300 } }), testContext(undefined, logger));
    opened.push(t);
    await t.connect();
    return t as RabbitMqTransport;
  };
}
