import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/core/backoff.js";
import { TimeoutError, ValidationError } from "../../src/errors.js";
import { retry } from "../../src/middleware/retry.js";
import type { RetryPolicy } from "../../src/topology.js";
import { attemptOf, envelope, received, services, through } from "./harness.js";

const policy: RetryPolicy = { max_retries: 3, backoff_strategy: "exponential", initial_delay: 100, max_delay: 1000, multiplier: 2, jitter: 0 };
const failing = (error: unknown) => async () => {
  throw error;
};

describe("backoffDelay", () => {
  it("grows exponentially, linearly or stays fixed, capped by max_delay", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => backoffDelay({ ...policy, backoff_strategy: "linear" }, n))).toEqual([100, 200, 300]);
    expect([1, 2, 3].map((n) => backoffDelay({ ...policy, backoff_strategy: "fixed" }, n))).toEqual([100, 100, 100]);
    expect(backoffDelay({ ...policy, multiplier: 3 }, 3)).toBe(900);
  });

  it("applies ± jitter around the delay", () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(jittered, 1, () => 0)).toBe(50);
    expect(backoffDelay(jittered, 1, () => 1)).toBe(150);
    expect(backoffDelay(jittered, 1, () => 0.5)).toBe(100);
  });
});

describe("retry middleware", () => {
  it("nacks a retriable failure with the backoff delay and the next attempt number", async () => {
    const s = services();
    const m = received(envelope(), { deliveryCount: 2 });
    await through(retry({ policy, services: s }), failing(new Error("db down")))(attemptOf(m));
    expect(m.nacks).toEqual([{ delayMs: 200, headers: { "x-hypc-attempt": "3" } }]);
    expect(s.events).toMatchObject([{ kind: "retried", attempt: 2, delayMs: 200, error: "db down", handler: "H" }]);
  });

  it("uses the x-hypc-attempt header when the broker does not count deliveries", async () => {
    const m = received(envelope(), { deliveryCount: 1, headers: { "x-hypc-attempt": "3" } });
    await through(retry({ policy, services: services() }), failing(new Error("x")))(attemptOf(m));
    expect(m.nacks[0]).toEqual({ delayMs: 400, headers: { "x-hypc-attempt": "4" } });
  });

  it("gives up after max_retries: the error goes on to the dead-letter middleware", async () => {
    const m = received(envelope(), { deliveryCount: 4 });
    await expect(through(retry({ policy, services: services() }), failing(new Error("still down")))(attemptOf(m))).rejects.toThrow("still down");
    expect(m.nacks).toEqual([]);
  });

  it("never retries validation errors or errors marked retriable: false", async () => {
    const m = received(envelope());
    await expect(through(retry({ policy, services: services() }), failing(new ValidationError("bad", ["/x: bad"])))(attemptOf(m))).rejects.toThrow("bad");
    const notRetriable = Object.assign(new Error("permanent"), { retriable: false });
    await expect(through(retry({ policy, services: services() }), failing(notRetriable))(attemptOf(m))).rejects.toThrow("permanent");
    expect(m.nacks).toEqual([]);
  });

  it("retries timeouts up to the timeout_error category's max_retries", async () => {
    const mw = retry({ policy, timeoutMaxRetries: 1, services: services() });
    const first = received(envelope(), { deliveryCount: 1 });
    await through(mw, failing(new TimeoutError("slow")))(attemptOf(first));
    expect(first.nacks).toHaveLength(1);
    const second = received(envelope(), { deliveryCount: 2 });
    await expect(through(mw, failing(new TimeoutError("slow")))(attemptOf(second))).rejects.toThrow("slow");
  });

  it("passes success through untouched", async () => {
    const m = received(envelope());
    await through(retry({ policy, services: services() }), async () => undefined)(attemptOf(m));
    expect(m.nacks).toEqual([]);
  });
});
