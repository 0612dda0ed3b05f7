// The transport interface every broker adapter implements (embedded, Kafka, RabbitMQ, SQS/SNS, ActiveMQ).
// Kept tiny on purpose, like Watermill's Publisher/Subscriber: retries, validation, dead-lettering,
// idempotency, metrics and tracing are middlewares in the core, never in an adapter.
// One conformance suite (runtime/test/conformance/) is run against every implementation.

/** A message on its way to the broker. The body is the JSON envelope, already serialized. */
export interface OutgoingMessage {
  /** Physical topic name (Kafka topic, RabbitMQ exchange, SNS topic / SQS queue, ActiveMQ address). */
  readonly topic: string;
  /** Partition / ordering key. Messages with the same key keep their order. */
  readonly key?: string;
  readonly body: Buffer;
  /** Broker headers: tracing, correlation, reply-to, reason headers. Values are strings. */
  readonly headers: Readonly<Record<string, string>>;
  /** Unique message id (also used for broker-side deduplication where the broker has it). */
  readonly id: string;
  /**
   * Compression the configuration asks for this message's producer / channel (serialization.compression,
   * message_format.compression). Adapters with batch compression (Kafka) apply it; others may ignore it.
   * Absent = the adapter's own default.
   */
  readonly compression?: "none" | "gzip" | "snappy" | "lz4" | "zstd";
}

/** A message handed to a subscriber. Exactly one of ack() or nack() must be called. */
export interface ReceivedMessage {
  readonly topic: string;
  /** Partition (Kafka, embedded); 0 where the broker has no partitions. */
  readonly partition: number;
  /** Broker position as a string (Kafka offset, embedded offset, RabbitMQ delivery tag, SQS receipt). */
  readonly offset: string;
  readonly key?: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly id: string;
  /** 1 on first delivery; grows with every redelivery of the same message by the broker. */
  readonly deliveryCount: number;
  /** The handler succeeded: commit / acknowledge. */
  ack(): Promise<void>;
  /**
   * The handler failed. The broker redelivers the message, after `delayMs` if given (delayed retry
   * without blocking other messages where the broker allows it). `headers` replace/extend the headers of
   * the redelivered copy where the broker supports it (attempt counters: RabbitMQ 4 ignores client x-*).
   */
  nack(options?: NackOptions): Promise<void>;
}

/**
 * What ack()/nack() return when settling needs no waiting (it happened synchronously, or is carried out in the
 * background): one shared, already resolved promise. The core recognises it by identity and does not wait on
 * it (waiting on a returned promise costs the consume path two more promise jobs per message). Returning any
 * other promise is always correct.
 */
export const SETTLED: Promise<void> = Promise.resolve();

export interface NackOptions {
  readonly delayMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Seconds; undefined = broker default. */
  readonly retentionSeconds?: number;
}

export interface SubscribeOptions {
  /**
   * Consumer group: every group receives every message of its topics (fan-out); within a group each
   * message goes to one member (competing consumers).
   */
  readonly group: string;
  readonly topics: readonly string[];
  /** Max messages in flight for this subscription (prefetch / fetch size). */
  readonly concurrency: number;
  /** Where a new group starts. Default "earliest". */
  readonly startFrom?: "earliest" | "latest";
  /**
   * Deliver messages of the same key (same partition) one at a time, in order. Messages of other keys
   * still run concurrently up to `concurrency`.
   */
  readonly orderedByKey?: boolean;
  /**
   * Per-instance subscription: the group exists only for this subscriber, is not shared with other
   * processes and is deleted on close (reply listeners, ephemeral fan-out).
   */
  readonly exclusive?: boolean;
}

/**
 * Called once per delivery. A handler that resolves (or rejects) without calling ack()/nack() leaves the message
 * unacknowledged: it is redelivered (deliveryCount + 1) once its subscription or transport closes ("crash").
 */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface Subscription {
  /** Stop fetching, wait for in-flight handlers to finish (ack/nack), commit, release. */
  close(): Promise<void>;
}

export interface Transport {
  /** Short name used in logs and errors: "embedded", "kafka", "rabbitmq", "sqs", "activemq". */
  readonly name: string;
  connect(): Promise<void>;
  /** Create (or check) topics/queues/exchanges. Idempotent. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /**
   * Publish and resolve once the broker has accepted every message durably (acks / confirms).
   * Rejects with a TransportError naming the topic; messages of one call may be sent as one batch.
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Resolves once the subscription is active: messages published afterwards reach it. */
  subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription>;
  /** Graceful: closes subscriptions (draining in-flight handlers), flushes publishes, disconnects. */
  close(): Promise<void>;
}
