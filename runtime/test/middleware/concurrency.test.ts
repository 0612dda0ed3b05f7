import { describe, expect, it } from "vitest";
import { concurrency } from "../../src/middleware/concurrency.js";
import { sleep } from "../helpers.js";
import { attemptOf, envelope, received, through } from "./harness.js";

describe("concurrency middleware", () => {
  it("never runs more than `limit` handlers at once and runs them all, in arrival order", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const step = through(concurrency({ limit: 3 }), async (a) => {
      started.push((a.envelope.payload as { n: number }).n);
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
    });
    await Promise.all(Array.from({ length: 20 }, (_, n) => step(attemptOf(received(envelope("e", { n }))))));
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("frees the slot of a failed handler and passes the failure on", async () => {
    let calls = 0;
    const step = through(concurrency({ limit: 1 }), async () => {
      calls++;
      if (calls === 1) throw new Error("first fails");
    });
    const results = await Promise.allSettled([0, 1, 2].map(() => step(attemptOf(received(envelope())))));
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(calls).toBe(3);
  });
});
