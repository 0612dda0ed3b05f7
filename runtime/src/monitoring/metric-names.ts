// The runtime's metric family names (core/metrics.ts records the message ones; monitoring adds the gauges) and
// which message_monitoring.metrics switch governs each. Families not listed (dead letters, duplicates, alerts,
// escalations, requests) are always exposed: no switch in the seed covers them and hiding dead letters is unsafe.
import type { MonitoringConfig } from "../topology.js";

export const MetricNames = {
  published: "hypc_messages_published_total",
  messageSize: "hypc_message_size_bytes",
  publishLatency: "hypc_publish_latency_seconds",
  publishErrors: "hypc_publish_errors_total",
  retried: "hypc_messages_retried_total",
  publishRetries: "hypc_publish_retries_total",
  consumed: "hypc_messages_consumed_total",
  processingLatency: "hypc_processing_latency_seconds",
  handlerErrors: "hypc_handler_errors_total",
  consumerLag: "hypc_consumer_lag",
  commitLatency: "hypc_commit_latency_seconds",
  queueSize: "hypc_queue_size",
  queueDepth: "hypc_queue_depth",
  queueMessageAge: "hypc_queue_oldest_message_age_seconds",
  queueConsumers: "hypc_queue_consumer_count",
  alertActive: "hypc_alert_active",
} as const;

type Metrics = MonitoringConfig["metrics"];
type Switch = (m: Metrics) => boolean;

export const familySwitches: Readonly<Record<string, Switch>> = {
  [MetricNames.published]: (m) => m.producer.message_count,
  [MetricNames.messageSize]: (m) => m.producer.message_size,
  [MetricNames.publishLatency]: (m) => m.producer.send_latency,
  [MetricNames.publishErrors]: (m) => m.producer.error_rate,
  // core/metrics.ts counts consumer retries under producer.retry_count (the seed has no consumer retry switch).
  [MetricNames.retried]: (m) => m.producer.retry_count,
  [MetricNames.publishRetries]: (m) => m.producer.retry_count,
  [MetricNames.consumed]: (m) => m.consumer.message_count,
  [MetricNames.processingLatency]: (m) => m.consumer.processing_latency,
  [MetricNames.handlerErrors]: (m) => m.consumer.error_rate,
  [MetricNames.consumerLag]: (m) => m.consumer.lag,
  [MetricNames.commitLatency]: (m) => m.consumer.commit_latency,
  [MetricNames.queueSize]: (m) => m.queue.queue_size,
  [MetricNames.queueDepth]: (m) => m.queue.queue_depth,
  [MetricNames.queueMessageAge]: (m) => m.queue.message_age,
  [MetricNames.queueConsumers]: (m) => m.queue.consumer_count,
};

/** Is this family exposed under the configuration? (No configuration: everything is.) */
export function familyEnabled(family: string, metrics: Metrics | undefined): boolean {
  const enabled = familySwitches[family];
  return metrics === undefined || enabled === undefined || enabled(metrics);
}
