// RabbitMQ through generated code (bench/gen/rabbitmq, from bench/throughput/rabbitmq.hyp) against raw amqplib
// with the same settings, same broker, same run:
//  - publish: `producers.readingProducer.readingRecorded(payload)`, WINDOW calls in flight, vs raw
//    ch.publish of the same message (same envelope, correlation id and type properties, trace headers;
//    persistent, confirm channel, all confirms awaited), WINDOW in flight;
//  - consume: the generated ReadingConsumer (envelope parse, ajv validation, retry/timeout/concurrency
//    middlewares, typed handler, manual ack; prefetch = the handler's concurrency 1000) vs a raw consumer with
//    prefetch 1000 that JSON.parses each body, calls the handler and acks;
//  - request-reply: `requests.readingLookup.request()` vs a raw amqplib RPC loop (persistent + confirms on both
//    sides, like the runtime), one request in flight, p50/p99. Both loops first run RPC_WARMUP unmeasured round
//    trips: the tail of the first second after start is V8 compiling the code path (generated code has more of it
//    than the raw loop: p99 2.8 ms over the first 2,000 round trips, 0.9 ms after them; GC was not the cause). The
//    cold p99 of the first round trips is an info row.
// Rounds alternate who goes first; each result is the median of the rounds. MESSAGES per round is 30,000 (about
// a second per phase): at 5,000 a consume round lasted ~0.15 s and measured mostly the generated consumer's
// start-up (rounds 0.76-1.17x; client CPU per message 16 µs, raw 11, against 12 and 10 at 30,000).
import { randomUUID } from "node:crypto";
import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { AdapterContext, RabbitMqConfig } from "@hypc/runtime";
import { createRabbitMqTransport } from "@hypc/runtime/adapters/rabbitmq/index";
import { createMessaging, topology, type Messaging } from "./gen/rabbitmq/index.js";
import { ConsumeClock, CpuMeter, EVENT_TYPE, findPid, median, parseRaw, quantile, rawEnvelope, reading, silentLogger, traceHeaders, type Reading, configured, GeneratedReadings, publishThroughGenerated, publishConsumeRounds, publishConsumeRows } from "./readings.js";
import type { Row } from "./row.js";

const URL = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";
const MESSAGES = Number(process.env.HYPC_BENCH_RABBITMQ_MESSAGES ?? 30_000);
const ROUNDS = Number(process.env.HYPC_BENCH_RABBITMQ_ROUNDS ?? 6);
const RPC = Number(process.env.HYPC_BENCH_RABBITMQ_RPC ?? 2_000);
const RPC_WARMUP = Number(process.env.HYPC_BENCH_RABBITMQ_RPC_WARMUP ?? 2_000);
const WINDOW = 1_000;
const PREFETCH = 1_000; // the generated consumer's prefetch: its handler's concurrency in rabbitmq.hyp
const TOPIC = topology.producers[0]!.routes[0]!.topic;
const GROUP = topology.consumers[0]!.groupId;
const RAW_TOPIC = `${TOPIC}-raw`;
const env = { ...process.env, HYPC_RABBITMQ_URL: URL, RABBITMQ_USERNAME: "guest", RABBITMQ_PASSWORD: "guest" };

const readings = new GeneratedReadings();
function messaging(consumers: readonly string[]): Messaging {
  return createMessaging({
    ...configured(env, consumers),
    handlers: {
      events: { ReadingHandler: readings.handler },
      requests: { reading_lookup: async (request) => ({ reading_id: request.reading_id, value: 21.5 }) },
    },
  });
}

function generatedPublish(m: Messaging): Promise<number> {
  return publishThroughGenerated(m, MESSAGES, WINDOW);
}

async function rawPublish(ch: ConfirmChannel): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += WINDOW) {
    const window: Promise<void>[] = [];
    for (let i = 0; i < WINDOW; i++) {
      const payload = reading(sent + i);
      const id = randomUUID();
      // The same message generated code sends: correlation id and event type as AMQP properties, the trace
      // context of tracing.enabled (the default) as the two headers of trace_propagation.
      const options = { persistent: true, contentType: "application/json", messageId: id, correlationId: id, type: EVENT_TYPE, timestamp: Math.floor(Date.now() / 1000), headers: traceHeaders() };
      let writable = true;
      window.push(new Promise<void>((resolve, reject) => (writable = ch.publish(RAW_TOPIC, payload.reading_id, rawEnvelope(payload), options, (err) => (err ? reject(err) : resolve())))));
      if (!writable) await new Promise((r) => ch.once("drain", r));
    }
    await Promise.all(window);
  }
  return MESSAGES / ((performance.now() - started) / 1000);
}

function generatedConsume(cpu: CpuMeter): Promise<number> {
  return readings.consume(() => messaging(["ReadingConsumer"]), new ConsumeClock(MESSAGES, cpu));
}

async function rawConsume(conn: ChannelModel, cpu: CpuMeter): Promise<number> {
  const clock = new ConsumeClock(MESSAGES, cpu);
  const ch = await conn.createChannel();
  await ch.prefetch(PREFETCH, true);
  const handler = async (event: { payload: Reading }): Promise<void> => {
    if (event.payload.value < 0) throw new Error("unreachable");
  };
  await ch.consume(`${RAW_TOPIC}/${GROUP}`, (msg) => {
    if (msg === null) return;
    void handler(parseRaw(msg.content)).then(() => {
      ch.ack(msg);
      clock.tick();
    });
  });
  await clock.done;
  await ch.close();
  return clock.perSecond();
}

/** `count` round trips through generated code, one in flight; ms each. */
async function generatedRoundTrips(client: Messaging, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await client.requests.readingLookup.request({ reading_id: randomUUID(), sensor: "greenhouse-1/soil-moisture" });
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * The raw RPC loop: durable request queue, persistent messages, confirms on both sides, exclusive reply queue; the
 * same messages as generated code (correlation id property and `correlation_id` header, trace headers).
 */
async function rawRoundTrips(serverConn: ChannelModel, clientConn: ChannelModel, count: number): Promise<number[]> {
  const serverCh = await serverConn.createConfirmChannel();
  const clientCh = await clientConn.createConfirmChannel();
  const requestQueue = `${TOPIC}-raw-rpc`;
  await serverCh.assertQueue(requestQueue, { durable: true });
  const { queue: replyQueue } = await clientCh.assertQueue("", { exclusive: true });
  await serverCh.prefetch(16, true);
  await serverCh.consume(requestQueue, (msg) => {
    if (msg === null) return;
    const request = JSON.parse(msg.content.toString("utf8")) as { reading_id: string };
    const body = Buffer.from(JSON.stringify({ reading_id: request.reading_id, value: 21.5 }));
    // The reply generated code sends: correlation id property + the exchange's correlation_id header, trace context.
    const correlationId = msg.properties.correlationId as string;
    const headers = { correlation_id: correlationId, ...traceHeaders() };
    serverCh.sendToQueue(msg.properties.replyTo as string, body, { correlationId, persistent: true, contentType: "application/json", headers }, () => serverCh.ack(msg));
  });
  const pending = new Map<string, () => void>();
  await clientCh.consume(replyQueue, (msg) => {
    if (msg === null) return;
    JSON.parse(msg.content.toString("utf8"));
    pending.get(msg.properties.correlationId as string)?.();
    clientCh.ack(msg);
  });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const started = performance.now();
    const answered = new Promise<void>((resolve) => pending.set(id, resolve));
    const body = Buffer.from(JSON.stringify({ reading_id: randomUUID(), sensor: "greenhouse-1/soil-moisture" }));
    const sent = new Promise<void>((resolve, reject) =>
      clientCh.sendToQueue(requestQueue, body, { correlationId: id, replyTo: replyQueue, persistent: true, messageId: id, contentType: "application/json", headers: { correlation_id: id, ...traceHeaders() } }, (err) => (err ? reject(err) : resolve())),
    );
    await Promise.all([answered, sent]);
    pending.delete(id);
    times.push(performance.now() - started);
  }
  await serverCh.deleteQueue(requestQueue);
  await serverCh.close();
  await clientCh.close();
  return times;
}

/** The raw side's exchange and group queue, declared by the adapter so both sides use the same kind of objects. */
async function declareRaw(): Promise<void> {
  const ctx = { env, logger: silentLogger, resolve: (v: unknown) => (typeof v === "object" && v !== null ? "guest" : String(v)), guarantees: topology.guarantees, topology: { consumers: [], pubSub: [] } } as unknown as AdapterContext;
  const t = createRabbitMqTransport(topology.messaging.rabbitmq as RabbitMqConfig, ctx);
  await t.connect();
  await t.ensureTopics([{ name: RAW_TOPIC, partitions: 1 }]);
  await (await t.subscribe({ group: GROUP, topics: [RAW_TOPIC], concurrency: 1 }, async () => undefined)).close();
  await t.close();
}

async function purge(conn: ChannelModel): Promise<void> {
  const ch = await conn.createChannel();
  ch.on("error", () => undefined);
  for (const q of [`${TOPIC}/${GROUP}`, `${RAW_TOPIC}/${GROUP}`]) await ch.purgeQueue(q).catch(() => undefined);
  await ch.close().catch(() => undefined);
}

export async function generatedVsRaw(): Promise<Row[]> {
  const conn = await amqp.connect(URL, { noDelay: true }).catch((e: unknown) => {
    throw new Error(`RabbitMQ not reachable at ${URL}: ${(e as Error).message}`);
  });
  const conn2 = await amqp.connect(URL, { noDelay: true });
  await declareRaw();
  const producer = messaging([]); // publishes only (and serves reading_lookup)
  await producer.start();
  await purge(conn); // leftovers of an interrupted run
  const rawCh = await conn.createConfirmChannel();
  const brokerPid = findPid(/beam\.smp.*rabbit/);
  try {
    const results = await publishConsumeRounds(ROUNDS, MESSAGES, brokerPid, {
      publishGenerated: () => generatedPublish(producer),
      publishRaw: () => rawPublish(rawCh),
      consumeGenerated: generatedConsume,
      consumeRaw: (cpu) => rawConsume(conn, cpu),
    }, false);
    const client = messaging([]);
    await client.start();
    const cold = { generated: await generatedRoundTrips(client, RPC_WARMUP), raw: await rawRoundTrips(conn, conn2, RPC_WARMUP) };
    // Interleave chunks so load from other processes hits both alike.
    const rpc = { generated: [] as number[], raw: [] as number[] };
    for (let i = 0; i < 2; i++) {
      rpc.generated.push(...(await generatedRoundTrips(client, RPC)));
      rpc.raw.push(...(await rawRoundTrips(conn, conn2, RPC)));
    }
    await client.stop();
    const p99g = quantile(rpc.generated, 0.99);
    const p99r = quantile(rpc.raw, 0.99);
    return [
      ...publishConsumeRows(results, {
        prefix: "",
        publish: `publish through generated code, persistent + confirms, ${WINDOW} in flight (${MESSAGES} events, median of ${ROUNDS})`,
        consume: `consume through generated code, manual ack, prefetch ${PREFETCH} (${MESSAGES} events, median of ${ROUNDS})`,
        client: "amqplib",
      }),
      { name: `request-reply p50 through generated code (1 in flight, ${rpc.generated.length} round trips)`, value: quantile(rpc.generated, 0.5), unit: "ms" },
      { name: "request-reply p50, raw amqplib RPC loop (persistent + confirms)", value: quantile(rpc.raw, 0.5), unit: "ms" },
      { name: "request-reply p99 through generated code", value: p99g, unit: "ms", target: `<= raw p99 + 1 (${(p99r + 1).toFixed(2)})`, ok: p99g <= p99r + 1 },
      { name: "request-reply p99, raw amqplib RPC loop", value: p99r, unit: "ms", note: `medians ${median(rpc.generated).toFixed(2)} / ${median(rpc.raw).toFixed(2)} ms` },
      {
        name: `request-reply p99 of the first ${RPC_WARMUP} round trips after start (info, JIT warm-up): generated code`,
        value: quantile(cold.generated, 0.99),
        unit: "ms",
        note: `raw amqplib RPC loop: ${quantile(cold.raw, 0.99).toFixed(2)} ms`,
      },
    ];
  } finally {
    await producer.stop();
    await rawCh.close().catch(() => undefined);
    await conn2.close().catch(() => undefined);
    await conn.close().catch(() => undefined);
  }
}

if (process.argv[1]?.endsWith("rabbitmq-generated.js")) {
  for (const row of await generatedVsRaw()) console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  process.exit(0);
}
