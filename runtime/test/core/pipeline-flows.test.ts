// Consume-path flows through the whole runtime on the embedded broker: retry with backoff then DLQ (system
// error), timeout retried per the category then DLQ, per-key order kept across retries, batches, DLQ handlers.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { DeadLetter, Envelope, HandlerContext, HandlerRegistry, InstrumentationEvent } from "../../src/api.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import type { RetryPolicy, Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, sleep, until } from "../helpers.js";

const fast: RetryPolicy = { max_retries: 2, backoff_strategy: "exponential", initial_delay: 40, max_delay: 1000, multiplier: 2, jitter: 0 };

/** The seed with fast retries, short timeouts and short batches, so flows finish in milliseconds. */
function fastSeed(overrides: { timeout?: number; batchTimeout?: number } = {}): Topology {
  const t = seedTopology;
  return {
    ...t,
    consumers: t.consumers.map((c) => ({
      ...c,
      handlers: c.handlers.map((h) => ({
        ...h,
        retry: fast,
        timeout: overrides.timeout ?? h.timeout,
        ...(h.batch === undefined ? {} : { batch: { size: 5, timeout: overrides.batchTimeout ?? 50 } }),
      })),
    })),
  };
}

const now = () => new Date().toISOString();
/** A started consumer needs every slot filled: the tests' unused slots get no-op handlers. */
const noop = async () => undefined;
const scriptSlots = { ScriptCreatedHandler: noop, ScriptUpdatedHandler: noop, ScriptExecutedHandler: noop };
const created = (scriptId = randomUUID(), name = "n") => ({ script_id: scriptId, name, created_by: randomUUID(), created_at: now(), metadata: {} });

describe("runtime consume flows (embedded)", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (topology: Topology, handlers: HandlerRegistry, events: InstrumentationEvent[] = []) => {
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: new EmbeddedTransport(),
      handlers,
      logger: recordingLogger(),
      idempotencyStore: new MemoryIdempotencyStore(),
      instrumentation: [{ onEvent: (e) => events.push(e) }],
    });
    await runtime.start();
    return runtime;
  };

  it("retries a failing handler with backoff, then dead-letters it as system_error with its attempts", async () => {
    const attempts: { at: number; attempt: number }[] = [];
    const letters: DeadLetter[] = [];
    const events: InstrumentationEvent[] = [];
    const rt = await start(
      fastSeed(),
      {
        events: {
          ...scriptSlots,
          ScriptCreatedHandler: async (_e: Envelope, ctx: HandlerContext) => {
            attempts.push({ at: performance.now(), attempt: ctx.attempt });
            throw new Error("database unavailable");
          },
        },
        deadLetters: { DLQErrorAnalysisHandler: async (l) => void letters.push(l) },
      },
      events,
    );
    const scriptId = randomUUID();
    const { messageId } = await rt.publish("ScriptEventProducer", "script.created", created(scriptId));
    await until("the dead letter", () => letters.length >= 1);
    expect(letters[0]!.key).toBe(scriptId); // the original partition key, so a replay is keyed again
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(38);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(78);
    const letter = letters[0]!;
    expect(letter.envelope?.metadata.message_id).toBe(messageId);
    expect(letter.reason).toMatchObject({ category: "system_error", attempts: 3, handler: "ScriptCreatedHandler", error: "database unavailable", originalTopic: "hypnoscript.events.script-events" });
    expect(events.filter((e) => e.kind === "retried")).toHaveLength(2);
    // No attempt succeeded: a retried or dead-lettered attempt is not a consumed message (metrics, error rate).
    expect(events.filter((e) => e.kind === "consumed")).toEqual([]);
    expect(events.some((e) => e.kind === "escalated")).toBe(true);
    await sleep(100);
    expect(attempts).toHaveLength(3); // acked after dead-lettering: never again
  });

  it("times out a slow handler, retries it per the timeout_error category (max 2), then dead-letters it", async () => {
    const letters: DeadLetter[] = [];
    let calls = 0;
    const rt = await start(fastSeed({ timeout: 60 }), {
      events: {
        ...scriptSlots,
        ScriptCreatedHandler: async (_e: Envelope, ctx: HandlerContext) => {
          calls++;
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
        },
      },
      deadLetters: { DLQErrorAnalysisHandler: async (l) => void letters.push(l) },
    });
    await rt.publish("ScriptEventProducer", "script.created", created());
    await until("the timeout dead letter", () => letters.length >= 1);
    expect(letters[0]!.reason.category).toBe("timeout_error");
    expect(calls).toBe(3); // first attempt + 2 retries (category max_retries 2)
  });

  it("keeps per-key order across a retry while other keys go on (consumer_groups off: per-key ordering only)", async () => {
    const seen: string[] = [];
    let failedOnce = false;
    const base = fastSeed();
    const ordering = base.guarantees.message_ordering;
    const perKey: Topology = { ...base, guarantees: { ...base.guarantees, message_ordering: { ...ordering, consumer_groups: { single_partition_consumers: false, max_concurrent_partitions: 0 } } } };
    const rt = await start(perKey, {
      events: {
        ...scriptSlots,
        ScriptCreatedHandler: async (e: Envelope) => {
          const p = e.payload as { script_id: string; name: string };
          if (p.name === "a0" && !failedOnce) {
            failedOnce = true;
            throw new Error("transient");
          }
          seen.push(p.name);
        },
      },
    });
    const a = randomUUID();
    const b = randomUUID();
    for (let i = 0; i < 3; i++) {
      await rt.publish("ScriptEventProducer", "script.created", created(a, `a${i}`));
      await rt.publish("ScriptEventProducer", "script.created", created(b, `b${i}`));
    }
    await until("all six", () => seen.length >= 6);
    expect(seen.filter((s) => s.startsWith("a"))).toEqual(["a0", "a1", "a2"]);
    expect(seen.filter((s) => s.startsWith("b"))).toEqual(["b0", "b1", "b2"]);
    expect(seen.indexOf("b2")).toBeLessThan(seen.indexOf("a0")); // b was not blocked by a's retry
  });

  it("reports one consumed event for a message that succeeded on its second attempt, none for its failed first", async () => {
    const events: InstrumentationEvent[] = [];
    let calls = 0;
    const rt = await start(
      fastSeed(),
      {
        events: {
          ...scriptSlots,
          ScriptCreatedHandler: async () => {
            if (++calls === 1) throw new Error("transient");
          },
        },
      },
      events,
    );
    const { messageId } = await rt.publish("ScriptEventProducer", "script.created", created());
    await until("the second attempt", () => events.some((e) => e.kind === "consumed"));
    await sleep(50);
    expect(events.filter((e) => e.kind === "retried").map((e) => (e as { attempt: number }).attempt)).toEqual([1]);
    expect(events.filter((e) => e.kind === "consumed")).toEqual([expect.objectContaining({ messageId, handler: "ScriptCreatedHandler", attempt: 2 })]);
    expect(rt.metrics.value("hypc_messages_consumed_total", { topic: "hypnoscript.events.script-events", event_type: "script.created", handler: "ScriptCreatedHandler" })).toBe(1);
  });

  it("hands batch handlers arrays of at most batch.size, flushed after batch.timeout", async () => {
    const batches: Envelope[][] = [];
    const rt = await start(fastSeed({ batchTimeout: 80 }), { events: { AnalyticsEventHandler: async (batch: readonly Envelope[]) => void batches.push([...batch]) } });
    const t0 = performance.now();
    for (let i = 0; i < 12; i++) await rt.publish("UserEventProducer", "user.logged_in", { user_id: randomUUID(), login_at: now(), ip_address: "127.0.0.1", user_agent: "t" });
    await until("12 events in batches", () => batches.flat().length >= 12);
    expect(batches.every((b) => b.length <= 5)).toBe(true);
    expect(batches.filter((b) => b.length === 5).length).toBeGreaterThanOrEqual(2);
    // the remainder (2) only came with the timeout
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    expect(new Set(batches.flat().map((e) => e.metadata.message_id)).size).toBe(12);
  });

  it("dead-letters a message that is not an envelope at all, and the consumer keeps going", async () => {
    const letters: DeadLetter[] = [];
    const handled: string[] = [];
    const transport = new EmbeddedTransport();
    runtime = createRuntime({
      topology: fastSeed(),
      validators: compileValidators(seedTopology),
      transport,
      logger: recordingLogger(),
      idempotencyStore: new MemoryIdempotencyStore(),
      handlers: { events: { ...scriptSlots, ScriptCreatedHandler: async (e: Envelope) => void handled.push(e.metadata.message_id) }, deadLetters: { DLQManualProcessingHandler: async (l) => void letters.push(l) } },
    });
    await runtime.start();
    await transport.publish([{ topic: "hypnoscript.events.script-events", body: Buffer.from("{not json"), headers: {}, id: "garbage-1" }]);
    const { messageId } = await runtime.publish("ScriptEventProducer", "script.created", created());
    await until("garbage in the DLQ and the next message handled", () => letters.length >= 1 && handled.includes(messageId));
    expect(letters[0]!.envelope).toBeUndefined();
    expect(letters[0]!.body).toBe("{not json");
    expect(letters[0]!.reason.category).toBe("validation_error");
  });

  it("parks a dead letter whose DLQ handler keeps failing (never dropped)", async () => {
    let calls = 0;
    const transport = new EmbeddedTransport();
    runtime = createRuntime({
      topology: fastSeed(),
      validators: compileValidators(seedTopology),
      transport,
      logger: recordingLogger(),
      idempotencyStore: new MemoryIdempotencyStore(),
      handlers: {
        events: { ...scriptSlots, ScriptCreatedHandler: async () => Promise.reject(Object.assign(new Error("permanent"), { retriable: false })) },
        deadLetters: { DLQErrorAnalysisHandler: async () => {
            calls++;
            throw new Error("analysis broken");
          },
        },
      },
    });
    await runtime.start();
    const parked: string[] = [];
    await transport.subscribe({ group: "inspect", topics: ["script-execution-dlq.parked"], concurrency: 1 }, async (m) => {
      parked.push(m.headers["x-hypc-error"] ?? "");
      await m.ack();
    });
    await runtime.publish("ScriptEventProducer", "script.created", created());
    await until("the parked letter", () => parked.length >= 1, 8000);
    expect(parked[0]).toBe("analysis broken");
    expect(calls).toBe(2); // first delivery + max_redelivery (1)
  });
});
