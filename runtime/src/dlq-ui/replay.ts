// Replay of a dead letter: the same envelope goes back to the topic it failed on, without the reason headers of
// its failure (a fresh attempt counter) and marked as replayed. The envelope keeps its message_id, so the
// correlation chain and idempotency keys stay those of the original message; the transport id is new, so a
// broker's own de-duplication (SQS FIFO) does not swallow the replay.
import { randomUUID } from "node:crypto";
import type { DeadLetter } from "../api.js";
import { Headers } from "../core/headers.js";
import type { BrokerKind, Topology } from "../topology.js";
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
    // The original partition key travels with the dead letter: the replay lands where the original did.
    await transport.publish([{ topic, ...(letter.key === undefined ? {} : { key: letter.key }), body: Buffer.from(letter.body, "utf8"), headers, id: randomUUID() }]);
    return { topic };
  };
}

/** The broker a physical topic/queue of the configuration lives on. */
export function brokerOfTopic(topology: Topology, topic: string): BrokerKind | undefined {
  const dl = topology.deadLetter;
  return (
    topology.topics.find((t) => t.name === topic)?.broker ??
    topology.pubSub.find((c) => c.topic === topic)?.broker ??
    topology.requestReply.find((r) => r.requestTopic === topic || r.replyTopic === topic)?.broker ??
    (dl !== undefined && (dl.mainQueue.name === topic || dl.mainQueue.dlq_name === topic || dl.dlqQueue.name === topic) ? dl.broker : undefined)
  );
}

/**
 * Replays through the transport of the broker the original topic lives on (`runtime.transportFor`); a topic the
 * configuration does not know goes through the dead_letter_queue's broker (where the letter came from).
 */
export function replayThroughRuntime(topology: Topology, transportFor: (kind: BrokerKind) => Transport | undefined, now?: () => Date): ReplayFn {
  return (letter) => {
    const kind = brokerOfTopic(topology, letter.reason.originalTopic) ?? topology.deadLetter?.broker ?? topology.defaultBroker;
    const transport = transportFor(kind);
    if (transport === undefined) return Promise.reject(new ReplayError(`no transport for broker ${kind} (is the runtime started?)`, true));
    return replayToOriginalTopic(transport, now)(letter);
  };
}
