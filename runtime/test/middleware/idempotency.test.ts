import { describe, expect, it } from "vitest";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import { idempotency, idempotencyKey } from "../../src/middleware/idempotency.js";
import { attemptOf, envelope, received, services, through } from "./harness.js";

describe("idempotency middleware", () => {
  it("handles a message once per handler; the duplicate is acked without calling the handler", async () => {
    const s = services();
    const store = new MemoryIdempotencyStore();
    let calls = 0;
    const step = through(idempotency({ store, keyStrategy: "message_id", ttlSeconds: 60, claimTtlSeconds: 60, services: s }), async () => void calls++);
    const env = envelope();
    const first = received(env);
    await step(attemptOf(first));
    const dup = received(env);
    const dupAttempt = attemptOf(dup);
    await step(dupAttempt);
    expect(calls).toBe(1);
    expect(dup.acks).toBe(1);
    expect(dupAttempt.settled).toBe(true);
    expect(s.events).toMatchObject([{ kind: "duplicate", handler: "H", messageId: env.metadata.message_id }]);
    // Another handler (fan-out group) still processes it.
    await step(attemptOf(received(env), "OtherHandler"));
    expect(calls).toBe(2);
  });

  it("gives the claim back when the handler fails, so the retry runs", async () => {
    const store = new MemoryIdempotencyStore();
    let calls = 0;
    const step = through(idempotency({ store, keyStrategy: "message_id", ttlSeconds: 60, claimTtlSeconds: 60, services: services() }), async () => {
      if (++calls === 1) throw new Error("first fails");
    });
    const env = envelope();
    await expect(step(attemptOf(received(env)))).rejects.toThrow("first fails");
    await step(attemptOf(received(env)));
    expect(calls).toBe(2);
  });

  it("redelivers later a message whose key is being processed right now", async () => {
    const store = new MemoryIdempotencyStore();
    const env = envelope();
    let release: () => void = () => undefined;
    const step = through(idempotency({ store, keyStrategy: "message_id", ttlSeconds: 60, claimTtlSeconds: 60, services: services(), busyDelayMs: 250 }), 
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const running = step(attemptOf(received(env)));
    await new Promise((r) => setTimeout(r, 5));
    const concurrent = received(env);
    await step(attemptOf(concurrent));
    expect(concurrent.nacks).toEqual([{ delayMs: 250 }]);
    release();
    await running;
  });

  it("derives keys by strategy", () => {
    const a = envelope("script.created", { x: 1 });
    const b = { ...envelope("script.created", { x: 1 }), metadata: { ...a.metadata, message_id: "other" } };
    const ka = attemptOf(received(a));
    const kb = attemptOf(received(b));
    expect(idempotencyKey(ka, "message_id")).toBe(a.metadata.message_id);
    expect(idempotencyKey(ka, "correlation_id")).toBe(a.metadata.correlation_id);
    expect(idempotencyKey(ka, "payload_hash")).toBe(idempotencyKey(kb, "payload_hash"));
    expect(idempotencyKey(attemptOf(received(envelope("script.created", { x: 2 }))), "payload_hash")).not.toBe(idempotencyKey(ka, "payload_hash"));
  });

  it("memory store forgets keys after their TTL", async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore(() => now);
    expect(await store.claim("k", 10)).toBe("claimed");
    await store.complete("k", 10);
    expect(await store.claim("k", 10)).toBe("done");
    now += 11_000;
    expect(await store.claim("k", 10)).toBe("claimed");
  });
});
