// Retry with backoff: a retriable failure with retries left is nacked with the backoff delay (the broker
// redelivers later; other keys keep flowing). Out of retries, or not retriable: the error goes on outward
// (to the dead-letter middleware). Timeouts use the timeout_error category's max_retries when it says
// retry_with_backoff.
import type { RetryPolicy } from "../topology.js";
import { TimeoutError } from "../errors.js";
import { backoffDelay } from "../core/backoff.js";
import { Headers } from "../core/headers.js";
import { doneAfter, errorText, run, settleNack, type Middleware, type PipelineServices } from "../core/pipeline.js";
import { isRetriable } from "./categorize.js";

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** max_retries for TimeoutErrors (dead_letter_queue error_categories.timeout_error with retry_with_backoff). */
  readonly timeoutMaxRetries?: number;
  readonly services: PipelineServices;
  readonly random?: () => number;
}

export function retry(options: RetryOptions): Middleware {
  const { policy, services } = options;
  return (next) => (attempt, done) =>
    run(next, attempt, (error) => {
      if (error === undefined || attempt.settled || !isRetriable(error)) return done(error);
      const maxRetries = error instanceof TimeoutError && options.timeoutMaxRetries !== undefined ? options.timeoutMaxRetries : policy.max_retries;
      if (attempt.attempt > maxRetries) return done(error);
      const delayMs = backoffDelay(policy, attempt.attempt, options.random);
      services.instrumentation.onEvent({
        kind: "retried",
        topic: attempt.message.topic,
        eventType: attempt.envelope.event_type,
        messageId: attempt.envelope.metadata.message_id,
        handler: attempt.handler,
        attempt: attempt.attempt,
        delayMs,
        error: errorText(error),
      });
      services.logger.debug("handler failed, retrying", { handler: attempt.handler, attempt: attempt.attempt, delayMs, error: errorText(error) });
      doneAfter(attempt, settleNack(attempt, delayMs, { [Headers.attempt]: String(attempt.attempt + 1) }), done);
    });
}
