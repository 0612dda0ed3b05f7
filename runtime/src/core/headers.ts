// Broker header names the runtime writes and reads (design note 1: tracing, correlation and reasons travel
// as headers; the body is the envelope).
export const Headers = {
  traceId: "x-trace-id",
  spanId: "x-span-id",
  parentSpanId: "x-parent-span-id",
  /** W3C Trace Context (`00-<trace id>-<span id>-01`), when trace_propagation.headers lists it. */
  traceparent: "traceparent",
  correlationId: "x-correlation-id",
  baggage: "baggage",
  eventType: "x-hypc-event-type",
  replyTo: "x-reply-to",
  /** Set on error replies of request-reply. */
  replyError: "x-hypc-reply-error",
  attempt: "x-hypc-attempt",
  originalTopic: "x-hypc-original-topic",
  error: "x-hypc-error",
  attempts: "x-hypc-attempts",
  category: "x-hypc-category",
  handler: "x-hypc-handler",
  failedAt: "x-hypc-failed-at",
  /** Partition key of a dead-lettered message, for brokers that do not keep keys (DeadLetter.key reads it back). */
  originalKey: "x-hypc-original-key",
  /** message_format.schema_version of a pub/sub channel, checked by its subscribers (major version). */
  schemaVersion: "x-hypc-schema-version",
  /** Schema registry id of the topic's schema (producers with serialization.schema_registry). */
  schemaId: "x-hypc-schema-id",
} as const;
