import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lookupSpec, materialize, materializeProgram, mergeBlocks, rootSpec } from "../../src/spec/index.js";
import { programOf } from "../check/structure/program-of.js";

const seedText = readFileSync(new URL("../../fixtures/seed/messaging.hyp", import.meta.url), "utf8");

describe("materialize the seed", () => {
  const { program } = programOf(seedText);
  const all = materializeProgram(program) as Record<string, any>;

  it("keeps written values and turns env references into { env }", () => {
    expect(all.messaging.kafka.producer).toMatchObject({ acks: "all", retries: 3, compression_type: "snappy" });
    expect(all.messaging.kafka.producer.security).toEqual({
      sasl_mechanism: "PLAIN",
      sasl_username: { env: "KAFKA_USERNAME" },
      sasl_password: { env: "KAFKA_PASSWORD" },
      ssl_enabled: true,
    });
    expect(all.messaging.rabbitmq.username).toEqual({ env: "RABBITMQ_USERNAME" });
  });

  it("fills the extension defaults the runtime's interfaces require", () => {
    expect(all.messaging.kafka.client_id).toBe("hypc");
    expect(all.messaging.kafka.consumer.auto_commit_interval_ms).toBe(5000);
    expect(all.messaging.rabbitmq.ssl).toEqual({ enabled: true, verify_peer: true, fail_if_no_peer_cert: false });
    expect(all.messaging.default_broker).toBeUndefined();
  });

  it("fills retry policies completely", () => {
    const route = all.event_producers.UserEventProducer.events["user.registered"];
    expect(route).toEqual({
      topic: "user-events",
      partition_key: "user_id",
      retry_policy: { max_retries: 3, backoff_strategy: "exponential", initial_delay: 1000, max_delay: 30000, multiplier: 2, jitter: 0.2 },
    });
  });

  it("leaves inherited consumer settings out so lowering can take them from messaging.kafka.consumer", () => {
    expect(all.event_consumers.AnalyticsEventConsumer.settings).toEqual({ max_poll_records: 500, enable_auto_commit: true, auto_commit_interval_ms: 5000 });
    expect(all.event_consumers.AnalyticsEventConsumer.topics[0]).toEqual({ name: "script-events", partitions: [0, 1, 2, 3] });
  });

  it("keeps field types as written", () => {
    expect(all.events.ScriptEvents.ScriptCreated.payload.script_id).toBe("uuid");
    expect(all.events.ScriptEvents.ScriptCreated.metadata).toEqual({
      source: "hypnoscript-api",
      message_id: "uuid",
      correlation_id: "uuid",
      causation_id: "uuid",
      timestamp: "timestamp",
    });
  });

  it("builds dead-letter handlers with an error_categories object and optional ui", () => {
    const handlers = all.dead_letter_queue.dlq_handlers;
    expect(handlers.error_analysis.error_categories.timeout_error).toEqual({ action: "retry_with_backoff", max_retries: 2 });
    expect(handlers.error_analysis.ui).toBeUndefined();
    expect(handlers.manual_processing.error_categories).toEqual({});
    expect(handlers.manual_processing.ui.authorization).toBe("admin_only");
  });

  it("keeps pub/sub defaults", () => {
    expect(all.pub_sub.system_events.publisher).toEqual({
      name: "SystemEventPublisher",
      partition_strategy: "round_robin",
      message_format: { type: "json", compression: "none", schema_version: "1.0" },
    });
  });
});

describe("materialize defaults", () => {
  it("gives complete policy blocks when they are absent", () => {
    const all = materializeProgram(programOf("").program) as Record<string, any>;
    expect(all.message_guarantees.exactly_once.idempotence).toEqual({
      enabled: false,
      key_strategy: "message_id",
      storage: "memory",
      ttl: 86400,
    });
    expect(all.message_monitoring.tracing.trace_propagation.headers).toEqual(["x-trace-id", "x-span-id", "x-correlation-id"]);
    expect(all.messaging).toEqual({});
    expect(all.events).toEqual({});
    expect(all.dead_letter_queue).toBeUndefined();
  });

  it("takes the first of duplicate keys and skips values of the wrong type", () => {
    const { program } = programOf('messaging { rabbitmq: { port: 1, port: 2, host: 3 } }');
    const body = mergeBlocks(program).get("messaging")!.body;
    const messaging = materialize(body, rootSpec.fields.messaging!) as Record<string, any>;
    expect(messaging.rabbitmq.port).toBe(1);
    expect(messaging.rabbitmq.host).toBe("127.0.0.1");
  });

  it("materializes one sub-tree by its spec node", () => {
    const { program } = programOf('message_guarantees { at_least_once: { producer: { acks: "1" } } }');
    const guarantees = mergeBlocks(program).get("message_guarantees")!.body;
    const atLeastOnce = guarantees.members[0]!.value;
    expect(materialize(atLeastOnce, lookupSpec("message_guarantees.at_least_once")!)).toMatchObject({
      enabled: true,
      producer: { acks: "1", retries: 3, idempotence: true, transactional: false },
    });
  });
});
