// message_guarantees and message_monitoring: policies over every producer and consumer, read by the runtime
// as written (GuaranteesConfig / MonitoringConfig in runtime/src/topology.ts). Every key has a default.
import { alertLevels, bool, dec, envOrStr, int, list, obj, oneOf, str } from "../define.js";

export const messageGuaranteesBlock = obj("Delivery guarantees applied to every producer and consumer", {
  at_least_once: obj("At-least-once delivery", {
    enabled: bool("Enforce at-least-once delivery", { default: true }),
    producer: obj("Producer side", {
      acks: oneOf("Acknowledgements every send waits for", ["all", "1", "0"], { default: "all" }),
      retries: int("Resends of a failed send", { default: 3, min: 0 }),
      idempotence: bool("Idempotent producer (no duplicates from resends)", { default: true }),
      transactional: bool("Send in transactions", { default: false }),
    }),
    consumer: obj("Consumer side", {
      manual_commit: bool("Commit only after the handler succeeded", { default: true }),
      commit_sync: bool("Wait for the commit to complete", { default: false }),
      offset_commit_interval: int("Interval of batched commits", { default: 1000, min: 1, unit: "ms" }),
    }),
  }),
  exactly_once: obj("Exactly-once processing (idempotent handlers)", {
    enabled: bool("Enforce exactly-once processing", { default: false }),
    idempotence: obj("Duplicate detection before a handler runs", {
      enabled: bool("Skip messages already processed", { default: false }),
      key_strategy: oneOf("What identifies a duplicate", ["message_id", "correlation_id", "payload_hash"], { default: "message_id" }),
      storage: oneOf("Where processed keys are remembered", ["memory", "redis"], { default: "memory" }),
      ttl: int("Time a processed key is remembered", { default: 86400, min: 1, unit: "s" }),
      redis_url: envOrStr("Redis for `storage: \"redis\"`", {
        inherits: "env HYPC_REDIS_URL, else redis://127.0.0.1:6379",
        extension: true,
      }),
    }),
    transactional: obj("Transactional processing", {
      enabled: bool("Process in transactions", { default: false }),
      isolation_level: oneOf("Which records consumers see", ["read_committed", "read_uncommitted"], { default: "read_committed" }),
      timeout: int("Longest transaction", { default: 30000, min: 1, unit: "ms" }),
    }),
  }),
  message_ordering: obj("Per-key ordering", {
    enabled: bool("Keep messages with the same key in order", { default: false }),
    partition_key: obj("What the ordering key is", {
      strategy: oneOf("How keys map to partitions", ["hash", "round_robin"], { default: "hash" }),
      fields: list("Payload fields that form the key (the first one present wins)", str("A payload field"), { default: [], uniqueItems: true }),
    }),
    consumer_groups: obj("Consumer side of ordering", {
      single_partition_consumers: bool("One consumer per partition", { default: false }),
      max_concurrent_partitions: int("Partitions processed in parallel per consumer", { default: 1, min: 1 }),
    }),
  }),
});

const metric = (description: string) => bool(description, { default: true });
const alert = (description: string, threshold: ReturnType<typeof int>, level: (typeof alertLevels)[number], extra: Record<string, ReturnType<typeof int>>) =>
  obj(description, {
    threshold,
    alert_level: oneOf("Alert level raised", alertLevels, { default: level }),
    ...extra,
  });

export const messageMonitoringBlock = obj("Metrics, alerts and tracing", {
  metrics: obj("Which metrics are recorded", {
    producer: obj("Producer metrics", {
      message_count: metric("Messages sent"),
      message_size: metric("Encoded body sizes"),
      send_latency: metric("Time to acknowledgement"),
      error_rate: metric("Failed sends"),
      retry_count: metric("Retries"),
    }),
    consumer: obj("Consumer metrics", {
      message_count: metric("Messages handled"),
      processing_latency: metric("Handler durations"),
      error_rate: metric("Failed handler calls"),
      lag: metric("Messages not yet consumed"),
      commit_latency: metric("Time to commit offsets"),
    }),
    queue: obj("Queue metrics", {
      queue_size: metric("Messages in the queue"),
      queue_depth: metric("Messages waiting for a consumer"),
      message_age: metric("Age of the oldest message"),
      consumer_count: metric("Consumers attached"),
    }),
  }),
  alerting: obj("When alerts are raised", {
    consumer_lag: alert("Alert on consumer lag", int("Lag in messages that raises the alert", { default: 1000, min: 0 }), "warning", {
      escalation_time: int("Time the alert may stand before it escalates", { default: 300, min: 0, unit: "s" }),
    }),
    error_rate: alert("Alert on the error rate", dec("Fraction of failed messages that raises the alert", { default: 0.05, min: 0, max: 1, unit: "ratio" }), "critical", {
      window_size: int("Window the rate is measured over", { default: 300, min: 1, unit: "s" }),
    }),
    processing_latency: alert("Alert on processing latency", int("Latency that raises the alert", { default: 30000, min: 0, unit: "ms" }), "warning", {
      percentile: dec("Percentile compared with the threshold", { default: 95, min: 1, max: 100 }),
    }),
  }),
  tracing: obj("Distributed tracing", {
    enabled: bool("Propagate trace context and create spans", { default: true }),
    trace_propagation: obj("Trace context on messages", {
      headers: list(
        "Headers written on every message: `x-trace-id`, `x-span-id` (+ `x-parent-span-id`), `x-correlation-id`, and/or the W3C `traceparent` that OpenTelemetry instrumentations read; a received message's trace is read from either",
        oneOf("A trace header the runtime writes", ["x-trace-id", "x-span-id", "x-correlation-id", "traceparent"]),
        { default: ["x-trace-id", "x-span-id", "x-correlation-id"], uniqueItems: true },
      ),
      baggage: bool("Propagate baggage items", { default: false }),
    }),
    span_creation: obj("Which spans are created", {
      producer_send: bool("A span per send", { default: true }),
      consumer_receive: bool("A span per receive", { default: true }),
      message_processing: bool("A span per handler call", { default: true }),
    }),
  }),
});
