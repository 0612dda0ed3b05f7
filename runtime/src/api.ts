// The surface generated code (and apps) use. Generated modules are typed façades over these generic
// calls: the runtime is the one place where behaviour lives, the generated code only adds types and data.
import type { Topology } from "./topology.js";
import type { Transport } from "./transport.js";

/** The message body on the wire (design note 1): the envelope itself, as JSON. */
export interface Envelope<TType extends string = string, TPayload = unknown> {
  readonly event_type: TType;
  readonly version: string;
  readonly payload: TPayload;
  readonly metadata: EnvelopeMetadata;
}

export interface EnvelopeMetadata {
  /** Unique id of this message (uuid); idempotency key for key_strategy "message_id". */
  readonly message_id: string;
  readonly source: string;
  /** Shared by every message of one business flow; propagated from the message being handled. */
  readonly correlation_id: string;
  /** message_id of the message whose handling produced this one (its own id for a root message). */
  readonly causation_id: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
}

/** An ajv standalone validator (generated ahead of time: no schema compilation at run time). */
export interface Validator {
  (data: unknown): boolean;
  errors?: readonly { readonly instancePath: string; readonly message?: string; readonly keyword: string; readonly params: object }[] | null;
}

/**
 * Validators by schema id:
 *  - `event:<event_type>` for an event envelope,
 *  - `request:<exchange>` / `reply:<exchange>` for request-reply bodies.
 */
export type ValidatorMap = Readonly<Record<string, Validator>>;

/** What a handler receives besides the message. */
export interface HandlerContext {
  readonly topic: string;
  readonly partition: number;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on the first attempt. */
  readonly attempt: number;
  /** Aborted when the handler's timeout elapses or the runtime is stopping. */
  readonly signal: AbortSignal;
  /**
   * Publish an event as a consequence of this message: correlation_id is propagated and causation_id
   * points at the message being handled.
   */
  publish(producer: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult>;
}

export type EventHandler = (envelope: Envelope, context: HandlerContext) => Promise<void>;
export type BatchHandler = (envelopes: readonly Envelope[], context: HandlerContext) => Promise<void>;
export type RequestHandler = (request: unknown, context: HandlerContext) => Promise<unknown>;

/** Dead-lettered message as DLQ handlers see it. */
export interface DeadLetter {
  readonly envelope: Envelope | undefined;
  /** Raw body, for messages that were not valid JSON or not a valid envelope. */
  readonly body: string;
  readonly reason: {
    readonly originalTopic: string;
    readonly error: string;
    readonly category: "validation_error" | "timeout_error" | "system_error";
    readonly attempts: number;
    readonly handler: string;
    readonly failedAt: string;
  };
  readonly headers: Readonly<Record<string, string>>;
  /** Partition key of the original message (absent if it had none): a replay sends it keyed again. */
  readonly key?: string;
}
export type DeadLetterHandler = (letter: DeadLetter, context: HandlerContext) => Promise<void>;

export interface PublishOptions {
  /** Override the correlation id (default: propagated, or a new one). */
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PublishResult {
  readonly messageId: string;
  readonly topic: string;
  readonly key?: string;
}

export interface RequestOptions {
  /** ms; default from the exchange's `timeout`. */
  readonly timeout?: number;
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

/** Every handler slot an app fills, by handler name from the configuration. */
export interface HandlerRegistry {
  /** Consumer handler slots and pub/sub subscriber handlers. */
  readonly events?: Readonly<Record<string, EventHandler | BatchHandler>>;
  /** Request-reply servers, by exchange name. */
  readonly requests?: Readonly<Record<string, RequestHandler>>;
  /** DLQ handler groups, by handler name (`DLQErrorAnalysisHandler`). */
  readonly deadLetters?: Readonly<Record<string, DeadLetterHandler>>;
  /** The dead_letter_queue main queue worker. */
  readonly workQueue?: EventHandler;
}

/** `embedded` (the default): everything in-process. `configured`: the brokers the configuration names. */
export type TransportMode = "embedded" | "configured";

export interface RuntimeOptions {
  readonly topology: Topology;
  readonly validators: ValidatorMap;
  readonly handlers: HandlerRegistry;
  /** Default: process.env.HYPC_TRANSPORT, else "embedded". A Transport instance overrides everything. */
  readonly transport?: TransportMode | Transport;
  /** Where env.NAME references are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Which parts to run; default all that have handlers. */
  readonly start?: { readonly consumers?: readonly string[] };
  readonly logger?: Logger;
  /** Observers of what the runtime does (metrics, tracing exporters). The runtime's own metrics registry always listens. */
  readonly instrumentation?: readonly Instrumentation[];
  /** Overrides the store chosen by message_guarantees.exactly_once.idempotence.storage. */
  readonly idempotencyStore?: IdempotencyStore;
}

/** What happened to a message; delivered synchronously to every Instrumentation observer (keep them cheap). */
export type InstrumentationEvent =
  | { readonly kind: "published"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly bytes: number; readonly latencyMs: number; readonly traceId: string; readonly spanId: string }
  | { readonly kind: "publish_retried"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly kind: "publish_failed"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly error: string; readonly attempts: number }
  | { readonly kind: "consumed"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly handler: string; readonly latencyMs: number; readonly attempt: number; readonly traceId: string; readonly spanId: string }
  | { readonly kind: "retried"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly handler: string; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly kind: "dead_lettered"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly handler: string; readonly category: "validation_error" | "timeout_error" | "system_error"; readonly attempts: number; readonly error: string; readonly dlqTopic: string }
  | { readonly kind: "duplicate"; readonly topic: string; readonly eventType: string; readonly messageId: string; readonly handler: string; readonly key: string }
  | { readonly kind: "alert"; readonly severity: "info" | "warning" | "critical"; readonly category: string; readonly message: string; readonly messageId?: string }
  | { readonly kind: "escalated"; readonly category: string; readonly message: string; readonly messageId?: string }
  | { readonly kind: "request"; readonly exchange: string; readonly latencyMs: number; readonly outcome: "ok" | "timeout" | "error"; readonly attempts: number };

export interface Instrumentation {
  onEvent(event: InstrumentationEvent): void;
}

/** Remembers processed messages for exactly-once processing (key per key_strategy, TTL from the configuration). */
export interface IdempotencyStore {
  /**
   * Claims `key` for processing: "claimed" (first time: go ahead), "done" (processed before: a duplicate) or
   * "in_progress" (someone else is processing it right now: try again later).
   */
  claim(key: string, ttlSeconds: number): Promise<"claimed" | "done" | "in_progress">;
  /** Marks a claimed key as processed for `ttlSeconds`. */
  complete(key: string, ttlSeconds: number): Promise<void>;
  /** Gives a claim back after a failure, so a redelivery can process the message. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
}

export interface MessagingRuntime {
  start(): Promise<void>;
  /** Graceful: stop fetching, drain in-flight handlers, commit, close. */
  stop(): Promise<void>;
  publish(producer: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult>;
  publishToChannel(channel: string, eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult>;
  request(exchange: string, request: unknown, options?: RequestOptions): Promise<unknown>;
  enqueueWork(eventType: string, payload: unknown, options?: PublishOptions): Promise<PublishResult>;
  /** Prometheus text exposition of the runtime's metrics registry. */
  metricsText(): string;
}
