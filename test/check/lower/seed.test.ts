// The seed configuration lowers to a Topology with the facts the product owner's document implies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Topology } from "@hypc/runtime";
import { check } from "../semantic/helpers.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const seedPath = "fixtures/seed/messaging.hyp";
const seed = check({ [seedPath]: readFileSync(seedPath, "utf8") });
const topology = seed.topology as Topology;

describe("seed lowering", () => {
  it("has no structural or semantic errors", () => {
    expect(seed.structural.filter((d) => d.severity === "error")).toEqual([]);
    expect(seed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(topology).toBeDefined();
  });

  it("reports the seed's deliberate contradictions and inferences, and nothing else", () => {
    expect([...seed.codes].sort()).toEqual(["HYP3002", "HYP3020", "HYP3020", "HYP3020", "HYP3021", "HYP4003", "HYP4004", "HYP4005", "HYP4012"]);
    const autoCommit = seed.diagnostics.find((d) => d.code === "HYP4003");
    expect(autoCommit?.message).toContain("AnalyticsEventConsumer");
    expect(autoCommit?.span?.line).toBe(496);
    // The pub/sub subscriber AnalyticsProcessor reuses AnalyticsEventConsumer's Kafka group for another topic.
    expect(seed.diagnostics.find((d) => d.code === "HYP4012")?.message).toContain("`analytics-processor`");
    // ScriptEventConsumer reads script-events, which carries script.deleted, but handles it nowhere.
    expect(seed.diagnostics.find((d) => d.code === "HYP3021")?.message).toContain("`ScriptEventConsumer` reads `script.deleted`");
  });

  it("uses kafka as the default broker and says so", () => {
    expect(topology.defaultBroker).toBe("kafka");
    const warning = seed.diagnostics.find((d) => d.code === "HYP3002");
    expect(warning?.severity).toBe("warning");
    expect(warning?.message).toContain("`kafka`");
    expect(warning?.help).toContain('default_broker: "kafka"');
    // request_reply ×2, pub_sub ×2 and dead_letter_queue rely on it.
    expect(warning?.secondary?.length).toBe(5);
    expect(topology.requestReply.map((x) => x.broker)).toEqual(["kafka", "kafka"]);
    expect(topology.pubSub.map((x) => x.broker)).toEqual(["kafka", "kafka"]);
    expect(topology.deadLetter?.broker).toBe("kafka");
  });

  it("resolves physical topics with partition counts", () => {
    const byName = new Map(topology.topics.map((t) => [t.name, t]));
    expect(byName.get("hypnoscript.events.script-events")).toMatchObject({
      logical: "script-events",
      partitions: 4,
      eventTypes: ["script.created", "script.updated", "script.deleted"],
    });
    expect(byName.get("hypnoscript.events.execution-events")).toMatchObject({ partitions: 4, eventTypes: ["script.executed"] });
    expect(byName.get("hypnoscript.user.user-events")).toMatchObject({ partitions: 4, eventTypes: ["user.registered", "user.logged_in"] });
    expect(byName.get("script.validation.request")?.partitions).toBe(1);
    const analytics = topology.consumers.find((c) => c.name === "AnalyticsEventConsumer");
    expect(analytics?.topics.map((t) => t.name)).toEqual([
      "hypnoscript.events.script-events",
      "hypnoscript.events.execution-events",
      "hypnoscript.user.user-events",
    ]);
    // Inherited from messaging.kafka.consumer.auto_offset_reset.
    expect(analytics?.topics.every((t) => t.auto_offset_reset === "earliest")).toBe(true);
  });

  it("routes producers with prefix, key and complete retry policies", () => {
    const script = topology.producers.find((p) => p.name === "ScriptEventProducer");
    const executed = script?.routes.find((r) => r.eventType === "script.executed");
    expect(executed).toEqual({
      eventType: "script.executed",
      topic: "hypnoscript.events.execution-events",
      partitionKey: "script_id",
      retry: { max_retries: 5, backoff_strategy: "exponential", initial_delay: 2000, max_delay: 30000, multiplier: 2, jitter: 0.2 },
    });
    const user = topology.producers.find((p) => p.name === "UserEventProducer");
    expect(user?.routes[0]?.retry.max_retries).toBe(3);
    expect(user?.topicPrefix).toBe("hypnoscript.user");
  });

  it("gives every handler a typed slot; the * handler gets the union of the 6 event types in batches", () => {
    const slots = topology.consumers.flatMap((c) => c.handlers.map((h) => [h.handler, h.eventTypes] as const));
    expect(slots).toEqual([
      ["ScriptCreatedHandler", ["script.created"]],
      ["ScriptUpdatedHandler", ["script.updated"]],
      ["ScriptExecutedHandler", ["script.executed"]],
      ["AnalyticsEventHandler", ["script.created", "script.updated", "script.deleted", "script.executed", "user.registered", "user.logged_in"]],
    ]);
    const analytics = topology.consumers[1]?.handlers[0];
    expect(analytics?.batch).toEqual({ size: 100, timeout: 5000 });
    expect(analytics?.concurrency).toBe(20);
    expect(topology.consumers[0]?.handlers[0]?.batch).toBeUndefined();
    // Consumer settings override messaging.kafka.consumer, which fills the rest.
    expect(topology.consumers[1]?.settings).toEqual({
      max_poll_records: 500,
      max_poll_interval_ms: 300000,
      session_timeout_ms: 30000,
      heartbeat_interval_ms: 3000,
      enable_auto_commit: true,
      auto_commit_interval_ms: 5000,
    });
  });

  it("infers pub/sub payloads and the work queue's events", () => {
    const changes = topology.pubSub.find((c) => c.name === "script_changes");
    expect(changes?.eventTypes).toEqual(["script.created", "script.updated", "script.deleted", "script.executed"]);
    expect(changes?.subscribers.map((s) => s.handler)).toEqual(["AuditLogHandler", "CacheInvalidationHandler", "NotificationHandler", "AnalyticsHandler"]);
    expect(changes?.publisher.partition_key).toBe("script_id");
    expect(topology.pubSub.find((c) => c.name === "system_events")?.eventTypes).toEqual(["system.started", "system.error"]);
    expect(topology.deadLetter?.mainQueue).toMatchObject({ name: "script-execution-queue", dlq_name: "script-execution-dlq", max_retries: 3, retry_delay: 5000 });
    expect(topology.deadLetter?.mainQueue.eventTypes).toHaveLength(8);
    expect(topology.deadLetter?.handlers.map((h) => h.handler)).toEqual(["DLQErrorAnalysisHandler", "DLQManualProcessingHandler"]);
    expect(topology.deadLetter?.handlers[1]?.ui?.authorization).toBe("admin_only");
  });

  it("keeps secrets as env references and policies as written", () => {
    expect(topology.messaging.kafka?.producer.security?.sasl_password).toEqual({ env: "KAFKA_PASSWORD" });
    expect(topology.messaging.rabbitmq?.password).toEqual({ env: "RABBITMQ_PASSWORD" });
    expect(topology.guarantees.exactly_once.idempotence.storage).toBe("redis");
    expect(topology.guarantees.message_ordering.partition_key.fields).toEqual(["script_id", "user_id"]);
    expect(topology.monitoring.tracing.trace_propagation.headers).toEqual(["x-trace-id", "x-span-id", "x-correlation-id"]);
  });

  it("produces JSON Schemas that ajv compiles and that accept valid and reject invalid envelopes", () => {
    const ajv = addFormats(new Ajv({ allErrors: true }));
    for (const e of topology.events) ajv.addSchema(e.schema);
    for (const x of topology.requestReply) ajv.addSchema(x.requestSchema).addSchema(x.replySchema);
    const validate = ajv.getSchema("event:script.created");
    expect(validate).toBeDefined();
    const id = "7f1c1a52-1c2b-4f53-9b8e-2f4d3c8a9b10";
    const envelope = {
      event_type: "script.created",
      version: "1.0",
      payload: { script_id: id, name: "n", created_by: id, created_at: "2026-01-01T00:00:00Z", metadata: {} },
      metadata: { message_id: id, source: "hypnoscript-api", correlation_id: id, causation_id: id, timestamp: "2026-01-01T00:00:00Z" },
    };
    expect(validate!(envelope)).toBe(true);
    expect(validate!({ ...envelope, event_type: "script.updated" })).toBe(false);
    expect(validate!({ ...envelope, payload: { ...envelope.payload, script_id: "not-a-uuid" } })).toBe(false);
    expect(validate!({ ...envelope, payload: { ...envelope.payload, created_at: "yesterday" } })).toBe(false);
    const { name: _dropped, ...withoutName } = envelope.payload;
    expect(validate!({ ...envelope, payload: withoutName })).toBe(false);
    // Tolerant reader: unknown payload fields are accepted.
    expect(validate!({ ...envelope, payload: { ...envelope.payload, extra: 1 } })).toBe(true);
    const reply = ajv.getSchema("reply:script_validation")!;
    expect(reply({ script_id: id, valid: true, errors: [], warnings: [], validation_time_ms: 3 })).toBe(true);
    expect(reply({ script_id: id, valid: "yes", errors: [], warnings: [], validation_time_ms: 3 })).toBe(false);
  });
});
