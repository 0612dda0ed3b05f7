// SQS adapter vs the raw @aws-sdk/client-sqs, same ElasticMQ, same run, same settings (max_messages 10,
// visibility 30 s, long polling, batches of 10, DeleteMessageBatch for acks):
//  - publish: calls of 100 messages to a topic with one group queue (adapter: its SQS fan-out to the
//    topic's listed queues, SendMessageBatch; raw: SendMessageBatch straight to a queue);
//  - consume: a pre-filled queue drained with acks (adapter: subscribe, concurrency 50; raw: 4 receive
//    loops, DeleteMessageBatch per receive).
// Median of 6 interleaved rounds (who goes first alternates). Target: adapter >= 0.9x raw. The adapter's
// SQS-only fan-out lists the topic's group queues at most once a second (cached), not per publish call.
// Usage: node dist/bench/sqs.js   (HYPC_SQS_ENDPOINT, default http://127.0.0.1:9324; scripts/brokers/elasticmq.sh start)
import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { AdapterContext, AwsMessagingConfig, OutgoingMessage, Transport } from "@hypc/runtime";
import { createAwsTransport } from "@hypc/runtime/adapters/sqs/index";
import { deadLetterQueueName, groupQueueName } from "@hypc/runtime/adapters/sqs/naming";
import { generatedVsRaw } from "./sqs-generated.js";
import type { Row } from "./row.js";
import { median } from "./stats.js";

const ENDPOINT = process.env.HYPC_SQS_ENDPOINT ?? "http://127.0.0.1:9324";
const MESSAGES = Number(process.env.HYPC_BENCH_SQS_MESSAGES ?? 2_000);
const CALL = 100;
const ROUNDS = Number(process.env.HYPC_BENCH_SQS_ROUNDS ?? 6);
const SINGLES = 1_000;
const IN_FLIGHT = 100;
/** What each queue holds when its consume round starts: both publish benchmarks' messages. */
const QUEUED = MESSAGES + SINGLES;
const BODY = Buffer.alloc(300, 120);
const runId = `hypc-bench-${randomUUID().slice(0, 8)}`;

const config: AwsMessagingConfig = {
  region: "eu-west-1",
  access_key_id: "bench",
  secret_access_key: "bench",
  sqs: { max_messages: 10, visibility_timeout: 30, wait_time_seconds: 1, message_retention_period: 1209600, receive_message_wait_time_seconds: 1 },
  sns: { message_structure: "json", message_attributes: true },
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = {
  env: { HYPC_SQS_ENDPOINT: ENDPOINT },
  logger: silent,
  resolve: (v: unknown) => String(v),
  guarantees: { message_ordering: { enabled: false } },
  topology: { consumers: [], pubSub: [], producers: [], requestReply: [], topics: [], guarantees: { message_ordering: { enabled: false } } },
} as unknown as AdapterContext;
const raw = new SQSClient({ region: "eu-west-1", endpoint: ENDPOINT, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });

/** Runs `count` calls with at most IN_FLIGHT of them at a time. */
async function inFlight(count: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const message = (topic: string, i: number): OutgoingMessage => ({ topic, key: `k-${i % 16}`, body: BODY, headers: { "x-trace-id": `t-${i}` }, id: randomUUID() });

async function rawSend(url: string, count: number, first = 0): Promise<void> {
  for (let i = first; i < first + count; i += 10) {
    await raw.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: Array.from({ length: Math.min(10, first + count - i) }, (_, j) => ({
        Id: String(j),
        MessageBody: BODY.toString(),
        // The attributes the adapter sends for message(): id, key, the trace header.
        MessageAttributes: {
          "hypc-id": { DataType: "String", StringValue: randomUUID() },
          "hypc-key": { DataType: "String", StringValue: `k-${(i + j) % 16}` },
          "x-trace-id": { DataType: "String", StringValue: `t-${i + j}` },
        },
      })),
    }));
  }
}

/** Resolves with the ms at which the last message was acked (not when the idle long polls end). */
async function rawDrain(url: string, count: number): Promise<number> {
  let got = 0;
  let doneAt = 0;
  const loop = async (): Promise<void> => {
    while (got < count) {
      const out = await raw.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30, MessageAttributeNames: ["All"] }));
      const msgs = out.Messages ?? [];
      got += msgs.length;
      if (msgs.length > 0) {
        await raw.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        if (got >= count && doneAt === 0) doneAt = performance.now();
      }
    }
  };
  await Promise.all([loop(), loop(), loop(), loop()]);
  return doneAt;
}

async function adapterDrain(t: Transport, topic: string, group: string, count: number): Promise<number> {
  let got = 0;
  let doneAt = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const sub = await t.subscribe({ group, topics: [topic], concurrency: 50 }, async (m) => {
    await m.ack();
    if (++got === count) {
      doneAt = performance.now();
      done();
    }
  });
  await finished;
  await sub.close();
  return doneAt;
}

export async function run(): Promise<Row[]> {
  const t = createAwsTransport(config, ctx);
  await t.connect();
  const pub = { adapter: [] as number[], raw: [] as number[] };
  const con = { adapter: [] as number[], raw: [] as number[] };
  const single = { adapter: [] as number[], raw: [] as number[] };
  const queues: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const topic = `${runId}-r${round}`;
      const group = "bench";
      // The adapter's group queue (created via subscribe) for the adapter; a plain queue of the same
      // attributes for the raw client, so neither drains the other's messages.
      await (await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => m.nack())).close();
      const { QueueUrl } = await raw.send(new CreateQueueCommand({ QueueName: `${runId}-raw${round}`, Attributes: { VisibilityTimeout: "30", ReceiveMessageWaitTimeSeconds: "1", MessageRetentionPeriod: "1209600" } }));
      const url = QueueUrl!;
      const adapterQueue = groupQueueName(topic, group, false);
      queues.push(url, url.replace(/[^/]+$/, adapterQueue), url.replace(/[^/]+$/, deadLetterQueueName(adapterQueue)));
      const adapterPublish = async (): Promise<void> => {
        const t0 = performance.now();
        for (let i = 0; i < MESSAGES; i += CALL) await t.publish(Array.from({ length: CALL }, (_, j) => message(topic, i + j)));
        pub.adapter.push(MESSAGES / ((performance.now() - t0) / 1000));
      };
      const rawPublish = async (): Promise<void> => {
        const t0 = performance.now();
        await rawSend(url, MESSAGES);
        pub.raw.push(MESSAGES / ((performance.now() - t0) / 1000));
      };
      // One message per call, IN_FLIGHT calls at a time: how the runtime core publishes (one
      // Transport.publish per event). Raw: SendMessageBatch of one entry, as many in flight.
      const adapterSingles = async (): Promise<void> => {
        const t0 = performance.now();
        await inFlight(SINGLES, (i) => t.publish([message(topic, i)]));
        single.adapter.push(SINGLES / ((performance.now() - t0) / 1000));
      };
      const rawSingles = async (): Promise<void> => {
        const t0 = performance.now();
        await inFlight(SINGLES, (i) => rawSend(url, 1, i));
        single.raw.push(SINGLES / ((performance.now() - t0) / 1000));
      };
      const adapterConsume = async (): Promise<void> => {
        const t0 = performance.now();
        con.adapter.push(QUEUED / (((await adapterDrain(t, topic, group, QUEUED)) - t0) / 1000));
      };
      const rawConsume = async (): Promise<void> => {
        const t0 = performance.now();
        con.raw.push(QUEUED / (((await rawDrain(url, QUEUED)) - t0) / 1000));
      };
      // Interleaved, alternating who goes first: load from other processes hits both sides alike.
      if (round % 2 === 0) {
        await adapterPublish();
        await rawPublish();
        await adapterSingles();
        await rawSingles();
        await adapterConsume();
        await rawConsume();
      } else {
        await rawPublish();
        await adapterPublish();
        await rawSingles();
        await adapterSingles();
        await rawConsume();
        await adapterConsume();
      }
    }
  } finally {
    await t.close();
    for (const url of queues) await raw.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    raw.destroy();
  }
  const rows: Row[] = [];
  const rowsOf = [
    ["publish (batches of 10, calls of 100)", pub],
    [`publish (calls of 1 message, ${IN_FLIGHT} in flight)`, single],
    ["consume + ack (DeleteMessageBatch)", con],
  ] as const;
  for (const [what, r] of rowsOf) {
    const a = median(r.adapter);
    const b = median(r.raw);
    rows.push({ name: `SQS ${what}: adapter`, value: a, unit: "msg/s" });
    rows.push({ name: `SQS ${what}: raw client`, value: b, unit: "msg/s" });
    rows.push({ name: `SQS ${what}: adapter / raw`, value: a / b, unit: "x", target: ">= 0.9", ok: a / b >= 0.9 });
  }
  // Issue 7's targets: the same comparisons through generated code (bench/gen/sqs).
  rows.push(...(await generatedVsRaw()));
  return rows;
}

// Run directly: print the rows.
if (process.argv[1]?.endsWith("sqs.js") || process.argv[1]?.endsWith("sqs.ts")) {
  for (const row of await run()) {
    console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}`);
  }
}
