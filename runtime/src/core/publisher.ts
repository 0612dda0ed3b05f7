// The publish path: envelope → schema validation → required_fields → size limit → key from the route's partition
// key → trace/correlation headers → transport publish with the route's retry policy on retriable errors.
import type { Envelope, PublishOptions, PublishResult, ValidatorMap } from "../api.js";
import { ValidationError } from "../errors.js";
import type { ResolvedEvent, RetryPolicy } from "../topology.js";
import type { OutgoingMessage, Transport } from "../transport.js";
import { backoffDelay } from "./backoff.js";
import { buildEnvelope, fieldValue, utf8Body, type EnvelopeParent } from "./envelope.js";
import { Headers } from "./headers.js";
import type { InstrumentationHub } from "./instrumentation.js";
import { errorText } from "./pipeline.js";
import { incomingSpanId, incomingTraceId, outgoingTraceHeaders, type TraceContext, type TracePropagation } from "./tracing.js";
import { checkRequiredFields, missingFields, validateOrThrow } from "./validate.js";

/** Where and how one event type is sent (a producer route, a pub/sub channel, the work queue). */
export interface PublishTarget {
  readonly transport: Transport;
  readonly topic: string;
  /** Payload field whose value is the message key. */
  readonly partitionKey?: string;
  /**
   * Without partitionKey: payload fields tried in order, the first present keys the message (a hash channel
   * without partition_key under message_ordering: its partition_key.fields).
   */
  readonly keyFields?: readonly string[];
  /** Passed to the transport on every message (producer serialization / channel message_format). */
  readonly compression?: OutgoingMessage["compression"];
  /** Headers stamped on every message of this target (x-hypc-schema-version of a channel). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly retry: RetryPolicy;
  readonly schemaValidation: boolean;
  readonly requiredFields: readonly string[];
  /** Bytes of the serialized envelope; 0 = no limit. */
  readonly payloadSizeLimit: number;
  /** Who is sending, for error messages ("producer script_events_producer"). */
  readonly sender: string;
}

/** The message being handled when a handler publishes: correlation, causation and trace continue from it. */
export interface PublishParent {
  readonly envelope: EnvelopeParent;
  readonly trace: TraceContext;
}

export class Publisher {
  private readonly events: ReadonlyMap<string, ResolvedEvent>;

  constructor(
    events: readonly ResolvedEvent[],
    private readonly validators: ValidatorMap,
    /** Which trace headers go out (the runtime's, from message_monitoring.tracing). */
    private readonly propagation: TracePropagation,
    private readonly instrumentation: InstrumentationHub,
  ) {
    this.events = new Map(events.map((e) => [e.eventType, e]));
  }

  send(target: PublishTarget, eventType: string, payload: unknown, options: PublishOptions | undefined, parent: PublishParent | undefined): Promise<PublishResult> {
    const event = this.events.get(eventType);
    const envelope = buildEnvelope(eventType, event?.version ?? "1.0", event?.source ?? target.sender, payload, options, parent?.envelope);
    return this.sendEnvelope(target, envelope, options?.headers, parent?.trace);
  }

  sendEnvelope(target: PublishTarget, envelope: Envelope, extraHeaders: Readonly<Record<string, string>> | undefined, parentTrace: TraceContext | undefined): Promise<PublishResult> {
    const messageId = envelope.metadata.message_id;
    const eventType = envelope.event_type;
    let message: OutgoingMessage;
    try {
      // Error texts and details are built only when something is wrong (this runs for every message).
      if (target.schemaValidation) {
        const validator = this.validators[`event:${eventType}`];
        if (validator !== undefined && !validator(envelope)) validateOrThrow(this.validators, `event:${eventType}`, envelope, describe(target, eventType), { topic: target.topic, messageId });
      }
      if (target.requiredFields.length > 0 && missingFields(envelope, target.requiredFields) !== undefined) {
        checkRequiredFields(envelope, target.requiredFields, describe(target, eventType), { topic: target.topic, messageId });
      }
      const body = utf8Body(JSON.stringify(envelope));
      if (target.payloadSizeLimit > 0 && body.length > target.payloadSizeLimit) {
        throw new ValidationError(`${describe(target, eventType)} is ${body.length} bytes, over the payload_size_limit of ${target.payloadSizeLimit}`, [`(root): ${body.length} bytes > ${target.payloadSizeLimit}`], {
          topic: target.topic,
          messageId,
        });
      }
      const key = messageKey(target, envelope.payload);
      const headers = outgoingTraceHeaders(this.propagation, parentTrace, envelope.metadata.correlation_id, extraHeaders);
      headers[Headers.eventType] = eventType;
      if (target.headers !== undefined) Object.assign(headers, target.headers);
      // Object literals of two fixed shapes (hot path: no properties added afterwards).
      const compression = target.compression;
      message = key === undefined ? { topic: target.topic, body, headers, id: messageId, compression } : { topic: target.topic, key, body, headers, id: messageId, compression };
    } catch (error) {
      return Promise.reject(error);
    }
    const started = performance.now();
    const published = (): PublishResult => {
      this.instrumentation.onEvent({
        kind: "published",
        topic: target.topic,
        eventType,
        messageId,
        bytes: message.body.length,
        latencyMs: performance.now() - started,
        traceId: incomingTraceId(message.headers) ?? "",
        spanId: incomingSpanId(message.headers) ?? "",
      });
      return message.key === undefined ? { messageId, topic: target.topic } : { messageId, topic: target.topic, key: message.key };
    };
    // The first attempt is the hot path (no async frame); only a failure pays for the retry loop.
    return target.transport.publish([message]).then(published, (first: unknown) => this.retryPublish(target, message, eventType, first).then(published));
  }

  private async retryPublish(target: PublishTarget, message: OutgoingMessage, eventType: string, first: unknown): Promise<void> {
    let error = first;
    let attempts = 1;
    for (;;) {
      if (!isRetriableTransportError(error) || attempts > target.retry.max_retries) {
        this.instrumentation.onEvent({ kind: "publish_failed", topic: target.topic, eventType, messageId: message.id, error: errorText(error), attempts });
        throw error;
      }
      const delayMs = backoffDelay(target.retry, attempts);
      this.instrumentation.onEvent({ kind: "publish_retried", topic: target.topic, eventType, messageId: message.id, attempt: attempts, delayMs, error: errorText(error) });
      await sleep(delayMs);
      attempts++;
      try {
        await target.transport.publish([message]);
        return;
      } catch (again) {
        error = again;
      }
    }
  }
}

/** The message key: the partition key field's value (strings as is, other values as JSON), else the first key field present. */
function messageKey(target: PublishTarget, payload: unknown): string | undefined {
  // The partition key without wrapping it in an array (this runs for every message).
  if (target.partitionKey !== undefined) return keyText(fieldValue(payload, target.partitionKey));
  if (target.keyFields === undefined) return undefined;
  for (const field of target.keyFields) {
    const key = keyText(fieldValue(payload, field));
    if (key !== undefined) return key;
  }
  return undefined;
}

function keyText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function describe(target: PublishTarget, eventType: string): string {
  return `event ${eventType} from ${target.sender} to ${target.topic}`;
}

/** Transport errors say whether a retry can help; anything else (a bug, a closed transport) is not retried. */
function isRetriableTransportError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retriable?: unknown }).retriable === true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
