// Outermost consume middleware: whatever failure reaches it is final. The message goes to the DLQ topic with
// reason headers and only THEN is the original acked (never dropped). If the DLQ publish itself fails, the
// original is nacked (redelivered later) instead. The error category's action is applied (log_and_alert,
// escalate, ...).
import { randomUUID } from "node:crypto";
import type { ErrorAction, ErrorCategory, AlertLevel } from "../topology.js";
import type { OutgoingMessage } from "../transport.js";
import { Headers } from "../core/headers.js";
import { doneAfter, errorText, run, settleAck, settleNack, type Attempt, type Middleware, type PipelineServices } from "../core/pipeline.js";
import { categorize } from "./categorize.js";

export type CategoryPolicies = Readonly<Partial<Record<ErrorCategory, { readonly action: ErrorAction; readonly severity?: AlertLevel; readonly max_retries?: number }>>>;

export interface DeadLetterOptions {
  /** Where this attempt's message is dead-lettered. */
  readonly dlqTopic: (attempt: Attempt) => string;
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<void>;
  readonly categories: CategoryPolicies;
  readonly services: PipelineServices;
  /** Delay before a message whose DLQ publish failed is redelivered. */
  readonly dlqFailureDelayMs?: number;
}

export function deadLetter(options: DeadLetterOptions): Middleware {
  const { services } = options;
  return (next) => (attempt, done) =>
    run(next, attempt, (error) => {
      if (error === undefined) return done();
      if (attempt.settled) {
        services.logger.error("handler failed after its message was settled", { handler: attempt.handler, messageId: attempt.envelope.metadata.message_id, error: errorText(error) });
        return done();
      }
      doneAfter(attempt, sendToDeadLetter(options, attempt, error), done);
    });
}

export async function sendToDeadLetter(options: DeadLetterOptions, attempt: Attempt, error: unknown): Promise<void> {
  const { services } = options;
  const category = categorize(error);
  const dlqTopic = options.dlqTopic(attempt);
  const message = attempt.message;
  const messageId = attempt.envelope.metadata.message_id ?? message.id;
  const reason = errorText(error);
  const headers: Record<string, string> = {
    ...message.headers,
    [Headers.originalTopic]: message.topic,
    [Headers.error]: reason.slice(0, 1000),
    [Headers.attempts]: String(attempt.attempt),
    [Headers.category]: category,
    [Headers.handler]: attempt.handler,
    [Headers.failedAt]: new Date().toISOString(),
  };
  delete headers[Headers.attempt];
  if (message.key !== undefined) headers[Headers.originalKey] = message.key;
  try {
    await options.publish([{ topic: dlqTopic, ...(message.key === undefined ? {} : { key: message.key }), body: message.body, headers, id: message.id || randomUUID() }]);
  } catch (publishError) {
    services.logger.error("dead-letter publish failed; message will be redelivered", { dlqTopic, messageId, topic: message.topic, error: errorText(publishError) });
    await settleNack(attempt, options.dlqFailureDelayMs ?? 5000);
    return;
  }
  // The letter is safely in the DLQ: report it (before the ack's round trip), then ack the original.
  services.instrumentation.onEvent({ kind: "dead_lettered", topic: message.topic, eventType: attempt.envelope.event_type ?? "", messageId, handler: attempt.handler, category, attempts: attempt.attempt, error: reason, dlqTopic });
  applyCategoryAction(options, category, `${attempt.handler} failed on ${message.topic} (message ${messageId}, ${attempt.attempt} attempt(s)): ${reason}`, messageId);
  await settleAck(attempt);
}

function applyCategoryAction(options: DeadLetterOptions, category: ErrorCategory, text: string, messageId: string): void {
  const { logger, instrumentation } = options.services;
  const policy = options.categories[category];
  const fields = { category, messageId };
  switch (policy?.action) {
    case "log_and_alert":
      logger.warn(`dead-lettered: ${text}`, fields);
      instrumentation.onEvent({ kind: "alert", severity: policy.severity ?? "warning", category, message: text, messageId });
      break;
    case "escalate":
      logger.error(`dead-lettered (escalated): ${text}`, fields);
      instrumentation.onEvent({ kind: "escalated", category, message: text, messageId });
      if (policy.severity !== undefined) instrumentation.onEvent({ kind: "alert", severity: policy.severity, category, message: text, messageId });
      break;
    case "discard_after_log":
      // Still kept in the DLQ (never drop); the action only means nobody is alerted.
      logger.info(`dead-lettered: ${text}`, fields);
      break;
    default:
      // retry_with_backoff already happened in the retry middleware; no policy: plain warning.
      logger.warn(`dead-lettered: ${text}`, fields);
  }
}
