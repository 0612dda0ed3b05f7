// nack on Kafka (held in process, see docs/brokers/kafka.md): headers given to nack() reach the redelivered
// copy next to the original ones; with orderedByKey a delayed nack holds back only its own key, other keys
// of the same partition go on; ensureTopics grows a topic that has too few partitions.
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import type { ReceivedMessage, Transport } from "../../../src/transport.js";
import { BOOTSTRAP, kafkaSkip, seedKafkaConfig, testContext } from "./support.js";
import { until as waitUntil } from "../../helpers.js";

const skip = await kafkaSkip();
/** This file's default wait is 20_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 20_000): Promise<void> => waitUntil(what, done, ms);

describe.skipIf(skip !== false)("kafka nack and topics", () => {
  let t: Transport;
  const run = randomUUID().slice(0, 8);
  beforeAll(async () => {
    t = createKafkaTransport(seedKafkaConfig(), testContext());
    await t.connect();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("merges nack headers into the redelivered copy and keeps the original ones", { timeout: 60_000 }, async () => {
    const topic = `hypc-redeliver-${run}-h`;
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: ReceivedMessage[] = [];
    const sub = await t.subscribe({ group: `${topic}-g`, topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m);
      if (seen.length === 1) await m.nack({ delayMs: 50, headers: { "x-hypc-attempt": "2", "x-hypc-reason": "boom" } });
      else await m.ack();
    });
    await t.publish([{ topic, key: "k", body: Buffer.from("x"), headers: { "x-trace-id": "tr-1" }, id: "id-1" }]);
    await until("the redelivery", () => seen.length >= 2);
    await sub.close();
    expect(seen[1]!.headers).toMatchObject({ "x-trace-id": "tr-1", "x-hypc-attempt": "2", "x-hypc-reason": "boom" });
    expect(seen[1]!.id).toBe("id-1");
    expect(seen[1]!.deliveryCount).toBe(2);
  });

  it("with orderedByKey, a delayed nack holds back its key only", { timeout: 60_000 }, async () => {
    const topic = `hypc-redeliver-${run}-o`;
    await t.ensureTopics([{ name: topic, partitions: 1 }]); // both keys on one partition
    const order: string[] = [];
    let failed = false;
    const sub = await t.subscribe({ group: `${topic}-g`, topics: [topic], concurrency: 4, orderedByKey: true }, async (m) => {
      const n = m.body.toString();
      if (n === "a0" && !failed) {
        failed = true;
        await m.nack({ delayMs: 1000 });
        return;
      }
      order.push(n);
      await m.ack();
    });
    await t.publish(["a0", "a1", "b0", "b1", "b2"].map((n, i) => ({ topic, key: n[0]!, body: Buffer.from(n), headers: {}, id: `o-${i}` })));
    await until("all five", () => order.length >= 5);
    await sub.close();
    expect(order.filter((n) => n.startsWith("a"))).toEqual(["a0", "a1"]); // a1 waited for a0's retry
    expect(order.slice(0, 3)).toEqual(["b0", "b1", "b2"]); // b went on meanwhile
  });

  it("ensureTopics adds partitions to a topic that has too few", { timeout: 60_000 }, async () => {
    const topic = `hypc-redeliver-${run}-grow`;
    await t.ensureTopics([{ name: topic, partitions: 2 }]);
    await t.ensureTopics([{ name: topic, partitions: 5 }]);
    const admin = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]!.partitions).toHaveLength(5);
    } finally {
      await admin.disconnect();
    }
  });
});
