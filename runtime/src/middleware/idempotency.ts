// Exactly-once processing on at-least-once delivery: each handler processes a key (per key_strategy) once
// within the TTL. A duplicate is acked without calling the handler; a key being processed elsewhere right now is
// redelivered later; a failed attempt gives its claim back so the retry can run.
import { createHash } from "node:crypto";
import type { IdempotencyStore } from "../api.js";
import type { GuaranteesConfig } from "../topology.js";
import { doneAfter, failure, finish, run, settleAck, settleNack, type Attempt, type Done, type Middleware, type PipelineServices } from "../core/pipeline.js";

type ClaimState = Awaited<ReturnType<IdempotencyStore["claim"]>>;

export type KeyStrategy = GuaranteesConfig["exactly_once"]["idempotence"]["key_strategy"];

export interface IdempotencyOptions {
  readonly store: IdempotencyStore;
  readonly keyStrategy: KeyStrategy;
  /** How long a processed key is remembered, seconds. */
  readonly ttlSeconds: number;
  /** How long a claim of a running handler lives if its process dies, seconds. */
  readonly claimTtlSeconds: number;
  readonly services: PipelineServices;
  /** Delay before a message whose key is being processed elsewhere is looked at again. */
  readonly busyDelayMs?: number;
}

export function idempotencyKey(attempt: Attempt, strategy: KeyStrategy): string {
  const envelope = attempt.envelope;
  switch (strategy) {
    case "message_id":
      return envelope.metadata.message_id;
    case "correlation_id":
      return envelope.metadata.correlation_id;
    case "payload_hash":
      return createHash("sha256").update(envelope.event_type).update("\0").update(JSON.stringify(envelope.payload)).digest("hex");
  }
}

export function idempotency(options: IdempotencyOptions): Middleware {
  return (next) => (attempt, done) => {
    // Scoped by handler: every fan-out group processes the message once, not once in total.
    const key = `${attempt.handler}:${idempotencyKey(attempt, options.keyStrategy)}`;
    const claimed = (state: ClaimState): void => {
      if (state === "done") return duplicate(options, attempt, key, done);
      if (state === "in_progress") return doneAfter(attempt, settleNack(attempt, options.busyDelayMs ?? 1000), done);
      run(next, attempt, (error) => {
        // A failed attempt gives its claim back (the retry must be able to run); a handled one completes it.
        if (error !== undefined) void options.store.release(key).catch(() => undefined).then(() => finish(attempt, done, error));
        else doneAfter(attempt, options.store.complete(key, options.ttlSeconds), done);
      });
    };
    options.store.claim(key, options.claimTtlSeconds).then(
      (state) => {
        try {
          claimed(state);
        } catch (bug) {
          attempt.crashed(bug);
        }
      },
      (error: unknown) => finish(attempt, done, failure(error)),
    );
  };
}

/** Already processed within the TTL: acked without calling the handler. */
function duplicate(options: IdempotencyOptions, attempt: Attempt, key: string, done: Done): void {
  options.services.instrumentation.onEvent({
    kind: "duplicate",
    topic: attempt.message.topic,
    eventType: attempt.envelope.event_type,
    messageId: attempt.envelope.metadata.message_id,
    handler: attempt.handler,
    key,
  });
  options.services.logger.debug("duplicate suppressed", { handler: attempt.handler, key });
  doneAfter(attempt, settleAck(attempt), done);
}
