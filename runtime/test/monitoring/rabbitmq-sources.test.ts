// Lag and queue stats from a real RabbitMQ (127.0.0.1:5672, guest/guest): group queues named as the adapter
// names them (`<topic>/<group>`), filled over AMQP; a group queue not declared yet counts as empty.
import { randomUUID } from "node:crypto";
import { connect, type ChannelModel } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupQueue } from "../../src/adapters/rabbitmq/names.js";
import { createRabbitMqSources, type RabbitMqSources } from "../../src/monitoring/rabbitmq-sources.js";
import { brokerAvailable, requireOrSkip } from "../support/brokers.js";

const url = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const skip = requireOrSkip(await brokerAvailable("127.0.0.1", 5672), "RabbitMQ not reachable on 127.0.0.1:5672");

describe.skipIf(skip)("RabbitMQ lag and queue stats", () => {
  const run = randomUUID().slice(0, 8);
  const topicA = `hypc-test.monitoring.${run}.a`;
  const topicB = `hypc-test.monitoring.${run}.b`;
  const group = `monitoring-group-${run}`;
  let admin: ChannelModel;
  let sources: RabbitMqSources;

  beforeAll(async () => {
    admin = await connect(url);
    const ch = await admin.createChannel();
    await ch.assertQueue(groupQueue(topicA, group), { durable: false, autoDelete: false });
    for (let i = 0; i < 4; i++) ch.sendToQueue(groupQueue(topicA, group), Buffer.from(`{"n":${i}}`));
    await ch.close();
    sources = await createRabbitMqSources({ url, groupTopics: new Map([[group, [topicA, topicB]], [`absent-${run}`, [topicA]]]) });
  });

  afterAll(async () => {
    await sources?.close();
    if (admin !== undefined) {
      const ch = await admin.createChannel();
      await ch.deleteQueue(groupQueue(topicA, group)).catch(() => undefined);
      await admin.close();
    }
  });

  it("reads a group's lag as the ready messages of its queues (missing queues count 0)", async () => {
    // Publishes are asynchronous on the broker side: poll briefly until all four are counted.
    let lag = 0;
    for (let i = 0; i < 50 && lag < 4; i++) {
      lag = await sources.lag(group);
      if (lag < 4) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lag).toBe(4);
    expect(await sources.lag(`absent-${run}`)).toBe(0);
    // The source keeps working after a 404 closed its channel.
    expect(await sources.lag(group)).toBe(4);
  });

  it("reports depth and consumers of existing group queues", async () => {
    const ch = await admin.createChannel();
    await ch.prefetch(1);
    await ch.consume(groupQueue(topicA, group), () => undefined, { noAck: false });
    // One message is delivered (unacked) to the consumer: 3 remain ready.
    let a: Awaited<ReturnType<RabbitMqSources["queueStats"]["stats"]>>[number] | undefined;
    for (let i = 0; i < 50; i++) {
      const stats = await sources.queueStats.stats();
      expect(stats.some((s) => s.queue === groupQueue(topicB, group))).toBe(false);
      a = stats.find((s) => s.queue === groupQueue(topicA, group));
      if (a?.depth === 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(a).toEqual({ queue: groupQueue(topicA, group), depth: 3, consumers: 1 });
    await ch.close();
  });
});
