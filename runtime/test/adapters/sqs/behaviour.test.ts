// AWS adapter behaviour beyond the conformance suite, on ElasticMQ (SQS) and an in-process fauxqs (SNS):
// queue attributes from the seed, FIFO topology, broker-side redrive to the DLQ, visibility extension.
import { DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createAwsTransport } from "../../../src/adapters/sqs/index.js";
import { deadLetterQueueName, groupQueueName } from "../../../src/adapters/sqs/naming.js";
import type { GuaranteesConfig, ResolvedConsumer, ResolvedProducer, Topology } from "../../../src/topology.js";
import type { OutgoingMessage, ReceivedMessage, Transport } from "../../../src/transport.js";
import { ELASTICMQ_ENDPOINT, TEST_CREDENTIALS, elasticMqSkip, emptyTopology, seedAwsConfig, startFauxqs, testContext } from "./support.js";
import { sleep, until as waitUntil } from "../../helpers.js";

const skip = await elasticMqSkip();
const fauxqs = await startFauxqs();
const opened: Transport[] = [];
afterAll(async () => {
  for (const t of opened) await t.close().catch(() => undefined);
  await fauxqs.stop();
});

const run = `hypc-aws-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const rawSqs = (endpoint: string) => new SQSClient({ region: "eu-west-1", endpoint, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const out = (topic: string, n: number, key?: string): OutgoingMessage => ({
  topic,
  ...(key !== undefined ? { key } : {}),
  body: Buffer.from(JSON.stringify({ n })),
  headers: { "x-n": String(n) },
  id: randomUUID(),
});
/** This file's default wait is 20_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 20_000): Promise<void> => waitUntil(what, done, ms);

async function open(endpoints: Record<string, string>, topology: Topology = emptyTopology(), sqs: Parameters<typeof seedAwsConfig>[0] = {}): Promise<Transport> {
  const t = createAwsTransport(seedAwsConfig({ sqs: { wait_time_seconds: 1, ...sqs?.sqs } }), testContext({ ...TEST_CREDENTIALS, ...endpoints }, topology));
  await t.connect();
  opened.push(t);
  return t;
}

describe.skipIf(skip !== false)("aws adapter on ElasticMQ", () => {
  const endpoints = { HYPC_SQS_ENDPOINT: ELASTICMQ_ENDPOINT };

  it("creates the queues of declared consumer groups at ensureTopics, with the seed's attributes and a redrive DLQ", async () => {
    const topic = `${run}.declared`;
    const consumer = { name: "c", broker: "aws_messaging", groupId: "declared-group", topics: [{ name: topic, partitions: [0], auto_offset_reset: "earliest" }], handlers: [] } as unknown as ResolvedConsumer;
    const t = await open(endpoints, emptyTopology({ consumers: [consumer] }), { sqs: { wait_time_seconds: 20 } });
    await t.ensureTopics([{ name: topic, partitions: 1, retentionSeconds: 3600 }]);
    // Published before any subscriber: kept in the declared group's queue, not dropped.
    const early = out(topic, 1);
    await t.publish([early]);
    const sqs = rawSqs(ELASTICMQ_ENDPOINT);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: groupQueueName(topic, "declared-group", false) }));
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
    expect(attrs.VisibilityTimeout).toBe("30");
    expect(attrs.ReceiveMessageWaitTimeSeconds).toBe("20");
    // ElasticMQ neither stores nor reports MessageRetentionPeriod; the fauxqs test below checks it.
    expect(JSON.parse(attrs.RedrivePolicy ?? "{}")).toMatchObject({ maxReceiveCount: 5 });
    expect(attrs.RedrivePolicy).toContain(deadLetterQueueName(groupQueueName(topic, "declared-group", false)));
    const got: ReceivedMessage[] = [];
    await t.subscribe({ group: "declared-group", topics: [topic], concurrency: 1 }, async (m) => {
      got.push(m);
      await m.ack();
    });
    await until("the early message", () => got.length === 1);
    expect(got[0]!.id).toBe(early.id);
    sqs.destroy();
  });

  it("moves a message the consumers keep failing to the group's DLQ after maxReceiveCount (broker redrive)", async () => {
    const t = await open(endpoints);
    const topic = `${run}.redrive`;
    const group = "failing";
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const counts: number[] = [];
    const sub = await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => {
      counts.push(m.deliveryCount);
      await m.nack();
    });
    const poison = out(topic, 1);
    await t.publish([poison]);
    await until("five deliveries", () => counts.length >= 5);
    await sleep(1500);
    await sub.close();
    expect(counts).toEqual([1, 2, 3, 4, 5]); // maxReceiveCount 5 (retries 3 + 2), then no more
    const sqs = rawSqs(ELASTICMQ_ENDPOINT);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: deadLetterQueueName(groupQueueName(topic, group, false)) }));
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageAttributeNames: ["All"] }));
    expect(dead.Messages?.[0]?.MessageAttributes?.["hypc-id"]?.StringValue).toBe(poison.id);
    sqs.destroy();
  });

  it("extends visibility while a slow handler runs: no redelivery to a competing consumer", { timeout: 30_000 }, async () => {
    const a = await open(endpoints, emptyTopology(), { sqs: { visibility_timeout: 2 } });
    const b = await open(endpoints, emptyTopology(), { sqs: { visibility_timeout: 2 } });
    const topic = `${run}.slow`;
    const group = "slow";
    await a.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: string[] = [];
    const handler = (who: string) => async (m: ReceivedMessage) => {
      seen.push(`${who}:${m.deliveryCount}`);
      await sleep(5_000); // 2.5 visibility timeouts
      await m.ack();
    };
    await a.subscribe({ group, topics: [topic], concurrency: 1 }, handler("a"));
    await b.subscribe({ group, topics: [topic], concurrency: 1 }, handler("b"));
    await a.publish([out(topic, 1)]);
    await until("the delivery", () => seen.length >= 1);
    await sleep(7_000);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/:1$/);
  });

  it("refuses (retriable) to publish to a topic no queue subscribes to, instead of dropping the message", async () => {
    const t = await open(endpoints);
    await expect(t.publish([out(`${run}.nobody`, 1)])).rejects.toMatchObject({ retriable: true, topic: `${run}.nobody` });
  });

  // The SQS-only fan-out reuses the previous listing of the topic's queues to start sending at once, and
  // lists again in every call: these are the cases where the previous listing is out of date.
  it("fan-out follows the topic's queues from one publish call to the next: a group another transport just added, a group queue deleted", { timeout: 60_000 }, async () => {
    const publisher = await open(endpoints);
    const other = await open(endpoints);
    const topic = `${run}.fanout`;
    const seen = { g1: [] as number[], g2: [] as number[] };
    const collect = (into: number[]) => async (m: ReceivedMessage): Promise<void> => {
      into.push((JSON.parse(m.body.toString("utf8")) as { n: number }).n);
      await m.ack();
    };
    await publisher.subscribe({ group: "g1", topics: [topic], concurrency: 10 }, collect(seen.g1));
    await publisher.publish([out(topic, 1)]); // the publisher has now listed [g1]
    const g2 = await other.subscribe({ group: "g2", topics: [topic], concurrency: 10 }, collect(seen.g2));
    // Concurrent one-message calls share a listing; every one of them must still reach g2.
    await Promise.all([2, 3, 4, 5, 6].map((n) => publisher.publish([out(topic, n)])));
    await until("g1 and g2 to get 2..6", () => seen.g1.length >= 6 && seen.g2.length >= 5);
    expect([...seen.g1].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...seen.g2].sort()).toEqual([2, 3, 4, 5, 6]);

    // g2's queue disappears (deleted by an operator): the publisher's last listing still names it.
    await g2.close();
    const sqs = rawSqs(ELASTICMQ_ENDPOINT);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: groupQueueName(topic, "g2", false) }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: QueueUrl! }));
    sqs.destroy();
    await publisher.publish([out(topic, 7)]);
    await until("g1 to get 7", () => seen.g1.includes(7));
  });
});

describe("aws adapter on fauxqs (SNS)", () => {
  const endpoints = { HYPC_SQS_ENDPOINT: fauxqs.endpoint, HYPC_SNS_ENDPOINT: fauxqs.endpoint };
  const topic = `${run}.ordered`;
  const producer = { name: "p", broker: "aws_messaging", routes: [{ eventType: "e", topic, partitionKey: "user_id", retry: { max_retries: 3 } }] } as unknown as ResolvedProducer;
  const ordered = emptyTopology({ producers: [producer], guarantees: { message_ordering: { enabled: true } } as unknown as GuaranteesConfig });

  it("keyed topics with message_ordering become FIFO SNS topics feeding FIFO queues; order per key holds", { timeout: 30_000 }, async () => {
    const t = await open(endpoints, ordered);
    await t.ensureTopics([{ name: topic, partitions: 3 }]);
    const received = new Map<string, number[]>();
    await t.subscribe({ group: "ordered", topics: [topic], concurrency: 8, orderedByKey: true }, async (m) => {
      const { n } = JSON.parse(m.body.toString()) as { n: number };
      received.set(m.key ?? "", [...(received.get(m.key ?? "") ?? []), n]);
      await sleep(Math.random() * 3);
      await m.ack();
    });
    const batch: OutgoingMessage[] = [];
    for (let i = 0; i < 20; i++) for (const k of ["a", "b", "c"]) batch.push(out(topic, i, k));
    await t.publish(batch);
    await until("60 messages", () => [...received.values()].flat().length >= 60);
    for (const k of ["a", "b", "c"]) expect(received.get(k)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const sqs = rawSqs(fauxqs.endpoint);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: groupQueueName(topic, "ordered", true) }));
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
    expect(attrs.FifoQueue).toBe("true");
    expect(attrs.MessageRetentionPeriod).toBe("1209600"); // the seed's 14 days
    expect(attrs.VisibilityTimeout).toBe("30");
    sqs.destroy();
  });
});
