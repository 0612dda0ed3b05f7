// The seed scenario, run end to end on any transport (seed.test.ts: embedded; seed-rabbitmq.test.ts: RabbitMQ):
// every event type produced and handled, script_changes fan-out to 4 groups, script_validation round trip, a
// poison message in the DLQ with its category, a duplicate suppressed, the work queue, metrics.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { DeadLetter, Envelope, IdempotencyStore, InstrumentationEvent, TransportMode } from "../../src/api.js";
import type { Transport } from "../../src/transport.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import type { BrokerKind, Topology } from "../../src/topology.js";
import { recordingLogger, until } from "../helpers.js";

const now = () => new Date().toISOString();
const uuid = () => randomUUID();

function payloads(scriptId: string, userId: string): Record<string, { producer: string; payload: object }> {
  return {
    "script.created": { producer: "ScriptEventProducer", payload: { script_id: scriptId, name: "hello", created_by: userId, created_at: now(), metadata: {} } },
    "script.updated": { producer: "ScriptEventProducer", payload: { script_id: scriptId, name: "hello", version: 2, updated_by: userId, updated_at: now(), changes: {} } },
    "script.deleted": { producer: "ScriptEventProducer", payload: { script_id: scriptId, deleted_by: userId, deleted_at: now(), reason: "test" } },
    "script.executed": {
      producer: "ScriptEventProducer",
      payload: { execution_id: uuid(), script_id: scriptId, user_id: userId, started_at: now(), completed_at: now(), duration_ms: 5, status: "ok", result: {}, error_message: "", environment: "test" },
    },
    "user.registered": { producer: "UserEventProducer", payload: { user_id: userId, email: "a@example.com", username: "a", registered_at: now() } },
    "user.logged_in": { producer: "UserEventProducer", payload: { user_id: userId, login_at: now(), ip_address: "127.0.0.1", user_agent: "vitest" } },
  };
}

/** The seed with a short analytics batch timeout, so the test does not wait 5 s for a partial batch. */
function withShortBatches(topology: Topology): Topology {
  return {
    ...topology,
    consumers: topology.consumers.map((c) => ({ ...c, handlers: c.handlers.map((h) => (h.batch === undefined ? h : { ...h, batch: { ...h.batch, timeout: 100 } })) })),
  };
}

export interface ScenarioTarget {
  /** The topology to run (already moved onto the target broker). */
  readonly topology: Topology;
  readonly transport: TransportMode | Transport;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The broker kind every block uses (to inject raw messages through the runtime's own transport). */
  readonly kind: BrokerKind;
  readonly idempotencyStore?: IdempotencyStore;
  /** Multiplies waits (real brokers are slower). */
  readonly timeScale?: number;
}

export async function runSeedScenario(target: ScenarioTarget, track: (r: Runtime) => void): Promise<void> {
    const topology = withShortBatches(target.topology);
    const topic = (name: string) => topology.topics.find((t) => t.logical === name || t.name === name)?.name ?? name;
    const scale = target.timeScale ?? 1;
    const waitMs = 5000 * scale;
    const handled: Record<string, Envelope[]> = {};
    const record = (name: string) => async (e: Envelope) => {
      (handled[name] ??= []).push(e);
    };
    const analytics: Envelope[] = [];
    const letters: Record<string, DeadLetter[]> = {};
    const events: InstrumentationEvent[] = [];
    const work: Envelope[] = [];
    const logger = recordingLogger();
    const runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: target.transport,
      // The seed's schema registry is schema-registry.example.com: the scenario tests brokers, so it runs without the
      // registry unless the caller points HYPC_SCHEMA_REGISTRY(_URL) somewhere local (registry: test/schema-registry).
      ...(target.env === undefined ? {} : { env: { HYPC_SCHEMA_REGISTRY: "off", ...target.env } }),
      logger,
      ...(target.idempotencyStore === undefined ? {} : { idempotencyStore: target.idempotencyStore }),
      instrumentation: [{ onEvent: (e) => events.push(e) }],
      handlers: {
        events: {
          ScriptCreatedHandler: record("ScriptCreatedHandler"),
          ScriptUpdatedHandler: record("ScriptUpdatedHandler"),
          ScriptExecutedHandler: record("ScriptExecutedHandler"),
          AnalyticsEventHandler: async (batch: readonly Envelope[]) => {
            expect(batch.length).toBeLessThanOrEqual(100);
            analytics.push(...batch);
          },
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
          DLQErrorAnalysisHandler: async (letter) => void (letters.analysis ??= []).push(letter),
          DLQManualProcessingHandler: async (letter) => void (letters.manual ??= []).push(letter),
        },
        workQueue: async (e) => void work.push(e),
      },
    });
    track(runtime);
    await runtime.start();
    const transport = runtime.transportFor(target.kind)!;
    const scriptTopic = topic("script-events");

    // Every event type, through its producer.
    const scriptId = uuid();
    const userId = uuid();
    const all = payloads(scriptId, userId);
    const published = new Map<string, string>();
    for (const [type, { producer, payload }] of Object.entries(all)) {
      const result = await runtime.publish(producer, type, payload);
      published.set(type, result.messageId);
      expect(result.key).toBe(type.startsWith("user.") ? userId : scriptId);
    }
    await until("the script consumer's handlers", () => ["ScriptCreatedHandler", "ScriptUpdatedHandler", "ScriptExecutedHandler"].every((h) => (handled[h]?.length ?? 0) >= 1), waitMs);
    await until("analytics batches with all 6 event types", () => new Set(analytics.map((e) => e.event_type)).size >= 6, waitMs);
    expect(handled.ScriptCreatedHandler![0]!.metadata.message_id).toBe(published.get("script.created"));
    expect(handled.ScriptCreatedHandler![0]!.metadata.source).toBe("hypnoscript-api");
    expect(handled.ScriptExecutedHandler![0]!.metadata.source).toBe("hypnoscript-executor");

    // script_changes: one publish, four groups.
    await runtime.publishToChannel("script_changes", "script.updated", all["script.updated"]!.payload);
    const fanout = ["AuditLogHandler", "CacheInvalidationHandler", "NotificationHandler", "AnalyticsHandler"];
    await until("script_changes fan-out to 4 groups", () => fanout.every((h) => (handled[h]?.length ?? 0) >= 1), waitMs);
    for (const h of fanout) expect(handled[h]).toHaveLength(1);
    await runtime.publishToChannel("system_events", "system.started", { service_name: "svc", version: "1", started_at: now(), environment: "test", instance_id: "i-1" });
    await runtime.publishToChannel("system_events", "system.error", { error_code: "E1", error_message: "disk full", stack_trace: "", occurred_at: now(), service_name: "svc", severity: "high" });
    const systemSubscribers = ["MonitoringHandler", "AlertingHandler", "LogAggregationHandler"];
    await until("system_events fan-out of both system events to 3 groups", () => systemSubscribers.every((h) => (handled[h]?.length ?? 0) >= 2), waitMs);
    for (const h of systemSubscribers) expect(new Set(handled[h]!.map((e) => e.event_type))).toEqual(new Set(["system.started", "system.error"]));

    // script_validation round trip.
    const reply = (await runtime.request("script_validation", { script_id: scriptId, content: "x", validation_rules: [], timeout: 1000 }, { timeout: 2000 * scale })) as { valid: boolean; script_id: string };
    expect(reply).toMatchObject({ script_id: scriptId, valid: true });

    // A poison message (valid JSON envelope, invalid payload) lands in the DLQ with its category.
    const poisonId = uuid();
    const poison = { event_type: "script.created", version: "1.0", payload: { script_id: "not-a-uuid" }, metadata: { message_id: poisonId, source: "x", correlation_id: poisonId, causation_id: poisonId, timestamp: now() } };
    await transport.publish([{ topic: scriptTopic, key: "poison", body: Buffer.from(JSON.stringify(poison)), headers: {}, id: poisonId }]);
    // Both consumer groups reading the topic (script consumer and analytics) dead-letter it; both DLQ handler
    // groups (error_analysis, manual_processing) get both letters.
    const poisonLetters = (group: string) => (letters[group] ?? []).filter((l) => l.envelope?.metadata.message_id === poisonId);
    await until("the poison message in both DLQ handler groups", () => poisonLetters("analysis").length >= 2 && poisonLetters("manual").length >= 2, waitMs);
    expect(new Set(poisonLetters("analysis").map((l) => l.reason.handler))).toEqual(new Set(["ScriptCreatedHandler", "AnalyticsEventHandler"]));
    const letter = poisonLetters("analysis").find((l) => l.reason.handler === "ScriptCreatedHandler")!;
    expect(letter.reason.category).toBe("validation_error");
    expect(letter.reason.originalTopic).toBe(scriptTopic);
    expect(letter.reason.error).toMatch(/script_id/);
    await until("the validation_error alert", () => events.some((e) => e.kind === "alert" && e.category === "validation_error" && e.severity === "warning"), waitMs);
    expect(handled.ScriptCreatedHandler!.some((e) => e.metadata.message_id === poisonId)).toBe(false);

    // A duplicate (same message delivered twice) is handled once.
    const dupId = uuid();
    const dup = { event_type: "script.created", version: "1.0", payload: { ...all["script.created"]!.payload, script_id: uuid() }, metadata: { message_id: dupId, source: "hypnoscript-api", correlation_id: dupId, causation_id: dupId, timestamp: now() } };
    const body = Buffer.from(JSON.stringify(dup));
    await transport.publish([{ topic: scriptTopic, key: "dup", body, headers: {}, id: dupId }]);
    await transport.publish([{ topic: scriptTopic, key: "dup", body, headers: {}, id: dupId }]);
    await until("the duplicate to be suppressed", () => events.some((e) => e.kind === "duplicate" && e.messageId === dupId && e.handler === "ScriptCreatedHandler"), waitMs);
    expect(handled.ScriptCreatedHandler!.filter((e) => e.metadata.message_id === dupId)).toHaveLength(1);

    // Work queue.
    await runtime.enqueueWork("script.executed", all["script.executed"]!.payload);
    await until("the work queue worker", () => work.length >= 1, waitMs);

    // Metrics in Prometheus text.
    const text = runtime.metricsText();
    expect(text).toMatch(/hypc_messages_published_total\{topic="[^"]+",event_type="script.created"\} 1/);
    expect(text).toMatch(/hypc_messages_dead_lettered_total\{[^}]*category="validation_error"[^}]*\} 1/);
    expect(text).toMatch(/hypc_messages_duplicate_total/);
}

