// Replay of a dead letter: the same envelope goes back to the topic it failed on, without the reason headers of
// its failure (a fresh attempt counter) and marked as replayed. The envelope keeps its message_id, so the
// correlation chain and idempotency keys stay those of the original message; the transport id is new, so a
// broker's own de-duplication (SQS FIFO) does not swallow the replay.
import { randomUUID } from "node:crypto";
import type { DeadLetter } from "../api.js";
import { Headers } from "../core/headers.js";
import type { Transport } from "../transport.js";

export type ReplayFn = (letter: DeadLetter) => Promise<{ readonly topic: string }>;

const failureHeaders: ReadonlySet<string> = new Set([Headers.originalTopic, Headers.error, Headers.attempts, Headers.category, Headers.handler, Headers.failedAt, Headers.attempt]);

export const replayedAtHeader = "x-hypc-replayed-at";

export class ReplayError extends Error {
  readonly retriable: boolean;
  constructor(message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReplayError";
    this.retriable = retriable;
  }
}

export function replayToOriginalTopic(transport: Transport, now: () => Date = () => new Date()): ReplayFn {
  return async (letter) => {
    const topic = letter.reason.originalTopic;
    if (topic === "") throw new ReplayError("the dead letter does not say which topic it failed on (no x-hypc-original-topic header)", false);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(letter.headers)) if (!failureHeaders.has(k)) headers[k] = v;
    headers[replayedAtHeader] = now().toISOString();
    // DeadLetter carries no partition key (api.ts): a replay is unkeyed, so it may land on another partition.
    await transport.publish([{ topic, body: Buffer.from(letter.body, "utf8"), headers, id: randomUUID() }]);
    return { topic };
  };
}
