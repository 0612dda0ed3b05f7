// SQS through generated code (bench/gen/sqs, from bench/throughput/sqs.hyp) against the raw
// @aws-sdk/client-sqs with the same settings, same ElasticMQ, same run. ElasticMQ has no SNS, so the adapter
// fans out over SQS itself: a publish lists the topic's group queues (one ListQueues per event-loop turn,
// shared by the calls of that turn) and sends to each; here that is one queue, `hypc-bench-readings__hypc-bench`.
//  - publish: `producers.readingProducer.readingRecorded(payload)`, WINDOW calls in flight (the core builds and
//    validates the envelope, adds trace headers and makes one Transport.publish per event; the adapter sends
//    the calls of one event-loop turn in SendMessageBatch requests of 10, each message with one attribute per
//    header — x-trace-id, x-span-id, x-correlation-id, x-hypc-event-type — plus hypc-id and hypc-key) vs raw
//    SendMessageBatch of 10 entries (WINDOW / 10 calls in flight) of the same message (`rawEnvelope`) with the
//    same six attributes — SQS has no properties for the trace context, correlation id, event type, message id
//    or key — to its own queue of the same attributes. As on the other brokers, the raw side sends what
//    generated code sends: the message id and the key travel on Kafka (key, message-id header) and Artemis
//    (message-id, group-id) too. Until 2026-11-27 the raw side left hypc-id and hypc-key out (a raw app can go
//    by SQS's own message id and needs no key on a standard queue): generated code measured 0.80-0.95x of that
//    raw publisher that day and 0.93-1.08x the day before (rounds of 0.72-1.25x); a four-attribute variant
//    measured in the same rounds came out slower than the six-attribute raw publisher, i.e. within the noise;
//  - consume: the generated ReadingConsumer (concurrency 40: 4 receive loops of max_messages 10, long polling
//    wait_time_seconds 1, visibility 30 s; envelope parse, schema validation, retry/timeout/concurrency
//    middlewares, typed handler, acks coalesced into DeleteMessageBatch) vs 4 raw loops of ReceiveMessage
//    (MaxNumberOfMessages 10, WaitTimeSeconds 1, VisibilityTimeout 30, all message attributes) that
//    JSON.parse each body (`parseRaw`), call the handler and delete what they received with one
//    DeleteMessageBatch, then receive again. Both drain a queue pre-filled by the publish round; measured
//    (rate and CPU) from the first message handled to the last.
// A warm-up round is not counted; then rounds alternate who goes first; each result is the median of the
// rounds. CPU per message: this process (client) and the ElasticMQ JVM (broker). MESSAGES per round is 6,000
// (about 2 s per phase): the rate is bound by ElasticMQ's round trips, and at 2,000 single consume rounds
// ranged 0.56-1.34x (medians 0.82-0.98x from run to run).
// Usage: node dist/bench/sqs-generated.js   (HYPC_SQS_ENDPOINT, default http://127.0.0.1:9324)
import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { AdapterContext, AwsMessagingConfig } from "@hypc/runtime";
import { createAwsTransport } from "@hypc/runtime/adapters/sqs/index";
import { groupQueueName } from "@hypc/runtime/adapters/sqs/naming";
import { createMessaging, topology, type Messaging } from "./gen/sqs/index.js";
import { ConsumeClock, CpuMeter, EVENT_TYPE, findPid, parseRaw, rawEnvelope, reading, silentLogger, traceHeaders, type Reading, configured, GeneratedReadings, publishThroughGenerated, publishConsumeRounds, publishConsumeRows } from "./readings.js";
import type { Row } from "./row.js";

const ENDPOINT = process.env.HYPC_SQS_ENDPOINT ?? "http://127.0.0.1:9324";
const MESSAGES = Number(process.env.HYPC_BENCH_SQS_GENERATED_MESSAGES ?? 6_000);
// 10 rounds: ElasticMQ makes single publish rounds range 0.72-1.25x (2026-11-27), so a median of 6 moved by
// ±0.08 from run to run.
const ROUNDS = Number(process.env.HYPC_BENCH_SQS_GENERATED_ROUNDS ?? 10);
const WINDOW = 1_000;
const BATCH = 10;
const aws = topology.messaging.aws_messaging as AwsMessagingConfig;
/** The raw side's receive loops: as many as the adapter runs for the handler's concurrency (min(4, c / 10)). */
const LOOPS = Math.min(4, Math.ceil(topology.consumers[0]!.handlers[0]!.concurrency / aws.sqs.max_messages));
const TOPIC = topology.producers[0]!.routes[0]!.topic;
const GROUP = topology.consumers[0]!.groupId;
/** Not `<topic>__…`: the generated producer's fan-out must not reach the raw side's queue. */
const RAW_TOPIC = `${TOPIC}-raw`;
const env = { ...process.env, HYPC_SQS_ENDPOINT: ENDPOINT, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench" };
const raw = new SQSClient({ region: aws.region, endpoint: ENDPOINT, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });

const readings = new GeneratedReadings();
function messaging(consumers: readonly string[]): Messaging {
  return createMessaging({
    ...configured(env, consumers),
    handlers: {
      events: { ReadingHandler: readings.handler },
    },
  });
}

function generatedPublish(m: Messaging): Promise<number> {
  return publishThroughGenerated(m, MESSAGES, WINDOW);
}

/** One raw entry: the envelope, its headers as attributes, and hypc-id and hypc-key as generated code sends them. */
function rawEntry(n: number, j: number): { Id: string; MessageBody: string; MessageAttributes: ReturnType<typeof attributes> } {
  const payload = reading(n);
  const id = randomUUID();
  const headers: Record<string, string> = { ...traceHeaders(), "x-correlation-id": id, "x-hypc-event-type": EVENT_TYPE, "hypc-id": id, "hypc-key": payload.reading_id };
  return { Id: String(j), MessageBody: rawEnvelope(payload, id).toString("utf8"), MessageAttributes: attributes(headers) };
}

async function rawPublish(url: string): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += WINDOW) {
    const window: Promise<unknown>[] = [];
    for (let i = sent; i < Math.min(sent + WINDOW, MESSAGES); i += BATCH) {
      const Entries = Array.from({ length: Math.min(BATCH, MESSAGES - i) }, (_, j) => rawEntry(i + j, j));
      window.push(raw.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })).then((out) => {
        if ((out.Failed ?? []).length > 0) throw new Error(`raw send: ${out.Failed!.length} entries failed`);
      }));
    }
    await Promise.all(window);
  }
  return MESSAGES / ((performance.now() - started) / 1000);
}

/** Headers as SQS String message attributes, one per header (as the adapter sends them). */
function attributes(headers: Record<string, string>): Record<string, { DataType: string; StringValue: string }> {
  const out: Record<string, { DataType: string; StringValue: string }> = {};
  for (const name in headers) out[name] = { DataType: "String", StringValue: headers[name]! };
  return out;
}

function generatedConsume(cpu: CpuMeter): Promise<number> {
  return readings.consume(() => messaging(["ReadingConsumer"]), new ConsumeClock(MESSAGES, cpu));
}

async function rawConsume(url: string, cpu: CpuMeter): Promise<number> {
  const clock = new ConsumeClock(MESSAGES, cpu);
  const handler = async (event: { payload: Reading }): Promise<void> => {
    if (event.payload.value < 0) throw new Error("unreachable");
  };
  const loop = async (): Promise<void> => {
    while (clock.handled < MESSAGES) {
      const out = await raw.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: aws.sqs.max_messages, WaitTimeSeconds: aws.sqs.wait_time_seconds, VisibilityTimeout: aws.sqs.visibility_timeout, MessageAttributeNames: ["All"] }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      await Promise.all(messages.map((m) => handler(parseRaw(Buffer.from(m.Body ?? "", "utf8"))).then(() => clock.tick())));
      await raw.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, loop));
  return clock.perSecond();
}

/** The queues, created by the adapter so they have the same attributes (and DLQ redrive); returns their URLs. */
async function declareQueues(): Promise<{ generated: string; raw: string }> {
  const ctx = {
    env,
    logger: silentLogger,
    resolve: () => "bench",
    guarantees: topology.guarantees,
    topology: { ...topology, consumers: [], pubSub: [] },
  } as unknown as AdapterContext;
  const t = createAwsTransport(aws, ctx);
  await t.connect();
  for (const topic of [TOPIC, RAW_TOPIC]) await (await t.subscribe({ group: GROUP, topics: [topic], concurrency: 1 }, async (m) => m.nack())).close();
  await t.close();
  const url = async (topic: string): Promise<string> => (await raw.send(new GetQueueUrlCommand({ QueueName: groupQueueName(topic, GROUP, false) }))).QueueUrl!;
  return { generated: await url(TOPIC), raw: await url(RAW_TOPIC) };
}

export async function generatedVsRaw(): Promise<Row[]> {
  const queues = await declareQueues().catch((e: unknown) => {
    throw new Error(`ElasticMQ not reachable at ${ENDPOINT}: ${(e as Error).message}`);
  });
  // Leftovers of an interrupted run would end a consume round early.
  for (const url of [queues.generated, queues.raw]) await raw.send(new PurgeQueueCommand({ QueueUrl: url }));
  const producer = messaging([]);
  await producer.start();
  const brokerPid = findPid(/org\.elasticmq\.server\.Main/);
  try {
    const results = await publishConsumeRounds(ROUNDS, MESSAGES, brokerPid, {
      publishGenerated: () => generatedPublish(producer),
      publishRaw: () => rawPublish(queues.raw),
      consumeGenerated: generatedConsume,
      consumeRaw: (cpu) => rawConsume(queues.raw, cpu),
    }, true);
    return publishConsumeRows(results, {
      prefix: "SQS ",
      publish: `SQS publish through generated code, ${WINDOW} in flight (raw: batches of ${BATCH}) (${MESSAGES} events, median of ${ROUNDS})`,
      consume: `SQS consume through generated code, ${LOOPS} loops x ${aws.sqs.max_messages}, DeleteMessageBatch (${MESSAGES} events, median of ${ROUNDS})`,
      client: "client-sqs",
    });
  } finally {
    await producer.stop();
    raw.destroy();
  }
}

if (process.argv[1]?.endsWith("sqs-generated.js")) {
  for (const row of await generatedVsRaw()) console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  process.exit(0);
}
