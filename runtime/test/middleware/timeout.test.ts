import { describe, expect, it } from "vitest";
import { TimeoutError } from "../../src/errors.js";
import { timeout } from "../../src/middleware/timeout.js";
import type { Step } from "../../src/core/pipeline.js";
import { sleep } from "../helpers.js";
import { attemptOf, envelope, received, through } from "./harness.js";

describe("timeout middleware", () => {
  it("fails a slow handler with a TimeoutError naming handler and message, and aborts its signal", async () => {
    const attempt = attemptOf(received(envelope()), "SlowHandler");
    let aborted: unknown;
    const started = performance.now();
    const run = through(timeout(100), async (a) => {
      a.context.signal.addEventListener("abort", () => (aborted = a.context.signal.reason));
      await sleep(1000);
    })(attempt);
    await expect(run).rejects.toBeInstanceOf(TimeoutError);
    await expect(run).rejects.toThrow(/SlowHandler timed out after 100 ms on message/);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(600);
    expect(aborted).toBeInstanceOf(TimeoutError);
  });

  it("counts each attempt's timeout from its own start: never early, at most two ticks (5%) late", async () => {
    // Attempts start 0, 120, 240 ms apart; the sweep gives each its deadline only after it started.
    const timeoutMs = 400;
    const step = through(timeout(timeoutMs), () => sleep(5000));
    const elapsed = [0, 1, 2].map(async (i) => {
      await sleep(i * 120);
      const started = performance.now();
      await step(attemptOf(received(envelope()))).catch((error: unknown) => expect(error).toBeInstanceOf(TimeoutError));
      return performance.now() - started;
    });
    for (const ms of await Promise.all(elapsed)) {
      expect(ms).toBeGreaterThanOrEqual(timeoutMs - 1); // timer granularity
      expect(ms).toBeLessThan(timeoutMs * 1.05 + 50); // + event-loop lag on a busy CI machine
    }
  });

  it("lets a fast handler through, and its errors", async () => {
    await through(timeout(1000), async () => undefined)(attemptOf(received(envelope())));
    await expect(through(timeout(1000), async () => Promise.reject(new Error("own")))(attemptOf(received(envelope())))).rejects.toThrow("own");
  });

  it("is a no-op for timeout 0", async () => {
    const next: Step = (_attempt, done) => done();
    expect(timeout(0)(next)).toBe(next);
  });
});
