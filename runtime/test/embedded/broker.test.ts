// Embedded-broker behaviour beyond the shared conformance suite.
import { describe, expect, it } from "vitest";
import { EmbeddedBroker, EmbeddedTransport } from "../../src/embedded/index.js";
import { partitionForKey } from "../../src/partitioner/murmur2.js";
import type { OutgoingMessage, ReceivedMessage } from "../../src/transport.js";
import { sleep, until } from "../helpers.js";

const msg = (topic: string, n: number, key?: string): OutgoingMessage => ({ topic, ...(key === undefined ? {} : { key }), body: Buffer.from(String(n)), headers: {}, id: `m-${n}` });

describe("embedded broker", () => {
  it("places keyed messages on Kafka's partition, and spreads unkeyed ones round-robin", async () => {
    const t = new EmbeddedTransport();
    await t.ensureTopics([{ name: "p", partitions: 6 }]);
    const seen: ReceivedMessage[] = [];
    await t.subscribe({ group: "g", topics: ["p"], concurrency: 50 }, async (m) => {
      seen.push(m);
      await m.ack();
    });
    const keys = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    await t.publish(keys.map((k, i) => msg("p", i, k)));
    await t.publish(Array.from({ length: 6 }, (_, i) => msg("p", 100 + i)));
    await until("36 messages", () => seen.length >= 36);
    for (const m of seen.filter((x) => x.key !== undefined)) expect(m.partition).toBe(partitionForKey(m.key!, 6));
    expect(new Set(seen.filter((x) => x.key === undefined).map((x) => x.partition)).size).toBe(6);
    await t.close();
  });

  it("redelivers a delivery that was neither acked nor nacked within ackTimeoutMs; the late ack is ignored", async () => {
    const t = new EmbeddedTransport({ ackTimeoutMs: 100 });
    const deliveries: ReceivedMessage[] = [];
    await t.subscribe({ group: "g", topics: ["slow"], concurrency: 2 }, async (m) => {
      deliveries.push(m);
      if (m.deliveryCount === 1) await sleep(300); // stuck past the ack timeout
      await m.ack();
    });
    await t.publish([msg("slow", 1)]);
    await until("the redelivery", () => deliveries.length >= 2, 2000);
    expect(deliveries[1]!.deliveryCount).toBe(2);
    await sleep(400);
    expect(deliveries).toHaveLength(2);
    expect(t.broker.lag("g", "slow")).toBe(0);
    await t.close();
  });

  it("starts a new group at the end with startFrom latest, at the beginning with earliest", async () => {
    const t = new EmbeddedTransport();
    await t.publish([msg("hist", 1), msg("hist", 2)]);
    const latest: string[] = [];
    const earliest: string[] = [];
    await t.subscribe({ group: "late", topics: ["hist"], concurrency: 1, startFrom: "latest" }, async (m) => {
      latest.push(m.id);
      await m.ack();
    });
    await t.subscribe({ group: "early", topics: ["hist"], concurrency: 1 }, async (m) => {
      earliest.push(m.id);
      await m.ack();
    });
    await t.publish([msg("hist", 3)]);
    await until("both groups", () => latest.length >= 1 && earliest.length >= 3);
    expect(latest).toEqual(["m-3"]);
    expect(earliest).toEqual(["m-1", "m-2", "m-3"]);
    await t.close();
  });

  it("commits contiguously: a later ack does not move the committed offset past an unacked message", async () => {
    const t = new EmbeddedTransport();
    await t.ensureTopics([{ name: "c", partitions: 1 }]);
    const held: ReceivedMessage[] = [];
    await t.subscribe({ group: "g", topics: ["c"], concurrency: 10 }, async (m) => {
      if (m.id === "m-0") held.push(m);
      else await m.ack();
    });
    await t.publish([0, 1, 2, 3].map((n) => msg("c", n)));
    await until("the held message", () => held.length === 1);
    await sleep(20);
    expect(t.broker.committedOffset("g", "c", 0)).toBe(0);
    await held[0]!.ack();
    expect(t.broker.committedOffset("g", "c", 0)).toBe(4);
    await t.close();
  });

  it("keeps memory flat: the log prefix every group committed is trimmed", async () => {
    const broker = new EmbeddedBroker();
    const t = new EmbeddedTransport({ broker });
    let got = 0;
    await t.subscribe({ group: "g", topics: ["big"], concurrency: 500 }, async (m) => {
      got++;
      await m.ack();
    });
    for (let i = 0; i < 20_000; i += 1000) await t.publish(Array.from({ length: 1000 }, (_, j) => msg("big", i + j)));
    await until("20,000 messages", () => got >= 20_000, 10_000);
    const log = (broker as unknown as { topics: Map<string, { partitions: { messages: unknown[]; base: number }[] }> }).topics.get("big")!.partitions[0]!;
    expect(log.base).toBeGreaterThan(10_000);
    expect(log.messages.length).toBeLessThan(8_192);
    await t.close();
  });
});

describe("embedded broker retention", () => {
  it("keeps at most retainUnread messages per partition of a topic nobody reads; a later earliest group gets the newest", async () => {
    const t = new EmbeddedTransport({ retainUnread: 100 });
    for (let i = 0; i < 250; i += 50) await t.publish(Array.from({ length: 50 }, (_, j) => msg("unread", i + j)));
    const got: string[] = [];
    await t.subscribe({ group: "late", topics: ["unread"], concurrency: 10 }, async (m) => {
      got.push(m.id);
      await m.ack();
    });
    await until("the retained messages", () => got.length >= 100);
    await sleep(30);
    expect(got).toHaveLength(100);
    expect(got[0]).toBe("m-150");
    expect(got.at(-1)).toBe("m-249");
    await t.close();
  });
});
