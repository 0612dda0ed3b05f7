// Turns handler slots into one transport MessageHandler: parse the envelope, pick the slot by event type, run
// the slot's middleware pipeline, ack when nobody settled the message. Nothing escapes: a broken body is
// dead-lettered, an unexpected failure is nacked for redelivery.
import type { Envelope, IdempotencyStore, ValidatorMap } from "../api.js";
import { ValidationError } from "../errors.js";
import { concurrency } from "../middleware/concurrency.js";
import { deadLetter, sendToDeadLetter, type DeadLetterOptions } from "../middleware/dead-letter.js";
import { idempotency, type KeyStrategy } from "../middleware/idempotency.js";
import { instrument } from "../middleware/instrument.js";
import { retry } from "../middleware/retry.js";
import { schemaVersion } from "../middleware/schema-version.js";
import { timeout } from "../middleware/timeout.js";
import { validation } from "../middleware/validation.js";
import type { RetryPolicy } from "../topology.js";
import { SETTLED, type MessageHandler, type ReceivedMessage } from "../transport.js";
import { MessageAttempt, type PublishFrom } from "./attempt.js";
import { parseEnvelope } from "./envelope.js";
import { compose, errorText, run, type Invoke, type Middleware, type PipelineServices, type Step } from "./pipeline.js";

export interface SlotSpec {
  readonly handler: string;
  /** Event types routed to this slot; "*" = every event type no other slot of the subscription takes. */
  readonly eventTypes: readonly string[] | "*";
  readonly concurrency: number;
  readonly timeout: number;
  readonly retry: RetryPolicy;
  /** The app's code: gets the attempt, returns when done. */
  readonly invoke: Invoke;
}

export interface SubscriptionPipelineOptions {
  /** The subscription's slots; its transport subscription's concurrency is the sum of theirs. */
  readonly slots: readonly SlotSpec[];
  readonly services: PipelineServices;
  readonly validators: ValidatorMap;
  readonly deadLetter: Omit<DeadLetterOptions, "services">;
  readonly timeoutMaxRetries?: number;
  readonly idempotency?: { readonly store: IdempotencyStore; readonly keyStrategy: KeyStrategy; readonly ttlSeconds: number };
  readonly publishFrom: PublishFrom;
  readonly stopping: AbortSignal;
  /** Pub/sub subscribers: the channel's message_format.schema_version, checked against x-hypc-schema-version. */
  readonly schemaVersion?: { readonly expected: string; readonly channel: string };
}

/**
 * The middlewares of one slot around its handler. `sharesSubscription`: other slots take messages of the same
 * subscription; the transport bounds the subscription to the sum of their limits, so each slot needs its own
 * concurrency middleware. A slot alone is bounded by the transport already (its limit is the subscription's),
 * and a second limit of the same size would only cost a promise per message.
 */
function slotPipeline(slot: SlotSpec, options: SubscriptionPipelineOptions, sharesSubscription: boolean): Step {
  const { services } = options;
  // instrument sits inside retry: an attempt that failed and was nacked for a retry is not a consumed message
  // (it is reported as "retried"); outside, its nack looked like success to instrument.
  const middlewares: Middleware[] = [
    deadLetter({ ...options.deadLetter, services }),
    retry({ policy: slot.retry, services, ...(options.timeoutMaxRetries === undefined ? {} : { timeoutMaxRetries: options.timeoutMaxRetries }) }),
    instrument(services),
  ];
  if (options.schemaVersion !== undefined) middlewares.push(schemaVersion(options.schemaVersion.expected, options.schemaVersion.channel));
  middlewares.push(validation(options.validators));
  if (options.idempotency !== undefined) {
    middlewares.push(idempotency({ ...options.idempotency, claimTtlSeconds: Math.max(60, Math.ceil((slot.timeout * 2) / 1000)), services }));
  }
  if (sharesSubscription) middlewares.push(concurrency({ limit: slot.concurrency }));
  middlewares.push(timeout(slot.timeout));
  return compose(middlewares, slot.invoke);
}

export function createSubscriptionHandler(options: SubscriptionPipelineOptions, name: string): MessageHandler {
  const byType = new Map<string, { handler: string; step: Step }>();
  let wildcard: { handler: string; step: Step } | undefined;
  for (const slot of options.slots) {
    const entry = { handler: slot.handler, step: slotPipeline(slot, options, options.slots.length > 1) };
    if (slot.eventTypes === "*") wildcard = entry;
    else for (const type of slot.eventTypes) byType.set(type, entry);
  }
  const { services } = options;
  const dlqOptions: DeadLetterOptions = { ...options.deadLetter, services };

  return (message: ReceivedMessage): Promise<void> => {
    const parsed = parseEnvelope(message.body);
    if (!parsed.ok) {
      const attempt = new MessageAttempt(message, placeholderEnvelope(message), name, options.publishFrom, options.stopping);
      return sendToDeadLetter(dlqOptions, attempt, new ValidationError(`message ${message.id} on ${message.topic} is not an envelope: ${parsed.reason}`, [parsed.reason], { topic: message.topic, messageId: message.id }));
    }
    const envelope = parsed.envelope;
    const slot = byType.get(envelope.event_type) ?? wildcard;
    if (slot === undefined) {
      // Another consumer's event type on a shared topic: not ours to handle.
      services.logger.debug("no handler slot for event type; acknowledged", { consumer: name, eventType: envelope.event_type, topic: message.topic });
      return message.ack();
    }
    const attempt = new MessageAttempt(message, envelope, slot.handler, options.publishFrom, options.stopping);
    return new Promise<void>((resolve) => {
      let over = false;
      // The pipeline's end: ack unless a middleware settled the message. An error here got past the dead-letter
      // middleware (its DLQ publish path failed unexpectedly) or is a crash: nack for a redelivery.
      const end = (error?: unknown): void => {
        if (error !== undefined) {
          services.logger.error("message pipeline failed unexpectedly; message will be redelivered", { consumer: name, messageId: envelope.metadata.message_id, topic: message.topic, error: errorText(error) });
        }
        if (over) return;
        over = true;
        if (attempt.settled) return resolve();
        attempt.settled = true;
        try {
          if (error === undefined) {
            const acked = message.ack();
            // Settled at once (the common case): resolving with the promise would only cost two promise jobs.
            resolve(acked === SETTLED ? undefined : acked);
          } else resolve(message.nack({ delayMs: 1000 }).catch(() => undefined));
        } catch (settleError) {
          resolve(Promise.reject(settleError instanceof Error ? settleError : new Error(String(settleError))));
        }
      };
      attempt.onCrash = end;
      run(slot.step, attempt, end);
    });
  };
}

/** Stands in for the envelope of a body that is not one, so it can still be dead-lettered with reasons. */
export function placeholderEnvelope(message: ReceivedMessage): Envelope {
  return {
    event_type: message.headers["x-hypc-event-type"] ?? "",
    version: "",
    payload: undefined,
    metadata: { message_id: message.id, source: "", correlation_id: message.headers["x-correlation-id"] ?? message.id, causation_id: message.id, timestamp: "" },
  };
}
