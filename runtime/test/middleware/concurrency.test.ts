import { describe, expect, it } from "vitest";
import { concurrency } from "../../src/middleware/concurrency.js";
import { sleep } from "../helpers.js";
import { attemptOf, envelope, received } from "./harness.js";

describe("concurrency middleware", () => {
  it("never runs more than `limit` handlers at once and runs them all", async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const step = concurrency({ limit: 3 })(async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
      done++;
    });
    await Promise.all(Array.from({ length: 20 }, () => step(attemptOf(received(envelope())))));
    expect(peak).toBe(3);
    expect(done).toBe(20);
  });

  it("with keyOf: serial per key, concurrent across keys, failures do not block the key", async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const step = concurrency({ limit: 10, keyOf: (a) => a.message.key })(async (a) => {
      running++;
      peak = Math.max(peak, running);
      const n = (a.envelope.payload as { n: number }).n;
      await sleep(Math.random() * 4);
      log.push(`${a.message.key}:${n}`);
      running--;
      if (n === 1) throw new Error("fail one");
    });
    const runs = [];
    for (let n = 0; n < 5; n++) for (const key of ["a", "b", "c"]) runs.push(step(attemptOf(received(envelope("e", { n }), { key }))).catch(() => undefined));
    await Promise.all(runs);
    for (const key of ["a", "b", "c"]) expect(log.filter((l) => l.startsWith(key))).toEqual([0, 1, 2, 3, 4].map((n) => `${key}:${n}`));
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
  });
});
