// Interop with an outside client: the AWS CLI reads what the adapter sent and sends what a subscriber of the
// adapter receives (ElasticMQ for SQS, an in-process fauxqs for SNS). Needs `aws` on PATH (Debian: awscli).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createAwsTransport } from "../../../src/adapters/sqs/index.js";
import { groupQueueName, snsTopicName } from "../../../src/adapters/sqs/naming.js";
import type { ResolvedConsumer } from "../../../src/topology.js";
import type { ReceivedMessage, Transport } from "../../../src/transport.js";
import { requireOrSkip } from "../../support/brokers.js";
import { ELASTICMQ_ENDPOINT, TEST_CREDENTIALS, elasticMqSkip, emptyTopology, seedAwsConfig, startFauxqs, testContext } from "./support.js";
import { until as waitUntil } from "../../helpers.js";

const exec = promisify(execFile);
const hasCli = await exec("aws", ["--version"]).then(() => true, () => false);
const cliSkip = hasCli ? false : requireOrSkip(false, "the AWS CLI (`aws`) is not installed: apt-get install -y awscli");
const emqSkip = await elasticMqSkip();
const fauxqs = await startFauxqs();
const opened: Transport[] = [];
afterAll(async () => {
  for (const t of opened) await t.close().catch(() => undefined);
  await fauxqs.stop();
});

async function aws(endpoint: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await exec("aws", [...args, "--endpoint-url", endpoint, "--region", "eu-west-1", "--output", "json"], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_PAGER: "" },
    timeout: 60_000,
  });
  return stdout.trim() === "" ? {} : JSON.parse(stdout);
}
/** This file's default wait is 20_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 20_000): Promise<void> => waitUntil(what, done, ms);
const run = `hypc-cli-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const envelope = (n: number) => JSON.stringify({ event_type: "script.created", version: "1.0", payload: { n }, metadata: { message_id: `m-${n}` } });

describe.skipIf(cliSkip !== false || emqSkip !== false)("AWS CLI <-> aws adapter on ElasticMQ (SQS)", () => {
  it("the CLI receives what the adapter published, with body and header attributes", { timeout: 60_000 }, async () => {
    const topic = `${run}.out`;
    const consumer = { name: "cli", broker: "aws_messaging", groupId: "cli-reader", topics: [{ name: topic, partitions: [0], auto_offset_reset: "earliest" }], handlers: [] } as unknown as ResolvedConsumer;
    const t = createAwsTransport(seedAwsConfig(), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: ELASTICMQ_ENDPOINT }, emptyTopology({ consumers: [consumer] })));
    opened.push(t);
    await t.connect();
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    await t.publish([{ topic, key: "user-7", id: "id-cli-1", body: Buffer.from(envelope(1)), headers: { "x-trace-id": "trace-cli" } }]);
    const { QueueUrl } = (await aws(ELASTICMQ_ENDPOINT, "sqs", "get-queue-url", "--queue-name", groupQueueName(topic, "cli-reader", false))) as { QueueUrl: string };
    const got = (await aws(ELASTICMQ_ENDPOINT, "sqs", "receive-message", "--queue-url", QueueUrl, "--message-attribute-names", "All", "--wait-time-seconds", "5")) as {
      Messages?: { Body: string; MessageAttributes: Record<string, { StringValue: string }> }[];
    };
    const m = got.Messages?.[0];
    expect(m?.Body).toBe(envelope(1));
    expect(m?.MessageAttributes["x-trace-id"]?.StringValue).toBe("trace-cli");
    expect(m?.MessageAttributes["hypc-id"]?.StringValue).toBe("id-cli-1");
    expect(m?.MessageAttributes["hypc-key"]?.StringValue).toBe("user-7");
  });

  it("a subscriber of the adapter receives what the CLI sent to its group queue", { timeout: 60_000 }, async () => {
    const topic = `${run}.in`;
    const t = createAwsTransport(seedAwsConfig({ sqs: { wait_time_seconds: 1 } }), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: ELASTICMQ_ENDPOINT }));
    opened.push(t);
    await t.connect();
    const seen: ReceivedMessage[] = [];
    await t.subscribe({ group: "from-cli", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m);
      await m.ack();
    });
    const { QueueUrl } = (await aws(ELASTICMQ_ENDPOINT, "sqs", "get-queue-url", "--queue-name", groupQueueName(topic, "from-cli", false))) as { QueueUrl: string };
    const sent = (await aws(ELASTICMQ_ENDPOINT, "sqs", "send-message", "--queue-url", QueueUrl, "--message-body", envelope(2),
      "--message-attributes", JSON.stringify({ "x-correlation-id": { DataType: "String", StringValue: "corr-cli" } }))) as { MessageId: string };
    await until("the CLI's message", () => seen.length >= 1);
    expect(seen[0]!.body.toString()).toBe(envelope(2));
    expect(seen[0]!.headers["x-correlation-id"]).toBe("corr-cli");
    expect(seen[0]!.id).toBe(sent.MessageId); // no hypc-id attribute: the SQS message id
  });
});

describe.skipIf(cliSkip !== false)("AWS CLI <-> aws adapter on fauxqs (SNS)", () => {
  it("a subscriber of the adapter receives what `aws sns publish` sent to the topic", { timeout: 60_000 }, async () => {
    const topic = `${run}.sns`;
    const t = createAwsTransport(seedAwsConfig({ sqs: { wait_time_seconds: 1 } }), testContext({ ...TEST_CREDENTIALS, HYPC_SQS_ENDPOINT: fauxqs.endpoint, HYPC_SNS_ENDPOINT: fauxqs.endpoint }));
    opened.push(t);
    await t.connect();
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const seen: ReceivedMessage[] = [];
    await t.subscribe({ group: "sns-cli", topics: [topic], concurrency: 1 }, async (m) => {
      seen.push(m);
      await m.ack();
    });
    const { TopicArn } = (await aws(fauxqs.endpoint, "sns", "create-topic", "--name", snsTopicName(topic, false))) as { TopicArn: string };
    await aws(fauxqs.endpoint, "sns", "publish", "--topic-arn", TopicArn, "--message", envelope(3),
      "--message-attributes", JSON.stringify({ "x-trace-id": { DataType: "String", StringValue: "sns-trace" } }));
    await until("the CLI's SNS message", () => seen.length >= 1);
    expect(seen[0]!.body.toString()).toBe(envelope(3));
    expect(seen[0]!.headers["x-trace-id"]).toBe("sns-trace");
  });
});
