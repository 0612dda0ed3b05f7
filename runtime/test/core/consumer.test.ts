// createSubscriptionHandler: the message handler a transport calls. Its promise settles once the message is
// settled: an ack that completes later (SQS deletes in batches) is waited for; the shared SETTLED promise of an
// ack that completed at once is not (it would only cost promise jobs).
import { describe, expect, it } from "vitest";
import { createSubscriptionHandler } from "../../src/core/consumer.js";
import { SETTLED, type ReceivedMessage } from "../../src/transport.js";
import { envelope, received, services } from "../middleware/harness.js";

const retry = { max_retries: 0, backoff_strategy: "fixed", initial_delay: 10, max_delay: 10, multiplier: 1, jitter: 0 } as const;

function handlerFor(invoke: () => Promise<void>, s = services()) {
  return createSubscriptionHandler(
    {
      slots: [{ handler: "H", eventTypes: "*", concurrency: 4, timeout: 1000, retry, invoke }],
      services: s,
      validators: {},
      deadLetter: { dlqTopic: () => "dlq", publish: async () => undefined, categories: {} },
      publishFrom: () => Promise.reject(new Error("not wired")),
      stopping: new AbortController().signal,
    },
    "C",
  );
}

describe("subscription handler", () => {
  it("waits for an ack that completes later, and passes its failure on", async () => {
    let finishAck!: () => void;
    const message: ReceivedMessage = { ...received(envelope()), ack: () => new Promise<void>((resolve) => (finishAck = resolve)) };
    let done = false;
    const handled = handlerFor(async () => undefined)(message).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    finishAck();
    await handled;
    expect(done).toBe(true);

    const failing: ReceivedMessage = { ...received(envelope()), ack: () => Promise.reject(new Error("delete failed")) };
    await expect(handlerFor(async () => undefined)(failing)).rejects.toThrow("delete failed");
  });

  it("acks once and resolves when the ack returns SETTLED", async () => {
    let acks = 0;
    const message: ReceivedMessage = { ...received(envelope()), ack: () => (acks++, SETTLED) };
    await handlerFor(async () => undefined)(message);
    expect(acks).toBe(1);
  });

  it("takes a handler that returns no promise (plain JavaScript) as done when it returns", async () => {
    const message = received(envelope());
    await handlerFor((() => undefined) as unknown as () => Promise<void>)(message);
    expect(message.acks).toBe(1);
  });

  it("ends the delivery when a pipeline callback throws (a bug): logged, nacked for redelivery, nothing hangs", async () => {
    // An error whose `retriable` getter throws: the retry middleware's callback throws while reading it.
    const treacherous = Object.defineProperty({}, "retriable", {
      get() {
        throw new Error("getter exploded");
      },
    });
    const s = services();
    const message = received(envelope());
    await handlerFor(() => Promise.reject(treacherous), s)(message);
    expect(message.acks).toBe(0);
    expect(message.nacks).toEqual([{ delayMs: 1000 }]);
    expect(s.logger.entries.some((e) => e.level === "error" && e.message.includes("pipeline failed unexpectedly") && JSON.stringify(e.fields).includes("getter exploded"))).toBe(true);
  });
});
