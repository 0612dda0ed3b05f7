// instrument: one "consumed" event per attempt whose handler succeeded; nothing for a failure (retry and
// dead-letter report those) or for an attempt an inner middleware settled itself (a duplicate acked unhandled).
import { describe, expect, it } from "vitest";
import { settleAck } from "../../src/core/pipeline.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import { idempotency } from "../../src/middleware/idempotency.js";
import { instrument } from "../../src/middleware/instrument.js";
import { attemptOf, envelope, received, services, through } from "./harness.js";

describe("instrument middleware", () => {
  it("reports a successful attempt as consumed, with its latency", async () => {
    const s = services();
    const message = received(envelope(), { topic: "orders" });
    await through(instrument(s), async () => new Promise((resolve) => setTimeout(resolve, 20)))(attemptOf(message, "OrderHandler"));
    expect(s.events).toEqual([expect.objectContaining({ kind: "consumed", topic: "orders", handler: "OrderHandler", attempt: 1 })]);
    expect((s.events[0] as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(15);
  });

  it("reports nothing for a failed attempt and passes the failure on", async () => {
    const s = services();
    await expect(through(instrument(s), async () => Promise.reject(new Error("boom")))(attemptOf(received(envelope())))).rejects.toThrow("boom");
    expect(s.events).toEqual([]);
  });

  it("reports nothing for an attempt an inner middleware settled (a duplicate the idempotency middleware acked)", async () => {
    const s = services();
    const store = new MemoryIdempotencyStore();
    let calls = 0;
    const step = through([instrument(s), idempotency({ store, keyStrategy: "message_id", ttlSeconds: 60, claimTtlSeconds: 60, services: s })], async () => void calls++);
    const env = envelope();
    await step(attemptOf(received(env)));
    await step(attemptOf(received(env)));
    expect(calls).toBe(1);
    expect(s.events.map((e) => e.kind)).toEqual(["consumed", "duplicate"]);
    // Any settling inside counts the same way.
    const settledInside = services();
    await through(instrument(settledInside), settleAck)(attemptOf(received(envelope())));
    expect(settledInside.events).toEqual([]);
  });
});
