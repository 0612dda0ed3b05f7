// Kafka adapter vs raw kafkajs 2.2.4, same broker, same run, the seed's producer settings on both sides
// (acks all, idempotent, snappy, batch_size 16384; the adapter adds linger_ms 5 batching, kafkajs has none):
//  - produce: 100k ~300-byte events in calls of 1,000 (adapter.publish(batch) vs raw producer.send(1,000));
//  - consume: the raw producer's 100k drained by three consumers, each in a fresh group, in interleaved
//    rounds whose order rotates (plus one uncounted warm-up pass each), medians per consumer. All three use
//    the kafkajs consumer options the adapter derives from the seed's consumer block (enable_auto_commit
//    false, max_poll_records → maxBytesPerPartition, session/heartbeat/rebalance timeouts, maxWaitTimeInMs,
//    partitionsConsumedConcurrently) and commit only handled offsets:
//      raw eachBatch   — resolveOffset per message, one commit per batch (no callback per message);
//      raw eachMessage — an async callback per message, kafkajs commits after each batch;
//      adapter         — subscribe() handler that acks each message (commit_sync), concurrency 100.
//    The handler does what the runtime core's transport-level work is (take the message, ack); JSON parsing
//    belongs to the core and is left out on every side. CPU µs per message (this process) is printed too:
//    steadier than wall time on the shared machine.
//  - single-message publishes, 64 concurrent callers: adapter (linger batches them) vs raw one send each;
//  - latency of one awaited publish (p50): the price of linger_ms;
//  - then the rows of bench/kafka-generated.ts: the same comparisons through generated code (runtime core on
//    top of the adapter) against raw kafkajs.
// Targets: produce >= 0.8x raw; consume >= 0.9x raw eachBatch (issue 5); linger batching > raw one-per-send.
// Usage: node dist/bench/kafka.js   (HYPC_KAFKA_BOOTSTRAP_SERVERS default 127.0.0.1:9092; scripts/brokers/kafka.sh start;
// HYPC_BENCH_KAFKA_MESSAGES default 100000; HYPC_BENCH_KAFKA_ROUNDS default 9; HYPC_BENCH_KAFKA_ONLY=consume;
// HYPC_BENCH_KAFKA_CONSUMERS=adapter,batch,each to profile one side; HYPC_BENCH_VERBOSE=1 per-round
// wall/CPU/event-loop/GC breakdown)
import { randomUUID } from "node:crypto";
import { performance, PerformanceObserver, type EventLoopUtilization } from "node:perf_hooks";
import kafkajs from "kafkajs";
import type { AdapterContext, GuaranteesConfig, KafkaConfig, OutgoingMessage, Transport } from "@hypc/runtime";
import { createKafkaTransport, kafkajsConsumerConfig, kafkaSettings } from "@hypc/runtime/adapters/kafka/index";
import { registerSnappyCodec } from "@hypc/runtime/adapters/kafka/snappy";
import { generatedVsRaw } from "./kafka-generated.js";
import type { Row } from "./row.js";
import { median } from "./stats.js";

const BOOTSTRAP = process.env.HYPC_KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const MESSAGES = Number(process.env.HYPC_BENCH_KAFKA_MESSAGES ?? 100_000);
const CALL = 1_000;
const SINGLES = Math.min(2_000, MESSAGES);
const CALLERS = 64;
/** Consume rounds (each: raw eachBatch, raw eachMessage, adapter, order rotating). */
const ROUNDS = Math.max(1, Number(process.env.HYPC_BENCH_KAFKA_ROUNDS ?? 9));
const CONSUME_CONCURRENCY = 100;
/** HYPC_BENCH_KAFKA_ONLY=consume: only the consume rounds (profiling). */
const ONLY = process.env.HYPC_BENCH_KAFKA_ONLY;
const BODY = Buffer.from(JSON.stringify({ event_type: "script.created", version: "1.0", payload: { script_id: "s".repeat(36) }, metadata: { message_id: randomUUID(), source: "bench", correlation_id: randomUUID(), causation_id: randomUUID(), timestamp: new Date().toISOString() } }));
const runId = `hypc-bench-kafka-${randomUUID().slice(0, 8)}`;

const config: KafkaConfig = {
  bootstrap_servers: BOOTSTRAP.split(","),
  client_id: "hypc-bench",
  producer: { acks: "all", retries: 3, batch_size: 16384, linger_ms: 5, buffer_memory: 33554432, compression_type: "snappy" },
  consumer: {
    group_id: "bench",
    auto_offset_reset: "earliest",
    enable_auto_commit: false,
    auto_commit_interval_ms: 5000,
    session_timeout_ms: 30000,
    heartbeat_interval_ms: 3000,
    max_poll_records: 500,
    max_poll_interval_ms: 300000,
  },
};
const guarantees = {
  at_least_once: { enabled: true, producer: { acks: "all", retries: 3, idempotence: true, transactional: false }, consumer: { manual_commit: true, commit_sync: true, offset_commit_interval: 1000 } },
  exactly_once: { enabled: false, idempotence: { enabled: false }, transactional: { enabled: false, isolation_level: "read_committed", timeout: 30000 } },
  message_ordering: { enabled: true },
} as unknown as GuaranteesConfig;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctx: AdapterContext = {
  env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP },
  logger: silent,
  resolve: (v) => (typeof v === "string" ? v : ""),
  guarantees,
  topology: { consumers: [], pubSub: [] } as unknown as AdapterContext["topology"],
};

const message = (topic: string, i: number): OutgoingMessage => ({ topic, key: `script-${i % 64}`, body: BODY, headers: { "x-trace-id": `t-${i}` }, id: randomUUID() });
const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

async function adapterProduce(t: Transport, topic: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i += CALL) await t.publish(Array.from({ length: Math.min(CALL, MESSAGES - i) }, (_, j) => message(topic, i + j)));
  return perSecond(MESSAGES, performance.now() - started);
}

async function rawProduce(producer: kafkajs.Producer, topic: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i += CALL) {
    const messages = Array.from({ length: Math.min(CALL, MESSAGES - i) }, (_, j) => {
      const m = message(topic, i + j);
      return { key: m.key!, value: m.body, headers: { ...m.headers, "x-hypc-message-id": m.id } };
    });
    await producer.send({ topic, messages, acks: -1, compression: kafkajs.CompressionTypes.Snappy });
  }
  return perSecond(MESSAGES, performance.now() - started);
}

async function adapterConsume(t: Transport, topic: string, group: string): Promise<Measured> {
  let seen = 0;
  const meter = new Meter();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  // The transport-level work of the runtime core's handler: take the message, ack it.
  const sub = await t.subscribe({ group, topics: [topic], concurrency: CONSUME_CONCURRENCY }, async (m) => {
    if (seen === 0) meter.start();
    await m.ack();
    if (++seen === MESSAGES) done();
  });
  await withDeadline(finished, 120_000, "adapter consume");
  const measured = meter.stop(MESSAGES);
  await sub.close();
  return measured;
}

/** kafkajs consumer options exactly as the adapter's subscriber sets them, from the same seed consumer block. */
function rawConsumerOptions(groupId: string): kafkajs.ConsumerConfig {
  return kafkajsConsumerConfig(kafkaSettings(config, ctx).consumer, groupId);
}
/** The adapter's partitionsConsumedConcurrently for this concurrency (subscriber.ts). */
const PARTITIONS_CONCURRENTLY = Math.min(CONSUME_CONCURRENCY, 32);

/** Raw kafkajs, eachBatch: resolveOffset per message, one commit of the handled offsets per batch (enable_auto_commit false). */
async function rawConsume(kafka: kafkajs.Kafka, topic: string, group: string): Promise<Measured> {
  const consumer = kafka.consumer(rawConsumerOptions(group));
  let seen = 0;
  const meter = new Meter();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (seen === 0) meter.start();
      for (const m of batch.messages) {
        resolveOffset(m.offset);
        seen++;
      }
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
      await heartbeat();
      if (seen >= MESSAGES) done();
    },
  });
  await withDeadline(finished, 120_000, "raw consume");
  const measured = meter.stop(MESSAGES);
  await consumer.disconnect();
  return measured;
}

/** Raw kafkajs, eachMessage: an async callback per message, kafkajs resolves it and commits after each batch. */
async function rawConsumeEachMessage(kafka: kafkajs.Kafka, topic: string, group: string): Promise<Measured> {
  const consumer = kafka.consumer(rawConsumerOptions(group));
  let seen = 0;
  const meter = new Meter();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
    eachMessage: async () => {
      if (seen === 0) meter.start();
      if (++seen === MESSAGES) done();
    },
  });
  await withDeadline(finished, 120_000, "raw consume eachMessage");
  const measured = meter.stop(MESSAGES);
  await consumer.disconnect();
  return measured;
}

interface Measured {
  readonly rate: number;
  /** CPU time of this process per message (user + system): steadier than wall time on a shared machine. */
  readonly cpuUsPerMessage: number;
  /** Share of the time the event loop was busy (the rest: waiting for the broker). */
  readonly busy: number;
}

/** Milliseconds spent in garbage collection so far (main thread pauses), for the verbose breakdown. */
let gcMs = 0;
if (process.env.HYPC_BENCH_VERBOSE) new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcMs += e.duration))).observe({ entryTypes: ["gc"] });

/** Wall time and this process's CPU time from the first message to the last. */
class Meter {
  private gc0 = 0;
  private t0 = 0;
  private cpu0: NodeJS.CpuUsage | undefined;
  private elu0: EventLoopUtilization | undefined;
  start(): void {
    this.t0 = performance.now();
    this.cpu0 = process.cpuUsage();
    this.elu0 = performance.eventLoopUtilization();
    this.gc0 = gcMs;
  }
  stop(count: number): Measured {
    const ms = performance.now() - this.t0;
    const cpu = process.cpuUsage(this.cpu0);
    const elu = performance.eventLoopUtilization(this.elu0);
    if (process.env.HYPC_BENCH_VERBOSE) process.stderr.write(`  wall ${ms.toFixed(0)} ms, process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, event loop active ${elu.active.toFixed(0)} ms, GC ${(gcMs - this.gc0).toFixed(0)} ms\n`);
    return { rate: perSecond(count, ms), cpuUsPerMessage: (cpu.user + cpu.system) / count, busy: elu.utilization };
  }
}

/**
 * The three consumers drain the same topic (each in a fresh group), in interleaved rounds whose order rotates,
 * so load from other work on the machine hits all of them alike; medians per consumer.
 */
async function consumeRounds(kafka: kafkajs.Kafka, t: Transport, topic: string): Promise<Record<"batch" | "each" | "adapter", { rate: number; cpu: number }> & { ratios: number[] }> {
  const runs = {
    batch: (g: string) => rawConsume(kafka, topic, g),
    each: (g: string) => rawConsumeEachMessage(kafka, topic, g),
    adapter: (g: string) => adapterConsume(t, topic, g),
  };
  // HYPC_BENCH_KAFKA_CONSUMERS=adapter (comma-separated): only those consumers (profiling one side).
  const only = process.env.HYPC_BENCH_KAFKA_CONSUMERS?.split(",");
  const names = (Object.keys(runs) as (keyof typeof runs)[]).filter((n) => !only || only.includes(n));
  const results: Record<keyof typeof runs, Measured[]> = { batch: [], each: [], adapter: [] };
  const ratios: number[] = [];
  // A warm-up pass of each (not counted): the first consumer of the process would otherwise pay for JIT warm-up.
  for (const name of names) await runs[name](`${topic}-${name}-warmup`);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      if (process.env.HYPC_BENCH_VERBOSE) process.stderr.write(`t=${process.hrtime.bigint() / 1000n} start ${name}\n`);
      const measured = await runs[name](`${topic}-${name}-${round}`);
      results[name].push(measured);
      if (process.env.HYPC_BENCH_VERBOSE) process.stderr.write(`round ${round} ${name}: ${measured.rate.toFixed(0)} msg/s, ${measured.cpuUsPerMessage.toFixed(2)} µs CPU/msg, event loop busy ${(measured.busy * 100).toFixed(0)}%\n`);
    }
    if (results.adapter[round] !== undefined && results.batch[round] !== undefined) ratios.push(results.adapter[round]!.rate / results.batch[round]!.rate);
  }
  const summary = (xs: readonly Measured[]) => ({ rate: median(xs.map((x) => x.rate)), cpu: median(xs.map((x) => x.cpuUsPerMessage)) });
  return { batch: summary(results.batch), each: summary(results.each), adapter: summary(results.adapter), ratios };
}


/** exactly_once.transactional: each input handled publishes one output; ack = one Kafka transaction (group commit). */
async function transactionalPipeline(input: string, output: string, count: number): Promise<number> {
  const txGuarantees = { ...guarantees, exactly_once: { enabled: true, idempotence: { enabled: false }, transactional: { enabled: true, isolation_level: "read_committed", timeout: 30000 } } } as unknown as GuaranteesConfig;
  const t = createKafkaTransport(config, { ...ctx, guarantees: txGuarantees });
  await t.connect();
  try {
    let seen = 0;
    let first = 0;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const sub = await t.subscribe({ group: `${input}-tx`, topics: [input], concurrency: 100 }, async (m) => {
      if (seen === 0) first = performance.now();
      await t.publish([{ topic: output, ...(m.key === undefined ? {} : { key: m.key }), body: m.body, headers: {}, id: randomUUID() }]);
      await m.ack();
      if (++seen === count) done();
    });
    await withDeadline(finished, 120_000, "transactional pipeline");
    const ms = performance.now() - first;
    await sub.close();
    return perSecond(count, ms);
  } finally {
    await t.close();
  }
}

async function concurrentSingles(send: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, async () => {
    while (next < SINGLES) await send(next++);
  }));
  return perSecond(SINGLES, performance.now() - started);
}

async function p50(send: () => Promise<unknown>, n = 100): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await send();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

export async function run(): Promise<Row[]> {
  registerSnappyCodec();
  const kafka = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), clientId: "hypc-bench-raw", logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = { adapter: `${runId}-adapter`, raw: `${runId}-raw`, singles: `${runId}-singles`, txOut: `${runId}-tx-out` };
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })) });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner, retry: { retries: 3 } });
  await producer.connect();
  const t = createKafkaTransport(config, ctx);
  await t.connect();
  const ratio = (a: number, b: number) => a / b;
  const rows: Row[] = [];
  try {
    // The raw producer's topic is the one every consumer drains (same record batches for all of them).
    const rawProduceRate = await rawProduce(producer, topics.raw);
    if (ONLY !== "consume") {
      const adapterProduceRate = await adapterProduce(t, topics.adapter);
      rows.push(
        { name: `produce ${MESSAGES} x ${BODY.length} B, calls of ${CALL}: raw kafkajs`, value: rawProduceRate, unit: "msg/s" },
        { name: "produce, same: adapter", value: adapterProduceRate, unit: "msg/s", target: ">= 0.8x raw", ok: ratio(adapterProduceRate, rawProduceRate) >= 0.8, note: `${ratio(adapterProduceRate, rawProduceRate).toFixed(2)}x raw` },
      );
    }
    const consumed = await consumeRounds(kafka, t, topics.raw);
    const perRound = consumed.ratios.map((r) => r.toFixed(2)).join(", ");
    const cpu = (x: { cpu: number }) => `${x.cpu.toFixed(2)} µs CPU/msg`;
    rows.push(
      { name: `consume ${MESSAGES}, commit handled offsets: raw kafkajs eachBatch (resolveOffset per message, commit per batch), median of ${ROUNDS}`, value: consumed.batch.rate, unit: "msg/s", note: cpu(consumed.batch) },
      { name: "consume, same: raw kafkajs eachMessage (async callback per message, commit per batch)", value: consumed.each.rate, unit: "msg/s", note: cpu(consumed.each) },
      {
        name: `consume, same: adapter (handler acks, commit_sync), concurrency ${CONSUME_CONCURRENCY}`,
        value: consumed.adapter.rate,
        unit: "msg/s",
        target: ">= 0.9x raw eachBatch",
        ok: ratio(consumed.adapter.rate, consumed.batch.rate) >= 0.9,
        note: `${ratio(consumed.adapter.rate, consumed.batch.rate).toFixed(2)}x raw eachBatch (per round: ${perRound}), ${ratio(consumed.adapter.rate, consumed.each.rate).toFixed(2)}x raw eachMessage; ${cpu(consumed.adapter)} (${ratio(consumed.batch.cpu, consumed.adapter.cpu).toFixed(2)}x raw eachBatch's efficiency)`,
      },
    );
    if (ONLY === "consume") return rows;
    const rawSingles = await concurrentSingles((i) => producer.send({ topic: topics.singles, messages: [{ key: `k-${i % 64}`, value: BODY }], acks: -1, compression: kafkajs.CompressionTypes.Snappy }));
    const adapterSingles = await concurrentSingles((i) => t.publish([message(topics.singles, i)]));
    const rawLatency = await p50(() => producer.send({ topic: topics.singles, messages: [{ key: "k", value: BODY }], acks: -1, compression: kafkajs.CompressionTypes.Snappy }));
    const adapterLatency = await p50(() => t.publish([message(topics.singles, 0)]));
    const txCount = Math.min(3_000, MESSAGES);
    const txRate = await transactionalPipeline(topics.singles, topics.txOut, txCount);
    rows.push(
      { name: `${SINGLES} single-message publishes, ${CALLERS} callers: raw one send each`, value: rawSingles, unit: "msg/s" },
      { name: "same: adapter (linger_ms 5 batching)", value: adapterSingles, unit: "msg/s", target: "> raw", ok: adapterSingles > rawSingles, note: `${ratio(adapterSingles, rawSingles).toFixed(2)}x raw` },
      { name: "one awaited publish p50: raw send", value: rawLatency, unit: "ms" },
      { name: "one awaited publish p50: adapter (waits linger_ms)", value: adapterLatency, unit: "ms", note: "linger_ms 5 is the seed's trade of latency for batching" },
      { name: `consume-transform-produce, exactly_once.transactional, concurrency 100 (${txCount} in)`, value: txRate, unit: "msg/s", note: "group commit: acks share transactions" },
    );
    // Issue 5's last point: the same event produced and consumed through generated code (bench/gen/kafka).
    rows.push(...(await generatedVsRaw()));
    return rows;
  } finally {
    await t.close();
    await producer.disconnect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no completion after ${ms} ms`)), ms);
    promise.then((v) => (clearTimeout(timer), resolve(v)), (e: unknown) => (clearTimeout(timer), reject(e)));
  });
}

// Run directly: print the rows.
if (process.argv[1]?.endsWith("kafka.js") || process.argv[1]?.endsWith("kafka.ts")) {
  for (const row of await run()) {
    console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 2)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  }
}
