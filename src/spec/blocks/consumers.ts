// event_consumers { <Consumer>: { broker, group_id, topics: [...], handlers: { <event_type|*>: … }, settings } }
import { brokerKinds, bool, int, list, map, obj, oneOf, retryPolicy, str } from "../define.js";

const topicSubscription = obj("A topic this consumer reads", {
  name: str("Logical topic (resolved through the producers declaring it) or a physical name", { required: true }),
  partitions: list("Partitions to read (empty = all)", int("Partition index", { min: 0 }), { default: [], uniqueItems: true }),
  auto_offset_reset: oneOf("Where to start without committed offsets", ["earliest", "latest"], {
    inherits: "messaging.kafka.consumer.auto_offset_reset",
  }),
});

const handler = obj("The app's handler for an event type (or `*` for every event type on the topics)", {
  handler: str("Name of the handler the app implements (a TypeScript identifier)", { required: true }),
  concurrency: int("Messages handled in parallel", { default: 1, min: 1, max: 10000 }),
  timeout: int("Longest time one handler call may take", { default: 30000, min: 1, unit: "ms" }),
  retry_policy: retryPolicy("a failed handler call", { maxRetries: 3, initialDelay: 1000 }),
  batch_size: int("Deliver messages in batches of up to this many (batch handler)", { min: 1 }),
  batch_timeout: int("Longest wait to fill a batch", { min: 1, unit: "ms" }),
});

const inherited = (key: string) => `messaging.kafka.consumer.${key}`;

const consumer = obj("A consumer: the topics it reads and the handlers it calls", {
  broker: oneOf("Broker the consumer reads from", brokerKinds, { required: true }),
  group_id: str("Consumer group (competing consumers share one)", { required: true }),
  topics: list("Topics to subscribe to", topicSubscription, { required: true, minItems: 1 }),
  handlers: map("Handlers by event type; `*` receives every event type of the topics", "<event_type|*>", handler, {
    required: true,
    minEntries: 1,
  }),
  settings: obj("Polling and commit settings of this consumer", {
    max_poll_records: int("Records handed to the app per poll", { min: 1, inherits: inherited("max_poll_records") }),
    max_poll_interval_ms: int("Longest time between polls", { min: 1, unit: "ms", inherits: inherited("max_poll_interval_ms") }),
    session_timeout_ms: int("Time without heartbeats before removal", { min: 1, unit: "ms", inherits: inherited("session_timeout_ms") }),
    heartbeat_interval_ms: int("Heartbeat interval", { min: 1, unit: "ms", inherits: inherited("heartbeat_interval_ms") }),
    enable_auto_commit: bool("Commit offsets periodically", { inherits: inherited("enable_auto_commit") }),
    auto_commit_interval_ms: int("Interval of automatic commits", { min: 1, unit: "ms", inherits: inherited("auto_commit_interval_ms") }),
  }),
});

export const eventConsumersBlock = map("Consumers by name", "<Consumer>", consumer);
