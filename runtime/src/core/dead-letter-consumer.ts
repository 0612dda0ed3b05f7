// DLQ handler groups (dead_letter_queue.dlq_handlers): each group gets every dead-lettered message as a
// DeadLetter (envelope if parseable, raw body, reasons from the x-hypc-* headers). A DLQ handler that keeps
// failing is redelivered up to dlq_queue.max_redelivery times, then the letter is parked on `<dlq>.parked`
// (never dropped) and an escalation is raised.
import type { DeadLetter, DeadLetterHandler, Logger } from "../api.js";
import type { ErrorCategory } from "../topology.js";
import type { ReceivedMessage, Subscription, Transport } from "../transport.js";
import type { PublishFrom } from "./attempt.js";
import { parseEnvelope } from "./envelope.js";
import { Headers } from "./headers.js";
import type { InstrumentationHub } from "./instrumentation.js";
import { errorText } from "./pipeline.js";
import { incomingTraceId, newSpanId, newTraceId } from "./tracing.js";
import { TimeoutError } from "../errors.js";

export function toDeadLetter(message: ReceivedMessage): DeadLetter {
  const h = message.headers;
  const parsed = parseEnvelope(message.body);
  const category = h[Headers.category];
  const key = message.key ?? h[Headers.originalKey];
  return {
    ...(key === undefined ? {} : { key }),
    envelope: parsed.ok ? parsed.envelope : undefined,
    body: message.body.toString("utf8"),
    reason: {
      originalTopic: h[Headers.originalTopic] ?? "",
      error: h[Headers.error] ?? "",
      category: category === "validation_error" || category === "timeout_error" ? category : ("system_error" satisfies ErrorCategory),
      attempts: Number(h[Headers.attempts] ?? "0"),
      handler: h[Headers.handler] ?? "",
      failedAt: h[Headers.failedAt] ?? "",
    },
    headers: h,
  };
}

export interface DeadLetterConsumerOptions {
  readonly group: string;
  readonly handlerName: string;
  readonly handler: DeadLetterHandler;
  readonly topics: readonly string[];
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maxRedelivery: number;
  readonly transport: Transport;
  readonly logger: Logger;
  readonly instrumentation: InstrumentationHub;
  readonly publishFrom: PublishFrom;
  readonly stopping: AbortSignal;
}

export function subscribeDeadLetters(o: DeadLetterConsumerOptions): Promise<Subscription> {
  return o.transport.subscribe({ group: `dlq-${o.group}`, topics: o.topics, concurrency: o.concurrency }, async (message) => {
    const letter = toDeadLetter(message);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const parent = {
      envelope: letter.envelope?.metadata ?? { message_id: message.id, correlation_id: message.headers[Headers.correlationId] ?? message.id },
      trace: { traceId: incomingTraceId(message.headers) ?? newTraceId(), spanId: newSpanId() },
    };
    try {
      await Promise.race([
        o.handler(letter, {
          topic: message.topic,
          partition: message.partition,
          headers: message.headers,
          attempt: message.deliveryCount,
          signal: AbortSignal.any([controller.signal, o.stopping]),
          publish: (producer, eventType, payload, options) => o.publishFrom(parent, producer, eventType, payload, options),
        }),
        new Promise<never>((_, reject) => {
          if (o.timeoutMs > 0) {
            timer = setTimeout(() => {
              const error = new TimeoutError(`${o.handlerName} timed out after ${o.timeoutMs} ms on dead letter ${message.id}`, { topic: message.topic, messageId: message.id });
              controller.abort(error);
              reject(error);
            }, o.timeoutMs);
          }
        }),
      ]);
      await message.ack();
    } catch (error) {
      if (message.deliveryCount <= o.maxRedelivery) {
        o.logger.warn(`${o.handlerName} failed on dead letter ${message.id}; redelivering`, { error: errorText(error), deliveryCount: message.deliveryCount });
        await message.nack({ delayMs: 1000 });
        return;
      }
      const parked = `${message.topic}.parked`;
      const text = `${o.handlerName} failed ${message.deliveryCount} time(s) on dead letter ${message.id}; parked on ${parked}: ${errorText(error)}`;
      try {
        await o.transport.publish([{ topic: parked, ...(message.key === undefined ? {} : { key: message.key }), body: message.body, headers: { ...message.headers, [Headers.error]: errorText(error).slice(0, 1000) }, id: message.id }]);
      } catch (publishError) {
        o.logger.error(`cannot park dead letter ${message.id}; redelivering`, { error: errorText(publishError) });
        await message.nack({ delayMs: 5000 });
        return;
      }
      o.logger.error(text, { messageId: message.id });
      o.instrumentation.onEvent({ kind: "escalated", category: letter.reason.category, message: text, messageId: message.id });
      await message.ack();
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  });
}
