// Kafka through generated code (bench/gen/kafka, from bench/throughput/kafka.hyp) against raw kafkajs with the
// same settings (acks all, idempotent producer with one request in flight, snappy, murmur2 partitioner, 4
// partitions, the consumer options the adapter derives), same broker, same run:
//  - produce: `producers.readingProducer.readingRecorded(payload)`, windows of WINDOW calls in flight (the
//    adapter's linger/batch_size batcher groups them into requests) vs raw `producer.send()` of arrays of
//    RAW_BATCH messages, RAW_IN_FLIGHT sends in flight (kafkajs serializes idempotent requests per broker; the
//    next send's partitioning overlaps the current request), of the same records generated code writes: key
//    reading_id, value rawEnvelope(payload), and its 5 headers (correlation, trace and span ids of
//    trace_propagation's defaults, the event type, the message id). kafkajs encodes each header with a
//    zero-filled 512-byte buffer of its own, ~5-10 µs per header per record, so records without headers are a
//    different workload: an info row shows raw without headers, to make the price of the headers visible;
//  - consume: the generated ReadingConsumer (envelope parse, ajv validation, retry/timeout/concurrency
//    middlewares, typed handler, ack → commit_sync; concurrency 100 from kafka.hyp) vs raw kafkajs eachBatch
//    with the consumer options the adapter derives (bench/kafka.ts: eachBatch is the stronger raw consumer)
//    that JSON.parses each message (parseRaw), awaits the handler, resolveOffset, commits the handled offsets
//    once per batch. Both read the same records: the N events the generated producer wrote in that round
//    (each side has its own group, which resumes where its previous round stopped; checked after each round);
//    An info row shows the raw consumer validating each envelope with the same schema (the generated ajv
//    standalone validator): consume-side validation is part of what the generated consumer does, so this
//    separates the price of that feature from the runtime's other per-message work;
//  - single publishes (SINGLES from CALLERS concurrent callers, each awaiting its call): generated code
//    (linger batching) vs raw one send() per message, acks all.
// Rounds alternate who goes first; each result is the median of the rounds. CPU per message is measured for
// this process (the client) and the broker's JVM on both sides.
// Usage: node dist/bench/kafka-generated.js (HYPC_KAFKA_BOOTSTRAP_SERVERS default 127.0.0.1:9092;
// HYPC_BENCH_KAFKA_MESSAGES default 100000; HYPC_BENCH_KAFKA_GENERATED_ROUNDS default 5;
// HYPC_BENCH_KAFKA_GENERATED_ONLY=produce|consume to profile one phase; consume still fills the topic through
// the generated producer; HYPC_BENCH_VERBOSE=1 per-round rates).
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import type { AdapterContext, KafkaConfig } from "@hypc/runtime";
import { kafkajsConsumerConfig, kafkaSettings } from "@hypc/runtime/adapters/kafka/index";
import { registerSnappyCodec } from "@hypc/runtime/adapters/kafka/snappy";
import { createMessaging, topology, validators, type Messaging } from "./gen/kafka/index.js";
import { ConsumeClock, CpuMeter, EVENT_TYPE, findPid, median, parseRaw, ratioRows, rawEnvelope, reading, silentLogger, traceHeaders, type Reading, configured, GeneratedReadings, publishThroughGenerated, cpuRow } from "./readings.js";
import type { Row } from "./row.js";

const BOOTSTRAP = process.env.HYPC_KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const MESSAGES = Number(process.env.HYPC_BENCH_KAFKA_MESSAGES ?? 100_000);
// 7 rounds: single consume rounds range 0.87-1.01x (2026-11-27).
const ROUNDS = Math.max(1, Number(process.env.HYPC_BENCH_KAFKA_GENERATED_ROUNDS ?? 7));
const ONLY = process.env.HYPC_BENCH_KAFKA_GENERATED_ONLY;
const WINDOW = 1_000;
const RAW_BATCH = 1_000;
const RAW_IN_FLIGHT = 2;
const SINGLES = Math.min(2_000, MESSAGES);
const CALLERS = 64;
const TOPIC = topology.producers[0]!.routes[0]!.topic;
const PARTITIONS = topology.topics.find((t) => t.name === TOPIC)!.partitions;
const GROUP = topology.consumers[0]!.groupId;
const CONCURRENCY = topology.consumers[0]!.handlers[0]!.concurrency;
const runId = randomUUID().slice(0, 8);
const RAW_TOPIC = `${TOPIC}-raw`;
const env = { ...process.env, HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP };
const kafkaConfig = topology.messaging.kafka as KafkaConfig;

const readings = new GeneratedReadings();
function messaging(consumers: readonly string[]): Messaging {
  return createMessaging({
    ...configured(env, consumers),
    handlers: {
      events: { ReadingHandler: readings.handler },
    },
  });
}

function generatedProduce(m: Messaging): Promise<number> {
  return publishThroughGenerated(m, MESSAGES, WINDOW);
}

/** Info variant: the record without headers (what an app that sends no trace context would write). */
const bareMessage = (payload: Reading): kafkajs.Message => ({ key: payload.reading_id, value: rawEnvelope(payload) });

/**
 * The record generated code writes: the same key and envelope, and the same headers (correlation id, trace
 * and span ids, event type: the runtime core's; message id: the adapter's).
 */
const rawMessage = (payload: Reading): kafkajs.Message => {
  const id = randomUUID();
  return {
    key: payload.reading_id,
    value: rawEnvelope(payload),
    headers: { "x-correlation-id": id, ...traceHeaders(), "x-hypc-event-type": EVENT_TYPE, "x-hypc-message-id": id },
  };
};

async function rawProduce(producer: kafkajs.Producer, message = rawMessage): Promise<number> {
  const started = performance.now();
  let next = 0;
  // RAW_IN_FLIGHT senders, each taking the next RAW_BATCH messages until all are sent.
  await Promise.all(
    Array.from({ length: RAW_IN_FLIGHT }, async () => {
      while (next < MESSAGES) {
        const from = next;
        next = Math.min(MESSAGES, next + RAW_BATCH);
        const messages: kafkajs.Message[] = [];
        for (let i = from; i < next; i++) messages.push(message(reading(i)));
        await producer.send({ topic: RAW_TOPIC, messages, acks: -1, compression: kafkajs.CompressionTypes.Snappy });
      }
    }),
  );
  return MESSAGES / ((performance.now() - started) / 1000);
}

type Offsets = { partition: number; offset: string }[];

async function endOffsets(admin: kafkajs.Admin): Promise<Offsets> {
  return (await admin.fetchTopicOffsets(TOPIC)).map((p) => ({ partition: p.partition, offset: p.high }));
}

/**
 * Both consumer groups must stop exactly at the end of what the generated producer wrote (so the next round
 * reads exactly its N new records): each side commits only handled offsets, so this also checks that.
 */
async function expectCommittedAtEnd(admin: kafkajs.Admin, groupId: string, end: Offsets): Promise<void> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  const at = new Map(committed?.partitions.map((p) => [p.partition, p.offset]));
  const behind = end.filter((e) => at.get(e.partition) !== e.offset);
  if (behind.length > 0) throw new Error(`group ${groupId}: committed ${JSON.stringify(committed?.partitions)} after consuming, expected the end ${JSON.stringify(end)}`);
}

function generatedConsume(cpu: CpuMeter): Promise<number> {
  return readings.consume(() => messaging([topology.consumers[0]!.name]), new ConsumeClock(MESSAGES, cpu), (done) => withDeadline(done, 120_000, "generated consume"));
}

/** The kafkajs consumer options the adapter's subscriber derives from kafka.hyp. */
function rawConsumerOptions(groupId: string): kafkajs.ConsumerConfig {
  const ctx = { env, logger: silentLogger, resolve: () => "", guarantees: topology.guarantees, topology: { consumers: [], pubSub: [] } } as unknown as AdapterContext;
  return kafkajsConsumerConfig(kafkaSettings(kafkaConfig, ctx).consumer, groupId);
}

/** The envelope validator generated code uses, for the raw consumer that validates too (info row). */
const validateEnvelope = validators[`event:${EVENT_TYPE}`]!;

async function rawConsume(kafka: kafkajs.Kafka, groupId: string, cpu: CpuMeter, validate = false): Promise<number> {
  const clock = new ConsumeClock(MESSAGES, cpu);
  const handler = async (event: { payload: Reading }): Promise<void> => {
    if (event.payload.value < 0) throw new Error("unreachable");
    clock.tick();
  };
  const consumer = kafka.consumer(rawConsumerOptions(groupId));
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC] });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: Math.min(CONCURRENCY, 32), // as the adapter sets it
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const m of batch.messages) {
        if (!isRunning() || isStale()) return;
        const event = parseRaw(m.value!);
        if (validate && !validateEnvelope(event)) throw new Error(`invalid envelope at offset ${m.offset}`);
        await handler(event);
        resolveOffset(m.offset);
      }
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
      await heartbeat();
    },
  });
  await withDeadline(clock.done, 120_000, "raw consume");
  await consumer.disconnect();
  return clock.perSecond();
}


async function concurrentSingles(send: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < SINGLES) await send(next++);
    }),
  );
  return SINGLES / ((performance.now() - started) / 1000);
}

export async function generatedVsRaw(): Promise<Row[]> {
  registerSnappyCodec();
  const kafka = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), clientId: "hypc-bench-raw", logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect().catch((e: unknown) => {
    throw new Error(`Kafka not reachable at ${BOOTSTRAP}: ${(e as Error).message}`);
  });
  const producer = messaging([]); // publishes only; its start() creates the topic with the partitions of kafka.hyp
  const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner, retry: { retries: kafkaConfig.producer.retries }, allowAutoTopicCreation: false });
  const rawGroup = `${GROUP}-raw-${runId}`;
  const rawValidatingGroup = `${GROUP}-rawv-${runId}`;
  try {
    await producer.start();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: RAW_TOPIC, numPartitions: PARTITIONS }] });
    await raw.connect();
    const brokerPid = findPid(/kafka\.Kafka\s+\S*\.brokers\/kafka\/server\.properties/) ?? findPid(/kafka\.Kafka/);
    const cpu = { pubGenerated: new CpuMeter(brokerPid), pubRaw: new CpuMeter(brokerPid), pubRawHeaders: new CpuMeter(brokerPid), conGenerated: new CpuMeter(brokerPid), conRaw: new CpuMeter(brokerPid), conRawValidating: new CpuMeter(brokerPid) };
    const pub = { generated: [] as number[], raw: [] as number[], rawHeaders: [] as number[] };
    const con = { generated: [] as number[], raw: [] as number[], rawValidating: [] as number[] };
    // Uncounted warm-up (JIT, connections, metadata) of both producers.
    await producer.producers.readingProducer.readingRecorded(reading(0));
    await raw.send({ topic: RAW_TOPIC, messages: [rawMessage(reading(0))], acks: -1, compression: kafkajs.CompressionTypes.Snappy });
    // Both consumer groups start at the current end of the topic (leftovers of an interrupted run are skipped).
    // Each round they resume where they stopped (committed = handled), i.e. at the N records the generated
    // producer wrote in that round. Set once: kafkajs's setOffsets takes ~5 s (it waits for a fetch).
    for (const groupId of [GROUP, rawGroup, rawValidatingGroup]) await admin.setOffsets({ groupId, topic: TOPIC, partitions: await endOffsets(admin) });
    for (let round = 0; round < ROUNDS; round++) {
      const generatedFirst = round % 2 === 0;
      const produceGenerated = async (): Promise<void> => void pub.generated.push(await cpu.pubGenerated.measure(MESSAGES, () => generatedProduce(producer)));
      const produceRaw = async (): Promise<void> => void pub.raw.push(await cpu.pubRaw.measure(MESSAGES, () => rawProduce(raw)));
      if (generatedFirst) await produceGenerated();
      if (ONLY !== "consume") await produceRaw();
      if (ONLY !== "consume") pub.rawHeaders.push(await cpu.pubRawHeaders.measure(MESSAGES, () => rawProduce(raw, bareMessage)));
      if (!generatedFirst) await produceGenerated();
      if (ONLY === "produce") continue;
      const end = await endOffsets(admin);
      const consumeGenerated = async (): Promise<void> => {
        con.generated.push(await generatedConsume(cpu.conGenerated)); // CPU from the first to the last message
        await expectCommittedAtEnd(admin, GROUP, end);
      };
      const consumeRaw = async (): Promise<void> => {
        con.raw.push(await rawConsume(kafka, rawGroup, cpu.conRaw));
        await expectCommittedAtEnd(admin, rawGroup, end);
      };
      if (generatedFirst) await consumeGenerated();
      await consumeRaw();
      con.rawValidating.push(await rawConsume(kafka, rawValidatingGroup, cpu.conRawValidating, true));
      await expectCommittedAtEnd(admin, rawValidatingGroup, end);
      if (!generatedFirst) await consumeGenerated();
      if (process.env.HYPC_BENCH_VERBOSE) process.stderr.write(`round ${round}: produce ${pub.generated.at(-1)?.toFixed(0)} / ${pub.raw.at(-1)?.toFixed(0)}, consume ${con.generated.at(-1)?.toFixed(0)} / ${con.raw.at(-1)?.toFixed(0)} msg/s (generated / raw)\n`);
    }
    const rows: Row[] = [];
    if (ONLY !== "consume") {
      rows.push(
        ...ratioRows(`produce through generated code, acks all + idempotent + snappy, windows of ${WINDOW} calls vs raw send() of ${RAW_BATCH}, ${RAW_IN_FLIGHT} in flight (${MESSAGES} events, median of ${ROUNDS})`, pub.generated, pub.raw, "kafkajs"),
        { name: "produce CPU per message (info): generated code", ...cpuRow(cpu.pubGenerated) },
        { name: "produce CPU per message (info): raw kafkajs", ...cpuRow(cpu.pubRaw) },
        {
          name: "produce (info): raw kafkajs, the same records without headers",
          value: median(pub.rawHeaders),
          unit: "msg/s",
          note: `${cpu.pubRawHeaders.summary()}; generated / this: ${(median(pub.generated) / median(pub.rawHeaders)).toFixed(2)}x (the price of 5 headers in kafkajs)`,
        },
      );
    }
    if (ONLY !== "produce") {
      rows.push(
        ...ratioRows(`consume through generated code, commit handled offsets, concurrency ${CONCURRENCY} vs raw eachBatch (${MESSAGES} events, median of ${ROUNDS})`, con.generated, con.raw, "kafkajs"),
        { name: "consume CPU per message (info): generated code", ...cpuRow(cpu.conGenerated) },
        { name: "consume CPU per message (info): raw kafkajs eachBatch", ...cpuRow(cpu.conRaw) },
        {
          name: "consume (info): raw kafkajs eachBatch that also validates each envelope (the same ajv validator)",
          value: median(con.rawValidating),
          unit: "msg/s",
          note: `${cpu.conRawValidating.summary()}; generated / this: ${(median(con.generated) / median(con.rawValidating)).toFixed(2)}x`,
        },
      );
    }
    if (ONLY === undefined) {
      const rawSingles = await concurrentSingles((i) => raw.send({ topic: RAW_TOPIC, messages: [rawMessage(reading(i))], acks: -1, compression: kafkajs.CompressionTypes.Snappy }));
      const generatedSingles = await concurrentSingles((i) => producer.producers.readingProducer.readingRecorded(reading(i)));
      rows.push(
        { name: `${SINGLES} single publishes, ${CALLERS} callers: raw kafkajs one send() each`, value: rawSingles, unit: "msg/s" },
        { name: "same through generated code (linger_ms 5 batching)", value: generatedSingles, unit: "msg/s", target: "> raw", ok: generatedSingles > rawSingles, note: `${(generatedSingles / rawSingles).toFixed(2)}x raw` },
      );
    }
    return rows;
  } finally {
    await producer.stop().catch(() => undefined);
    await raw.disconnect().catch(() => undefined);
    await admin.deleteGroups([GROUP, rawGroup, rawValidatingGroup]).catch(() => undefined);
    await admin.deleteTopics({ topics: [TOPIC, RAW_TOPIC] }).catch(() => undefined);
    await admin.disconnect();
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no completion after ${ms} ms`)), ms);
    promise.then((v) => (clearTimeout(timer), resolve(v)), (e: unknown) => (clearTimeout(timer), reject(e)));
  });
}

if (process.argv[1]?.endsWith("kafka-generated.js")) {
  for (const row of await generatedVsRaw()) console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  process.exit(0);
}
