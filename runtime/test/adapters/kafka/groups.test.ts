// One group name, subscriptions on different topics (the seed's consumer "analytics-processor" and a pub/sub
// subscriber with the same group): each subscription gets every partition of its own topics, none of the
// other's (kafkajs's own assigner gives the leader's topics to everybody and leaves the rest unassigned).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import { kafkaSkip, seedKafkaConfig, testContext } from "./support.js";

const skip = await kafkaSkip();

describe.skipIf(skip !== false)("kafka groups shared by subscriptions on different topics", () => {
  it("delivers each topic to the subscriptions that asked for it, all partitions", { timeout: 90_000 }, async () => {
    const run = randomUUID().slice(0, 8);
    const [a, b, c] = ["a", "b", "c"].map((x) => `hypc-groups-${run}-${x}`) as [string, string, string];
    const group = `hypc-groups-${run}`;
    const t = createKafkaTransport(seedKafkaConfig({ consumer: { session_timeout_ms: 6000, heartbeat_interval_ms: 500 } }), testContext());
    await t.connect();
    try {
      await t.ensureTopics([{ name: a, partitions: 4 }, { name: b, partitions: 4 }, { name: c, partitions: 2 }]);
      const got = { first: [] as string[], second: [] as string[] };
      const wrongTopic: string[] = [];
      const s1 = await t.subscribe({ group, topics: [a, b], concurrency: 4 }, async (m) => {
        if (m.topic === c) wrongTopic.push(m.topic);
        got.first.push(m.id);
        await m.ack();
      });
      const s2 = await t.subscribe({ group, topics: [c], concurrency: 4 }, async (m) => {
        if (m.topic !== c) wrongTopic.push(m.topic);
        got.second.push(m.id);
        await m.ack();
      });
      const msgs = [a, b, c].flatMap((topic) => Array.from({ length: 24 }, (_, i) => ({ topic, key: `k-${i}`, body: Buffer.from("x"), headers: {}, id: `${topic}-${i}` })));
      await t.publish(msgs);
      const deadline = Date.now() + 30_000;
      while (got.first.length + got.second.length < msgs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await s1.close();
      await s2.close();
      expect(wrongTopic).toEqual([]);
      expect(new Set(got.first)).toEqual(new Set(msgs.filter((m) => m.topic !== c).map((m) => m.id)));
      expect(new Set(got.second)).toEqual(new Set(msgs.filter((m) => m.topic === c).map((m) => m.id)));
    } finally {
      await t.close();
    }
  });
});
