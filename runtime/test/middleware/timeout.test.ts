import { describe, expect, it } from "vitest";
import { TimeoutError } from "../../src/errors.js";
import { timeout } from "../../src/middleware/timeout.js";
import { sleep } from "../helpers.js";
import { attemptOf, envelope, received } from "./harness.js";

describe("timeout middleware", () => {
  it("fails a slow handler with a TimeoutError naming handler and message, and aborts its signal", async () => {
    const attempt = attemptOf(received(envelope()), "SlowHandler");
    let aborted: unknown;
    const started = performance.now();
    const run = timeout(100)(async (a) => {
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

  it("lets a fast handler through, and its errors", async () => {
    await timeout(1000)(async () => undefined)(attemptOf(received(envelope())));
    await expect(timeout(1000)(async () => Promise.reject(new Error("own")))(attemptOf(received(envelope())))).rejects.toThrow("own");
  });

  it("is a no-op for timeout 0", async () => {
    const next = async () => undefined;
    expect(timeout(0)(next)).toBe(next);
  });
});
