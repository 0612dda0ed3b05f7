// How much a consumer group takes per event-loop turn: it refills freed handler slots within the same turn (so it
// keeps up with producers publishing more than `concurrency` messages per turn), but never more than a bounded
// number per turn, so timers and I/O still get their turn under a large backlog.
import { describe, expect, it } from "vitest";
import { EmbeddedTransport } from "../../src/embedded/index.js";
import type { OutgoingMessage } from "../../src/transport.js";
import { until } from "../helpers.js";

const msg = (topic: string, n: number): OutgoingMessage => ({ topic, body: Buffer.from(String(n)), headers: {}, id: `m-${n}` });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("embedded broker dispatch per turn", () => {
  it("refills freed slots in the same turn: far more than `concurrency` messages are handled per turn", async () => {
    const t = new EmbeddedTransport();
    let handled = 0;
    await t.subscribe({ group: "g", topics: ["turns"], concurrency: 8 }, async (m) => {
      await m.ack();
      handled++;
    });
    await t.publish(Array.from({ length: 400 }, (_, i) => msg("turns", i)));
    // One turn for the first dispatch, one more to be sure it ran: a dispatch per turn would handle at most 16.
    await nextTurn();
    await nextTurn();
    expect(handled).toBeGreaterThan(100);
    await until("all 400", () => handled === 400);
    expect(t.broker.lag("g", "turns")).toBe(0);
    await t.close();
  });

  it("bounds the messages handed out per turn: a timer scheduled during a large backlog still runs before it is drained", async () => {
    const t = new EmbeddedTransport();
    const total = 20_000;
    let handled = 0;
    await t.subscribe({ group: "g", topics: ["backlog"], concurrency: 16 }, async (m) => {
      await m.ack();
      handled++;
    });
    await t.publish(Array.from({ length: total }, (_, i) => msg("backlog", i)));
    const handledWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(handled), 0));
    expect(handledWhenTimerRan).toBeLessThan(total);
    await until("the whole backlog", () => handled === total, 10_000);
    expect(t.broker.lag("g", "backlog")).toBe(0);
    await t.close();
  });
});
