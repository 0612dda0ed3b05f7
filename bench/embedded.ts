// Embedded broker throughput through the full core pipeline: publish (envelope, ajv validation, key) →
// embedded broker → consume (parse, validation, retry/timeout/concurrency middlewares, handler) → ack.
// Also raw transport throughput and request-reply round trips per second. ~300-byte events.
// Usage: node dist/bench/embedded.js   (or via `npm run bench embedded`)
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import type { Envelope, Topology } from "@hypc/runtime";
import { createRuntime, EmbeddedTransport } from "@hypc/runtime";
import { compileValidators } from "@hypc/runtime/dev/compile-validators";
import type { Row } from "./row.js";

const EVENTS = Number(process.env.HYPC_BENCH_EVENTS ?? 200_000);
const RPC = Number(process.env.HYPC_BENCH_RPC ?? 20_000);

/** The bench's topology (exported for ad-hoc profiling). */
export function topologyForBench(): Topology {
  return topology();
}

function topology(): Topology {
  const retry = { max_retries: 3, backoff_strategy: "exponential", initial_delay: 100, max_delay: 1000, multiplier: 2, jitter: 0 } as const;
  const payloadSchema = {
    type: "object",
    properties: {
      script_id: { type: "string", format: "uuid" },
      name: { type: "string" },
      metadata: { type: "object" },
    },
    required: ["script_id", "name", "metadata"],
  };
  const envelopeSchema = {
    type: "object",
    properties: {
      event_type: { const: "script.created" },
      version: { type: "string" },
      payload: payloadSchema,
      metadata: { type: "object", required: ["message_id", "source", "correlation_id", "causation_id", "timestamp"] },
    },
    required: ["event_type", "version", "payload", "metadata"],
  };
  return {
    topologyVersion: 1,
    messaging: {},
    defaultBroker: "kafka",
    events: [{ eventType: "script.created", name: "ScriptCreated", group: "ScriptEvents", version: "1.0", source: "bench", schema: envelopeSchema }],
    topics: [{ name: "bench.script-events", logical: "script-events", broker: "kafka", partitions: 4, eventTypes: ["script.created"] }],
    producers: [
      {
        name: "P",
        broker: "kafka",
        routes: [{ eventType: "script.created", topic: "bench.script-events", partitionKey: "script_id", retry }],
        serialization: { format: "json", compression: "none" },
        validation: { schema_validation: true, required_fields: ["event_type", "payload", "metadata"], payload_size_limit: 1_048_576 },
      },
    ],
    consumers: [
      {
        name: "C",
        broker: "kafka",
        groupId: "bench",
        topics: [{ name: "bench.script-events", partitions: [0, 1, 2, 3], auto_offset_reset: "earliest" }],
        handlers: [{ handler: "H", key: "script.created", eventTypes: ["script.created"], concurrency: 64, timeout: 30_000, retry }],
        settings: { max_poll_records: 500, max_poll_interval_ms: 300_000, session_timeout_ms: 30_000, heartbeat_interval_ms: 3000, enable_auto_commit: false, auto_commit_interval_ms: 5000 },
      },
    ],
    requestReply: [
      {
        name: "echo",
        broker: "kafka",
        requestTopic: "bench.echo.request",
        replyTopic: "bench.echo.reply",
        correlationIdHeader: "correlation_id",
        requestSchema: { type: "object" },
        replySchema: { type: "object" },
        timeout: 10_000,
        retry: { ...retry, max_retries: 0 },
      },
    ],
    pubSub: [],
    guarantees: {
      at_least_once: { enabled: true, producer: { acks: "all", retries: 3, idempotence: true, transactional: false }, consumer: { manual_commit: true, commit_sync: true, offset_commit_interval: 1000 } },
      exactly_once: { enabled: false, idempotence: { enabled: false, key_strategy: "message_id", storage: "memory", ttl: 60 }, transactional: { enabled: false, isolation_level: "read_committed", timeout: 1000 } },
      message_ordering: { enabled: false, partition_key: { strategy: "hash", fields: ["script_id"] }, consumer_groups: { single_partition_consumers: false, max_concurrent_partitions: 4 } },
    },
    monitoring: {
      metrics: {
        producer: { message_count: true, message_size: true, send_latency: true, error_rate: true, retry_count: true },
        consumer: { message_count: true, processing_latency: true, error_rate: true, lag: true, commit_latency: true },
        queue: { queue_size: true, queue_depth: true, message_age: true, consumer_count: true },
      },
      alerting: {
        consumer_lag: { threshold: 1000, alert_level: "warning", escalation_time: 300 },
        error_rate: { threshold: 0.05, alert_level: "critical", window_size: 300 },
        processing_latency: { threshold: 30000, alert_level: "warning", percentile: 95 },
      },
      tracing: { enabled: true, trace_propagation: { headers: ["x-trace-id", "x-span-id", "x-correlation-id"], baggage: false }, span_creation: { producer_send: true, consumer_receive: true, message_processing: true } },
    },
  };
}

function payload(i: number): object {
  return { script_id: randomUUID(), name: `script-${i}`, metadata: { tag: "bench" } };
}

/** Rate per wall-clock second and per CPU second of this process (the machine is shared: CPU time is the fairer measure). */
async function rate(count: number, work: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wallSeconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall: count / wallSeconds, cpu: count / ((used.user + used.system) / 1e6) };
}

/** The bench topology with message_ordering and in-memory idempotency switched on (the seed's guarantees). */
function withGuarantees(t: Topology): Topology {
  return {
    ...t,
    guarantees: {
      ...t.guarantees,
      exactly_once: { ...t.guarantees.exactly_once, enabled: true, idempotence: { ...t.guarantees.exactly_once.idempotence, enabled: true, storage: "memory" } },
      message_ordering: { ...t.guarantees.message_ordering, enabled: true },
    },
  };
}

async function pipeline(guarantees = false): Promise<{ perSecond: number; perCpuSecond: number; bytes: number }> {
  const topo = guarantees ? withGuarantees(topology()) : topology();
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const runtime = createRuntime({
    topology: topo,
    validators: compileValidators(topo),
    transport: new EmbeddedTransport(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    handlers: {
      events: {
        H: async (_e: Envelope) => {
          if (++handled === EVENTS) done();
        },
      },
    },
  });
  await runtime.start();
  const payloads = Array.from({ length: 1000 }, (_, i) => payload(i));
  const measured = await rate(EVENTS, async () => {
    // Publish in windows of 1,000 concurrent publishes (how an app with many requests in flight behaves),
    // yielding to the event loop between windows as an I/O-driven app does: steady state, not one huge backlog.
    for (let sent = 0; sent < EVENTS; ) {
      const n = Math.min(1000, EVENTS - sent);
      const window: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) window.push(runtime.publish("P", "script.created", payloads[(sent + i) % payloads.length]));
      await Promise.all(window);
      sent += n;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
  });
  const bytes = Buffer.byteLength(JSON.stringify({ event_type: "script.created", version: "1.0", payload: payloads[0], metadata: { message_id: randomUUID(), source: "bench", correlation_id: randomUUID(), causation_id: randomUUID(), timestamp: new Date().toISOString() } }));
  await runtime.stop();
  return { perSecond: measured.wall, perCpuSecond: measured.cpu, bytes };
}

async function rawTransport(): Promise<{ wall: number; cpu: number }> {
  const t = new EmbeddedTransport();
  await t.connect();
  await t.ensureTopics([{ name: "raw", partitions: 4 }]);
  const body = Buffer.alloc(300, 120);
  let got = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await t.subscribe({ group: "g", topics: ["raw"], concurrency: 512 }, async (m) => {
    await m.ack();
    if (++got === EVENTS) done();
  });
  const measured = await rate(EVENTS, async () => {
    for (let sent = 0; sent < EVENTS; sent += 1000) {
      const batch = Array.from({ length: Math.min(1000, EVENTS - sent) }, (_, i) => ({ topic: "raw", key: `k${(sent + i) % 64}`, body, headers: {}, id: String(sent + i) }));
      await t.publish(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
  });
  await t.close();
  return measured;
}

async function requestReply(): Promise<{ wall: number; cpu: number }> {
  const topo = topology();
  const runtime = createRuntime({
    topology: topo,
    validators: compileValidators(topo),
    transport: new EmbeddedTransport(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    handlers: { requests: { echo: async (r) => r } },
  });
  await runtime.start();
  await runtime.request("echo", { warm: true });
  const inFlight = 64;
  let next = 0;
  const measured = await rate(RPC, async () => {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < RPC) {
          next++;
          await runtime.request("echo", { n: next });
        }
      }),
    );
  });
  await runtime.stop();
  return measured;
}

export async function run(): Promise<Row[]> {
  if (process.env.HYPC_BENCH_ONLY === "pipeline") {
    const only = await pipeline();
    return [
      { name: "full pipeline (wall)", value: only.perSecond, unit: "msg/s" },
      { name: "full pipeline (per CPU second)", value: only.perCpuSecond, unit: "msg/s" },
    ];
  }
  const raw = await rawTransport();
  const full = await pipeline();
  const guarded = await pipeline(true);
  const rpc = await requestReply();
  const note = "per CPU second of this process (the machine is shared; wall clock varies with load)";
  const [load1] = loadavg();
  return [
    { name: `embedded transport alone, publish→ack (300 B, ${EVENTS} msgs)`, value: raw.cpu, unit: "msg/s", note },
    { name: `full pipeline publish→validate→consume→ack (${full.bytes} B events)`, value: full.perCpuSecond, unit: "msg/s", target: ">= 100,000", ok: full.perCpuSecond >= 100_000, note },
    { name: "full pipeline, wall clock", value: full.perSecond, unit: "msg/s" },
    { name: "full pipeline + per-key ordering + in-memory idempotency", value: guarded.perCpuSecond, unit: "msg/s", note },
    { name: "request-reply round trips (64 in flight)", value: rpc.cpu, unit: "req/s", note },
    { name: "request-reply round trips, wall clock", value: rpc.wall, unit: "req/s" },
    { name: "machine load average (1 min) after the run", value: load1 ?? 0, unit: "", note: "other processes share the 2 cores" },
  ];
}

// Run directly: print the rows.
if (process.argv[1]?.endsWith("embedded.js") || process.argv[1]?.endsWith("embedded.ts")) {
  for (const row of await run()) console.log(`${row.name}: ${row.value < 100 ? row.value.toFixed(2) : Math.round(row.value).toLocaleString("en-US")} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}`);
}
