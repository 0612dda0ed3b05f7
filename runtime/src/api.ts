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
}
