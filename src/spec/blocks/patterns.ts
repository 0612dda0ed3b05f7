// request_reply, pub_sub and dead_letter_queue: the messaging patterns. The seed names no broker for
// them; each accepts an optional `broker` (else messaging.default_broker, else the first broker).
import { alertLevels, bool, compressions, fieldType, int, list, map, obj, oneOf, optionalBroker, retryPolicy, str } from "../define.js";

const schemaFields = (what: string) =>
  map(`Fields of the ${what} and their types`, "<field>", fieldType("Type of the field, e.g. `uuid`, `string?`, `array<uuid>`"), {
    required: true,
  });

const exchange = obj("A request/reply exchange", {
  broker: optionalBroker,
  request_topic: str("Topic requests are sent to", { required: true }),
  reply_topic: str("Topic replies come back on", { required: true }),
  correlation_id_header: str("Header that pairs a reply with its request", { default: "correlation_id" }),
  request_schema: schemaFields("request"),
  reply_schema: schemaFields("reply"),
  timeout: int("Time to wait for the reply", { default: 30000, min: 1, unit: "ms" }),
  retry_policy: retryPolicy("a request without reply", { maxRetries: 3, initialDelay: 1000 }),
});

export const requestReplyBlock = map("Request/reply exchanges by name", "<Exchange>", exchange);

const subscriber = obj("A subscriber: its own group receives every message of the channel", {
  name: str("Subscriber name", { required: true }),
  group_id: str("Consumer group of this subscriber", { required: true }),
  handler: str("Name of the handler the app implements", { required: true }),
  concurrency: int("Messages handled in parallel", { default: 1, min: 1, max: 10000 }),
});

const channel = obj("A publish/subscribe channel", {
  broker: optionalBroker,
  topic: str("Topic of the channel", { required: true }),
  events: list("Event types or event groups this channel carries", str("An event type or group name"), {
    inherits: "events whose payload has the publisher's partition_key, else all events",
    extension: true,
    uniqueItems: true,
  }),
  publisher: obj("The publisher", {
    name: str("Publisher name", { required: true }),
    partition_strategy: oneOf("How messages are spread over partitions", ["hash", "round_robin"], { default: "hash" }),
    partition_key: str("Payload field hashed by the `hash` strategy"),
    message_format: obj("Encoding of published messages", {
      type: oneOf("Body format", ["json"], { default: "json" }),
      compression: oneOf("Body compression", compressions, { default: "none" }),
      schema_version: str("Schema version stamped on messages", { default: "1.0" }),
    }),
  }),
  subscribers: list("Subscribers of the channel", subscriber, { default: [] }),
});

export const pubSubBlock = map("Publish/subscribe channels by name", "<Channel>", channel);

const errorCategory = (what: string) =>
  obj(
    `Treatment of ${what}`,
    {
      action: oneOf("What to do with such a message", ["log_and_alert", "retry_with_backoff", "escalate", "discard_after_log"], {
        required: true,
      }),
      severity: oneOf("Alert level raised", alertLevels),
      max_retries: int("Retries for `retry_with_backoff`", { min: 0, max: 100 }),
    },
    { optional: true },
  );

const dlqHandler = obj("A handler for dead-lettered messages", {
  handler: str("Name of the handler the app implements", { required: true }),
  concurrency: int("Messages handled in parallel", { default: 1, min: 1, max: 10000 }),
  timeout: int("Longest time one handler call may take", { default: 30000, min: 1, unit: "ms" }),
  error_categories: obj("Treatment per error category", {
    validation_error: errorCategory("messages that failed validation"),
    timeout_error: errorCategory("messages whose handler timed out"),
    system_error: errorCategory("messages whose handler failed otherwise"),
  }),
  ui: obj(
    "HTTP endpoint for manual processing",
    {
      enabled: bool("Serve the endpoint", { default: true }),
      endpoint: str("Path of the endpoint", {
        required: true,
        pattern: { regex: /^\/\S*$/, description: "a path starting with `/`", example: "/api/dlq/manual-processing" },
      }),
      authentication: oneOf("Whether callers must authenticate", ["required", "none"], { default: "required" }),
      authorization: oneOf("Who may use it", ["admin_only", "authenticated"], { default: "admin_only" }),
    },
    { optional: true },
  ),
});

export const deadLetterQueueBlock = obj("A work queue with retries and its dead-letter queue", {
  broker: optionalBroker,
  dlq_config: obj(
    "The work queue and its dead-letter queue",
    {
      main_queue: obj(
        "The work queue",
        {
          name: str("Queue name", { required: true }),
          max_retries: int("Deliveries retried before the message is dead-lettered", { default: 3, min: 0, max: 100 }),
          retry_delay: int("Delay before a retry", { default: 5000, min: 0, unit: "ms" }),
          dlq_name: str("Name of the dead-letter queue (must be dlq_queue.name)", { required: true }),
          events: list("Event types or groups the work queue carries", str("An event type or group name"), {
            inherits: "all events",
            extension: true,
            uniqueItems: true,
          }),
        },
        { required: true },
      ),
      dlq_queue: obj(
        "The dead-letter queue",
        {
          name: str("Queue name", { required: true }),
          message_retention: int("Time dead-lettered messages are kept", { default: 1209600, min: 60, unit: "s" }),
          max_redelivery: int("Times a message may be redelivered from the DLQ", { default: 1, min: 0, max: 100 }),
        },
        { required: true },
      ),
    },
    { required: true },
  ),
  dlq_handlers: map("Handlers of dead-lettered messages by name", "<HandlerGroup>", dlqHandler),
}, { optional: true });
