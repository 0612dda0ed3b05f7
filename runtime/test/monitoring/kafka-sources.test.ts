// Consumer lag from a real Kafka (HYPC_KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:9092): end offsets minus the
// group's committed offsets, from the log start for a group that never committed.
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafkaLagSource, type KafkaLagSource } from "../../src/monitoring/kafka-sources.js";
import { BOOTSTRAP, kafkaSkip } from "../adapters/kafka/support.js";

const skip = await kafkaSkip();

describe.skipIf(skip)("Kafka consumer lag", () => {
  const run = randomUUID().slice(0, 8);
  const topic = `hypc-test.monitoring-lag.${run}`;
  const group = `hypc-test-monitoring-${run}`;
  const kafka = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), clientId: `monitoring-test-${run}`, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  let source: KafkaLagSource;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [0, 0, 0, 1, 1].map((partition, i) => ({ partition, value: `m${i}` })) });
    await producer.disconnect();
    source = await createKafkaLagSource(kafka.admin(), new Map([[group, [topic, `${topic}.absent`]]]));
  });

  afterAll(async () => {
    await source?.close();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("counts every retained message for a group that has not committed, and the rest after a commit", async () => {
    expect(await source.lag(group)).toBe(5);
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: "2" }, { partition: 1, offset: "2" }] });
    expect(await source.lag(group)).toBe(1);
    expect(await source.lag("unknown-group-without-topics")).toBe(0);
  });
});
