// RabbitMQ adapter vs raw amqplib, same broker, same run, same settings (noDelay, persistent messages,
// publisher confirms, manual acks, the same exchange → queue topology):
//  - publish with confirms: calls of 1,000 messages (adapter.publish(batch) vs raw publish ×1,000 + all
//    confirm callbacks), one call at a time;
//  - consume: a pre-filled queue drained with manual acks, prefetch 1,000;
//  - request-reply: one request in flight, p50/p99 from sending the request to handling its reply (both
//    sides persistent + confirmed, as the adapter always is; like the runtime's request-reply client, both
//    wait for the request's confirm alongside the reply, not before it), plus informational rows: the same
//    round trips counted until the request's confirm too, and a raw RPC without confirms/persistence.
// Each throughput is the median of the rounds (see ROUNDS). Targets: adapter ≥ 0.9× raw; RPC p99 within 1 ms of raw.
// Usage: node dist/bench/rabbitmq.js   (HYPC_RABBITMQ_URL, default amqp://guest:guest@127.0.0.1:5672/)
import { randomUUID } from "node:crypto";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { AdapterContext, Envelope, RabbitMqConfig, Topology, Transport } from "@hypc/runtime";
import { createRuntime } from "@hypc/runtime";
import { createRabbitMqTransport } from "@hypc/runtime/adapters/rabbitmq/index";
import { compileValidators } from "@hypc/runtime/dev/compile-validators";
import { generatedVsRaw } from "./rabbitmq-generated.js";
import type { Row } from "./row.js";
import { median, quantile } from "./stats.js";

const URL = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";
const MESSAGES = Number(process.env.HYPC_BENCH_RABBITMQ_MESSAGES ?? 5_000);
const RPC = Number(process.env.HYPC_BENCH_RABBITMQ_RPC ?? 3_000);
const CALL = 1_000;
const PREFETCH = 1_000;
// Many short rounds, alternating who goes first: the machine is shared (load from other processes swings
// single runs by 3x), and the median of many interleaved rounds is what compares adapter and raw fairly.
const ROUNDS = Number(process.env.HYPC_BENCH_RABBITMQ_ROUNDS ?? 8);
const BODY = Buffer.alloc(300, 120);
const run_ = `hypc-bench-${randomUUID().slice(0, 8)}`;

const config: RabbitMqConfig = {
  host: "127.0.0.1",
  port: 5672,
  virtual_host: "/",
  connection: { heartbeat: 60, connection_timeout: 60_000, channel_rpc_timeout: 10_000, automatic_recovery: true, network_recovery_interval: 5_000 },
  channel_pool: { max_channels: 100, channel_timeout: 30_000 },
  ssl: { enabled: false, verify_peer: true, fail_if_no_peer_cert: false },
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = {
  env: { HYPC_RABBITMQ_URL: URL },
  logger: silent,
  resolve: (v: unknown) => String(v),
  guarantees: { message_ordering: { enabled: false } },
  topology: { consumers: [], pubSub: [] },
} as unknown as AdapterContext;


async function adapter(): Promise<Transport> {
  const t = createRabbitMqTransport(config, ctx);
  await t.connect();
  return t;
}

/** A topic exchange + queue bound with "#", declared by the adapter so both sides use the same objects. */
async function topicWithQueue(t: Transport, name: string): Promise<string> {
  await t.ensureTopics([{ name, partitions: 1 }]);
  const sub = await t.subscribe({ group: "bench", topics: [name], concurrency: 1 }, async () => undefined);
  await sub.close(); // the durable group queue stays; nothing consumes it now
  return `${name}/bench`;
}

async function adapterPublish(t: Transport, topic: string): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += CALL) {
    await t.publish(Array.from({ length: Math.min(CALL, MESSAGES - sent) }, (_, i) => ({ topic, key: `k${i % 16}`, body: BODY, headers: {}, id: `${sent + i}` })));
  }
  return MESSAGES / ((performance.now() - started) / 1000);
}

async function rawPublish(ch: ConfirmChannel, topic: string): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += CALL) {
    const confirms: Promise<void>[] = [];
    for (let i = 0; i < Math.min(CALL, MESSAGES - sent); i++) {
      const options = { persistent: true, contentType: "application/json", messageId: `${sent + i}`, timestamp: Math.floor(Date.now() / 1000), headers: { "hypc-key": `k${i % 16}` } };
      let writable = true;
      confirms.push(new Promise<void>((resolve, reject) => (writable = ch.publish(topic, `k${i % 16}`, BODY, options, (err) => (err ? reject(err) : resolve())))));
      if (!writable) await new Promise((r) => ch.once("drain", r));
    }
    await Promise.all(confirms);
  }
  return MESSAGES / ((performance.now() - started) / 1000);
}

async function adapterConsume(t: Transport, topic: string): Promise<number> {
  let got = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const started = performance.now();
  const sub = await t.subscribe({ group: "bench", topics: [topic], concurrency: PREFETCH }, async (m) => {
    await m.ack();
    if (++got === MESSAGES) done();
  });
  await finished;
  const perSecond = MESSAGES / ((performance.now() - started) / 1000);
  await sub.close();
  return perSecond;
}

async function rawConsume(conn: ChannelModel, queue: string): Promise<number> {
  const ch = await conn.createChannel();
  await ch.prefetch(PREFETCH, true);
  let got = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const started = performance.now();
  await ch.consume(queue, (m) => {
    if (m === null) return;
    ch.ack(m);
    if (++got === MESSAGES) done();
  });
  await finished;
  const perSecond = MESSAGES / ((performance.now() - started) / 1000);
  await ch.close();
  return perSecond;
}

interface RoundTrip {
  /** Request sent → reply handled: what a caller of the runtime waits for (its request's confirm runs in the background). */
  readonly reply: number;
  /** Request sent → reply handled AND the request confirmed (info: the old measurement). */
  readonly replyAndConfirm: number;
}

interface RpcClient {
  /** One round trip; resolves once the reply arrived and the request's confirm too. */
  call(): Promise<RoundTrip>;
  close(): Promise<void>;
}

/** Request-reply through the adapter as the runtime does it: request topic, reply topic, exclusive reply queue. */
async function adapterRpc(server: Transport, client: Transport): Promise<RpcClient> {
  const requests = `${run_}-rpc-req`;
  const replies = `${run_}-rpc-rep`;
  await server.ensureTopics([{ name: requests, partitions: 1 }, { name: replies, partitions: 1 }]);
  const s1 = await server.subscribe({ group: "server", topics: [requests], concurrency: 16 }, async (m) => {
    await server.publish([{ topic: replies, body: m.body, headers: { "x-correlation-id": m.headers["x-correlation-id"]! }, id: randomUUID() }]);
    await m.ack();
  });
  const pending = new Map<string, () => void>();
  const s2 = await client.subscribe({ group: "client", topics: [replies], concurrency: 16, exclusive: true }, async (m) => {
    pending.get(m.headers["x-correlation-id"] ?? "")?.();
    await m.ack();
  });
  return {
    async call() {
      const id = randomUUID();
      const started = performance.now();
      const answered = new Promise<void>((r) => pending.set(id, r));
      // As runtime/src/core/request-reply.ts does it: the caller gets the reply as soon as it arrives; the
      // request's confirm is awaited alongside (a failed publish fails the request), not before.
      const confirmed = client.publish([{ topic: requests, body: BODY, headers: { "x-correlation-id": id, "x-reply-to": replies }, id }]);
      await Promise.race([answered, confirmed.then(() => answered)]);
      const reply = performance.now() - started;
      await confirmed;
      pending.delete(id);
      return { reply, replyAndConfirm: performance.now() - started };
    },
    async close() {
      await s1.close();
      await s2.close();
    },
  };
}

/**
 * The same round trip with raw amqplib. `confirmed`: durable request queue (like the adapter's group
 * queue), persistent messages, the client awaits the request's confirm, the server acks after its reply
 * is confirmed — the adapter's guarantees. Otherwise: transient queue and messages, no confirms (info).
 */
async function rawRpc(serverConn: ChannelModel, clientConn: ChannelModel, confirmed: boolean): Promise<RpcClient> {
  // Two connections, like the adapter's server and client transports (two processes in real life).
  const serverCh = await serverConn.createConfirmChannel();
  const clientCh = await clientConn.createConfirmChannel();
  const requestQueue = `${run_}-raw-rpc-${confirmed ? "confirmed" : "fast"}`;
  await serverCh.assertQueue(requestQueue, { durable: confirmed });
  const { queue: replyQueue } = await clientCh.assertQueue("", { exclusive: true });
  await serverCh.prefetch(16, true);
  await serverCh.consume(requestQueue, (m) => {
    if (m === null) return;
    const correlationId = m.properties.correlationId as string;
    const reply = { correlationId, persistent: confirmed, headers: { "x-correlation-id": correlationId } };
    if (confirmed) serverCh.sendToQueue(m.properties.replyTo as string, m.content, reply, () => serverCh.ack(m));
    else {
      serverCh.sendToQueue(m.properties.replyTo as string, m.content, reply);
      serverCh.ack(m);
    }
  });
  const pending = new Map<string, () => void>();
  await clientCh.consume(replyQueue, (m) => {
    if (m === null) return;
    pending.get(m.properties.correlationId as string)?.();
    clientCh.ack(m);
  });
  return {
    async call() {
      const id = randomUUID();
      const started = performance.now();
      const answered = new Promise<void>((r) => pending.set(id, r));
      // The headers the runtime sends with every request (they cost the broker ~0.2 ms at p50 here).
      const options = { correlationId: id, replyTo: replyQueue, persistent: confirmed, messageId: id, headers: { "x-correlation-id": id, "x-reply-to": replyQueue } };
      // Same order of waiting as the adapter's client above: reply first, the confirm alongside.
      const sent = confirmed
        ? new Promise<void>((resolve, reject) => clientCh.sendToQueue(requestQueue, BODY, options, (err) => (err ? reject(err) : resolve())))
        : Promise.resolve(void clientCh.sendToQueue(requestQueue, BODY, options));
      await Promise.race([answered, sent.then(() => answered)]);
      const reply = performance.now() - started;
      await sent;
      pending.delete(id);
      return { reply, replyAndConfirm: performance.now() - started };
    },
    async close() {
      await serverCh.deleteQueue(requestQueue);
      await serverCh.close();
      await clientCh.close();
    },
  };
}

/** Alternates chunks of round trips between the clients so load from other processes hits both alike. */
async function interleaved(clients: readonly RpcClient[]): Promise<RoundTrip[][]> {
  const times = clients.map(() => [] as RoundTrip[]);
  const chunk = 100;
  for (let c = 0; c < clients.length; c++) for (let i = 0; i < 50; i++) await clients[c]!.call(); // warm-up
  for (let done = 0, round = 0; done < RPC; done += chunk, round++) {
    // Rotate who goes first: the first round trips after another client's chunk pay a wake-up (~2 ms here).
    for (let k = 0; k < clients.length; k++) {
      const c = (k + round) % clients.length;
      for (let i = 0; i < chunk; i++) times[c]!.push(await clients[c]!.call());
    }
  }
  return times;
}

/** One producer, one consumer group on one topic, on RabbitMQ: the core's publish → validate → consume path. */
function pipelineTopology(topic: string): Topology {
  const retry = { max_retries: 3, backoff_strategy: "exponential", initial_delay: 100, max_delay: 1000, multiplier: 2, jitter: 0 } as const;
  const payload = { type: "object", properties: { script_id: { type: "string", format: "uuid" }, name: { type: "string" } }, required: ["script_id", "name"] };
  const schema = {
    type: "object",
    properties: { event_type: { const: "script.created" }, version: { type: "string" }, payload, metadata: { type: "object", required: ["message_id", "source", "correlation_id", "causation_id", "timestamp"] } },
    required: ["event_type", "version", "payload", "metadata"],
  };
  const off = { message_count: false, message_size: false, send_latency: false, error_rate: false, retry_count: false };
  return {
    topologyVersion: 1,
    messaging: { rabbitmq: config },
    defaultBroker: "rabbitmq",
    events: [{ eventType: "script.created", name: "ScriptCreated", group: "ScriptEvents", version: "1.0", source: "bench", schema }],
    topics: [{ name: topic, logical: "script-events", broker: "rabbitmq", partitions: 1, eventTypes: ["script.created"] }],
    producers: [
      {
        name: "P",
        broker: "rabbitmq",
        routes: [{ eventType: "script.created", topic, partitionKey: "script_id", retry }],
        serialization: { format: "json", compression: "none" },
        validation: { schema_validation: true, required_fields: ["event_type", "payload", "metadata"], payload_size_limit: 1_048_576 },
      },
    ],
    consumers: [
      {
        name: "C",
        broker: "rabbitmq",
        groupId: "bench",
        topics: [{ name: topic, partitions: [0], auto_offset_reset: "earliest" }],
        handlers: [{ handler: "H", key: "script.created", eventTypes: ["script.created"], concurrency: PREFETCH, timeout: 30_000, retry }],
        settings: { max_poll_records: 500, max_poll_interval_ms: 300_000, session_timeout_ms: 30_000, heartbeat_interval_ms: 3000, enable_auto_commit: false, auto_commit_interval_ms: 5000 },
      },
    ],
    requestReply: [],
    pubSub: [],
    guarantees: {
      at_least_once: { enabled: true, producer: { acks: "all", retries: 3, idempotence: false, transactional: false }, consumer: { manual_commit: true, commit_sync: true, offset_commit_interval: 1000 } },
      exactly_once: { enabled: false, idempotence: { enabled: false, key_strategy: "message_id", storage: "memory", ttl: 60 }, transactional: { enabled: false, isolation_level: "read_committed", timeout: 1000 } },
      message_ordering: { enabled: false, partition_key: { strategy: "hash", fields: ["script_id"] }, consumer_groups: { single_partition_consumers: false, max_concurrent_partitions: 1 } },
    },
    monitoring: {
      metrics: { producer: off, consumer: { message_count: false, processing_latency: false, error_rate: false, lag: false, commit_latency: false }, queue: { queue_size: false, queue_depth: false, message_age: false, consumer_count: false } },
      alerting: {
        consumer_lag: { threshold: 1000, alert_level: "warning", escalation_time: 300 },
        error_rate: { threshold: 0.05, alert_level: "critical", window_size: 300 },
        processing_latency: { threshold: 30000, alert_level: "warning", percentile: 95 },
      },
      tracing: { enabled: false, trace_propagation: { headers: [], baggage: false }, span_creation: { producer_send: false, consumer_receive: false, message_processing: false } },
    },
  };
}

/**
 * The whole path through the runtime core on this adapter: runtime.publish() (envelope, validation, one
 * Transport.publish per event, 1,000 concurrent calls in flight) → RabbitMQ → consumer middlewares → handler → ack.
 */
async function corePipeline(topic: string): Promise<number> {
  const topology = pipelineTopology(topic);
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const runtime = createRuntime({
    topology,
    validators: compileValidators(topology),
    transport: createRabbitMqTransport(config, ctx),
    logger: silent,
    handlers: {
      events: {
        H: async (_e: Envelope) => {
          if (++handled === MESSAGES) done();
        },
      },
    },
  });
  await runtime.start();
  try {
    const started = performance.now();
    for (let sent = 0; sent < MESSAGES; sent += CALL) {
      const window: Promise<unknown>[] = [];
      for (let i = 0; i < Math.min(CALL, MESSAGES - sent); i++) window.push(runtime.publish("P", "script.created", { script_id: randomUUID(), name: `s-${sent + i}` }));
      await Promise.all(window);
    }
    await finished;
    return MESSAGES / ((performance.now() - started) / 1000);
  } finally {
    await runtime.stop();
  }
}

/** The same end-to-end path on the adapter alone: publish calls of one message, 1,000 in flight, while consuming. */
async function adapterEndToEnd(t: Transport, topic: string): Promise<number> {
  await t.ensureTopics([{ name: topic, partitions: 1 }]);
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const sub = await t.subscribe({ group: "bench", topics: [topic], concurrency: PREFETCH }, async (m) => {
    await m.ack();
    if (++handled === MESSAGES) done();
  });
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += CALL) {
    const window: Promise<void>[] = [];
    for (let i = 0; i < Math.min(CALL, MESSAGES - sent); i++) window.push(t.publish([{ topic, key: `k${i % 16}`, body: BODY, headers: {}, id: `${sent + i}` }]));
    await Promise.all(window);
  }
  await finished;
  const perSecond = MESSAGES / ((performance.now() - started) / 1000);
  await sub.close();
  return perSecond;
}

/** Removes what the adapter declared for these topics and groups (names: docs/brokers/rabbitmq.md). */
async function deleteTopics(conn: ChannelModel, topics: readonly string[], groups: readonly string[]): Promise<void> {
  for (const topic of topics) {
    const queues = [`${topic}/unrouted`, ...groups.flatMap((g) => [`${topic}/${g}`, `${topic}/${g}/dlq`])];
    const exchanges = [topic, `${topic}/unrouted`, ...groups.map((g) => `${topic}/${g}/dlx`)];
    // A delete of something absent is fine in AMQP 0-9-1; a channel error only ends this channel.
    const ch = await conn.createChannel().catch(() => undefined);
    if (ch === undefined) return;
    ch.on("error", () => undefined);
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
    for (const e of exchanges) await ch.deleteExchange(e).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
}

export async function run(): Promise<Row[]> {
  const conn = await amqp.connect(URL, { noDelay: true }).catch((e: unknown) => {
    throw new Error(`RabbitMQ not reachable at ${URL}: ${(e as Error).message}`);
  });
  const t = await adapter();
  const t2 = await adapter();
  const cleanup: string[] = [];
  try {
    const rawCh = await conn.createConfirmChannel();
    const pub = { adapter: [] as number[], raw: [] as number[] };
    const con = { adapter: [] as number[], raw: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const a = `${run_}-a${round}`;
      const r = `${run_}-r${round}`;
      await topicWithQueue(t, a);
      const rQueue = await topicWithQueue(t, r);
      cleanup.push(a, r);
      // Alternate who goes first so neither side always gets the warmer broker.
      if (round % 2 === 0) {
        pub.adapter.push(await adapterPublish(t, a));
        pub.raw.push(await rawPublish(rawCh, r));
      } else {
        pub.raw.push(await rawPublish(rawCh, r));
        pub.adapter.push(await adapterPublish(t, a));
      }
      if (round % 2 === 0) {
        con.adapter.push(await adapterConsume(t, a));
        con.raw.push(await rawConsume(conn, rQueue));
      } else {
        con.raw.push(await rawConsume(conn, rQueue));
        con.adapter.push(await adapterConsume(t, a));
      }
    }
    await rawCh.close();
    const conn2 = await amqp.connect(URL, { noDelay: true });
    const endToEnd = await adapterEndToEnd(t, `${run_}-e2e`);
    const pipeline = await corePipeline(`${run_}-core`);
    cleanup.push(`${run_}-e2e`, `${run_}-core`, `${run_}-core.dlq`); // the core dead-letters to <topic>.dlq
    const rpcClients = [await adapterRpc(t, t2), await rawRpc(conn, conn2, true), await rawRpc(conn, conn2, false)];
    const [rpcAdapterTrips = [], rpcRawTrips = [], rpcRawFastTrips = []] = await interleaved(rpcClients);
    const rpcAdapter = rpcAdapterTrips.map((t) => t.reply);
    const rpcRaw = rpcRawTrips.map((t) => t.reply);
    const rpcRawFast = rpcRawFastTrips.map((t) => t.reply);
    for (const c of rpcClients) await c.close();
    await conn2.close();

    const rows: Row[] = [];
    const ratioRow = (what: string, a: number[], r: number[]): void => {
      const am = median(a);
      const rm = median(r);
      rows.push({ name: `${what}: adapter`, value: am, unit: "msg/s" });
      rows.push({ name: `${what}: raw amqplib`, value: rm, unit: "msg/s" });
      rows.push({ name: `${what}: adapter / raw`, value: am / rm, unit: "x", target: ">= 0.9", ok: am / rm >= 0.9 });
    };
    ratioRow(`publish, persistent + confirms, calls of ${CALL} (300 B, ${MESSAGES} msgs, median of ${ROUNDS})`, pub.adapter, pub.raw);
    ratioRow(`consume, manual ack, prefetch ${PREFETCH} (${MESSAGES} msgs, median of ${ROUNDS})`, con.adapter, con.raw);
    rows.push({ name: `adapter publish → consume → ack, calls of 1 message (${MESSAGES} msgs, 1,000 in flight)`, value: endToEnd, unit: "msg/s", note: "info" });
    rows.push({ name: `core pipeline publish → validate → RabbitMQ → consume → ack (${MESSAGES} events, 1,000 in flight)`, value: pipeline, unit: "msg/s", note: "info: through createRuntime" });
    const p50a = quantile(rpcAdapter, 0.5);
    const p99a = quantile(rpcAdapter, 0.99);
    const p50r = quantile(rpcRaw, 0.5);
    const p99r = quantile(rpcRaw, 0.99);
    rows.push({ name: `request-reply p50, adapter (1 in flight, ${RPC} round trips)`, value: p50a, unit: "ms" });
    rows.push({ name: "request-reply p50, raw amqplib (persistent + confirms)", value: p50r, unit: "ms" });
    rows.push({ name: "request-reply p99, adapter", value: p99a, unit: "ms", target: `<= raw p99 + 1 (${(p99r + 1).toFixed(2)})`, ok: p99a <= p99r + 1 });
    rows.push({ name: "request-reply p99, raw amqplib (persistent + confirms)", value: p99r, unit: "ms" });
    const withConfirm = (trips: RoundTrip[]): string => {
      const xs = trips.map((t) => t.replyAndConfirm);
      return `p50 ${quantile(xs, 0.5).toFixed(2)} / p99 ${quantile(xs, 0.99).toFixed(2)} ms`;
    };
    rows.push({ name: "request-reply until reply AND request confirmed (info): adapter", value: quantile(rpcAdapterTrips.map((t) => t.replyAndConfirm), 0.99), unit: "ms", note: withConfirm(rpcAdapterTrips) });
    rows.push({ name: "request-reply until reply AND request confirmed (info): raw amqplib", value: quantile(rpcRawTrips.map((t) => t.replyAndConfirm), 0.99), unit: "ms", note: withConfirm(rpcRawTrips) });
    rows.push({ name: "request-reply p50 / p99, raw amqplib without confirms/persistence (info)", value: quantile(rpcRawFast, 0.5), unit: "ms", note: `p99 ${quantile(rpcRawFast, 0.99).toFixed(2)} ms` });
    // Issue 6's targets: the same comparisons through generated code (bench/gen/rabbitmq).
    rows.push(...(await generatedVsRaw()));
    return rows;
  } finally {
    await t.close();
    await t2.close();
    await deleteTopics(conn, [...cleanup, `${run_}-rpc-req`, `${run_}-rpc-rep`], ["bench", "server"]);
    await conn.close().catch(() => undefined);
  }
}

// Run directly: print the rows.
if (process.argv[1]?.endsWith("rabbitmq.js") || process.argv[1]?.endsWith("rabbitmq.ts")) {
  for (const row of await run()) {
    console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  }
}
