// Exactly-once processing on at-least-once delivery: each handler processes a key (per key_strategy) once
// within the TTL. A duplicate is acked without calling the handler; a key being processed elsewhere right now is
// redelivered later; a failed attempt gives its claim back so the retry can run.
import { createHash } from "node:crypto";
import type { IdempotencyStore } from "../api.js";
import type { GuaranteesConfig } from "../topology.js";
import { settleAck, settleNack, type Attempt, type Middleware, type PipelineServices } from "../core/pipeline.js";

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
  return (next) => async (attempt) => {
    // Scoped by handler: every fan-out group processes the message once, not once in total.
    const key = `${attempt.handler}:${idempotencyKey(attempt, options.keyStrategy)}`;
    const state = await options.store.claim(key, options.claimTtlSeconds);
    if (state === "done") {
      options.services.instrumentation.onEvent({
        kind: "duplicate",
        topic: attempt.message.topic,
        eventType: attempt.envelope.event_type,
        messageId: attempt.envelope.metadata.message_id,
        handler: attempt.handler,
        key,
      });
      options.services.logger.debug("duplicate suppressed", { handler: attempt.handler, key });
      await settleAck(attempt);
      return;
    }
    if (state === "in_progress") {
      await settleNack(attempt, options.busyDelayMs ?? 1000);
      return;
    }
    try {
      await next(attempt);
    } catch (error) {
      await options.store.release(key).catch(() => undefined);
      throw error;
    }
    await options.store.complete(key, options.ttlSeconds);
  };
}
