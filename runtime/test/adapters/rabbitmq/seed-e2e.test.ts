// The seed's topology end to end on the real RabbitMQ through the runtime core (createRuntime with
// transport "configured": the core loads this adapter lazily): every block moved onto RabbitMQ, in a vhost
// of its own (durable queues of earlier runs cannot leak in; deleted afterwards).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DeadLetter, Envelope } from "../../../src/api.js";
import { createRuntime, type Runtime } from "../../../src/core/runtime.js";
import { createRabbitMqTransport } from "../../../src/adapters/rabbitmq/index.js";
import { compileValidators } from "../../../src/dev/compile-validators.js";
import { MemoryIdempotencyStore } from "../../../src/idempotency/memory-store.js";
import type { Topology } from "../../../src/topology.js";
import { loadSeedTopology } from "../../fixtures/load-seed.js";
import { createVhost, deleteVhost, rabbitmqctlAvailable } from "./rabbitmqctl.js";
import { RABBIT_URL, rabbitSkip, recordingLogger, seedConfig, testContext } from "./support.js";
import { until as waitUntil } from "../../helpers.js";

const skip = await rabbitSkip();
const ctl = skip === false && (await rabbitmqctlAvailable());
const vhost = `hypc-seed-e2e-${randomUUID().slice(0, 8)}`;

/** Every block on RabbitMQ (the seed spreads them over four brokers). */
function onRabbit(t: Topology): Topology {
  const r = "rabbitmq" as const;
  return {
    ...t,
    messaging: { ...t.messaging, rabbitmq: seedConfig({ connection: { network_recovery_interval: 500 } }) },
    defaultBroker: r,
    topics: t.topics.map((x) => ({ ...x, broker: r })),
    producers: t.producers.map((x) => ({ ...x, broker: r })),
    consumers: t.consumers.map((x) => ({
      ...x,
      broker: r,
      // A short batch timeout so the analytics handler does not wait 5 s for a partial batch.
      handlers: x.handlers.map((h) => (h.batch === undefined ? h : { ...h, batch: { ...h.batch, timeout: 100 } })),
    })),
    requestReply: t.requestReply.map((x) => ({ ...x, broker: r })),
    pubSub: t.pubSub.map((x) => ({ ...x, broker: r })),
    ...(t.deadLetter === undefined ? {} : { deadLetter: { ...t.deadLetter, broker: r } }),
  };
}

/** This file's default wait is 15_000 ms (broker round trips). */
const until = (what: string, done: () => boolean, ms = 15_000): Promise<void> => waitUntil(what, done, ms);

const now = (): string => new Date().toISOString();

describe.skipIf(skip !== false || !ctl)("seed topology end to end on RabbitMQ (through the runtime core)", () => {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    await createVhost(vhost);
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });
  afterAll(async () => {
    await deleteVhost(vhost);
  });

  it("produces and handles every event type, fans out, replies, dead-letters and runs the work queue", { timeout: 90_000 }, async () => {
    const topology = onRabbit(await loadSeedTopology());
    const url = new URL(RABBIT_URL);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    const handled: Record<string, Envelope[]> = {};
    const record = (name: string) => async (e: Envelope) => void (handled[name] ??= []).push(e);
    const analytics: Envelope[] = [];
    const letters: DeadLetter[] = [];
    const work: Envelope[] = [];
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: "configured",
      // HYPC_SCHEMA_REGISTRY off: the seed's registry is schema-registry.example.com (tested in test/schema-registry).
      env: { HYPC_RABBITMQ_URL: url.toString(), RABBITMQ_USERNAME: "unused", RABBITMQ_PASSWORD: "unused", HYPC_SCHEMA_REGISTRY: "off" },
      logger: recordingLogger(),
      idempotencyStore: new MemoryIdempotencyStore(),
      handlers: {
        events: {
          ScriptCreatedHandler: record("ScriptCreatedHandler"),
          ScriptUpdatedHandler: record("ScriptUpdatedHandler"),
          ScriptExecutedHandler: record("ScriptExecutedHandler"),
          AnalyticsEventHandler: async (batch: readonly Envelope[]) => void analytics.push(...batch),
          AuditLogHandler: record("AuditLogHandler"),
          CacheInvalidationHandler: record("CacheInvalidationHandler"),
          NotificationHandler: record("NotificationHandler"),
          AnalyticsHandler: record("AnalyticsHandler"),
          MonitoringHandler: record("MonitoringHandler"),
          AlertingHandler: record("AlertingHandler"),
          LogAggregationHandler: record("LogAggregationHandler"),
        },
        requests: {
          script_validation: async (request) => {
            const r = request as { script_id: string; content: string };
            return { script_id: r.script_id, valid: r.content.length > 0, errors: [], warnings: [], validation_time_ms: 1 };
          },
        },
        deadLetters: {
          DLQErrorAnalysisHandler: async (letter) => void letters.push(letter),
          DLQManualProcessingHandler: async () => undefined,
        },
        workQueue: async (e) => void work.push(e),
      },
    });
    await runtime.start();

    const scriptId = randomUUID();
    const userId = randomUUID();
    const events: [string, string, object][] = [
      ["ScriptEventProducer", "script.created", { script_id: scriptId, name: "hello", created_by: userId, created_at: now(), metadata: {} }],
      ["ScriptEventProducer", "script.updated", { script_id: scriptId, name: "hello", version: 2, updated_by: userId, updated_at: now(), changes: {} }],
      ["ScriptEventProducer", "script.deleted", { script_id: scriptId, deleted_by: userId, deleted_at: now(), reason: "test" }],
      [
        "ScriptEventProducer",
        "script.executed",
        { execution_id: randomUUID(), script_id: scriptId, user_id: userId, started_at: now(), completed_at: now(), duration_ms: 5, status: "ok", result: {}, error_message: "", environment: "test" },
      ],
      ["UserEventProducer", "user.registered", { user_id: userId, email: "a@example.com", username: "a", registered_at: now() }],
      ["UserEventProducer", "user.logged_in", { user_id: userId, login_at: now(), ip_address: "127.0.0.1", user_agent: "vitest" }],
    ];
    const ids = new Map<string, string>();
    for (const [producer, type, payload] of events) ids.set(type, (await runtime.publish(producer, type, payload)).messageId);
    await until("the script consumer's handlers", () => ["ScriptCreatedHandler", "ScriptUpdatedHandler", "ScriptExecutedHandler"].every((h) => (handled[h]?.length ?? 0) >= 1));
    await until("analytics batches with all 6 event types", () => new Set(analytics.map((e) => e.event_type)).size >= 6);
    expect(handled.ScriptCreatedHandler![0]!.metadata.message_id).toBe(ids.get("script.created"));

    await runtime.publishToChannel("script_changes", "script.updated", events[1]![2]);
    const fanout = ["AuditLogHandler", "CacheInvalidationHandler", "NotificationHandler", "AnalyticsHandler"];
    await until("script_changes fan-out to 4 groups", () => fanout.every((h) => (handled[h]?.length ?? 0) >= 1));

    const reply = (await runtime.request("script_validation", { script_id: scriptId, content: "x", validation_rules: [], timeout: 1000 }, { timeout: 5000 })) as { valid: boolean };
    expect(reply).toMatchObject({ script_id: scriptId, valid: true });

    // A poison message published by a plain producer: its payload fails validation → the DLQ handlers.
    const poisonId = randomUUID();
    const poison = { event_type: "script.created", version: "1.0", payload: { script_id: "not-a-uuid" }, metadata: { message_id: poisonId, source: "x", correlation_id: poisonId, causation_id: poisonId, timestamp: now() } };
    const raw = createRabbitMqTransport(seedConfig(), testContext({ HYPC_RABBITMQ_URL: url.toString() }));
    await raw.connect();
    await raw.publish([{ topic: "hypnoscript.events.script-events", key: "poison", body: Buffer.from(JSON.stringify(poison)), headers: {}, id: poisonId }]);
    await raw.close();
    await until("the poison message in the DLQ handler", () => letters.some((l) => l.envelope?.metadata.message_id === poisonId));
    expect(letters.find((l) => l.envelope?.metadata.message_id === poisonId)!.reason.category).toBe("validation_error");

    await runtime.enqueueWork("script.executed", events[3]![2]);
    await until("the work queue worker", () => work.length >= 1);
  });
});
