// Start-up: transport selection, env.NAME resolution (ConfigError naming variable and key, secrets never
// logged), the lazy adapter factory, missing handler slots, graceful stop.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Envelope } from "../../src/api.js";
import { createConfiguredTransport } from "../../src/adapters/index.js";
import { createAdapterContext, resolveValue } from "../../src/core/env.js";
import { createRuntime } from "../../src/core/runtime.js";
import { selectMode } from "../../src/core/transports.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedBroker, EmbeddedTransport } from "../../src/embedded/index.js";
import { ConfigError } from "../../src/errors.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import type { KafkaConfig, Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, sleep, until } from "../helpers.js";

const kafkaWithSecret: KafkaConfig = {
  bootstrap_servers: ["kafka.example.com:9092"],
  client_id: "hypnoscript",
  producer: { acks: "all", retries: 3, batch_size: 16384, linger_ms: 5, buffer_memory: 33554432, compression_type: "snappy", security: { ssl_enabled: true, sasl_mechanism: "PLAIN", sasl_username: "svc", sasl_password: { env: "KAFKA_TEST_PASSWORD" } } },
  consumer: { group_id: "g", auto_offset_reset: "earliest", enable_auto_commit: false, auto_commit_interval_ms: 5000, session_timeout_ms: 30000, heartbeat_interval_ms: 3000, max_poll_records: 100, max_poll_interval_ms: 300000 },
};

describe("runtime start-up", () => {
  it("selects the transport: option, else HYPC_TRANSPORT, else embedded", () => {
    expect(selectMode(undefined, {})).toBe("embedded");
    expect(selectMode(undefined, { HYPC_TRANSPORT: "configured" })).toBe("configured");
    expect(selectMode("embedded", { HYPC_TRANSPORT: "configured" })).toBe("embedded");
    expect(() => selectMode(undefined, { HYPC_TRANSPORT: "kafka" })).toThrow(/HYPC_TRANSPORT must be "embedded" or "configured", not "kafka"/);
  });

  it("stops start-up with a ConfigError naming the missing variable and the key that needs it, without logging secrets", async () => {
    const logger = recordingLogger();
    const topology: Topology = { ...seedTopology, messaging: { kafka: kafkaWithSecret } };
    const rt = createRuntime({ topology, validators: {}, handlers: {}, transport: "configured", env: {}, logger });
    const error = (await rt.start().catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/KAFKA_TEST_PASSWORD \(needed by messaging\.kafka\.producer\.security\.sasl_password\)/);
    expect(error.retriable).toBe(false);
    // a set secret is resolved, and never appears in logs
    const ctx = createAdapterContext(topology, { KAFKA_TEST_PASSWORD: "s3cr3t-value" }, logger);
    expect(ctx.resolve({ env: "KAFKA_TEST_PASSWORD" }, "messaging.kafka.producer.security.sasl_password")).toBe("s3cr3t-value");
    expect(JSON.stringify(logger.entries)).not.toContain("s3cr3t-value");
    expect(() => resolveValue({ env: "NOPE" }, "a.b", {})).toThrow("environment variable NOPE is not set (needed by a.b)");
  });

  it("the adapter factory names a broker that is used but not configured", async () => {
    const ctx = createAdapterContext({ ...seedTopology, messaging: {} }, {}, recordingLogger());
    await expect(createConfiguredTransport("rabbitmq", ctx)).rejects.toThrow(/broker "rabbitmq" is used but messaging\.rabbitmq is not configured/);
  });

  it("refuses to start a consumer whose handler slots are not all registered", async () => {
    const rt = createRuntime({ topology: seedTopology, validators: {}, transport: new EmbeddedTransport(), handlers: { events: { ScriptCreatedHandler: async () => undefined } }, logger: recordingLogger(), idempotencyStore: new MemoryIdempotencyStore() });
    await expect(rt.start()).rejects.toThrow(/consumer ScriptEventConsumer: no handler registered for ScriptUpdatedHandler \(event types script\.updated\)/);
  });

  it("stops gracefully: the in-flight handler finishes and is acked before stop() resolves; nothing is redelivered", async () => {
    const broker = new EmbeddedBroker();
    const finished: string[] = [];
    const started: string[] = [];
    const slow = async (e: Envelope) => {
      started.push(e.metadata.message_id);
      await sleep(150);
      finished.push(e.metadata.message_id);
    };
    const make = () =>
      createRuntime({
        topology: seedTopology,
        validators: compileValidators(seedTopology),
        transport: new EmbeddedTransport({ broker }),
        handlers: { events: { ScriptCreatedHandler: slow, ScriptUpdatedHandler: slow, ScriptExecutedHandler: slow } },
        logger: recordingLogger(),
        idempotencyStore: new MemoryIdempotencyStore(),
        start: { consumers: ["ScriptEventConsumer"] },
      });
    const first = make();
    await first.start();
    const { messageId } = await first.publish("ScriptEventProducer", "script.created", { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: new Date().toISOString(), metadata: {} });
    await until("the handler to start", () => started.length === 1);
    await first.stop();
    expect(finished).toEqual([messageId]);
    expect(broker.lag("script-event-processor", "hypnoscript.events.script-events")).toBe(0);
    const second = make();
    await second.start();
    await sleep(100);
    await second.stop();
    expect(started).toEqual([messageId]);
  });

  it("exposes metrics in Prometheus text format", async () => {
    const rt = createRuntime({ topology: seedTopology, validators: compileValidators(seedTopology), transport: new EmbeddedTransport(), handlers: {}, logger: recordingLogger(), idempotencyStore: new MemoryIdempotencyStore() });
    await rt.start();
    await rt.publish("UserEventProducer", "user.registered", { user_id: randomUUID(), email: "a@b.c", username: "a", registered_at: new Date().toISOString() });
    const text = rt.metricsText();
    await rt.stop();
    expect(text).toContain("# TYPE hypc_messages_published_total counter");
    expect(text).toContain('hypc_messages_published_total{topic="hypnoscript.user.user-events",event_type="user.registered"} 1');
    expect(text).toContain("# TYPE hypc_publish_latency_seconds histogram");
    expect(text).toMatch(/hypc_publish_latency_seconds_bucket\{topic="hypnoscript\.user\.user-events",le="\+Inf"\} 1/);
    expect(text).toMatch(/hypc_message_size_bytes_sum\{topic="hypnoscript\.user\.user-events"\} \d+/);
  });
});
