// The producer's retry policy on retriable transport errors, and the work queue's max_retries/retry_delay → dlq_name.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { DeadLetter, InstrumentationEvent } from "../../src/api.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { TransportError } from "../../src/errors.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import type { OutgoingMessage } from "../../src/transport.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, until } from "../helpers.js";

/** The embedded transport, failing the next `failures` publishes with the given error (fault injection). */
class FlakyTransport extends EmbeddedTransport {
  failures = 0;
  error: Error = new TransportError("broker not available", { retriable: true });
  attempts = 0;
  override async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw this.error;
    }
    return super.publish(messages);
  }
}

const fastRoutes: Topology = {
  ...seedTopology,
  producers: seedTopology.producers.map((p) => ({ ...p, routes: p.routes.map((r) => ({ ...r, retry: { ...r.retry, max_retries: 2, initial_delay: 20 } })) })),
  deadLetter: { ...seedTopology.deadLetter!, mainQueue: { ...seedTopology.deadLetter!.mainQueue, max_retries: 2, retry_delay: 30 } },
};
const registered = () => ({ user_id: randomUUID(), email: "a@b.c", username: "a", registered_at: new Date().toISOString() });

describe("producer retry and work queue (embedded)", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (transport: EmbeddedTransport, handlers = {}, events: InstrumentationEvent[] = []) => {
    runtime = createRuntime({ topology: fastRoutes, validators: compileValidators(fastRoutes), transport, handlers, logger: recordingLogger(), idempotencyStore: new MemoryIdempotencyStore(), instrumentation: [{ onEvent: (e) => events.push(e) }] });
    await runtime.start();
    return runtime;
  };

  it("retries a publish on retriable transport errors per the route's retry policy", async () => {
    const t = new FlakyTransport();
    const rt = await start(t);
    t.failures = 2;
    t.attempts = 0;
    const t0 = performance.now();
    await rt.publish("UserEventProducer", "user.registered", registered());
    expect(t.attempts).toBe(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55); // 20 + 40 ms backoff
  });

  it("reports each publish retry (publish_retried) and counts it under metrics.producer.retry_count", async () => {
    const events: InstrumentationEvent[] = [];
    const t = new FlakyTransport();
    const rt = await start(t, {}, events);
    t.failures = 2;
    await rt.publish("UserEventProducer", "user.registered", registered());
    expect(events.filter((e) => e.kind === "publish_retried")).toMatchObject([
      { topic: "hypnoscript.user.user-events", eventType: "user.registered", attempt: 1, delayMs: 20, error: "broker not available" },
      { attempt: 2, delayMs: 40 },
    ]);
    expect(rt.metricsText()).toMatch(/hypc_publish_retries_total\{topic="hypnoscript\.user\.user-events",event_type="user\.registered"\} 2/);
  });

  it("gives up after max_retries with the transport's error, and reports publish_failed", async () => {
    const events: InstrumentationEvent[] = [];
    const t = new FlakyTransport();
    const rt = await start(t, {}, events);
    t.failures = 10;
    t.attempts = 0;
    await expect(rt.publish("UserEventProducer", "user.registered", registered())).rejects.toThrow("broker not available");
    expect(t.attempts).toBe(3);
    expect(events.filter((e) => e.kind === "publish_failed")).toMatchObject([{ attempts: 3, topic: "hypnoscript.user.user-events" }]);
  });

  it("does not retry a non-retriable transport error", async () => {
    const t = new FlakyTransport();
    const rt = await start(t);
    t.failures = 1;
    t.error = new TransportError("message too large for the broker", { retriable: false });
    t.attempts = 0;
    await expect(rt.publish("UserEventProducer", "user.registered", registered())).rejects.toThrow("message too large");
    expect(t.attempts).toBe(1);
  });

  it("work queue: the worker retries max_retries times with retry_delay, then the message goes to dlq_name", async () => {
    const attempts: number[] = [];
    const letters: DeadLetter[] = [];
    const t = new EmbeddedTransport();
    const rt = await start(t, {
      workQueue: async (_e: unknown, ctx: { attempt: number }) => {
        attempts.push(ctx.attempt);
        throw new Error("executor offline");
      },
      deadLetters: { DLQErrorAnalysisHandler: async (l: DeadLetter) => void letters.push(l) },
    });
    const { messageId, topic } = await rt.enqueueWork("script.executed", {
      execution_id: randomUUID(), script_id: randomUUID(), user_id: randomUUID(), started_at: new Date().toISOString(), completed_at: new Date().toISOString(), duration_ms: 1, status: "queued", result: {}, error_message: "", environment: "t",
    });
    expect(topic).toBe("script-execution-queue");
    await until("the work item in script-execution-dlq", () => letters.length >= 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(letters[0]!.envelope?.metadata.message_id).toBe(messageId);
    expect(letters[0]!.reason).toMatchObject({ originalTopic: "script-execution-queue", attempts: 3, category: "system_error", error: "executor offline" });
  });
});
